"""Random-action episodes of the real MyPaint env, one namespace per world of the inventory."""

from painting_dreams.pipelines.episodes.pipeline import create_pipeline

__all__ = ["create_pipeline"]
