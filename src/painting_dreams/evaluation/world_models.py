"""How good are the world models: held-out stroke MSE, and the seed's figures.

The metric: the mean over pixels and channels of the squared error on [0, 1] RGB at
64x64, each stroke composited over white, over the drawable strokes of held-out episodes (every
stroke but an episode's first move, see :func:`~painting_dreams.world_model.stroke_data.drawable_mask`).
It is reported beside the same MSE of a blank (all-white) prediction, and their ratio.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import tensorflow as tf
from matplotlib.figure import Figure

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.world_model.compositors import premultiplied_over_white
from painting_dreams.world_model.stroke_renderers import Painter
from painting_dreams.world_model.stroke_data import drawable_mask, unit_rgba
from painting_dreams.world_model.vae import ConvVAE


def stroke_mse(predicted_rgba, real_rgba) -> np.ndarray:
    """Per-stroke MSE ``(...)`` of strokes ``(..., 64, 64, 4)`` composited over white."""
    error = premultiplied_over_white(unit_rgba(predicted_rgba)) - premultiplied_over_white(unit_rgba(real_rgba))
    return np.mean(np.square(error), axis=(-3, -2, -1))


def _mse_report(predict: Callable, strokes, mask: np.ndarray, batch_size: int) -> dict:
    """``predict(episode_slice) -> (b, T, 64, 64, 4)``; MSE over the strokes where ``mask``."""
    model_errors, blank_errors = [], []
    for begin in range(0, len(strokes), batch_size):
        episodes = slice(begin, begin + batch_size)
        real = strokes[episodes]
        model_errors.append(stroke_mse(np.asarray(predict(episodes)), real))
        blank_errors.append(stroke_mse(np.zeros(real.shape, np.float32), real))
    model_errors, blank_errors = np.concatenate(model_errors)[mask], np.concatenate(blank_errors)[mask]
    mse, blank = float(model_errors.mean()), float(blank_errors.mean())
    return {"mse": mse, "blank_mse": blank, "ratio": mse / blank if blank > 0 else float("nan"),
            "strokes": int(mask.sum())}


def evaluate_painter(painter: Painter, strokes, actions, starts, painted, variant: str,
                     batch_size: int = 32) -> dict:
    """Held-out MSE of a painter on ``(N, T, ...)`` stroke episodes.

    Returns ``{"mse", "blank_mse", "ratio", "strokes"}``; ``ratio`` is ``mse / blank_mse``
    (the project aims at <= 0.15: ``world_model_report.target_ratio`` in ``conf/base/parameters_blending.yml``).
    """
    actions, starts = np.asarray(actions, np.float32), np.asarray(starts, np.float32)
    paint = tf.function(painter.paint_strokes)
    mask = drawable_mask(actions, painted, variant)
    return _mse_report(lambda e: paint(actions[e], starts[e]), strokes, mask, batch_size)


def evaluate_vae(vae: ConvVAE, strokes, actions, painted, variant: str, batch_size: int = 32) -> dict:
    """The same report for the VAE's reconstructions: the best the VAE+RNN painter can do."""
    reconstruct = tf.function(vae.reconstruct)

    def predict(episodes):
        real = unit_rgba(strokes[episodes])
        return tf.reshape(reconstruct(real.reshape(-1, *real.shape[-3:])), real.shape)

    return _mse_report(predict, strokes, drawable_mask(actions, painted, variant), batch_size)


def _show_strokes(axes, strokes, label: str) -> None:
    for ax, rgba in zip(axes, strokes):
        ax.imshow(np.clip(premultiplied_over_white(unit_rgba(rgba)), 0, 1), interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)


def stroke_rows_figure(strokes, actions, starts, vae: ConvVAE | None = None,
                       painters: dict[str, Painter] | None = None, episodes: Sequence[int] = (0,)) -> Figure:
    """The seed's figure: per episode, rows of real strokes, VAE reconstructions and painters' predictions."""
    painters = painters or {}
    rows_per_episode = 1 + (vae is not None) + len(painters)
    steps = strokes.shape[1]
    figure = Figure(figsize=(steps * 0.8 + 1.5, len(episodes) * rows_per_episode * 0.85 + 0.3), layout="constrained")
    axes = np.asarray(figure.subplots(len(episodes) * rows_per_episode, steps, squeeze=False))
    for i, episode in enumerate(episodes):
        real = unit_rgba(strokes[episode])
        rows = {f"MyPaint\nepisode {episode}": real}
        if vae is not None:
            rows["VAE"] = vae.reconstruct(real).numpy()
        for name, painter in painters.items():
            one = slice(episode, episode + 1)
            rows[name] = np.asarray(painter.paint_strokes(actions[one], starts[one]))[0]
        for j, (label, row) in enumerate(rows.items()):
            _show_strokes(axes[i * rows_per_episode + j], row, label)
    for t, ax in enumerate(axes[0]):
        ax.set_title(f"t={t}", fontsize=8)
    return figure


def paint_single_strokes(painter: Painter, actions, starts) -> np.ndarray:
    """Strokes ``(V, 64, 64, 4)`` of actions ``(V, A)`` from ``starts`` ``(V, 2)``, each as an episode's second step.

    The first step moves the brush to the start (the env's first action never paints), so a
    recurrent painter knows where the stroke begins; the stroke model just uses ``starts``.
    """
    actions, starts = np.asarray(actions, np.float32), np.asarray(starts, np.float32)
    move = actions.copy()
    move[:, 0:2] = starts  # end point of the move = the stroke's start
    move[:, 2:4] = starts
    episode_actions = np.stack([move, actions], axis=1)
    episode_starts = np.stack([np.zeros_like(starts), starts], axis=1)
    return np.asarray(painter.paint_strokes(episode_actions, episode_starts))[:, 1]


def sweep_figure(render_real: Callable, painter: Painter, action, start, field: str, values: Sequence[float],
                 variant: str) -> Figure:
    """The seed's sweep: one action field from ``values[0]`` to ``values[-1]``, real env above, world model below."""
    layout = ActionLayout(variant)
    actions = np.repeat(np.asarray(action, np.float32)[None], len(values), axis=0)
    actions[:, layout.index(field)] = values
    starts = np.repeat(np.asarray(start, np.float32)[None], len(values), axis=0)
    real = np.stack([render_real(a, s) for a, s in zip(actions, starts)])
    dreamed = paint_single_strokes(painter, actions, starts)
    figure = Figure(figsize=(len(values) * 0.9 + 1.5, 2.3), layout="constrained")
    axes = np.asarray(figure.subplots(2, len(values), squeeze=False))
    _show_strokes(axes[0], real, "MyPaint")
    _show_strokes(axes[1], dreamed, "world\nmodel")
    for ax, value in zip(axes[0], values):
        ax.set_title(f"{field}={value:.2f}", fontsize=7)
    return figure
