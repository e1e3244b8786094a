"""reach_mlp: transparent beyond the reach, curve_mlp's strokes within it, gradients, saving, training from conf."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.libmypaint import brush_digest
from painting_dreams.world_model.reach_model import ReachModel
from painting_dreams.world_model.stroke_model import StrokeModel, nearest_on_polyline, pixel_centres, quadratic_curve_points
from painting_dreams.world_model.training import train_stroke_model
from tests.conftest import BRUSH
from tests.world_model.conftest import training_params
from tests.world_model.test_stroke_model import assert_gradients_reach_every_field

SMALL = {"curve_points": 9, "brush_units": 16, "pixel_units": 8}
REACH = {"reach_pixels_base": 3.0, "reach_pixels_per_size": 10.0}


def random_strokes(variant: str, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    starts = rng.uniform(0.2, 0.8, (count, 2)).astype(np.float32)
    return starts, rng.uniform(0.2, 0.8, (count, ActionLayout(variant).size)).astype(np.float32)


def distances(model: StrokeModel, starts, actions) -> np.ndarray:
    """``(B, 64, 64)`` each pixel's distance to the model's polyline of the stroke (pixels)."""
    curve = quadratic_curve_points(starts * 64.0, actions[:, 0:2] * 64.0, actions[:, 2:4] * 64.0, model.curve_points)
    return nearest_on_polyline(pixel_centres(), curve)[0].numpy().reshape(-1, 64, 64)


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_transparent_beyond_the_reach_and_curve_mlps_stroke_within_it(variant):
    curve_mlp = StrokeModel(variant, **SMALL)
    reach_mlp = ReachModel(variant, **SMALL, **REACH)
    reach_mlp.set_weights(curve_mlp.get_weights())  # the same weights, one architecture each
    starts, actions = random_strokes(variant, 6, seed=0)
    ours, theirs = reach_mlp((starts, actions)).numpy(), curve_mlp((starts, actions)).numpy()
    reach = 3.0 + 10.0 * actions[:, ActionLayout(variant).index("size")]
    within = distances(curve_mlp, starts, actions) <= reach[:, None, None]
    assert 0.02 < within.mean() < 0.6  # both parts are there to be checked
    assert (ours[~within] == 0.0).all()  # exactly transparent, not almost
    np.testing.assert_allclose(ours[within], theirs[within], rtol=0, atol=1e-6)
    assert (theirs[~within][..., 3] > 0).all()  # curve_mlp paints (a little) everywhere: a real difference


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_gradients_from_pixels_reach_every_action_field_and_the_start(variant):
    model = ReachModel(variant, **SMALL, **REACH)
    starts, actions = (tf.constant(a) for a in random_strokes(variant, 8, seed=1))
    assert_gradients_reach_every_field(model, variant, starts, actions)


def test_a_batch_with_nothing_within_reach_is_blank():
    model = ReachModel("color", **SMALL, reach_pixels_base=0.0, reach_pixels_per_size=0.0)
    starts, actions = random_strokes("color", 3, seed=2)
    actions[:, 0:4] = starts[:, [0, 1, 0, 1]]  # a dot between pixel centres: no centre within distance 0
    starts += 0.25 / 64
    actions[:, 0:4] += 0.25 / 64
    assert (model((starts, actions)).numpy() == 0).all()


def test_a_negative_reach_is_refused():
    with pytest.raises(ValueError, match=r"reach_pixels_base 2.0 and reach_pixels_per_size -3.0 give a negative reach"):
        ReachModel("color", reach_pixels_base=2.0, reach_pixels_per_size=-3.0)


def test_save_and_load_give_identical_strokes(tmp_path):
    model = ReachModel("color", **SMALL, **REACH, brush=BRUSH, brush_sha256=brush_digest(BRUSH))
    starts, actions = random_strokes("color", 4, seed=3)
    model.save(tmp_path / "stroke_model.keras")
    loaded = keras.saving.load_model(tmp_path / "stroke_model.keras", safe_mode=True)
    assert type(loaded) is ReachModel and loaded.get_config() == model.get_config()
    assert (loaded.reach_pixels_base, loaded.reach_pixels_per_size) == (3.0, 10.0)
    np.testing.assert_array_equal(loaded((starts, actions)), model((starts, actions)))


def test_conf_chooses_reach_mlp_and_it_learns(color_episodes):
    e = color_episodes
    params = training_params("stroke_model", variant="color", brush=BRUSH, brush_sha256=brush_digest(BRUSH), epochs=3,
                             architecture="reach_mlp")
    model, history = train_stroke_model(e["strokes"], e["actions"], e["start"], e["painted"], params, progress=False)
    assert type(model) is ReachModel and model.architecture == "reach_mlp"
    assert (model.reach_pixels_base, model.reach_pixels_per_size) == (params["reach_pixels_base"],
                                                                      params["reach_pixels_per_size"])
    assert history["loss"][-1] < 0.5 * history["loss"][0], history["loss"]
