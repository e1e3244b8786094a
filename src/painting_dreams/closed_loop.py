"""Closed-loop painting: the policy looks at the *real* MyPaint canvas before each of its steps.

In the dream (:func:`~painting_dreams.agent.policy.paint_steps`) the policy sees the world model's
canvas; replaying its actions in MyPaint afterwards is open loop, so the dream's errors add up
unseen. Here each policy step's strokes are painted by real MyPaint at once, and the policy's next
step sees MyPaint's canvas: ``policy(target, real canvas) -> k actions -> k real strokes``. The
world model is not used at all. Images are painted in batches (one env per image of a batch), so
the policy runs once per step for the whole batch.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from painting_dreams.agent.inference import check_targets
from painting_dreams.agent.policy import action_size, lstm_size, policy_steps, strokes_per_step
from painting_dreams.paint import MyPaintEnv

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClosedLoopPainting:
    """What :func:`paint_closed_loop` returns."""

    actions: np.ndarray   # (N, S, A) the actions painted, absolute layout, normalised
    real: np.ndarray      # (N, S, 64, 64, 3) uint8, MyPaint's canvas after every stroke
    seen: np.ndarray      # (N, steps, 64, 64, 3) uint8, the canvas the policy was given before each of its steps
    seconds: float


def paint_closed_loop(policy: keras.Model, targets, strokes: int, variant: str, brush: str, batch_size: int = 64,
                      progress: bool = True) -> ClosedLoopPainting:
    """Paint ``targets`` ``(N, 64, 64, 3)`` with ``strokes`` strokes, the policy seeing real MyPaint's canvas
    (painted with ``brush``, the painter's)."""
    images = check_targets(targets)
    if strokes < 1:
        raise ValueError(f"strokes is {strokes}: paint at least one stroke")
    if batch_size < 1:
        raise ValueError(f"batch_size is {batch_size}: it must be at least 1")
    k, size, steps = strokes_per_step(policy), action_size(policy), policy_steps(policy, strokes)
    envs = [MyPaintEnv(variant=variant, absolute=True, max_steps=strokes, brush=brush)
            for _ in range(min(batch_size, len(images)))]
    if envs[0].layout.size != size:
        for env in envs:
            env.close()
        raise ValueError(f"the policy emits {size} fields per action but the {variant!r} variant has "
                         f"{envs[0].layout.size}: pass the variant the policy was trained for")
    step_model, encoder = policy.get_layer("step"), policy.get_layer("target_encoder")
    actions = np.zeros((len(images), strokes, size), np.float32)
    real = np.zeros((len(images), strokes, 64, 64, 3), np.uint8)
    seen = np.zeros((len(images), steps, 64, 64, 3), np.uint8)
    started = time.perf_counter()
    try:
        with tqdm(total=len(images) * strokes, desc=f"closed loop in MyPaint ({variant})", unit="stroke",
                  disable=not progress) as bar:
            for first in range(0, len(images), batch_size):
                batch = images[first:first + batch_size]
                n = len(batch)
                canvas = np.stack([envs[i].reset(seed=first + i)[0]["canvas"] for i in range(n)])
                target_code = encoder(tf.constant(batch), training=False)
                previous = tf.zeros((n, k, size) if k > 1 else (n, size))
                h = c = tf.zeros((n, lstm_size(policy)))
                for t in range(steps):
                    seen[first:first + n, t] = canvas
                    previous, h, c = step_model([target_code, tf.constant(canvas / np.float32(255.0)), previous, h, c],
                                                training=False)
                    emitted = (previous.numpy() if k > 1 else previous.numpy()[:, None])[:, : min(k, strokes - t * k)]
                    for j in range(emitted.shape[1]):
                        s = t * k + j
                        for i in range(n):
                            action = np.clip(emitted[i, j], 0.0, 1.0)  # sigmoid output: float noise only
                            canvas[i] = envs[i].step(action)[0]["canvas"]
                            actions[first + i, s] = action
                        real[first:first + n, s] = canvas
                        bar.update(n)
    finally:
        for env in envs:
            env.close()
    seconds = time.perf_counter() - started
    log.info("Painted %d images x %d strokes closed-loop in MyPaint in %.1f s", len(images), strokes, seconds)
    return ClosedLoopPainting(actions, real, seen, seconds)
