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
    dead = [v.path for v, g in zip(policy.trainable_variables, grads) if not np.abs(g.numpy()).sum() > 0]
    assert dead == [], f"no gradient reaches {dead}"


def test_color_policy_and_a_plain_function_painter():
    """Any differentiable function of the absolute action can be the painter."""
    layout = ActionLayout("color", absolute=True)
    red = layout.index("red")

    def render(actions):  # a uniform wash of the action's colour, half opaque
        batch = tf.shape(actions)[0]
        rgb = tf.reshape(actions[:, red:red + 3], (-1, 1, 1, 3)) * 0.5
        return tf.concat([tf.broadcast_to(rgb, (batch, 64, 64, 3)), tf.fill((batch, 64, 64, 1), 0.5)], -1)

    painter = DreamPainter.from_function(render, "color")  # alpha over: half the wash, half the canvas below
    policy = build_policy("color", **TINY_POLICY)
    actions, canvases = paint_targets(policy, painter, np.full((2, 64, 64, 3), 0.5, np.float32), strokes=2)
    assert actions.shape == (2, 2, layout.size) and canvases.shape == (2, 2, 64, 64, 3)
    rgb = actions[:, :, red:red + 3]
    first = 0.5 * rgb[:, 0] + 0.5 * 1.0  # over white
    second = 0.5 * rgb[:, 1] + 0.5 * first
    np.testing.assert_allclose(canvases[:, 0], np.broadcast_to(first[:, None, None], (2, 64, 64, 3)), atol=1e-6)
    np.testing.assert_allclose(canvases[:, 1], np.broadcast_to(second[:, None, None], (2, 64, 64, 3)), atol=1e-6)


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


def test_several_strokes_per_step_on_a_pooled_canvas(mnist_painter, paintings):
    """k strokes per policy step; a stroke count that k does not divide uses part of the last step."""
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=3, canvas_resolution=32)
    layout = ActionLayout("mnist", absolute=True)
    assert policy.get_layer("step").output[0].shape[1:] == (3, layout.size)
    actions, canvases = rollout(policy, mnist_painter, paintings[:4], 4, keep_canvases=True)
    assert actions.shape == (4, 4, layout.size) and canvases.shape == (4, 4, 64, 64, 3)
    assert np.all(actions.numpy()[..., layout.index("jump")] == 0.0)
    # the 4th stroke comes from a second policy step: it differs from the first three
    assert not np.allclose(actions.numpy()[:, 3], actions.numpy()[:, 0])
    _, final = rollout(policy, mnist_painter, paintings[:4], 4)
    np.testing.assert_allclose(final.numpy(), canvases.numpy()[:, -1], atol=1e-6)
    with tf.GradientTape() as tape:
        _, canvas = rollout(policy, mnist_painter, paintings[:4], 4, training=True)
        loss = tf.reduce_mean(tf.square(canvas - paintings[:4]))
    grads = tape.gradient(loss, policy.trainable_variables)
    assert all(g is not None and np.isfinite(g.numpy()).all() for g in grads)


def test_joint_encoder_reads_target_and_canvas_together(mnist_painter, paintings):
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=2, canvas_resolution=16,
                          encoder="joint")
    assert policy.get_layer("step").get_layer("canvas_encoder").input.shape[1:] == (16, 16, 6)
    with tf.GradientTape() as tape:
        actions, canvas = rollout(policy, mnist_painter, paintings[:4], 3, training=True)
        loss = tf.reduce_mean(tf.square(canvas - paintings[:4]))
    assert actions.shape == (4, 3, ActionLayout("mnist", absolute=True).size)
    grads = tape.gradient(loss, policy.trainable_variables)
    dead = [v.path for v, g in zip(policy.trainable_variables, grads) if g is None or not np.abs(g.numpy()).sum() > 0]
    assert dead == [], f"no gradient reaches {dead}"


@pytest.mark.parametrize("option, message", [
    ({"strokes_per_step": 0}, "strokes_per_step is 0: use a whole number of strokes, at least 1"),
    ({"strokes_per_step": 2.5}, "strokes_per_step is 2.5"),
    ({"canvas_resolution": 48}, "canvas_resolution is 48: choose one of 64, 32, 16"),
    ({"encoder": "shared"}, "encoder is 'shared': choose one of separate, joint"),
])
def test_bad_policy_options_are_refused(option, message):
    with pytest.raises(ValueError, match=message):
        build_policy("color", **TINY_POLICY, **option)


def test_paint_many_paints_as_stroke_after_stroke(mnist_painter):
    """One stroke-model call for n strokes lays the very canvases n single calls lay."""
    rng = np.random.default_rng(3)
    actions = tf.constant(rng.uniform(0.2, 0.8, (4, 3, ActionLayout("mnist", absolute=True).size)), tf.float32)
    canvas = tf.ones((4, 64, 64, 3))
    one_by_one = []
    for i in range(3):
        canvas, _ = mnist_painter.paint(canvas, actions[:, i])
        one_by_one.append(canvas.numpy())
    final, _, canvases = mnist_painter.paint_many(tf.ones((4, 64, 64, 3)), actions, (), keep_canvases=True)
    np.testing.assert_allclose(np.stack([c.numpy() for c in canvases]), np.stack(one_by_one), atol=1e-5)
    np.testing.assert_allclose(final.numpy(), one_by_one[-1], atol=1e-5)
    assert one_by_one[-1].min() < 0.5  # something was painted


def test_a_several_strokes_policy_saves_and_loads(mnist_painter, paintings, tmp_path):
    keras.utils.set_random_seed(1)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=2, canvas_resolution=32)
    dataset = TensorFlowModelDataset(filepath=str(tmp_path / "policy.keras"), load_args={"compile": False})
    dataset.save(policy)
    before = paint_targets(policy, mnist_painter, paintings[:3], 5)
    after = paint_targets(dataset.load(), mnist_painter, paintings[:3], 5)
    np.testing.assert_array_equal(before[0], after[0])
