"""Painting any image: shapes, and errors that say what to fix."""

import keras
import numpy as np
import pytest

from painting_dreams.agent import build_policy, check_targets, paint_targets
from painting_dreams.refine import dream_paint
from tests.agent.conftest import TINY_POLICY


def test_paint_targets_returns_actions_and_canvas_per_stroke(mnist_painter, paintings):
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY)
    actions, canvases = paint_targets(policy, mnist_painter, paintings[:5], strokes=4, batch_size=2)
    assert actions.shape == (5, 4, 9) and actions.dtype == np.float32
    assert 0.0 <= actions.min() and actions.max() <= 1.0 and (actions[..., -1] == 0.0).all()  # the fixed jump
    # canvases[:, s] is the dream's painting of the first s + 1 strokes, on white
    assert canvases.shape == (5, 4, 64, 64, 3)
    np.testing.assert_allclose(canvases, dream_paint(mnist_painter, actions, every_stroke=True), atol=1e-5)
    assert (canvases[:, -1] < canvases[:, 0] - 1e-3).any()  # later strokes added paint
    single, _ = paint_targets(policy, mnist_painter, paintings[0], strokes=4)  # one (64, 64, 3) image
    np.testing.assert_allclose(single[0], actions[0], atol=1e-6)


@pytest.mark.parametrize(("targets", "message"), [
    (np.ones((2, 32, 32, 3), np.float32), r"shape \(2, 32, 32, 3\).*resize or centre-crop"),
    (np.ones((2, 64, 64), np.float32), r"shape \(2, 64, 64\).*3 identical channels"),
    (np.ones((2, 64, 64, 4), np.float32), r"shape \(2, 64, 64, 4\).*expected \(N, 64, 64, 3\)"),
    (np.full((1, 64, 64, 3), 255, np.uint8), r"integer dtype uint8.*/ 255"),
    (np.full((1, 64, 64, 3), 2.0, np.float32), r"range over \[2.0, 2.0\], outside \[0, 1\]: divide 0-255 images by 255"),
    (np.full((1, 64, 64, 3), -0.5, np.float32), r"outside \[0, 1\]: rescale"),
    (np.zeros((0, 64, 64, 3), np.float32), r"targets are empty"),
    (np.array([["a"]]), r"dtype <U1"),
])
def test_bad_targets_are_refused_with_the_value_and_the_fix(targets, message):
    with pytest.raises(ValueError, match=message):
        check_targets(targets)


def test_nan_targets_name_the_first_bad_pixel():
    targets = np.ones((2, 64, 64, 3), np.float32)
    targets[1, 5, 6, 2] = np.nan
    with pytest.raises(ValueError, match=r"non-finite values \(first nan at \(1, 5, 6, 2\)\).*nan_to_num"):
        check_targets(targets)


class NeverUsed:
    """A policy or painter that fails the test if painting ever touches it."""

    def __getattr__(self, name):
        raise AssertionError(f"painting started (.{name} was used) before the targets were checked")


def test_bad_targets_fail_before_painting():
    with pytest.raises(ValueError, match=r"range over \[3.0, 3.0\], outside \[0, 1\]"):
        paint_targets(NeverUsed(), NeverUsed(), np.full((1, 64, 64, 3), 3.0, np.float32), strokes=2)


def test_an_agent_goes_on_with_the_canvas_it_is_given(mnist_painter, paintings):
    """``start``: the policy's first step sees that canvas and the dream paints over it; a white start is no start."""
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY)
    plain, on_white = paint_targets(policy, mnist_painter, paintings[:3], strokes=4, every_stroke=False)
    same, again = paint_targets(policy, mnist_painter, paintings[:3], strokes=4, every_stroke=False,
                                start=np.ones((3, 64, 64, 3), np.float32))
    np.testing.assert_allclose(same, plain, atol=1e-6)
    np.testing.assert_allclose(again, on_white, atol=1e-6)
    grey = np.full((3, 64, 64, 3), 0.6, np.float32)
    actions, over = paint_targets(policy, mnist_painter, paintings[:3], strokes=4, every_stroke=False, start=grey)
    assert np.abs(actions - plain).max() > 1e-4  # it saw another canvas
    np.testing.assert_allclose(over, dream_paint(mnist_painter, actions, start=grey), atol=1e-5)
    assert (over <= 0.6 + 1e-6).all() and (over < 0.6 - 1e-3).any()  # black strokes over the grey
    with pytest.raises(ValueError, match=r"start canvases have shape \(2, 64, 64, 3\): give one per target"):
        paint_targets(policy, mnist_painter, paintings[:3], strokes=4, start=grey[:2])
