"""The MDN-RNN of World Models over VAE latents of single strokes, one namespace per world."""

from painting_dreams.pipelines.rnn.pipeline import create_pipeline

__all__ = ["create_pipeline"]
