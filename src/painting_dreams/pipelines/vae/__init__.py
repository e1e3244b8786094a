"""The ConvVAE of World Models trained on single MyPaint strokes, for the ``mnist`` and ``color`` variants."""

from painting_dreams.pipelines.vae.pipeline import create_pipeline

__all__ = ["create_pipeline"]
