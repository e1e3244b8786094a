"""Painters: one interface over both world models, differentiable in every action field."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.world_model.mdn_rnn import MDNRNN
from painting_dreams.world_model.stroke_renderers import StrokeModelPainter, WorldModelsPainter
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.vae import ConvVAE

RNG = np.random.default_rng(0)


def make_painter(kind: str, variant: str):
    keras.utils.set_random_seed(0)
    if kind == "stroke_model":
        return StrokeModelPainter(StrokeModel(variant))
    size = ActionLayout(variant).size
    return WorldModelsPainter(ConvVAE(z_size=16), MDNRNN(z_size=16, action_size=size, units=32, mixtures=3))


@pytest.mark.parametrize("kind", ["stroke_model", "world_models"])
def test_paint_strokes_equals_step_by_step(kind):
    painter = make_painter(kind, "mnist")
    actions = RNG.random((3, 4, 7)).astype(np.float32)
    starts = RNG.random((3, 4, 2)).astype(np.float32)
    episode = painter.paint_strokes(actions, starts)
    assert episode.shape == (3, 4, 64, 64, 4)
    state = painter.initial_state(3)
    for t in range(4):
        rgba, state = painter.step(actions[:, t], starts[:, t], state)
        np.testing.assert_allclose(rgba, episode[:, t], atol=1e-5)


@pytest.mark.parametrize("variant", ["mnist", "color"])
@pytest.mark.parametrize("kind", ["stroke_model", "world_models"])
def test_gradients_from_pixels_reach_every_action_field(kind, variant):
    """Through a whole episode: the last stroke's pixels depend on that step's every action field."""
    painter = make_painter(kind, variant)
    actions = tf.constant(RNG.uniform(0.2, 0.8, (4, 3, painter.action_size)).astype(np.float32))
    starts = tf.constant(RNG.uniform(0.2, 0.8, (4, 3, 2)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(actions)
        strokes = painter.paint_strokes(actions, starts)
        pixels = tf.reduce_sum(tf.square(strokes[:, -1] - 0.3))
    per_field = np.abs(tape.gradient(pixels, actions).numpy()[:, -1]).sum(axis=0)
    dead = [f for f, g in zip(ActionLayout(variant).fields, per_field) if not g > 0]
    assert not dead, f"no gradient reaches {dead}"


def test_world_models_painter_refuses_mismatched_latents():
    with pytest.raises(ValueError, match="z_size 16 but the MDN-RNN expects 8"):
        WorldModelsPainter(ConvVAE(z_size=16), MDNRNN(z_size=8, units=8))
