"""A tiny real painter and paintable targets for the agent tests, made once per session.

The painter is the world model's stroke model, shrunk and trained for a few seconds on a few
hundred real MyPaint strokes; the targets are real 3-stroke MyPaint paintings, so the agent can
match them.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.agent import DreamPainter, TrainingConfig, stroke_model_painter
from painting_dreams.paint import MyPaintEnv
from painting_dreams.world_model.stroke_model import StrokeModel, stroke_model_loss
from tests.conftest import BRUSH

TINY_POLICY = {"filters": 8, "residual_blocks": 1, "action_embedding": 16, "dense_units": 32, "lstm_units": 32}
TINY_CRITIC = {"filters": 4}
STROKES = 3


# Every training setting at test sizes: 3 strokes, batch 8, WGAN-GP + L2 with one critic step, a fast
# learning rate (conf/base/parameters_agent.yml says what each does).
TINY_TRAINING = {
    "strokes": STROKES, "steps": 10, "batch_size": 8, "policy_learning_rate": 3e-3, "critic_learning_rate": 1e-4,
    "beta_1": 0.5, "beta_2": 0.9, "critic_steps": 1, "gradient_penalty_weight": 10.0, "adversarial_weight": 1.0,
    "l2_weight": 10.0, "prefix_weight": 0.0, "augment": "none", "checkpoint_every": 3, "keep_checkpoints": 3,
    "log_every": 5, "untrained_eval_size": 16, "collapse_window": 3, "trained_fraction": 0.5, "collapse_fraction": 0.9,
    "max_rollbacks": 5, "seed": 0,
}


def tiny_config(**overrides) -> TrainingConfig:
    """Training at test sizes (:data:`TINY_TRAINING`), with ``overrides``."""
    return TrainingConfig(**{**TINY_TRAINING, **overrides})


def real_strokes(variant: str, count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` random absolute actions and their real strokes (premultiplied RGBA in [0, 1])."""
    env = MyPaintEnv(variant=variant, stroke_mode=True, absolute=True, max_steps=count, brush=BRUSH)
    rng = np.random.default_rng(seed)
    actions = rng.random((count, env.layout.size)).astype(np.float32)
    if variant == "mnist":
        actions[:, env.layout.index("jump")] *= 0.5  # every stroke visible: the agent never jumps
    env.reset(seed=seed)
    strokes = np.stack([env.step(a)[0]["stroke"] for a in actions]).astype(np.float32) / 255.0
    env.close()
    return actions, strokes


def real_paintings(count: int, strokes: int = 3, seed: int = 1) -> np.ndarray:
    """``count`` black MyPaint paintings of ``strokes`` random strokes each, RGB in [0, 1]."""
    env = MyPaintEnv(variant="mnist", absolute=True, max_steps=strokes, brush=BRUSH)
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(count):
        env.reset()
        for _ in range(strokes):
            action = rng.uniform(0.2, 0.8, env.layout.size).astype(np.float32)
            action[env.layout.index("jump")] = 0.0
            observation = env.step(action)[0]
        images.append(observation["canvas"])
    env.close()
    return np.stack(images).astype(np.float32) / 255.0


def train_tiny_stroke_model(variant: str, strokes: int = 400, steps: int = 150) -> StrokeModel:
    actions, images = real_strokes(variant, strokes)
    keras.utils.set_random_seed(0)
    model = StrokeModel(variant, curve_points=9, brush_units=16, pixel_units=8, brush=BRUSH)  # learned BRUSH's strokes
    optimizer = keras.optimizers.Adam(3e-3)

    @tf.function
    def step(starts, rest, target):
        with tf.GradientTape() as tape:
            loss = stroke_model_loss(model, starts, rest, target, alpha_weight=1.0)["loss"]
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    rng = np.random.default_rng(0)
    for _ in range(steps):
        i = rng.integers(len(actions), size=32)
        step(actions[i, :2], actions[i, 2:], images[i])
    return model


@pytest.fixture(scope="session")
def mnist_stroke_model() -> StrokeModel:
    return train_tiny_stroke_model("mnist")


@pytest.fixture(scope="session")
def mnist_painter(mnist_stroke_model) -> DreamPainter:
    return stroke_model_painter(mnist_stroke_model, "mnist", "darker_of")


@pytest.fixture(scope="session")
def paintings() -> np.ndarray:
    return real_paintings(24)
