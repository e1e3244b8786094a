"""Painting modes compared on the same test images, in real MyPaint.

* ``open_loop``: the agent paints in the dream; MyPaint replays its actions (the seed's way).
* ``closed_loop``: the agent paints in MyPaint, seeing MyPaint's canvas before each of its steps.
* ``refine``: the agent's open-loop actions refined for K steps in the dream with real MyPaint in
  the loop (:func:`~painting_dreams.refine.refine_in_mypaint`: every ``refine_check_every`` steps
  MyPaint paints the refined strokes, each image keeps its best real painting, start included, and
  the next round corrects the dream by MyPaint's difference), one row per K.
* ``<mode>_dream_only`` (for the modes listed in ``dream_only_rows``): the same K steps purely in the
  dream, then the better of start and refined in real MyPaint: the rule without MyPaint in the loop,
  for comparison.
* ``scratch_random`` / ``scratch_grid``: no agent, the per-image optimisation of Stylized Neural
  Painting's kind, from uniform random strokes or a coarse grid coloured by the target (``color``
  variant only), with MyPaint in the loop as ``refine`` (and ``..._dream_only`` rows likewise).

Every row has real, dream and dream-vs-real MSE, the exploited count, how often the refined strokes
won, and the wall seconds per image of the whole mode (agent, optimisation and real replays).
"""

from __future__ import annotations

import logging
import time

import keras
import numpy as np
import pandas as pd

from painting_dreams.agent.dream_painter import DreamPainter
from painting_dreams.agent.inference import check_targets
from painting_dreams.agent.policy import fixed_field_arrays
from painting_dreams.evaluation.paint_and_score import paint_and_score
from painting_dreams.evaluation.scores import score_transfer
from painting_dreams.refine import dream_paint, grid_start, keep_better, random_start, refine, refine_in_mypaint

log = logging.getLogger(__name__)

SETTINGS = ("images", "refine_steps", "refine_learning_rate", "refine_check_every", "dream_only_rows", "scratch_steps",
            "scratch_learning_rate", "batch_size", "closed_loop", "scratch")


def _row(mode: str, steps: int, scores: pd.DataFrame, seconds: float, refined_wins: int | None) -> dict:
    return {"mode": mode, "refine_steps": steps, "images": len(scores),
            "mse_real_mean": scores["mse_target_real"].mean(), "mse_real_std": scores["mse_target_real"].std(ddof=0),
            "mse_real_median": scores["mse_target_real"].median(), "mse_dream_mean": scores["mse_target_dream"].mean(),
            "mse_dream_real_mean": scores["mse_dream_real"].mean(), "exploited": int(scores["exploited"].sum()),
            "refined_wins": refined_wins, "seconds_per_image": seconds / len(scores)}


def settings_for(settings: dict, run: str) -> dict:
    """The ``evaluation.modes`` block with ``runs.<run>``'s overrides applied (e.g. fewer images for 50 strokes)."""
    overrides = dict(settings.get("runs") or {}).get(run) or {}
    return {**{k: v for k, v in settings.items() if k != "runs"}, **overrides}


def check_settings(settings: dict) -> dict:
    """The ``evaluation.modes`` block, its keys and values checked."""
    unknown = sorted(set(settings) - set(SETTINGS))
    missing = sorted(set(SETTINGS) - set(settings))
    if unknown or missing:
        raise ValueError(f"evaluation.modes has unknown keys {unknown} and lacks {missing}: its keys are {', '.join(SETTINGS)}")
    steps = [int(k) for k in settings["refine_steps"]]
    if not steps or min(steps) < 1:
        raise ValueError(f"evaluation.modes.refine_steps is {settings['refine_steps']}: list step counts >= 1, e.g. [25, 100]")
    rates = settings["refine_learning_rate"]
    if not isinstance(rates, dict) or not all(float(rates.get(v, 0)) > 0 for v in ("mnist", "color")):
        raise ValueError(f"evaluation.modes.refine_learning_rate is {rates!r}: give one rate > 0 per variant, "
                         "e.g. {mnist: 0.01, color: 0.03}")
    if int(settings["refine_check_every"]) < 1:
        raise ValueError(f"evaluation.modes.refine_check_every is {settings['refine_check_every']}: real MyPaint "
                         "checks the refined strokes every K >= 1 steps (e.g. 25)")
    unknown_rows = sorted(set(settings["dream_only_rows"]) - {"refine", "scratch_random", "scratch_grid"})
    if unknown_rows:
        raise ValueError(f"evaluation.modes.dream_only_rows has {unknown_rows}: list any of refine, scratch_random, "
                         "scratch_grid (or [] for none)")
    unknown_starts = sorted(set(settings["scratch"]) - {"random", "grid"})
    if unknown_starts:
        raise ValueError(f"evaluation.modes.scratch has {unknown_starts}: list any of random, grid (or [] for none)")
    return {**settings, "refine_steps": sorted(set(steps))}


def evaluate_modes(policy: keras.Model, painter: DreamPainter, targets, strokes: int, fixed_fields: dict | None,
                   settings: dict, exploit_threshold: float, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Paint the first ``settings['images']`` targets in every mode; ``(modes table, real MSE per image and mode)``."""
    settings = check_settings(settings)
    images = check_targets(targets)[: settings["images"]]
    variant, batch = painter.layout.variant, settings["batch_size"]
    rows, per_image = [], {}

    def score(actions: np.ndarray, real: np.ndarray) -> pd.DataFrame:
        return score_transfer(images, dream_paint(painter, actions, batch), real / 255.0, exploit_threshold)

    open_loop = paint_and_score(policy, painter, images, strokes, batch_size=batch, exploit_threshold=exploit_threshold,
                                progress=progress)
    start, agent_seconds = open_loop.actions, open_loop.seconds  # the agent alone, the start of every refinement
    rows.append(_row("open_loop", 0, open_loop.scores, open_loop.seconds, None))
    per_image["open_loop"] = open_loop.scores["mse_target_real"].to_numpy()

    if settings["closed_loop"]:
        closed = paint_and_score(policy, painter, images, strokes, closed_loop=True, batch_size=batch,
                                 exploit_threshold=exploit_threshold, progress=progress)
        rows.append(_row("closed_loop", 0, closed.scores, closed.seconds, None))
        per_image["closed_loop"] = closed.scores["mse_target_real"].to_numpy()

    def refined_rows(mode: str, begin: np.ndarray, steps: list[int], learning_rate: float, before: float):
        result = refine_in_mypaint(painter, images, begin, steps=max(steps), learning_rate=learning_rate,
                                   check_every=int(settings["refine_check_every"]), batch_size=batch,
                                   fixed_fields=fixed_fields, snapshots=steps, progress=progress)
        for k in steps:
            taken = result.snapshots[k]
            if not (taken.real_mse <= taken.start_mse).all():
                raise AssertionError("refine_in_mypaint kept a real painting worse than its start")  # its contract
            scores = score(taken.actions, taken.real)
            rows.append(_row(mode, k, scores, before + taken.seconds, int(taken.refined.sum())))
            per_image[f"{mode}_{k}"] = scores["mse_target_real"].to_numpy()
        if mode not in settings["dream_only_rows"]:
            return
        dream_only = refine(painter, images, begin, steps=max(steps), learning_rate=learning_rate, batch_size=batch,
                            fixed_fields=fixed_fields, snapshots=steps, progress=progress)
        for k in steps:
            t0 = time.perf_counter()
            kept = keep_better(images, [begin, dream_only.snapshots[k]], variant, painter.real_brush(), progress=False)
            replays = time.perf_counter() - t0
            scores = score(kept.actions, kept.real)
            rows.append(_row(f"{mode}_dream_only", k, scores, before + dream_only.snapshot_seconds[k] + replays,
                             int((kept.winner == 1).sum())))
            per_image[f"{mode}_dream_only_{k}"] = scores["mse_target_real"].to_numpy()

    rate = float(settings["refine_learning_rate"][variant])
    refined_rows("refine", start, settings["refine_steps"], rate, agent_seconds)
    for kind in settings["scratch"]:
        if kind == "grid" and variant != "color":
            log.info("No grid start for the %r variant (its strokes are black): skipped", variant)
            continue
        begin = random_start(len(images), strokes, variant) if kind == "random" else grid_start(images, strokes)
        mask, values = fixed_field_arrays(painter.layout, fixed_fields)  # e.g. mnist's jump, as the agent holds it
        begin = begin * (1.0 - mask) + mask * values
        refined_rows(f"scratch_{kind}", begin, [int(settings["scratch_steps"])], settings["scratch_learning_rate"], 0.0)
    return pd.DataFrame(rows), pd.DataFrame(per_image)

