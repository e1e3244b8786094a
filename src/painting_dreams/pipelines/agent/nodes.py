"""Nodes of the ``agent`` pipeline: thin calls into :mod:`painting_dreams.agent`.

Every node takes the shared ``agent.defaults`` parameters and its run's block (e.g.
``agent.runs.mnist_8``); the run's keys override the defaults, one level deep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import painting_dreams.world_model.stroke_model  # noqa: F401  registers StrokeModel, so its .keras file loads
from painting_dreams.agent import DreamTrainer, TrainingConfig, build_critic, build_policy, dream_mse
from painting_dreams.agent.cma_baseline import controller_mse, pooled_features, train_cma_controller
from painting_dreams.agent.dream_painter import DreamPainter, stroke_model_painter
from painting_dreams.agent.plots import plot_mse_curve


def run_parameters(defaults: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    """The run's parameters over the defaults, then its recipe's over both; nested blocks (``training``,
    ``policy``…) merge key by key.

    ``defaults["recipes"]`` holds named sets of overrides (e.g. ``seed``, the seed's method); the
    run's ``recipe`` key (or the defaults' ``recipe``) picks one, ``null`` keeps the defaults. A
    recipe's settings win over the run's, so ``recipe: seed`` is the seed's method in every run.
    """
    own = {"variant", "run_dir"}
    settings = set(defaults) - {"recipes"}  # what a run or a recipe may set
    unknown = sorted(set(run) - settings - own)
    if unknown:
        known = sorted(settings | own)
        raise ValueError(f"unknown agent parameters {unknown}: known ones are {known}")
    missing = sorted(own - set(run))
    if missing:
        raise ValueError(f"the agent run's parameters lack {missing}: every run names its variant and run_dir")
    recipes = defaults.get("recipes") or {}
    recipe = run.get("recipe", defaults.get("recipe"))
    if recipe is not None and recipe not in recipes:
        raise ValueError(f"unknown agent recipe {recipe!r}: choose one of {sorted(recipes)} (agent.defaults.recipes) "
                         "or null for the defaults")
    overrides = recipes.get(recipe) or {}
    unknown = sorted(set(overrides) - settings - own)
    if unknown:
        raise ValueError(f"recipe {recipe!r} sets unknown agent parameters {unknown}")
    merged = {key: value for key, value in defaults.items() if key != "recipes"}
    return merge_parameters(merge_parameters(merged, run), overrides)


def merge_parameters(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``overrides`` over ``base``; a block that is a dict in both (``training``, ``policy``…) merges key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        nested = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = {**base[key], **value} if nested else value
    return merged


def dream_painter(stroke_model: keras.Model, params: dict) -> DreamPainter:
    """The run's dream painter: the stroke model, the run's compositor and its handling of two-valued
    action fields (also used by ``evaluation``)."""
    return stroke_model_painter(stroke_model, params["variant"], params["compositor"],
                                params.get("discrete_actions", "straight_through"))


def _images(targets: dict[str, np.ndarray], split: str, limit: int | None) -> np.ndarray:
    if split not in targets:
        raise ValueError(f"targets have no {split!r} split (found {sorted(targets)}): rerun the data_prep pipeline")
    return targets[split][:limit]


def train_agent(targets: dict[str, np.ndarray], stroke_model: keras.Model, defaults: dict,
                run: dict) -> tuple[keras.Model, pd.DataFrame]:
    """Train the policy in the dream; resumes from the last checkpoint in the run directory."""
    params = run_parameters(defaults, run)
    config = TrainingConfig.from_params(params["training"])
    keras.utils.set_random_seed(config.seed)
    policy = build_policy(params["variant"], params["fixed_fields"], **params["policy"])
    critic = build_critic(**params["critic"])
    train = _images(targets, "train", params["max_train_images"])
    trainer = DreamTrainer(policy, critic, dream_painter(stroke_model, params), train, config, params["run_dir"],
                           name=Path(params["run_dir"]).name)
    return policy, trainer.run()


def plot_training_curve(history: pd.DataFrame, defaults: dict, run: dict) -> Figure:
    """MSE against training step, like the seed's TensorBoard plot."""
    params = run_parameters(defaults, run)
    return plot_mse_curve(history, f"{Path(params['run_dir']).name}: dream MSE while training")


def train_cma_baseline(targets: dict[str, np.ndarray], stroke_model: keras.Model, defaults: dict,
                       run: dict) -> tuple[pd.DataFrame, float]:
    """The seed's first agent (CMA-ES on a one-hidden-layer controller); its history and test dream MSE."""
    params = run_parameters(defaults, run)
    cma = dict(params["cma_baseline"])
    strokes = TrainingConfig.from_params(params["training"]).strokes
    cells = cma.pop("pooled_cells")
    features = lambda images: pooled_features(images, cells)  # noqa: E731
    painter = dream_painter(stroke_model, params)
    controller, weights, history = train_cma_controller(
        painter, _images(targets, "train", params["max_train_images"]), strokes,
        fixed_fields=params["fixed_fields"], features=features, **cma)
    test = _images(targets, "test", params["max_test_images"])
    return history, controller_mse(controller, weights, painter, test, strokes, features)


def score_agents(policy: keras.Model, history: pd.DataFrame, cma_test_mse: float, targets: dict[str, np.ndarray],
                 stroke_model: keras.Model, defaults: dict, run: dict) -> pd.DataFrame:
    """Test-set dream MSE of the trained agent beside the CMA-ES baseline, an untrained agent and a blank canvas."""
    params = run_parameters(defaults, run)
    config = TrainingConfig.from_params(params["training"])
    cma = params["cma_baseline"]
    painter = dream_painter(stroke_model, params)
    test = _images(targets, "test", params["max_test_images"])
    keras.utils.set_random_seed(config.seed)  # the very policy training started from
    untrained = build_policy(params["variant"], params["fixed_fields"], **params["policy"])
    weights = (("WGAN-GP", config.adversarial_weight), ("L2", config.l2_weight))
    losses = " + ".join(name for name, weight in weights if weight)
    rows = [
        ("blank canvas", float(np.mean(np.square(1.0 - test))), ""),
        ("untrained policy", dream_mse(untrained, painter, test, config.strokes), ""),
        ("CMA-ES controller (seed's first agent)", float(cma_test_mse),
         f"{cma['generations']} generations x {cma['population']} controllers on {cma['fitness_targets']} targets"),
        (f"backprop policy ({losses})", dream_mse(policy, painter, test, config.strokes),
         f"{len(history)} steps x batch {config.batch_size}"),
    ]
    table = pd.DataFrame(rows, columns=["agent", "test_dream_mse", "training_budget"])
    return table.assign(strokes=config.strokes, test_images=len(test))
