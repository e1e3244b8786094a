"""The policy: shapes, fixed fields, gradients through the painter, saving and loading."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from kedro_datasets.tensorflow import TensorFlowModelDataset

from painting_dreams.agent import DreamPainter, build_policy, paint_targets, rollout
from painting_dreams.paint.actions import ActionLayout
from tests.agent.conftest import STROKES, TINY_POLICY


@pytest.fixture(scope="module")
def policy():
    keras.utils.set_random_seed(0)
    return build_policy("mnist", {"jump": 0.0}, **TINY_POLICY)


def test_rollout_shapes_and_fixed_jump(policy, mnist_painter, paintings):
    actions, canvases = rollout(policy, mnist_painter, paintings[:4], STROKES, keep_canvases=True)
    layout = ActionLayout("mnist", absolute=True)
    assert actions.shape == (4, STROKES, layout.size) and canvases.shape == (4, STROKES, 64, 64, 3)
    assert np.all(actions.numpy()[..., layout.index("jump")] == 0.0)
    assert 0.0 <= actions.numpy().min() and actions.numpy().max() <= 1.0
    assert 0.0 <= canvases.numpy().min() and canvases.numpy().max() <= 1.0 + 1e-5


def test_gradients_reach_every_policy_weight_through_the_painter(policy, mnist_painter, paintings):
    with tf.GradientTape() as tape:
        _, canvas = rollout(policy, mnist_painter, paintings[:4], STROKES, training=True)
        loss = tf.reduce_mean(tf.square(canvas - paintings[:4]))
    grads = tape.gradient(loss, policy.trainable_variables)
    assert all(g is not None and np.isfinite(g.numpy()).all() for g in grads)
    assert sum(float(tf.reduce_sum(tf.abs(g))) for g in grads) > 0


def test_color_policy_and_a_plain_function_painter():
    """Any differentiable function of the absolute action can be the painter."""
    layout = ActionLayout("color", absolute=True)
    red = layout.index("red")

    def render(actions):  # a uniform wash of the action's colour, half opaque
        batch = tf.shape(actions)[0]
        rgb = tf.reshape(actions[:, red:red + 3], (-1, 1, 1, 3)) * 0.5
        return tf.concat([tf.broadcast_to(rgb, (batch, 64, 64, 3)), tf.fill((batch, 64, 64, 1), 0.5)], -1)

    painter = DreamPainter.from_function(render, "color")
    policy = build_policy("color", **TINY_POLICY)
    actions, canvases = paint_targets(policy, painter, np.full((2, 64, 64, 3), 0.5, np.float32), strokes=2)
    assert actions.shape == (2, 2, layout.size) and canvases.shape == (2, 2, 64, 64, 3)


def test_unknown_fixed_field_is_refused():
    with pytest.raises(ValueError, match="'jump'.*not fields of the 'color_absolute' layout"):
        build_policy("color", {"jump": 0.0}, **TINY_POLICY)


def test_save_and_load_round_trip(policy, mnist_painter, paintings, tmp_path):
    """Through the catalog's dataset, safe mode on: the loaded policy paints the very same strokes."""
    dataset = TensorFlowModelDataset(filepath=str(tmp_path / "policy.keras"), load_args={"compile": False})
    dataset.save(policy)
    loaded = dataset.load()
    before = paint_targets(policy, mnist_painter, paintings[:3], STROKES)
    after = paint_targets(loaded, mnist_painter, paintings[:3], STROKES)
    np.testing.assert_array_equal(before[0], after[0])
    np.testing.assert_allclose(before[1], after[1], atol=1e-6)
