"""The ``agent`` pipeline: train the painting agent in the dream, one namespace per run of the inventory."""

from painting_dreams.pipelines.agent.pipeline import create_pipeline

__all__ = ["create_pipeline"]
