"""The MDN-RNN of World Models over VAE latents of single strokes, for the ``mnist`` and ``color`` variants."""

from painting_dreams.pipelines.rnn.pipeline import create_pipeline

__all__ = ["create_pipeline"]
