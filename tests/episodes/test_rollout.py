"""One episode of the real env: keys, shapes, dtypes, what paints and what does not."""

import numpy as np
import pytest

from painting_dreams.episodes import EpisodeSpec, episode_seeds, roll_out_episode, roll_out_episodes
from tests.conftest import BRUSH


@pytest.fixture(scope="module")
def mnist_stroke_env():
    env = EpisodeSpec("mnist", stroke_mode=True, steps=20, brush=BRUSH).make_env()
    yield env
    env.close()


@pytest.fixture(scope="module")
def mnist_canvas_env():
    env = EpisodeSpec("mnist", stroke_mode=False, steps=10, brush=BRUSH).make_env()
    yield env
    env.close()


@pytest.mark.parametrize("variant, stroke_mode, fields", [("mnist", False, 7), ("color", True, 9)])
def test_episode_keys_shapes_and_dtypes(variant, stroke_mode, fields):
    spec = EpisodeSpec(variant, stroke_mode=stroke_mode, steps=4, width=32, height=24, brush=BRUSH)
    env = spec.make_env()
    try:
        episode = roll_out_episode(env, seed=7)
    finally:
        env.close()
    expected = {
        "actions": ((4, fields), np.float32),
        "actions_env": ((4, fields), np.float32),
        "start": ((4, 2), np.float32),
        "painted": ((4,), np.bool_),
        "canvases": ((4, 24, 32, 3), np.uint8),
        "seeds": ((), np.uint64),
    }
    if stroke_mode:
        expected["strokes"] = ((4, 24, 32, 4), np.uint8)
    assert {key: (np.shape(a), np.asarray(a).dtype) for key, a in episode.items()} == {
        key: (shape, np.dtype(dtype)) for key, (shape, dtype) in expected.items()
    }
    assert {key: (shape, dtype) for key, (shape, dtype) in spec.array_layout().items()} == {
        key: (shape[1:] if key == "seeds" else shape, np.dtype(dtype)) for key, (shape, dtype) in expected.items()
    }
    assert 0.0 <= episode["actions"].min() and episode["actions"].max() < 1.0
    np.testing.assert_array_equal(episode["actions_env"], spec.layout.to_env_units(episode["actions"], 32, 24))


def test_start_is_the_previous_end_normalised(mnist_stroke_env):
    episode = roll_out_episode(mnist_stroke_env, seed=3)
    layout = mnist_stroke_env.layout
    ends = episode["actions"][:, [layout.index("end_x"), layout.index("end_y")]]
    np.testing.assert_array_equal(episode["start"][0], [0.0, 0.0])  # the brush starts in the corner
    np.testing.assert_allclose(episode["start"][1:], ends[:-1], atol=1e-6)


def test_mnist_first_move_and_jumps_paint_nothing_in_stroke_mode(mnist_stroke_env):
    seeds = episode_seeds(5, 6)
    episodes = roll_out_episodes(mnist_stroke_env, seeds)
    jump = episodes["actions"][..., mnist_stroke_env.layout.index("jump")] >= 0.5
    expected = ~jump
    expected[:, 0] = False
    np.testing.assert_array_equal(episodes["painted"], expected)
    assert expected.any() and (~expected[:, 1:]).any()  # both cases occur
    alpha = episodes["strokes"][..., 3].max(axis=(-2, -1))
    assert (alpha[~expected] == 0).all() and (episodes["canvases"][~expected] == 255).all()
    assert (alpha[expected] > 0).all()
    assert (episodes["canvases"][expected].reshape(expected.sum(), -1).min(axis=1) < 255).all()


def test_mnist_canvas_changes_exactly_on_painted_steps(mnist_canvas_env):
    episodes = roll_out_episodes(mnist_canvas_env, episode_seeds(6, 6))
    canvases = episodes["canvases"]
    previous = np.concatenate([np.full_like(canvases[:, :1], 255), canvases[:, :-1]], axis=1)
    changed = (canvases != previous).any(axis=(-3, -2, -1))
    np.testing.assert_array_equal(changed, episodes["painted"])
    assert not episodes["painted"][:, 0].any()


def test_color_paints_every_step_but_the_first():
    env = EpisodeSpec("color", stroke_mode=True, steps=5, brush=BRUSH).make_env()
    try:
        episode = roll_out_episode(env, seed=11)
    finally:
        env.close()
    np.testing.assert_array_equal(episode["painted"], [False, True, True, True, True])


def test_an_episode_replays_from_its_seed(mnist_stroke_env):
    first = roll_out_episode(mnist_stroke_env, seed=99)
    roll_out_episode(mnist_stroke_env, seed=100)
    again = roll_out_episode(mnist_stroke_env, seed=99)
    for key in first:
        np.testing.assert_array_equal(first[key], again[key], err_msg=key)


def test_episode_seeds_are_seedsequence_children():
    seeds = episode_seeds(42, 5)
    children = np.random.SeedSequence(42).spawn(5)
    assert seeds.dtype == np.uint64
    assert seeds.tolist() == [int(child.generate_state(1, np.uint64)[0]) for child in children]
    assert episode_seeds(42, 3).tolist() == seeds[:3].tolist()  # episode i's seed depends on i only


def test_spec_rejects_bad_values():
    with pytest.raises(ValueError, match="steps is 0"):
        EpisodeSpec("mnist", steps=0, brush=BRUSH)
    with pytest.raises(ValueError, match="unknown variant 'oil'"):
        EpisodeSpec("oil", brush=BRUSH)
    with pytest.raises(TypeError, match="brush"):
        EpisodeSpec("mnist")  # no default brush: a world names its own
