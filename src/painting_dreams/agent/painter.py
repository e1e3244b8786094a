"""The painter the agent paints with in its dream: actions -> strokes -> canvas.

The agent emits actions of the *absolute* layout (start point first) and needs only a
differentiable way to turn them into a new canvas. :class:`DreamPainter` gets it from

* a world-model painter, anything with ``initial_state(batch)`` and
  ``step(actions, starts, state) -> (stroke RGBA, state)`` (the
  :class:`~painting_dreams.world_model.painters.Painter` protocol: the stroke model, or VAE +
  MDN-RNN), or any plain function ``actions (B, A) -> stroke (B, 64, 64, 4)`` (see
  :meth:`DreamPainter.from_function`); strokes are premultiplied RGBA in [0, 1];
* a compositor of :mod:`painting_dreams.world_model.compositors` by name (``alpha_over``,
  ``darker_of``, ``darkness_mask``), or any function ``(canvas, stroke RGBA) -> canvas``.

So the agent code does not care which world model is behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import tensorflow as tf

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.world_model.compositors import COMPOSITORS, composite
from painting_dreams.world_model.painters import StrokeModelPainter

CompositeFn = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]


class _FunctionPainter:
    """A stateless painter from a function of the whole absolute action."""

    def __init__(self, render: Callable[[tf.Tensor], tf.Tensor]):
        self.render = render

    def initial_state(self, batch_size: int) -> tuple:
        return ()

    def step(self, actions, starts, state=()):
        return self.render(tf.concat([starts, actions], axis=-1)), state


class DreamPainter:
    """A differentiable stand-in for MyPaint, for one action variant.

    ``paint(canvas (B, 64, 64, 3), actions (B, A), state) -> (canvas, state)`` paints one stroke
    per row of ``actions`` (absolute layout, normalised) and lays it on ``canvas`` (RGB on white).
    """

    def __init__(self, painter: Any, variant: str, compositor: str | CompositeFn = "alpha_over"):
        self.painter = painter
        self.layout = ActionLayout(variant, absolute=True)
        if isinstance(compositor, str) and compositor not in COMPOSITORS:
            raise ValueError(f"unknown compositor {compositor!r}: choose one of {', '.join(COMPOSITORS)}")
        if compositor == "darkness_mask" and variant != "color":
            raise ValueError("the darkness_mask compositor blends in the brush colour: use it with the 'color' variant")
        self.compositor = compositor

    @classmethod
    def from_function(cls, render: Callable[[tf.Tensor], tf.Tensor], variant: str,
                      compositor: str | CompositeFn = "alpha_over") -> DreamPainter:
        """From ``render(actions (B, A) absolute) -> stroke (B, 64, 64, 4)`` premultiplied RGBA."""
        return cls(_FunctionPainter(render), variant, compositor)

    def initial_state(self, batch_size):
        return self.painter.initial_state(batch_size)

    def paint(self, canvas: tf.Tensor, actions: tf.Tensor, state=()) -> tuple[tf.Tensor, Any]:
        stroke, state = self.painter.step(actions[:, 2:], actions[:, :2], state)
        if callable(self.compositor):
            return self.compositor(canvas, stroke), state
        colour = actions[:, -3:] if self.layout.variant == "color" else None  # red, green, blue come last
        return composite(self.compositor, canvas, stroke, colour), state


def stroke_model_painter(model: keras.Model, variant: str, compositor: str | CompositeFn = "alpha_over") -> DreamPainter:
    """A :class:`DreamPainter` over the trained non-recurrent stroke model ``(starts, actions) -> RGBA``."""
    model_variant = getattr(model, "variant", variant)
    if model_variant != variant:
        raise ValueError(f"the stroke model paints the {model_variant!r} variant but the agent run asks for {variant!r}: "
                         f"load <{variant}>.stroke_model or change the run's variant")
    return DreamPainter(StrokeModelPainter(model), variant, compositor)
