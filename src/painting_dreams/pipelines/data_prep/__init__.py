"""``data_prep``: MNIST, KMNIST and CelebA turned into the 64x64 RGB targets the agent paints."""

from painting_dreams.pipelines.data_prep.pipeline import create_pipeline

__all__ = ["create_pipeline"]
