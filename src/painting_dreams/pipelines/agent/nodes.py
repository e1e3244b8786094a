"""Nodes of the ``agent`` pipeline: thin calls into :mod:`painting_dreams.agent`.

Every node takes the shared ``agent.defaults`` parameters and its run's block (e.g.
``runs.mnist_8``, completed by the inventory) and reads them as one :class:`~painting_dreams.agent.runs.AgentRun`.
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import painting_dreams.world_model.stroke_model  # noqa: F401  registers StrokeModel, so its .keras file loads
from painting_dreams.agent import DreamTrainer, build_critic, dream_mse
from painting_dreams.agent.cma_baseline import controller_mse, pooled_features, train_cma_controller
from painting_dreams.agent.plots import plot_mse_curve
from painting_dreams.agent.runs import AgentRun


def _images(targets: dict[str, np.ndarray], split: str, limit: int | None) -> np.ndarray:
    if split not in targets:
        raise ValueError(f"targets have no {split!r} split (found {sorted(targets)}): rerun the data_prep pipeline")
    return targets[split][:limit]


def train_agent(targets: dict[str, np.ndarray], stroke_model: keras.Model, defaults: dict,
                run_params: dict) -> tuple[keras.Model, pd.DataFrame]:
    """Train the policy in the dream; resumes from the last checkpoint in the run directory."""
    run = AgentRun.from_params(defaults, run_params)
    policy = run.untrained_policy()
    critic = build_critic(**run.params["critic"])
    train = _images(targets, "train", run.params["max_train_images"])
    trainer = DreamTrainer(policy, critic, run.dream_painter(stroke_model), train, run.training, run.run_dir,
                           name=run.name)
    return policy, trainer.run()


def plot_training_curve(history: pd.DataFrame, defaults: dict, run_params: dict) -> Figure:
    """MSE against training step, like the seed's TensorBoard plot."""
    return plot_mse_curve(history, f"{AgentRun.from_params(defaults, run_params).name}: dream MSE while training")


def train_cma_baseline(targets: dict[str, np.ndarray], stroke_model: keras.Model, defaults: dict,
                       run_params: dict) -> tuple[pd.DataFrame, float]:
    """The seed's first agent (CMA-ES on a one-hidden-layer controller); its history and test dream MSE."""
    run = AgentRun.from_params(defaults, run_params)
    cma = dict(run.params["cma_baseline"])
    cells = cma.pop("pooled_cells")
    features = lambda images: pooled_features(images, cells)  # noqa: E731
    painter = run.dream_painter(stroke_model)
    controller, weights, history = train_cma_controller(
        painter, _images(targets, "train", run.params["max_train_images"]), run.strokes,
        fixed_fields=run.fixed_fields, features=features, **cma)
    test = _images(targets, "test", run.params["max_test_images"])
    return history, controller_mse(controller, weights, painter, test, run.strokes, features)


def score_agents(policy: keras.Model, history: pd.DataFrame, cma_test_mse: float, targets: dict[str, np.ndarray],
                 stroke_model: keras.Model, defaults: dict, run_params: dict) -> pd.DataFrame:
    """Test-set dream MSE of the trained agent beside the CMA-ES baseline, an untrained agent and a blank canvas."""
    run = AgentRun.from_params(defaults, run_params)
    config = run.training
    cma = run.params["cma_baseline"]
    painter = run.dream_painter(stroke_model)
    test = _images(targets, "test", run.params["max_test_images"])
    untrained = run.untrained_policy()  # the very policy training started from
    weights = (("WGAN-GP", config.adversarial_weight), ("L2", config.l2_weight))
    losses = " + ".join(name for name, weight in weights if weight)
    rows = [
        ("blank canvas", float(np.mean(np.square(1.0 - test))), ""),
        ("untrained policy", dream_mse(untrained, painter, test, run.strokes), ""),
        ("CMA-ES controller (seed's first agent)", float(cma_test_mse),
         f"{cma['generations']} generations x {cma['population']} controllers on {cma['fitness_targets']} targets"),
        (f"backprop policy ({losses})", dream_mse(policy, painter, test, run.strokes),
         f"{len(history)} steps x batch {config.batch_size}"),
    ]
    table = pd.DataFrame(rows, columns=["agent", "test_dream_mse", "training_budget"])
    return table.assign(strokes=run.strokes, test_images=len(test))
