"""Blending calibration: single strokes composited by us against MyPaint's own multi-stroke canvas.

A canvas episode records the canvas MyPaint painted after each of its actions. Replaying the
same actions in a stroke-mode env (:func:`mypaint_strokes`) gives MyPaint's own single strokes,
with alpha, pixel for pixel the strokes of that episode: each ``reset`` restarts the brush and
its random jitter, and the jitter only depends on the actions since then. Compositing those
strokes one by one on white (:func:`composite_episodes`) with each of
:data:`~painting_dreams.world_model.compositors.COMPOSITORS` and comparing with the recorded
canvases (:func:`blending_errors`) measures the compositor alone; doing the same with a world
model's strokes (:func:`paint_episode_strokes`) measures what the agent's dream canvas costs.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import tensorflow as tf
from matplotlib.figure import Figure

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.replay import play
from painting_dreams.world_model.compositors import composite
from painting_dreams.world_model.stroke_renderers import Painter
from painting_dreams.world_model.stroke_data import drawable_mask, unit_rgba


def brush_colours(actions, variant: str) -> np.ndarray:
    """``(..., 3)`` brush colour in [0, 1] of each action: black for ``mnist``, its RGB fields for ``color``."""
    actions = np.asarray(actions, np.float32)
    layout = ActionLayout(variant)
    if variant == "mnist":
        return np.zeros((*actions.shape[:-1], 3), np.float32)
    return actions[..., [layout.index(c) for c in ("red", "green", "blue")]]


def mypaint_strokes(actions, manifest: dict) -> np.ndarray:
    """MyPaint's own single strokes ``(N, T, H, W, 4)`` uint8 of recorded episodes' ``actions`` (their env's relative
    layout), replayed in stroke mode with the variant, size and brush their ``manifest`` names."""
    return play(actions, manifest["variant"], absolute=False, stroke_mode=True, width=manifest["width"],
                height=manifest["height"], brush=manifest["brush"]).strokes


def paint_episode_strokes(painter: Painter, actions, starts, painted, variant: str,
                          batch_size: int = 64) -> np.ndarray:
    """A painter's strokes ``(N, T, 64, 64, 4)`` float32 for recorded episodes.

    Steps that are not a function of their action (an episode's first move, which only places
    the brush) are left blank, as the env leaves them; every other step is the painter's.
    """
    actions, starts = np.asarray(actions, np.float32), np.asarray(starts, np.float32)
    paint = tf.function(painter.paint_strokes)
    strokes = np.concatenate([np.asarray(paint(actions[i:i + batch_size], starts[i:i + batch_size]))
                              for i in range(0, len(actions), batch_size)])
    mask = drawable_mask(actions, painted, variant)
    return strokes * mask[..., None, None, None]


def composite_episodes(strokes, actions, variant: str, method: str) -> np.ndarray:
    """Canvases ``(N, T, H, W, 3)`` in [0, 1]: each episode's strokes put one by one on white with ``method``."""
    strokes = unit_rgba(strokes)
    colours = brush_colours(actions, variant)
    canvas = tf.ones((*strokes.shape[:1], *strokes.shape[2:4], 3), tf.float32)
    canvases = []
    for t in range(strokes.shape[1]):
        canvas = composite(method, canvas, strokes[:, t], colours[:, t])
        canvases.append(canvas)
    return np.stack([np.asarray(c) for c in canvases], axis=1)


def blending_errors(composited, real) -> dict[str, float]:
    """How far composited canvases are from MyPaint's (both ``(N, T, H, W, 3)``, real may be uint8).

    ``mse``: over every step's canvas; ``final_mse``: the last step only; ``max_error``: the
    largest absolute difference of any channel of any pixel, in [0, 1].
    """
    real = unit_rgba(real)
    error = np.asarray(composited, np.float32) - real
    return {
        "mse": float(np.mean(np.square(error))),
        "final_mse": float(np.mean(np.square(error[:, -1]))),
        "max_error": float(np.max(np.abs(error))),
    }


def blending_figure(real_canvases, rows: Mapping[str, np.ndarray], title: str = "") -> Figure:
    """The seed's blending figure for one episode: MyPaint's canvases on top, then one row per compositing.

    ``real_canvases`` ``(T, H, W, 3)`` (uint8 or [0, 1]); ``rows`` maps a label to ``(T, H, W, 3)``.
    """
    real = unit_rgba(real_canvases)
    all_rows = {"MyPaint": real, **rows}
    steps = real.shape[0]
    figure = Figure(figsize=(steps * 0.8 + 2.2, len(all_rows) * 0.85 + 0.5), layout="constrained")
    axes = np.asarray(figure.subplots(len(all_rows), steps, squeeze=False))
    for row_axes, (label, canvases) in zip(axes, all_rows.items()):
        for ax, canvas in zip(row_axes, canvases):
            ax.imshow(np.clip(canvas, 0, 1), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        row_axes[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    for t, ax in enumerate(axes[0]):
        ax.set_title(f"t={t}", fontsize=8)
    if title:
        figure.suptitle(title, fontsize=9)
    return figure
