"""Compositors: neutral and opaque strokes, and alpha-over against MyPaint's own painting."""

import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.paint import MyPaintEnv
from painting_dreams.world_model.compositors import (
    COMPOSITORS,
    composite,
    composite_alpha_over,
    composite_darker_of,
    composite_darkness_mask,
    premultiplied_over_white,
)
from tests.conftest import BRUSH

RNG = np.random.default_rng(0)
CANVAS = RNG.random((2, 64, 64, 3)).astype(np.float32)
COLOUR = np.array([[0.9, 0.2, 0.1], [0.1, 0.5, 0.8]], np.float32)


@pytest.mark.parametrize("method", COMPOSITORS)
def test_transparent_stroke_changes_nothing(method):
    out = composite(method, CANVAS, np.zeros((2, 64, 64, 4), np.float32), COLOUR)
    np.testing.assert_allclose(out, CANVAS, atol=1e-6)


def test_white_stroke_changes_nothing():
    white = np.ones((2, 64, 64, 3), np.float32)
    np.testing.assert_allclose(composite_darker_of(CANVAS, white), CANVAS)
    np.testing.assert_allclose(composite_darkness_mask(CANVAS, white, COLOUR), CANVAS)


@pytest.mark.parametrize("method", COMPOSITORS)
def test_opaque_black_stroke_gives_black(method):
    black = np.zeros((2, 64, 64, 4), np.float32)
    black[..., 3] = 1.0
    out = composite(method, CANVAS, black, np.zeros((2, 3), np.float32))
    np.testing.assert_allclose(out, 0.0, atol=1e-6)


def test_darker_of_is_elementwise_minimum():
    stroke = RNG.random((2, 64, 64, 3)).astype(np.float32)
    np.testing.assert_array_equal(composite_darker_of(CANVAS, stroke), np.minimum(CANVAS, stroke))


def test_darkness_mask_paints_the_darkest_pixel_of_each_stroke_in_the_brush_colour():
    stroke = np.ones((2, 64, 64, 3), np.float32)
    stroke[0, 10, 10] = 0.2  # a dark stroke
    stroke[1, 20, 20] = 0.9  # a faint one: scaled per stroke, it is opaque at its darkest pixel too
    stroke[1, 21, 20] = 0.95
    out = composite_darkness_mask(CANVAS, stroke, COLOUR).numpy()
    np.testing.assert_allclose(out[0, 10, 10], COLOUR[0], atol=1e-6)
    np.testing.assert_allclose(out[1, 20, 20], COLOUR[1], atol=1e-6)
    np.testing.assert_allclose(out[1, 21, 20], 0.5 * COLOUR[1] + 0.5 * CANVAS[1, 21, 20], atol=1e-6)


def test_darkness_mask_has_finite_gradients_for_a_white_stroke():
    stroke = tf.ones((2, 64, 64, 3))
    with tf.GradientTape() as tape:
        tape.watch(stroke)
        out = composite_darkness_mask(CANVAS, stroke, COLOUR)
    assert np.isfinite(tape.gradient(out, stroke).numpy()).all()


def test_alpha_over_is_differentiable_in_the_stroke():
    stroke = tf.constant(RNG.random((2, 64, 64, 4)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(stroke)
        out = tf.reduce_sum(composite_alpha_over(CANVAS, stroke))
    gradient = tape.gradient(out, stroke).numpy()
    np.testing.assert_allclose(gradient[..., :3], 1.0)
    np.testing.assert_allclose(gradient[..., 3], -CANVAS.sum(-1), rtol=1e-5)


def test_composite_rejects_unknown_method_and_missing_colour():
    stroke = np.zeros((2, 64, 64, 4), np.float32)
    with pytest.raises(ValueError, match="unknown compositor 'multiply'"):
        composite("multiply", CANVAS, stroke)
    with pytest.raises(ValueError, match="needs the brush colour"):
        composite("darkness_mask", CANVAS, stroke)


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_premultiplied_over_white_matches_the_env_canvas(variant):
    env = MyPaintEnv(variant=variant, absolute=True, stroke_mode=True, brush=BRUSH)
    env.reset()
    action = np.full(env.layout.size, 0.3, np.float32)
    action[:6] = [0.2, 0.3, 0.8, 0.7, 0.6, 0.1]  # start, end, control
    action[env.layout.index("pressure")] = 0.9
    observation, *_ = env.step(action)
    on_white = premultiplied_over_white(observation["stroke"] / 255.0)
    assert np.abs(on_white - observation["canvas"] / 255.0).max() <= 1.0 / 255 + 1e-6


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_alpha_over_matches_mypaint_painting_on_a_canvas(variant):
    """Stroke 2 composited by us onto MyPaint's canvas of stroke 1 == MyPaint painting both.

    The dry brush jitters with libmypaint's RNG, restarted by every reset: the stroke-mode env
    paints stroke 1 too (then discards it) so stroke 2 gets the same jitter in both envs. What
    is left is uint8 rounding of the canvas, stroke and result (1.25/255 to 1.63/255 measured).
    """
    canvas_env = MyPaintEnv(variant=variant, absolute=True, brush=BRUSH)
    stroke_env = MyPaintEnv(variant=variant, absolute=True, stroke_mode=True, brush=BRUSH)
    rng = np.random.default_rng(3)
    for _ in range(8):
        first, second = rng.random((2, canvas_env.layout.size)).astype(np.float32)
        if variant == "mnist":
            first[-1] = second[-1] = 0.0  # no jumps: paint both
        canvas_env.reset()
        canvas_after_first, *_ = canvas_env.step(first)
        canvas_after_both, *_ = canvas_env.step(second)
        stroke_env.reset()
        stroke_env.step(first)
        second_alone, *_ = stroke_env.step(second)

        ours = composite_alpha_over(canvas_after_first["canvas"][None] / 255.0, second_alone["stroke"][None] / 255.0)
        error = np.abs(np.asarray(ours)[0] - canvas_after_both["canvas"] / 255.0)
        assert error.max() <= 2.0 / 255, f"max error {error.max() * 255:.2f}/255"
