"""The seed's first agent, kept as a baseline: a one-hidden-layer controller trained with CMA-ES.

As in World Models, a tiny controller acts on features of the world: here the target and the
current canvas, each average-pooled to ``cells`` x ``cells`` RGB (any frozen encoder can be
passed instead, e.g. a VAE trained on canvases), the previous action and the stroke's position
in the episode. It emits one whole action per stroke; its weights are searched by CMA-ES
(separable, so thousands of weights stay cheap) with the dream MSE after the last stroke as the
fitness. The seed found this agent too small to learn to paint; this module measures how far it
gets on the same targets and budget scale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import cma
import numpy as np
import pandas as pd
import tensorflow as tf

from painting_dreams.agent.dream_painter import DreamPainter
from painting_dreams.agent.inference import check_targets
from painting_dreams.agent.policy import fixed_field_arrays

logger = logging.getLogger(__name__)

FeatureFn = Callable[[np.ndarray], np.ndarray]


def pooled_features(images: np.ndarray, cells: int = 8) -> np.ndarray:
    """``(N, 64, 64, 3)`` -> ``(N, cells * cells * 3)``: block means, centred on 0."""
    n, size = len(images), images.shape[1]
    if size % cells:
        raise ValueError(f"cells is {cells}: it must divide the image size {size}")
    block = size // cells
    pooled = images.reshape(n, cells, block, cells, block, 3).mean(axis=(2, 4))
    return pooled.reshape(n, -1) - 0.5


@dataclass(frozen=True)
class Controller:
    """``tanh`` hidden layer, ``sigmoid`` output; the weights live in one flat vector for CMA-ES."""

    inputs: int
    hidden: int
    outputs: int
    fixed_mask: np.ndarray
    fixed_values: np.ndarray

    @property
    def size(self) -> int:
        return (self.inputs + 1) * self.hidden + (self.hidden + 1) * self.outputs

    def act(self, params: np.ndarray, features: np.ndarray) -> np.ndarray:
        """``params`` ``(P, size)``, ``features`` ``(P, K, inputs)`` -> actions ``(P, K, outputs)``."""
        i, h, o = self.inputs, self.hidden, self.outputs
        w1 = params[:, : i * h].reshape(-1, i, h)
        b1 = params[:, i * h: (i + 1) * h]
        w2 = params[:, (i + 1) * h: (i + 1) * h + h * o].reshape(-1, h, o)
        b2 = params[:, (i + 1) * h + h * o:]
        hidden = np.tanh(np.einsum("pki,pih->pkh", features, w1) + b1[:, None])
        actions = 1.0 / (1.0 + np.exp(-(np.einsum("pkh,pho->pko", hidden, w2) + b2[:, None])))
        return (actions * (1.0 - self.fixed_mask) + self.fixed_mask * self.fixed_values).astype(np.float32)


def build_controller(painter: DreamPainter, hidden: int = 16, fixed_fields: dict[str, float] | None = None,
                     features: FeatureFn = pooled_features) -> Controller:
    feature_size = features(np.ones((1, 64, 64, 3), np.float32)).shape[-1]
    mask, values = fixed_field_arrays(painter.layout, fixed_fields)
    return Controller(2 * feature_size + painter.layout.size + 1, int(hidden), painter.layout.size, mask, values)


def paint_with_controller(controller: Controller, params: np.ndarray, painter: DreamPainter, targets: np.ndarray,
                          strokes: int, features: FeatureFn = pooled_features, paint=None) -> np.ndarray:
    """Final dream canvases ``(P, K, 64, 64, 3)`` of ``P`` controllers painting the same ``K`` targets."""
    params = np.atleast_2d(params)
    population, count = len(params), len(targets)
    paint = paint or tf.function(painter.paint, reduce_retracing=True)
    target_features = features(targets)
    target_features = np.broadcast_to(target_features[None], (population, *target_features.shape))
    canvas = np.ones((population * count, 64, 64, 3), np.float32)
    action = np.zeros((population, count, controller.outputs), np.float32)
    state = painter.initial_state(population * count)
    for t in range(strokes):
        canvas_features = features(canvas).reshape(population, count, -1)
        progress = np.full((population, count, 1), t / strokes, np.float32)
        inputs = np.concatenate([target_features, canvas_features, action, progress], axis=-1)
        action = controller.act(params, inputs)
        canvas, state = paint(tf.constant(canvas), tf.constant(action.reshape(population * count, -1)), state)
        canvas = canvas.numpy()
    return canvas.reshape(population, count, 64, 64, 3)


def train_cma_controller(painter: DreamPainter, targets, strokes: int, *, hidden: int, generations: int,
                         population: int, fitness_targets: int, sigma: float, seed: int,
                         fixed_fields: dict[str, float] | None = None,
                         features: FeatureFn = pooled_features) -> tuple[Controller, np.ndarray, pd.DataFrame]:
    """Search the controller's weights with separable CMA-ES; fitness = dream MSE on ``fitness_targets`` targets.
    The search settings have no defaults: ``agent.defaults.cma_baseline`` in conf sets them.

    Returns the controller, its best weights and a history table (generation, best and mean MSE).
    """
    images = check_targets(targets)
    rng = np.random.default_rng(seed)
    sample = images[rng.permutation(len(images))[:fitness_targets]]
    controller = build_controller(painter, hidden, fixed_fields, features)
    paint = tf.function(painter.paint, reduce_retracing=True)
    strategy = cma.CMAEvolutionStrategy(
        np.zeros(controller.size), sigma,
        {"popsize": population, "seed": seed + 1, "CMA_diagonal": True, "verbose": -9, "maxiter": generations},
    )
    rows = []
    for generation in range(1, generations + 1):
        candidates = np.array(strategy.ask())
        canvases = paint_with_controller(controller, candidates, painter, sample, strokes, features, paint)
        fitness = ((canvases - sample[None]) ** 2).mean(axis=(1, 2, 3, 4))
        strategy.tell(list(candidates), fitness.tolist())
        rows.append({"generation": generation, "best_mse": float(fitness.min()), "mean_mse": float(fitness.mean()),
                     "best_so_far_mse": float(strategy.result.fbest)})
        if generation % 10 == 0 or generation == generations:
            logger.info("CMA-ES baseline generation %d/%d  best mse %.4f  (best so far %.4f)",
                        generation, generations, fitness.min(), strategy.result.fbest)
    return controller, np.asarray(strategy.result.xbest), pd.DataFrame(rows)


def controller_mse(controller: Controller, params: np.ndarray, painter: DreamPainter, targets, strokes: int,
                   features: FeatureFn = pooled_features, batch_size: int = 64) -> float:
    """Dream MSE of one controller over ``targets``."""
    images = check_targets(targets)
    paint = tf.function(painter.paint, reduce_retracing=True)
    total = 0.0
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size]
        canvases = paint_with_controller(controller, params, painter, batch, strokes, features, paint)[0]
        total += float(((canvases - batch) ** 2).sum())
    return total / images.size
