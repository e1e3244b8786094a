"""The one door into real MyPaint: play() paints what stepping the env paints, on white, alone and on a layer."""

import numpy as np
import pytest

from painting_dreams.paint import MyPaintEnv
from painting_dreams.paint.replay import play, replay_in_mypaint, stroke_renderer
from tests.conftest import BRUSH


def _actions(fields: int, episodes: int = 2, steps: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.1, 0.9, (episodes, steps, fields)).astype(np.float32)


def test_play_paints_what_stepping_the_env_paints():
    actions = _actions(11)
    played = play(actions, "color", brush=BRUSH)
    assert played.canvases.shape == (2, 4, 64, 64, 3) and played.strokes is None and played.layers is None
    env = MyPaintEnv(variant="color", absolute=True, max_steps=4, brush=BRUSH)
    for i, episode in enumerate(actions):
        env.reset(seed=i)
        for t, action in enumerate(episode):
            np.testing.assert_array_equal(played.canvases[i, t], env.step(action)[0]["canvas"])
    env.close()
    np.testing.assert_array_equal(replay_in_mypaint(actions, "color", BRUSH, progress=False), played.canvases)
    assert played.canvases[:, -1].min() < 200  # something was painted
    np.testing.assert_allclose(played.start, actions[..., :2], atol=1e-6)  # absolute: the action's own start


def test_the_layer_holds_the_strokes_alone_and_over_white_is_the_painting():
    actions = _actions(11, episodes=1, steps=6, seed=3)
    played = play(actions, "color", layer=True, brush=BRUSH)
    layer = played.layers[0].astype(np.float64) / 255.0
    assert layer.shape == (64, 64, 4) and layer[..., 3].min() == 0.0 and layer[..., 3].max() > 0.5
    over_white = layer[..., :3] * layer[..., 3:] + (1.0 - layer[..., 3:])
    assert np.abs(np.round(over_white * 255) - played.canvases[0, -1]).max() <= 1  # 8-bit rounding only


def test_stroke_mode_gives_each_stroke_alone_and_a_relative_layout_moves_first():
    actions = _actions(7, episodes=2, steps=5, seed=4)
    actions[..., 6] = 0.0  # no jumps
    played = play(actions, "mnist", absolute=False, stroke_mode=True, brush=BRUSH)
    assert played.strokes.shape == (2, 5, 64, 64, 4)
    assert not played.painted[:, 0].any() and played.painted[:, 1:].all()  # the first action only moves the brush
    assert played.strokes[:, 0].max() == 0 and (played.strokes[:, 1:, ..., 3] > 0).any(axis=(2, 3)).all()
    np.testing.assert_allclose(played.start[:, 1:], actions[:, :-1, :2], atol=1e-6)  # each starts where the last ended
    alpha = played.strokes[..., 3:].astype(np.float64) / 255.0  # premultiplied RGBA over white
    over_white = played.strokes[..., :3] / 255.0 + (1.0 - alpha)
    assert np.abs(np.round(over_white * 255) - played.canvases).max() <= 1


def test_a_stroke_renderer_paints_the_same_pixels_every_call():
    render = stroke_renderer("mnist", brush=BRUSH)
    action = np.array([0.8, 0.7, 0.5, 0.2, 0.9, 0.9, 0.0], np.float32)
    first, again = render(action, np.array([0.2, 0.3], np.float32)), render(action, np.array([0.2, 0.3], np.float32))
    render.close()
    np.testing.assert_array_equal(first, again)
    assert first.shape == (64, 64, 4) and first[..., 3].max() > 0


@pytest.mark.parametrize("actions, message", [
    (np.full((1, 2, 7), 0.5, np.float32), r"actions have 7 fields, but the absolute 'color' layout has 11: start_x"),
    (np.full((2, 11), 0.5, np.float32), r"actions have shape \(2, 11\): expected \(images, strokes, fields\)"),
    (np.full((1, 2, 11), 0.5 + 0j), r"actions have dtype complex128 \('c' kind\): actions are real numbers in \[0, 1\]"),
])
def test_bad_actions_are_refused_with_the_fix(actions, message):
    with pytest.raises(ValueError, match=message):
        play(actions, "color", brush=BRUSH)


