"""The stroke model: geometry, shapes, gradients to every action field, training, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.libmypaint import brush_digest
from painting_dreams.paint.strokes import quadratic_curve
from painting_dreams.world_model.stroke_model import (
    StrokeModel,
    nearest_on_polyline,
    pixel_centres,
    quadratic_curve_points,
)
from painting_dreams.world_model.training import train_stroke_model
from tests.conftest import BRUSH
from tests.world_model.conftest import training_params


@pytest.fixture(scope="module")
def trained(mnist_episodes):
    e = mnist_episodes
    params = training_params("stroke_model", variant="mnist", brush=BRUSH, brush_sha256=brush_digest(BRUSH), epochs=4,
                             validation_fraction=0.2)  # the episodes' layout and brush
    return train_stroke_model(e["strokes"], e["actions"], e["start"], e["painted"], params, progress=False)


def test_curve_matches_the_env_geometry():
    start, end, control = np.array([5.0, 60.0]), np.array([50.0, 10.0]), np.array([40.0, 45.0])
    ours = quadratic_curve_points(*(tf.constant(p[None], tf.float32) for p in (start, end, control)), 17)
    np.testing.assert_allclose(ours[0], quadratic_curve(start, end, control, 17), atol=1e-4)


def test_distance_to_a_straight_stroke():
    curve = tf.constant([[[10.0, 32.0], [30.0, 32.0], [50.0, 32.0]]])
    distance, u, _ = nearest_on_polyline(pixel_centres(), curve)
    distance, u = distance.numpy().reshape(64, 64), u.numpy().reshape(64, 64)
    assert distance[40, 20] == pytest.approx(40.5 - 32.0, abs=1e-3)  # pixel row 40 has its centre at y = 40.5
    assert distance[31, 5] == pytest.approx(np.hypot(4.5, 0.5), abs=1e-3)  # beyond the start: distance to the end point
    assert u[32, 30] == pytest.approx((30.5 - 10.0) / 40.0, abs=1e-3)


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_shapes_and_premultiplied_range(variant):
    model = StrokeModel(variant)
    actions = np.random.default_rng(0).random((5, ActionLayout(variant).size)).astype(np.float32)
    rgba = model((np.full((5, 2), 0.5, np.float32), actions)).numpy()
    assert rgba.shape == (5, 64, 64, 4)
    assert rgba.min() >= 0.0 and rgba.max() <= 1.0
    assert (rgba[..., :3] <= rgba[..., 3:] + 1e-6).all()  # premultiplied: colour never exceeds alpha


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_gradients_from_pixels_reach_every_action_field_and_the_start(variant):
    model = StrokeModel(variant)
    rng = np.random.default_rng(1)
    starts = tf.constant(rng.uniform(0.2, 0.8, (8, 2)).astype(np.float32))
    actions = tf.constant(rng.uniform(0.2, 0.8, (8, ActionLayout(variant).size)).astype(np.float32))
    assert_gradients_reach_every_field(model, variant, starts, actions)


def assert_gradients_reach_every_field(model, variant: str, starts, actions) -> None:
    """A loss on ``model``'s pixels has a gradient in every action field and in both start coordinates."""
    with tf.GradientTape() as tape:
        tape.watch([starts, actions])
        pixels = tf.reduce_sum(tf.square(model((starts, actions)) - 0.3))
    d_starts, d_actions = tape.gradient(pixels, [starts, actions])
    per_field = np.abs(d_actions.numpy()).sum(axis=0)
    dead = [f for f, g in zip(ActionLayout(variant).fields, per_field) if not g > 0]
    assert not dead, f"no gradient reaches {dead}"
    assert (np.abs(d_starts.numpy()).sum(axis=0) > 0).all()


def test_training_lowers_the_loss(trained):
    _, history = trained
    assert history["loss"][-1] < 0.3 * history["loss"][0], history["loss"]
    assert len(history["val_loss"]) == 4 and np.isfinite(history["val_loss"]).all()


def test_save_and_load_give_identical_strokes(trained, tmp_path):
    model, _ = trained
    starts = np.random.default_rng(2).random((4, 2)).astype(np.float32)
    actions = np.random.default_rng(3).random((4, 7)).astype(np.float32)
    model.save(tmp_path / "stroke_model.keras")
    loaded = keras.saving.load_model(tmp_path / "stroke_model.keras")
    assert loaded.get_config() == model.get_config()
    assert (loaded.painted_with, loaded.brush_sha256) == (BRUSH, brush_digest(BRUSH))  # the brush it learned
    np.testing.assert_array_equal(loaded((starts, actions)), model((starts, actions)))
