"""Closed-loop painting: the policy is given real MyPaint's canvas before each of its steps."""

import keras
import numpy as np
import pytest

from painting_dreams.agent import build_policy
from painting_dreams.closed_loop import paint_closed_loop
from painting_dreams.paint.replay import replay_in_mypaint
from tests.agent.conftest import TINY_POLICY
from tests.conftest import BRUSH


@pytest.mark.parametrize("per_step", [1, 2])
def test_the_policy_sees_mypaints_canvas_and_the_painting_is_mypaints(paintings, per_step):
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=per_step, canvas_resolution=32)
    strokes = 5
    out = paint_closed_loop(policy, paintings[:6], strokes, "mnist", BRUSH, batch_size=4, progress=False)
    steps = -(-strokes // per_step)
    assert out.actions.shape == (6, strokes, 9) and out.real.shape == (6, strokes, 64, 64, 3)
    assert out.seen.shape == (6, steps, 64, 64, 3) and out.seen.dtype == np.uint8
    assert (out.seen[:, 0] == 255).all()  # the first step sees a blank sheet
    for t in range(1, steps):  # every later step sees the canvas real MyPaint left after the previous step
        np.testing.assert_array_equal(out.seen[:, t], out.real[:, t * per_step - 1])
    assert (out.seen[:, 1:] < 255).any()  # ... which has paint on it
    np.testing.assert_array_equal(out.real, replay_in_mypaint(out.actions, "mnist", BRUSH, progress=False))
    assert (out.actions[..., -1] == 0.0).all()  # the policy's fixed jump


def test_a_policy_of_another_variant_is_refused(paintings):
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY)
    with pytest.raises(ValueError, match="the policy emits 9 fields per action but the 'color' variant has 11"):
        paint_closed_loop(policy, paintings[:2], 3, "color", BRUSH, progress=False)
