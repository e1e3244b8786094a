"""Training plumbing: episode masks, params, validation split, TensorBoard scalars."""

import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.paint.libmypaint import brush_digest
from painting_dreams.world_model.stroke_data import drawable_mask, stroke_examples
from painting_dreams.world_model.training import split_validation, train_mdn_rnn, train_stroke_model
from tests.conftest import BRUSH
from tests.world_model.conftest import training_params


def test_drawable_mask_drops_first_moves_and_keeps_jumps(mnist_episodes):
    e = mnist_episodes
    mask = drawable_mask(e["actions"], e["painted"], "mnist")
    jumps = e["actions"][..., 6] >= 0.5
    np.testing.assert_array_equal(mask[:, 0], jumps[:, 0])  # a first move is kept only if it is a jump
    assert mask[:, 1:].all()  # every later step is a function of its action and start
    assert (e["strokes"][jumps][..., 3] == 0).all()  # and jumps paint nothing
    examples = stroke_examples(e["strokes"], e["actions"], e["start"], e["painted"], "mnist")
    assert len(examples["strokes"]) == mask.sum()
    np.testing.assert_array_equal(examples["actions"], e["actions"][mask])


def test_drawable_mask_names_a_variant_mismatch(color_episodes):
    with pytest.raises(ValueError, match="actions have 9 fields, but the 'mnist' variant has 7"):
        drawable_mask(color_episodes["actions"], color_episodes["painted"], "mnist")


def test_split_validation_is_seeded_and_disjoint():
    arrays = (np.arange(20), np.arange(20) * 10)
    (train, tens), (held, held_tens) = split_validation(arrays, 0.25, seed=3)
    assert len(held) == 5 and len(train) == 15 and not set(train) & set(held)
    np.testing.assert_array_equal(tens, train * 10)
    assert split_validation(arrays, 0.25, seed=3)[1][0].tolist() == held.tolist()
    assert split_validation(arrays, 0.0, seed=3)[1] is None


def test_unknown_params_are_named():
    with pytest.raises(ValueError, match=r"unknown training params \['epoch'\]"):
        train_mdn_rnn(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)), np.zeros((2, 3, 7)), {"epoch": 1})


def test_missing_params_point_to_conf():
    params = {key: value for key, value in training_params("rnn").items() if key != "mixtures"}
    with pytest.raises(ValueError, match=r"training params \['mixtures'\] are missing: rnn.training in "
                                         r"conf/base/parameters_rnn.yml"):
        train_mdn_rnn(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)), np.zeros((2, 3, 7)), params)


def test_tensorboard_scalars_are_written(color_episodes, tmp_path):
    e = color_episodes
    params = training_params("stroke_model", variant="color", brush=BRUSH, brush_sha256=brush_digest(BRUSH), epochs=2,
                             validation_fraction=0.25, log_every_steps=1)
    _, history = train_stroke_model(e["strokes"], e["actions"], e["start"], e["painted"], params,
                                    log_dir=str(tmp_path), progress=False)
    assert set(history) >= {"loss", "mse", "painted_mse", "val_loss", "seconds"}
    tags = {
        value.tag
        for path in tmp_path.glob("events.out.tfevents.*")
        for event in tf.compat.v1.train.summary_iterator(str(path))
        for value in event.summary.value
    }
    assert {"stroke_model/batch/loss", "stroke_model/epoch/loss", "stroke_model/epoch/val_loss"} <= tags


def test_an_unknown_stroke_model_architecture_is_named():
    params = training_params("stroke_model", variant="mnist", brush=BRUSH, brush_sha256=None, architecture="unet")
    with pytest.raises(ValueError, match=r"unknown stroke-model architecture 'unet': choose one of curve_mlp"):
        train_stroke_model(np.zeros((1, 2, 64, 64, 4), np.uint8), np.zeros((1, 2, 7), np.float32),
                           np.zeros((1, 2, 2), np.float32), np.ones((1, 2), bool), params, progress=False)


def test_a_stroke_model_key_of_no_architecture_is_refused_naming_it():
    params = training_params("stroke_model", variant="mnist", brush=BRUSH, brush_sha256=None, reach_pixel_base=4.0)
    with pytest.raises(ValueError, match=r"unknown stroke_model training params \['reach_pixel_base'\]: neither a common "
                                         r"key .* nor a setting of an architecture \(curve_mlp: curve_points, .*; "
                                         r"reach_mlp: .*reach_pixels_base"):
        train_stroke_model(np.zeros((1, 2, 64, 64, 4), np.uint8), np.zeros((1, 2, 7), np.float32),
                           np.zeros((1, 2, 2), np.float32), np.ones((1, 2), bool), params, progress=False)


def test_the_chosen_architectures_settings_must_all_be_there():
    params = training_params("stroke_model", variant="mnist", brush=BRUSH, brush_sha256=None, architecture="reach_mlp")
    del params["reach_pixels_per_size"]
    with pytest.raises(ValueError, match=r"training params \['reach_pixels_per_size'\] are missing"):
        train_stroke_model(np.zeros((1, 2, 64, 64, 4), np.uint8), np.zeros((1, 2, 7), np.float32),
                           np.zeros((1, 2, 2), np.float32), np.ones((1, 2), bool), params, progress=False)
