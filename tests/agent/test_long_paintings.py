"""Long paintings: inference and refinement run symbolic loops, so tracing and memory do not grow with the strokes."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.agent import build_policy, stroke_model_painter
from painting_dreams.agent.inference import IMAGE_SHAPE, compiled_rollout
from painting_dreams.agent.policy import paint_steps, rollout
from painting_dreams.refine import _Refiner, dream_paint
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.agent.conftest import TINY_POLICY
from tests.conftest import BRUSH


@pytest.fixture(scope="module")
def colour_painter():
    keras.utils.set_random_seed(0)
    return stroke_model_painter(StrokeModel("color"), "color", "alpha_over", brush=BRUSH)


SLOW = pytest.mark.slow  # the fast loop (-m "not slow") keeps one stroke per step and several (with a part-step)


@pytest.mark.parametrize("per_step, strokes", [(1, 1), pytest.param(1, 5, marks=SLOW), pytest.param(2, 1, marks=SLOW),
                                              (2, 5), pytest.param(3, 6, marks=SLOW)])
def test_the_looped_rollout_paints_what_the_unrolled_one_paints(mnist_painter, paintings, per_step, strokes):
    keras.utils.set_random_seed(per_step)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=per_step)
    targets = tf.constant(paintings[:3])
    unrolled = tf.function(lambda t: (lambda a, _, c: (a, tf.stack(c, 1)))(
        *paint_steps(policy, mnist_painter, t, strokes, keep_canvases=True)))(targets)
    looped = tf.function(lambda t: rollout(policy, mnist_painter, t, strokes, keep_canvases=True))(targets)
    final = tf.function(lambda t: rollout(policy, mnist_painter, t, strokes)[1])(targets)
    assert looped[0].shape == (3, strokes, 9) and looped[1].shape == (3, strokes, 64, 64, 3)
    np.testing.assert_array_equal(looped[0].numpy(), unrolled[0].numpy())
    np.testing.assert_allclose(looped[1].numpy(), unrolled[1].numpy(), atol=1e-6)
    np.testing.assert_allclose(final.numpy(), unrolled[1][:, -1].numpy(), atol=1e-6)


def _operations(function, *args) -> int:
    return len(function.get_concrete_function(*args).graph.get_operations())


@pytest.mark.slow
def test_traced_painting_and_refinement_are_the_same_size_for_4_and_40_strokes(mnist_painter):
    """Unrolled, each stroke added ops (and tracing time and memory) to the graph; a symbolic loop adds none."""
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY)
    rollouts = [_operations(compiled_rollout(policy, mnist_painter, s, every), tf.TensorSpec((None, *IMAGE_SHAPE)))
                for every in (False, True) for s in (4, 40)]
    assert rollouts[0] == rollouts[1] and rollouts[2] == rollouts[3]
    dream_paint(mnist_painter, np.full((1, 4, 9), 0.5, np.float32))  # traces the painter's loop
    refiners = [_operations(_Refiner(mnist_painter, {"jump": 0.0}, 0.01, (2, s, 9)).step, tf.constant(True))
                for s in (4, 40)]
    assert refiners[0] == refiners[1]


@pytest.mark.parametrize("painter_name", ["mnist", pytest.param("colour", marks=SLOW)])
def test_the_written_out_gradient_is_automatic_differentiation_s(mnist_painter, colour_painter, painter_name):
    painter = mnist_painter if painter_name == "mnist" else colour_painter
    rng = np.random.default_rng(2)
    actions = tf.constant(rng.uniform(0.1, 0.9, (2, 6, painter.layout.size)), tf.float32)
    target = tf.constant(rng.uniform(size=(2, 64, 64, 3)), tf.float32)
    mse = lambda canvas: tf.reduce_mean(tf.square(canvas - target), axis=[1, 2, 3])  # noqa: E731
    with tf.GradientTape() as tape:
        tape.watch(actions)
        expected_loss = mse(painter.paint_many(tf.ones((2, 64, 64, 3)), actions)[0])
        total = tf.reduce_sum(expected_loss)
    expected = tape.gradient(total, actions).numpy()
    loss, gradient = tf.function(lambda a: painter.loss_and_gradient(tf.ones((2, 64, 64, 3)), a, mse))(actions)
    np.testing.assert_allclose(loss.numpy(), expected_loss.numpy(), rtol=1e-6)
    assert np.abs(expected).max() > 1e-4  # a gradient worth comparing
    np.testing.assert_allclose(gradient.numpy(), expected, atol=1e-4 * np.abs(expected).max())
