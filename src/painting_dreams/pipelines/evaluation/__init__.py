"""The ``evaluation`` pipeline: dreamed strokes replayed in real MyPaint."""

from painting_dreams.pipelines.evaluation.pipeline import create_pipeline

__all__ = ["create_pipeline"]
