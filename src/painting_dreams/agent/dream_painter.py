"""The painter the agent paints with in its dream: actions -> strokes -> canvas.

The agent emits actions of the *absolute* layout (start point first) and needs only a
differentiable way to turn them into a new canvas. :class:`DreamPainter` gets it from

* a world-model painter, anything with ``initial_state(batch)`` and
  ``step(actions, starts, state) -> (stroke RGBA, state)`` (the
  :class:`~painting_dreams.world_model.stroke_renderers.Painter` protocol: the stroke model, or VAE +
  MDN-RNN), or any plain function ``actions (B, A) -> stroke (B, 64, 64, 4)`` (see
  :meth:`DreamPainter.from_function`); strokes are premultiplied RGBA in [0, 1];
* a compositor of :mod:`painting_dreams.world_model.compositors` by name (``alpha_over``,
  ``darker_of``, ``darkness_mask``), or any function ``(canvas, stroke RGBA) -> canvas``.

So the agent code does not care which world model is behind it. ``brush`` names the MyPaint brush the
world model learned: every real-MyPaint painting of this painter's actions (evaluation, refinement, the
closed loop, export) is painted with ``painter.brush``.

The ``mnist`` variant's pressure, size and jump take two values in the real env (below 0.5 the
first, else the second), but a world model trained on random actions paints a smooth blend in
between, and an agent left alone parks those fields at 0.5, where the dream's half-thick stroke
is something MyPaint never paints. With ``discrete="straight_through"`` (the default) the dream
paints the snapped action (each two-valued field set to 0.25 or 0.75, inside the model's training
range) and takes its gradient from the smooth, unsnapped stroke:
``stroke = soft + stop_gradient(hard - soft)``. ``discrete="soft"`` paints the blend, as the seed did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import tensorflow as tf

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.world_model.compositors import COMPOSITORS, composite
from painting_dreams.world_model.stroke_renderers import StrokeModelPainter

CompositeFn = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]
DISCRETE_MODES = ("straight_through", "soft")


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

    def __init__(self, painter: Any, variant: str, compositor: str | CompositeFn = "alpha_over",
                 discrete: str = "straight_through", brush: str | None = None):
        self.painter = painter
        self.brush = brush  # the MyPaint brush the world model learned (None: a stand-in that names none)
        self.layout = ActionLayout(variant, absolute=True)
        if isinstance(compositor, str) and compositor not in COMPOSITORS:
            raise ValueError(f"unknown compositor {compositor!r}: choose one of {', '.join(COMPOSITORS)}")
        if compositor == "darkness_mask" and variant != "color":
            raise ValueError("the darkness_mask compositor blends in the brush colour: use it with the 'color' variant")
        if discrete not in DISCRETE_MODES:
            raise ValueError(f"unknown discrete mode {discrete!r}: choose one of {', '.join(DISCRETE_MODES)}")
        self.compositor = compositor
        self.discrete = discrete
        # which of the stroke fields (the absolute layout without its start point) are two-valued
        stroke_fields = self.layout.fields[2:]
        self._two_valued = tf.constant([f in self.layout.two_valued_fields for f in stroke_fields])
        self._snaps = discrete == "straight_through" and bool(self.layout.two_valued_fields)

    @classmethod
    def from_function(cls, render: Callable[[tf.Tensor], tf.Tensor], variant: str,
                      compositor: str | CompositeFn = "alpha_over", discrete: str = "straight_through",
                      brush: str | None = None) -> DreamPainter:
        """From ``render(actions (B, A) absolute) -> stroke (B, 64, 64, 4)`` premultiplied RGBA."""
        return cls(_FunctionPainter(render), variant, compositor, discrete, brush)

    @property
    def variant(self) -> str:
        """The action layout it paints (``mnist`` or ``color``)."""
        return self.layout.variant

    def real_brush(self) -> str:
        """The brush real MyPaint paints this painter's actions with; a painter that learned none cannot be
        replayed."""
        if self.brush is None:
            raise ValueError("this dream painter names no MyPaint brush (its stroke model records none): retrain the "
                             "stroke model (kedro run --pipeline stroke_model) or give the painter a brush")
        return self.brush

    def snap(self, stroke_actions: tf.Tensor) -> tf.Tensor:
        """Two-valued fields set to 0.25 or 0.75 (the env's choice), the others unchanged."""
        snapped = tf.where(stroke_actions >= 0.5, 0.75, 0.25)
        return tf.where(self._two_valued, snapped, stroke_actions)

    def initial_state(self, batch_size):
        return self.painter.initial_state(batch_size)

    def paint(self, canvas: tf.Tensor, actions: tf.Tensor, state=()) -> tuple[tf.Tensor, Any]:
        stroke, state = self._render(actions, state)
        return self._lay(canvas, stroke, actions), state

    def paint_many(self, canvas: tf.Tensor, actions: tf.Tensor, state=(),
                   keep_canvases: bool = False) -> tuple[tf.Tensor, Any, list | None]:
        """Paint the strokes ``actions`` ``(B, n, A)`` one after another; ``(canvas, state, canvases)``.

        ``canvases`` is the canvas after each of the n strokes if ``keep_canvases``, else ``None``.
        A stateless painter (the stroke model) renders all n strokes in one call, which is
        cheaper than n calls; a recurrent one (VAE + MDN-RNN) goes stroke by stroke. The loop
        is unrolled: n ops in a traced graph, for the few strokes of one policy step (training
        differentiates through it). :meth:`paint_loop` is the loop that is not unrolled.
        """
        n = actions.shape[1]
        if self._stateless(state):
            strokes = self._render_all(actions)
            strokes = [strokes[:, i] for i in range(n)]
        else:
            strokes = []
            for i in range(n):
                stroke, state = self._render(actions[:, i], state)
                strokes.append(stroke)
        canvases = [] if keep_canvases else None
        for i in range(n):
            canvas = self._lay(canvas, strokes[i], actions[:, i])
            if keep_canvases:
                canvases.append(canvas)
        return canvas, state, canvases

    def paint_loop(self, canvas: tf.Tensor, actions: tf.Tensor, state=(),
                   keep_canvases: bool = False) -> tuple[tf.Tensor, Any, tf.Tensor | None]:
        """:meth:`paint_many` as one symbolic loop (``tf.while_loop``) that renders and lays one stroke per
        turn: a traced graph holds one stroke whatever n is, so neither tracing time nor memory grows
        with the stroke count (but for the canvases kept, if asked for).

        Returns ``(canvas, state, canvases)``, ``canvases`` ``(B, n, 64, 64, 3)`` if ``keep_canvases``
        else ``None``. Same pixels as :meth:`paint_many` (same ops, stroke after stroke). For a gradient
        in the actions use :meth:`loss_and_gradient`, whose memory does not grow with n either.
        """
        n = tf.shape(actions)[1]
        kept = tf.TensorArray(canvas.dtype, size=n, element_shape=canvas.shape) if keep_canvases else ()

        def body(i, canvas, state, kept):
            stroke, state = self._render(actions[:, i], state)
            canvas = self._lay(canvas, stroke, actions[:, i])
            if keep_canvases:
                kept = kept.write(i, canvas)
            return i + 1, canvas, state, kept

        _, canvas, state, kept = tf.while_loop(lambda i, *_: i < n, body, (tf.constant(0), canvas, state, kept))
        canvases = tf.transpose(kept.stack(), [1, 0, 2, 3, 4]) if keep_canvases else None
        return canvas, state, canvases

    def loss_and_gradient(self, canvas: tf.Tensor, actions: tf.Tensor,
                          loss: Callable[[tf.Tensor], tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        """Paint ``actions`` ``(B, n, A)`` on ``canvas`` with a stateless painter; return ``loss(final canvas)``
        ``(B,)`` and the gradient of its sum in ``actions`` ``(B, n, A)``.

        Backpropagation written out as two symbolic loops: forward (:meth:`paint_loop`), keeping only the
        canvas after each stroke (49 KB per stroke and image); backward, from the last stroke to the
        first, rendering each stroke again to take its gradient. Automatic differentiation of the whole painting would
        keep every stroke's activations instead (the stroke model's per-pixel MLP: MBs per stroke), so
        its memory would grow ~50x faster with n. No gradient reaches the painter's weights: this is
        for optimising actions (refinement), not for training.
        """
        n = tf.shape(actions)[1]
        final, _, after = self.paint_loop(canvas, actions, (), keep_canvases=True)
        before = tf.concat([canvas[:, None], after[:, :-1]], axis=1)  # the canvas each stroke was laid on
        with tf.GradientTape() as tape:
            tape.watch(final)
            per_image = loss(final)
            total = tf.reduce_sum(per_image)
        upstream = tape.gradient(total, final)
        gradients = tf.TensorArray(actions.dtype, size=n, element_shape=actions[:, 0].shape)

        def backward(i, upstream, gradients):
            stroke_actions, previous = actions[:, i], before[:, i]
            with tf.GradientTape() as tape:
                tape.watch([stroke_actions, previous])
                after = self._lay(previous, self._render(stroke_actions, ())[0], stroke_actions)
            d_actions, d_previous = tape.gradient(after, [stroke_actions, previous], output_gradients=upstream)
            return i - 1, d_previous, gradients.write(i, d_actions)

        _, _, gradients = tf.while_loop(lambda i, *_: i >= 0, backward, (n - 1, upstream, gradients))
        return per_image, tf.transpose(gradients.stack(), [1, 0, 2])

    @property
    def stateless(self) -> bool:
        """Whether each stroke is rendered from its own action alone (the stroke model), not from a state."""
        return self._stateless(self.initial_state(1))

    @staticmethod
    def _stateless(state) -> bool:
        return isinstance(state, tuple) and state == ()

    def _render_all(self, actions: tf.Tensor) -> tf.Tensor:
        """A stateless painter's strokes ``(B, n, 64, 64, 4)`` for ``actions`` ``(B, n, A)``, in one call."""
        flat = tf.reshape(actions, (-1, actions.shape[-1]))
        strokes = self._render(flat, ())[0]
        return tf.reshape(strokes, tf.concat([tf.shape(actions)[:2], tf.shape(strokes)[1:]], 0))

    def _render(self, actions: tf.Tensor, state) -> tuple[tf.Tensor, Any]:
        """Stroke RGBA of each row of ``actions`` (absolute layout), snapped if the variant is two-valued."""
        starts, stroke_actions = actions[:, :2], actions[:, 2:]
        if self._snaps:
            soft, _ = self.painter.step(stroke_actions, starts, state)
            hard, state = self.painter.step(self.snap(stroke_actions), starts, state)
            return soft + tf.stop_gradient(hard - soft), state
        return self.painter.step(stroke_actions, starts, state)

    def _lay(self, canvas: tf.Tensor, stroke: tf.Tensor, actions: tf.Tensor) -> tf.Tensor:
        """Composite one stroke per row onto ``canvas``."""
        if callable(self.compositor):
            return self.compositor(canvas, stroke)
        colour = actions[:, -3:] if self.layout.variant == "color" else None  # red, green, blue come last
        return composite(self.compositor, canvas, stroke, colour)


def stroke_model_painter(model: keras.Model, variant: str, compositor: str | CompositeFn = "alpha_over",
                         discrete: str = "straight_through", brush: str | None = None) -> DreamPainter:
    """A :class:`DreamPainter` over the trained non-recurrent stroke model ``(starts, actions) -> RGBA``.

    Its brush is the one the model learned; ``brush`` (a run's world's) must be that one, or, for a model
    that records none (untrained), stands in for it."""
    model_variant = getattr(model, "variant", variant)
    if model_variant != variant:
        raise ValueError(f"the stroke model paints the {model_variant!r} variant but the agent run asks for {variant!r}: "
                         f"load <world>.stroke_model of a {variant} world or change the run's world")
    learned = getattr(model, "painted_with", None)
    if learned is not None and brush is not None and learned != brush:
        raise ValueError(f"the stroke model learned the brush {learned!r}, but this painter is asked to paint with "
                         f"{brush!r}: a painter paints with its world's brush; use a stroke model trained on "
                         f"{brush!r} episodes, or the world whose brush is {learned!r}")
    return DreamPainter(StrokeModelPainter(model), variant, compositor, discrete, learned or brush)
