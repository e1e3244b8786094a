"""Episode strips, as in the seed: one row per episode, its steps from left to right."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from painting_dreams.image_grid import tile

GAP = 2  # pixels of grey between tiles
GAP_GREY = 180


def episode_mosaic(canvases: np.ndarray) -> np.ndarray:
    """Tile ``(N, T, H, W, 3)`` uint8 canvases into one image, episodes as rows, steps as columns."""
    return tile(canvases, gap=GAP, colour=GAP_GREY, border=True)


def plot_episode_strips(canvases: np.ndarray, painted: np.ndarray | None = None, title: str = "") -> Figure:
    """Episode strips of ``(N, T, H, W, 3)`` canvases; steps where ``painted`` is false get a red x."""
    n, t, h, w, _ = canvases.shape
    fig = Figure(figsize=(0.75 * t + 0.6, 0.75 * n + 1.2), dpi=120, layout="constrained")
    ax = fig.subplots()
    ax.imshow(episode_mosaic(canvases), interpolation="nearest")
    ax.set_xticks([GAP + col * (w + GAP) + w / 2 for col in range(t)], [str(col + 1) for col in range(t)], fontsize=7)
    ax.set_yticks([GAP + row * (h + GAP) + h / 2 for row in range(n)], [str(row) for row in range(n)], fontsize=7)
    ax.set_xlabel("step", fontsize=8)
    ax.set_ylabel("episode", fontsize=8)
    ax.tick_params(length=0)
    if painted is not None and not np.all(painted):
        rows, cols = np.nonzero(~np.asarray(painted, bool))
        ax.scatter(GAP + cols * (w + GAP) + 6, GAP + rows * (h + GAP) + 6, marker="x", s=14, linewidths=1,
                   color="tab:red", label="paints nothing (first move or jump)")
        fig.legend(loc="outside lower center", fontsize=7, frameon=False)
    if title:
        ax.set_title(title, fontsize=9)
    return fig
