"""Nodes of the ``evaluation`` pipeline: thin calls into :mod:`painting_dreams.evaluation`.

The nodes that need the agent run take ``agent.defaults`` and the run's block, read as one
:class:`~painting_dreams.agent.runs.AgentRun` (its dataset, stroke count, dream painter...).
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import painting_dreams.world_model.stroke_model  # noqa: F401  registers StrokeModel, so its .keras file loads
from painting_dreams.agent.runs import AgentRun
from painting_dreams.evaluation import (
    SEED_RESULTS,
    exploitation_figure,
    stroke_by_stroke_frames,
    summarise_transfer,
    transfer_grid,
)
from painting_dreams.evaluation.figures import refinement_curve
from painting_dreams.evaluation.modes import evaluate_modes, settings_for
from painting_dreams.evaluation.paint_and_score import paint_and_score
from painting_dreams.image_grid import to_uint8
from painting_dreams.paint.replay import replay_in_mypaint
from painting_dreams.refine import dream_paint


def paint_and_score_test_images(policy: keras.Model, stroke_model: keras.Model, targets: dict[str, np.ndarray],
                                defaults: dict, run_params: dict, evaluation: dict[str, Any]
                                ) -> tuple[np.ndarray, pd.DataFrame, np.ndarray, np.ndarray]:
    """The trained agent paints the first test images in the dream, real MyPaint replays its actions, each
    image is scored (as the ``evaluate`` command does): actions, scores, final dream and real paintings (uint8)."""
    run = AgentRun.from_params(defaults, run_params)
    test = targets["test"][: evaluation["max_test_images"]]
    scored = paint_and_score(policy, run.dream_painter(stroke_model), test, run.strokes,
                             fixed_fields=run.fixed_fields, batch_size=evaluation["batch_size"],
                             exploit_threshold=evaluation["exploit_threshold"])
    return scored.actions, scored.scores, to_uint8(scored.dream), scored.real


def summarise_run(scores: pd.DataFrame, defaults: dict, run_params: dict) -> pd.DataFrame:
    """One results row for this dataset x stroke count x agent, beside the seed's figure, naming the run's
    world and brush."""
    run = AgentRun.from_params(defaults, run_params)
    row = summarise_transfer(scores, run.dataset, run.strokes, agent="spiral_backprop")
    row["world"], row["brush"] = run.world, run.brush
    return row


def plot_transfer_grid(targets: dict[str, np.ndarray], dream_images: np.ndarray, real_images: np.ndarray,
                       scores: pd.DataFrame, defaults: dict, run_params: dict, evaluation: dict[str, Any]) -> Figure:
    """Target | dream | real MyPaint for the first test images."""
    name = AgentRun.from_params(defaults, run_params).name
    test = targets["test"][: len(dream_images)]
    return transfer_grid(test, dream_images / 255.0, real_images / 255.0, scores, evaluation["grid_images"],
                         f"{name}: target | dream | real")


def animate_strokes(targets: dict[str, np.ndarray], actions: np.ndarray, stroke_model: keras.Model, defaults: dict,
                    run_params: dict, evaluation: dict[str, Any]) -> list[np.ndarray]:
    """GIF frames of the first test paintings stroke by stroke: target | dream | real (both painted again, every stroke)."""
    run = AgentRun.from_params(defaults, run_params)
    count = evaluation["gif_images"]
    dream_steps = dream_paint(run.dream_painter(stroke_model), actions[:count], every_stroke=True)
    real_steps = replay_in_mypaint(actions[:count], run.variant, run.brush, progress=False)
    return stroke_by_stroke_frames(targets["test"][:count], dream_steps, real_steps / 255.0, count,
                                   scale=evaluation["gif_scale"])


def plot_exploitation(targets: dict[str, np.ndarray], dream_images: np.ndarray, real_images: np.ndarray,
                      scores: pd.DataFrame, evaluation: dict[str, Any]) -> Figure:
    """The images where the agent exploited the world model (good dream, bad real painting)."""
    test = targets["test"][: len(dream_images)]
    return exploitation_figure(test, dream_images / 255.0, real_images / 255.0, scores,
                               evaluation["exploit_examples"], evaluation["exploit_threshold"])


def collect_results(*tables: pd.DataFrame) -> pd.DataFrame:
    """All runs' rows in one table (their summaries, or their painting modes)."""
    return pd.concat(tables, ignore_index=True)


def compare_modes(policy: keras.Model, stroke_model: keras.Model, targets: dict[str, np.ndarray], defaults: dict,
                  run_params: dict, evaluation: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, Figure]:
    """The run's test images painted in every mode (open loop, closed loop, + K refinement steps, from
    scratch): the modes table, real MSE per image and mode, and the MSE-against-K figure."""
    run = AgentRun.from_params(defaults, run_params)
    table, per_image = evaluate_modes(policy, run.dream_painter(stroke_model), targets["test"], run.strokes,
                                      run.fixed_fields, settings_for(evaluation["modes"], run.name),
                                      evaluation["exploit_threshold"])
    seed = SEED_RESULTS.get((run.dataset, run.strokes))
    table.insert(0, "run", run.name)
    table["seed_mse_dream"] = seed
    figure = refinement_curve(table, seed, f"{run.name}: {table['images'].iloc[0]} test images")
    return table, per_image, figure
