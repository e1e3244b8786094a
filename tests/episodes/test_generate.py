"""Parallel generation: reproducible whatever the workers, chunked, errors reach the caller."""

import hashlib

import numpy as np
import pytest

from painting_dreams.episodes import EpisodeSpec, EpisodeStream, episode_seeds, roll_out_episode
from painting_dreams.paint.libmypaint import MyPaintNotFoundError, find_brush
from tests.conftest import BRUSH


def generate(spec, episodes, seed, chunk_size, workers):
    chunks = list(EpisodeStream(spec, episodes=episodes, seed=seed, chunk_size=chunk_size, workers=workers,
                                progress=False))
    return chunks, {key: np.concatenate([chunk[key] for chunk in chunks]) for key in chunks[0]}


@pytest.fixture(scope="module")
def stroke_spec():
    return EpisodeSpec("mnist", stroke_mode=True, steps=6, brush=BRUSH)


def test_same_seed_same_bytes_whatever_the_workers_and_chunks(stroke_spec):
    one_chunks, one = generate(stroke_spec, 11, seed=4, chunk_size=5, workers=1)
    two_chunks, two = generate(stroke_spec, 11, seed=4, chunk_size=3, workers=2)
    assert [len(c["seeds"]) for c in one_chunks] == [5, 5, 1]
    assert [len(c["seeds"]) for c in two_chunks] == [3, 3, 3, 2]
    assert set(one) == set(two) == {"actions", "actions_env", "start", "painted", "canvases", "strokes", "seeds"}
    for key in one:
        assert one[key].dtype == two[key].dtype and one[key].shape == two[key].shape, key
        assert one[key].tobytes() == two[key].tobytes(), key


def test_episodes_are_in_index_order_and_replay_from_their_seeds(stroke_spec):
    _, episodes = generate(stroke_spec, 5, seed=8, chunk_size=2, workers=2)
    np.testing.assert_array_equal(episodes["seeds"], episode_seeds(8, 5))
    env = stroke_spec.make_env()
    try:
        replay = roll_out_episode(env, episodes["seeds"][3])
    finally:
        env.close()
    for key, array in replay.items():
        np.testing.assert_array_equal(episodes[key][3], array, err_msg=key)


def test_stroke_episodes_replay_the_actions_of_canvas_episodes_with_the_same_seed():
    _, canvas = generate(EpisodeSpec("color", stroke_mode=False, steps=3, brush=BRUSH), 4, seed=2, chunk_size=4,
                         workers=1)
    _, stroke = generate(EpisodeSpec("color", stroke_mode=True, steps=5, brush=BRUSH), 4, seed=2, chunk_size=4,
                         workers=1)
    np.testing.assert_array_equal(stroke["actions"][:, :3], canvas["actions"])
    np.testing.assert_array_equal(stroke["start"][:, :3], canvas["start"])


def test_manifest_describes_the_stream(stroke_spec):
    stream = EpisodeStream(stroke_spec, episodes=3, seed=5, chunk_size=2, workers=2)
    assert stream.manifest == {
        "variant": "mnist", "stroke_mode": True, "steps": 6, "episodes": 3, "seed": 5, "width": 64,
        "height": 64, "brush": "classic/dry_brush", "chunk_size": 2,
        "brush_sha256": hashlib.sha256(find_brush(BRUSH).read_bytes()).hexdigest(),  # the brush file it painted with
        "action_fields": ["end_x", "end_y", "control_x", "control_y", "pressure", "size", "jump"],
    }


def test_a_worker_error_reaches_the_caller():
    spec = EpisodeSpec("mnist", steps=2, brush="no/such_brush")  # the brush is first loaded inside a worker
    with pytest.raises(MyPaintNotFoundError, match="MyPaint brush 'no/such_brush' not found in .*Install the brushes"):
        list(EpisodeStream(spec, episodes=4, seed=0, chunk_size=2, workers=2, progress=False))


def test_stopping_early_stops_the_workers(stroke_spec):
    chunks = iter(EpisodeStream(stroke_spec, episodes=40, seed=0, chunk_size=4, workers=2, progress=False))
    assert len(next(chunks)["seeds"]) == 4
    chunks.close()  # terminates the pool; must not hang


@pytest.mark.parametrize("kwargs, message", [
    ({"episodes": 0}, "episodes is 0"),
    ({"chunk_size": 0}, "chunk_size is 0"),
    ({"workers": -2}, "workers is -2"),
    ({"seed": -1}, "seed is -1"),
])
def test_stream_rejects_bad_values(stroke_spec, kwargs, message):
    with pytest.raises(ValueError, match=message):
        EpisodeStream(stroke_spec, **{"episodes": 2, "seed": 0, **kwargs})
