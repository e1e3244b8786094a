"""World models of the painting program: ConvVAE + MDN-RNN (World Models) and the stroke model.

A pure library (no Kedro): the pipelines call :mod:`.training` and :mod:`.evaluate`, the agent
paints through a :class:`~.painters.Painter` and puts strokes on its canvas with
:mod:`.compositors`.
"""

from painting_dreams.world_model.compositors import (
    COMPOSITORS,
    composite,
    composite_alpha_over,
    composite_darker_of,
    composite_darkness_mask,
    premultiplied_over_white,
)
from painting_dreams.world_model.mdn_rnn import MDNRNN, mixture_mean
from painting_dreams.world_model.painters import Painter, StrokeModelPainter, WorldModelsPainter
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.vae import ConvVAE

__all__ = [
    "COMPOSITORS",
    "ConvVAE",
    "MDNRNN",
    "Painter",
    "StrokeModel",
    "StrokeModelPainter",
    "WorldModelsPainter",
    "composite",
    "composite_alpha_over",
    "composite_darker_of",
    "composite_darkness_mask",
    "mixture_mean",
    "premultiplied_over_white",
]
