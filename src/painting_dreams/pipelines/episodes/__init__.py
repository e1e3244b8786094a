"""Random-action episodes of the real MyPaint env, for the ``mnist`` and ``color`` variants."""

from painting_dreams.pipelines.episodes.pipeline import create_pipeline

__all__ = ["create_pipeline"]
