"""The ConvVAE of World Models trained on single MyPaint strokes, one namespace per world."""

from painting_dreams.pipelines.vae.pipeline import create_pipeline

__all__ = ["create_pipeline"]
