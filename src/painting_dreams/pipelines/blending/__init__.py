"""World-model scores on held-out strokes, the default painter, and the compositors calibrated against MyPaint."""

from painting_dreams.pipelines.blending.pipeline import create_pipeline

__all__ = ["create_pipeline"]
