"""``rounds``: world-model rounds, a stroke model taught the strokes its painters paint."""

from painting_dreams.pipelines.rounds.pipeline import create_pipeline

__all__ = ["create_pipeline"]
