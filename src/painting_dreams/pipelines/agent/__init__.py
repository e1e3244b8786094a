"""The ``agent`` pipeline: train the painting agent in the dream, per dataset and stroke count."""

from painting_dreams.pipelines.agent.pipeline import create_pipeline

__all__ = ["create_pipeline"]
