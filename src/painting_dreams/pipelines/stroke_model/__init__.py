"""The non-recurrent stroke model ((start, action) -> stroke RGBA), one namespace per world."""

from painting_dreams.pipelines.stroke_model.pipeline import create_pipeline

__all__ = ["create_pipeline"]
