"""The dream paints the mnist variant's two-valued fields as the real env does (straight-through)."""

import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.agent import DreamPainter, stroke_model_painter
from painting_dreams.paint import MyPaintEnv
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH

LAYOUT = ActionLayout("mnist", absolute=True)
SIZE = LAYOUT.index("size")


def _render(actions):
    """A stroke whose darkness grows smoothly with the size field (as a model trained on random actions)."""
    alpha = tf.sigmoid(8.0 * (actions[:, SIZE] - 0.5))[:, None, None, None]
    return tf.concat([tf.zeros_like(alpha)] * 3 + [alpha], axis=-1) * tf.ones((1, 64, 64, 4))


def _paint(painter, size):
    actions = tf.Variable(np.full((1, LAYOUT.size), 0.3, np.float32))
    actions[0, SIZE].assign(size)
    with tf.GradientTape() as tape:
        canvas, _ = painter.paint(tf.ones((1, 64, 64, 3)), actions)
        darkness = 1.0 - tf.reduce_mean(canvas)
    return float(darkness), tape.gradient(darkness, actions).numpy()[0, SIZE]


def test_straight_through_paints_what_the_env_snaps_to_with_the_smooth_gradient():
    hard = DreamPainter.from_function(_render, "mnist")
    soft = DreamPainter.from_function(_render, "mnist", discrete="soft")
    at_threshold, grad_hard = _paint(hard, 0.52)
    thick, _ = _paint(hard, 0.75)
    thin, _ = _paint(hard, 0.48)
    blend, grad_soft = _paint(soft, 0.52)
    assert at_threshold == pytest.approx(thick)        # 0.52 paints the thick stroke, like the env
    assert thin == pytest.approx(_paint(hard, 0.25)[0])  # and 0.48 the thin one
    assert thin < blend < thick                          # the soft dream paints a stroke MyPaint never does
    assert grad_hard == pytest.approx(grad_soft) and grad_hard > 0.1  # gradient from the smooth model


def test_the_env_snaps_at_the_same_threshold():
    def stroke(size):
        env = MyPaintEnv(variant="mnist", stroke_mode=True, absolute=True, max_steps=1, brush=BRUSH)
        env.reset(seed=0)
        action = np.array([0.2, 0.3, 0.8, 0.7, 0.6, 0.2, 0.9, size, 0.0], np.float32)
        out = env.step(action)[0]["stroke"]
        env.close()
        return out
    np.testing.assert_array_equal(stroke(0.52), stroke(0.75))
    np.testing.assert_array_equal(stroke(0.48), stroke(0.25))
    assert not np.array_equal(stroke(0.48), stroke(0.52))


def test_colour_actions_are_not_snapped_and_bad_modes_are_refused():
    layout = ActionLayout("color", absolute=True)
    assert layout.two_valued_fields == ()
    render = lambda a: tf.ones((tf.shape(a)[0], 64, 64, 1)) * tf.concat([a[:, -3:], a[:, -1:]], -1)[:, None, None, :]  # noqa: E731
    actions = tf.constant(np.full((1, layout.size), 0.52, np.float32))
    hard, _ = DreamPainter.from_function(render, "color").paint(tf.ones((1, 64, 64, 3)), actions)
    soft, _ = DreamPainter.from_function(render, "color", discrete="soft").paint(tf.ones((1, 64, 64, 3)), actions)
    np.testing.assert_array_equal(hard.numpy(), soft.numpy())
    with pytest.raises(ValueError, match="unknown discrete mode 'round'"):
        DreamPainter.from_function(render, "color", discrete="round")


def test_a_painter_names_the_brush_real_mypaint_replays_it_with():
    assert DreamPainter.from_function(_render, "mnist", brush=BRUSH).real_brush() == BRUSH
    with pytest.raises(ValueError, match="this dream painter names no MyPaint brush"):
        DreamPainter.from_function(_render, "mnist").real_brush()  # a stand-in that learned none cannot be replayed


def test_a_stroke_model_painter_paints_with_the_brush_its_model_learned():
    learned = StrokeModel("mnist", brush=BRUSH)
    assert learned.painted_with == BRUSH and learned.get_config()["brush"] == BRUSH
    assert stroke_model_painter(learned, "mnist").real_brush() == BRUSH
    assert stroke_model_painter(learned, "mnist", brush=BRUSH).real_brush() == BRUSH
    assert stroke_model_painter(StrokeModel("mnist"), "mnist", brush=BRUSH).real_brush() == BRUSH  # untrained: stands in
    with pytest.raises(ValueError, match=r"learned the brush 'classic/dry_brush', but this painter is asked to paint "
                                         r"with 'classic/charcoal'"):
        stroke_model_painter(learned, "mnist", brush="classic/charcoal")
