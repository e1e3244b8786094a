"""Pictures of the transfer: target | dream | real, stroke by stroke, and the exploited cases."""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd

from painting_dreams.image_grid import tile, to_uint8, upscale

GAP = 2  # white pixels between panels


def transfer_grid(targets: np.ndarray, dream: np.ndarray, real: np.ndarray, scores: pd.DataFrame,
                  images: int, title: str, agent_real: np.ndarray | None = None) -> plt.Figure:
    """A figure of ``images`` rows: target | dream | real MyPaint, with each row's MSEs. With ``agent_real``
    (the agent's own strokes painted by MyPaint, before refinement) a column for it comes after the target."""
    count = min(images, len(targets))
    panels = [(targets, "target")] + ([(agent_real, "agent, real")] if agent_real is not None else [])
    panels += [(dream, "refined, dream" if agent_real is not None else "dream"),
               (real, "refined, real" if agent_real is not None else "real MyPaint")]
    fig, axes = plt.subplots(count, len(panels), figsize=(1.4 * len(panels), 1.45 * count + 0.6), squeeze=False)
    for i in range(count):
        for j, (panel, name) in enumerate(panels):
            ax = axes[i, j]
            ax.imshow(to_uint8(panel[i]), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(name, fontsize=9)
        row = scores.iloc[i]
        label = f"real {row.mse_target_real:.4f}\ndream {row.mse_target_dream:.4f}"
        if agent_real is not None:
            label = f"agent {np.mean(np.square(agent_real[i] - targets[i])):.4f}\n" + label
        axes[i, -1].set_ylabel(label, fontsize=7, rotation=0, ha="left", va="center", labelpad=0)
        axes[i, -1].yaxis.set_label_position("right")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def stroke_by_stroke_frames(targets: np.ndarray, dream_steps: np.ndarray, real_steps: np.ndarray,
                            images: int, scale: int = 2, hold_frames: int = 3) -> list[np.ndarray]:
    """GIF frames: for each stroke, rows of target | dream so far | real so far (``uint8``).

    ``dream_steps`` and ``real_steps`` are ``(N, S, H, W, 3)``; the last frame is held
    ``hold_frames`` times so the finished painting is seen.
    """
    count = min(images, len(targets))
    strokes = dream_steps.shape[1]
    blank = np.ones_like(targets[0])
    frames = []
    for s in range(-1, strokes):
        rows = [[to_uint8(p) for p in (targets[i], blank if s < 0 else dream_steps[i, s],
                                       blank if s < 0 else real_steps[i, s])] for i in range(count)]
        frames.append(upscale(tile(rows, gap=GAP), scale))  # the gaps scale with the panels
    frames += [frames[-1]] * hold_frames
    return frames


def exploitation_figure(targets: np.ndarray, dream: np.ndarray, real: np.ndarray, scores: pd.DataFrame,
                        examples: int, threshold: float) -> plt.Figure:
    """The images where the dream is good and the real painting is not (worst first), or a note that none are."""
    flagged = scores[scores["exploited"]].sort_values("mse_dream_real", ascending=False).head(examples)
    if flagged.empty:
        fig, ax = plt.subplots(figsize=(4.5, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, f"no image exploits the world model\n(dream-vs-real MSE > {threshold:g} and dream closer)",
                ha="center", va="center", fontsize=9)
        return fig
    index = flagged["image"].to_numpy()
    return transfer_grid(targets[index], dream[index], real[index], flagged.reset_index(drop=True), len(index),
                         f"{int(scores['exploited'].sum())} of {len(scores)} images exploit the world model "
                         f"(dream-vs-real MSE > {threshold:g})")


def refinement_curve(modes: pd.DataFrame, seed_mse: float | None, title: str) -> plt.Figure:
    """Real and dream MSE against refinement steps K (K = 0 is the agent alone, open loop), with the
    other modes and the seed's figure as horizontal lines."""
    fig, ax = plt.subplots(figsize=(6, 4))
    open_loop = modes[modes["mode"] == "open_loop"].iloc[0]
    refined = modes[modes["mode"] == "refine"].sort_values("refine_steps")
    ks = [0, *refined["refine_steps"]]
    ax.plot(ks, [open_loop["mse_real_mean"], *refined["mse_real_mean"]], "o-", label="agent + K steps, real MyPaint")
    ax.plot(ks, [open_loop["mse_dream_mean"], *refined["mse_dream_mean"]], "o--", label="agent + K steps, dream")
    dream_only = modes[modes["mode"] == "refine_dream_only"].sort_values("refine_steps")
    if len(dream_only):
        ax.plot([0, *dream_only["refine_steps"]], [open_loop["mse_real_mean"], *dream_only["mse_real_mean"]], "s-.",
                color="tab:gray", label="agent + K steps in the dream only, real MyPaint")
    others = modes[~modes["mode"].isin(["open_loop", "refine", "refine_dream_only"])]
    colours = plt.get_cmap("tab10").colors[2:]
    for i, (_, row) in enumerate(others.iterrows()):
        label = row["mode"].replace("_", " ") + (f" ({row['refine_steps']} steps)" if row["refine_steps"] else "")
        ax.axhline(row["mse_real_mean"], color=colours[i % len(colours)], linestyle=":", label=f"{label}, real")
    if seed_mse is not None:
        ax.axhline(seed_mse, color="black", linewidth=1, label=f"seed (dream) {seed_mse:g}")
    ax.set_xscale("symlog", linthresh=max(1, min(ks[1:], default=1)))  # K = 0 and the Ks spread evenly
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    ax.set_xlabel("refinement steps K (per image, in the dream)")
    ax.set_ylabel("MSE to the target")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
