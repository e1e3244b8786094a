"""The non-recurrent stroke model ((start, action) -> stroke RGBA), for the ``mnist`` and ``color`` variants."""

from painting_dreams.pipelines.stroke_model.pipeline import create_pipeline

__all__ = ["create_pipeline"]
