"""Paint images with an agent in one mode and score the real paintings: the one way every score is made.

The ``evaluate`` command, the evaluation pipeline's per-run scores and the paint command all come
through :func:`paint_and_score`:

1. the agent paints each image: in the dream (open loop, the seed's way) or, with ``closed_loop``,
   in real MyPaint seeing MyPaint's canvas before each of its steps;
2. with ``refine_steps`` K > 0 its strokes are refined for K steps in the dream with real MyPaint in
   the loop (:func:`~painting_dreams.refine.refine_in_mypaint`): every ``check_every`` steps MyPaint
   paints the refined strokes and each image keeps its best real painting, the agent's own included
   (never worse than the agent's), and the dream is corrected by MyPaint's difference;
3. real MyPaint paints the strokes kept, the dream paints them too, and each image is scored:
   MSE(target, real), MSE(target, dream), MSE(dream, real) and the exploitation flag.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from painting_dreams.agent.inference import check_start, check_targets, paint_targets
from painting_dreams.paint.replay import paint_over
from painting_dreams.evaluation.scores import score_transfer

# Adam's step on the normalised actions from an agent's start, per variant, and how often real MyPaint checks
# the refined strokes: chosen on training images (README, "Painting modes").
REFINE_LEARNING_RATES = {"mnist": 0.01, "color": 0.03}
CHECK_EVERY = 25


@dataclass(frozen=True)
class Scored:
    """What :func:`paint_and_score` returns."""

    actions: np.ndarray     # (N, S, A) the strokes painted, absolute layout, normalised
    dream: np.ndarray       # (N, 64, 64, 3) float32: the world model's painting of ``actions``
    real: np.ndarray        # (N, 64, 64, 3) uint8: real MyPaint's painting of ``actions``
    agent_real: np.ndarray  # (N, 64, 64, 3) uint8: real MyPaint's painting of the agent's own strokes (= real unrefined)
    scores: pd.DataFrame    # one row per image (see score_transfer), plus ``refined`` (the refined strokes won)
    seconds: float          # wall seconds of all of it
    dream_steps: np.ndarray | None = None  # (N, S, 64, 64, 3) the dream after every stroke, if asked for

    def summary(self) -> dict:
        """Mean real, dream and dream-vs-real MSE, the exploited and refined counts."""
        return {"images": len(self.scores),
                "mse_real_mean": float(self.scores["mse_target_real"].mean()),
                "mse_real_std": float(self.scores["mse_target_real"].std(ddof=0)),
                "mse_dream_mean": float(self.scores["mse_target_dream"].mean()),
                "mse_dream_real_mean": float(self.scores["mse_dream_real"].mean()),
                "exploited": int(self.scores["exploited"].sum()),
                "refined_wins": int(self.scores["refined"].sum())}


def paint_and_score(policy, painter, targets, strokes: int, *, refine_steps: int = 0, closed_loop: bool = False,
                    learning_rate: float | None = None, check_every: int = CHECK_EVERY, fixed_fields: dict | None = None,
                    batch_size: int = 64, exploit_threshold: float = 0.02, every_stroke: bool = False,
                    progress: bool = True, start=None) -> Scored:
    """Paint ``targets`` ``(N, 64, 64, 3)`` with ``strokes`` strokes of the agent (``policy`` painting with the
    dream ``painter``) in the mode asked for, replay them in real MyPaint and score every image. With
    ``every_stroke`` the dream's canvas after every stroke is kept too (one dream painting, not two). With
    ``start`` ``(N, 64, 64, 3)`` (real MyPaint's canvas of a painting under way) the agent goes on with that
    painting: it sees the canvas, and the dream and MyPaint paint its strokes over it (not with ``closed_loop``)."""
    from painting_dreams.refine import dream_paint, refine_in_mypaint  # refine imports this package

    images = check_targets(targets)
    start = check_start(start, images)
    if start is not None and closed_loop:
        raise ValueError("closed_loop paints on white: it cannot go on with a start canvas")
    if refine_steps < 0:
        raise ValueError(f"refine_steps is {refine_steps}: give 0 (no refinement) or more steps")
    variant, brush = painter.layout.variant, painter.real_brush()
    started = time.perf_counter()
    if closed_loop:
        from painting_dreams.closed_loop import paint_closed_loop

        painted = paint_closed_loop(policy, images, strokes, variant, brush, batch_size=batch_size, progress=progress)
        actions, real = painted.actions, painted.real[:, -1]
    else:
        actions = paint_targets(policy, painter, images, strokes, batch_size=batch_size, every_stroke=False,
                                start=start)[0]
        real = paint_over(start, actions, variant, brush, progress=progress)
    agent_real, refined = real, np.zeros(len(images), bool)
    if refine_steps > 0:
        kept = refine_in_mypaint(painter, images, actions, steps=refine_steps,
                                 learning_rate=learning_rate or REFINE_LEARNING_RATES[variant], check_every=check_every,
                                 batch_size=batch_size, fixed_fields=fixed_fields, progress=progress, start=start)
        actions, real, refined = kept.actions, kept.real, kept.refined
    dream_steps = dream_paint(painter, actions, batch_size, every_stroke=True, start=start) if every_stroke else None
    dream = dream_steps[:, -1] if every_stroke else dream_paint(painter, actions, batch_size, start=start)
    scores = score_transfer(images, dream, real / 255.0, exploit_threshold)
    scores["refined"] = refined
    return Scored(actions, dream, real, agent_real, scores, time.perf_counter() - started, dream_steps)
