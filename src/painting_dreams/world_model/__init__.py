"""World models of the painting program: ConvVAE + MDN-RNN (World Models) and the stroke model.

A pure library (no Kedro) of models only: the pipelines train them with :mod:`.training`, the agent
paints through a :class:`~.stroke_renderers.Painter` (a stroke renderer) and puts strokes on its canvas with
:mod:`.compositors`. How good they are against real MyPaint is measured in
:mod:`painting_dreams.evaluation` (:mod:`~painting_dreams.evaluation.world_models`,
:mod:`~painting_dreams.evaluation.blending`). From :mod:`painting_dreams.paint` it needs only the
action layout and the stroke geometry. Importing it (or any module of it) registers both stroke-model
classes with Keras (:class:`StrokeModel`, :class:`ReachModel`), so either's ``.keras`` file loads.
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
from painting_dreams.world_model.reach_model import ReachModel
from painting_dreams.world_model.stroke_renderers import Painter, StrokeModelPainter, WorldModelsPainter
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.vae import ConvVAE

__all__ = [
    "COMPOSITORS",
    "ConvVAE",
    "MDNRNN",
    "Painter",
    "ReachModel",
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
