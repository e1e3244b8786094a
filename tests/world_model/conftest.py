"""Real MyPaint strokes for the world-model tests, generated once per session (well under a second), and
the training parameters conf gives each model."""

import numpy as np
import pytest
import yaml

from painting_dreams.paint import MyPaintEnv
from tests.conftest import BRUSH, PROJECT_ROOT


def training_params(model: str, **overrides) -> dict:
    """``<model>.training`` of conf/base (``vae``, ``rnn``, ``stroke_model``: the only defaults), with ``overrides``."""
    conf = yaml.safe_load((PROJECT_ROOT / "conf" / "base" / f"parameters_{model}.yml").read_text())
    return {**conf[model]["training"], **overrides}


def make_stroke_episodes(variant: str, episodes: int, steps: int = 20, seed: int = 0) -> dict[str, np.ndarray]:
    """Stroke episodes exactly as the episodes stage stores them, from random actions.

    Non-absolute env, so the first step of each episode only moves the brush, as in the data.
    """
    env = MyPaintEnv(variant=variant, stroke_mode=True, max_steps=steps, brush=BRUSH)
    rng = np.random.default_rng(seed)
    size = env.layout.size
    out = {
        "strokes": np.zeros((episodes, steps, 64, 64, 4), np.uint8),
        "actions": rng.random((episodes, steps, size)).astype(np.float32),
        "start": np.zeros((episodes, steps, 2), np.float32),
        "painted": np.zeros((episodes, steps), bool),
    }
    for e in range(episodes):
        env.reset()
        for t in range(steps):
            observation, _, _, _, info = env.step(out["actions"][e, t])
            out["strokes"][e, t] = observation["stroke"]
            out["start"][e, t] = info["start"] / 64.0
            out["painted"][e, t] = info["painted"]
    env.close()
    return out


@pytest.fixture(scope="session")
def mnist_episodes() -> dict[str, np.ndarray]:
    return make_stroke_episodes("mnist", episodes=30, seed=1)


@pytest.fixture(scope="session")
def color_episodes() -> dict[str, np.ndarray]:
    return make_stroke_episodes("color", episodes=16, seed=2)
