"""The held-out split: last episodes held out, caps never move the boundary."""

import pytest

from painting_dreams.episodes.split import EpisodeSplit, saved_split, split_episodes


def test_the_last_fraction_is_held_out():
    split = split_episodes(10_000, 0.1)
    assert split.train == slice(0, 9000) and split.held_out == slice(9000, 10_000)
    assert (split.train_episodes, split.held_out_episodes) == (9000, 1000)


def test_caps_keep_the_boundary():
    split = split_episodes(10_000, 0.1, max_train=2000, max_held_out=500)
    assert split.train == slice(0, 2000) and split.held_out == slice(9000, 9500)
    assert split_episodes(64, 0.1, max_train=1000, max_held_out=1000) == split_episodes(64, 0.1)


def test_small_sets_hold_out_at_least_one_episode():
    assert split_episodes(64, 0.1).held_out == slice(58, 64)
    assert split_episodes(3, 0.01).held_out == slice(2, 3)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_a_fraction_outside_0_1_is_refused(fraction):
    with pytest.raises(ValueError, match=f"held_out_fraction is {fraction}"):
        split_episodes(100, fraction)


def test_nothing_left_to_train_on_is_refused():
    with pytest.raises(ValueError, match="only 1 episode"):
        split_episodes(1, 0.5)
    with pytest.raises(ValueError, match="max_train is 0"):
        split_episodes(100, 0.1, max_train=0)


def test_the_saved_split_serves_every_set_of_the_variant():
    saved = split_episodes(64, 0.1).to_dict()
    assert saved == {"train": [0, 58], "held_out": [58, 64]}
    assert EpisodeSplit.from_dict(saved) == split_episodes(64, 0.1)
    assert saved_split(saved, 64, "stroke", max_train=10) == split_episodes(64, 0.1, max_train=10)
    assert saved_split(saved, 64, "canvas", max_held_out=2).held_out == slice(58, 60)
    with pytest.raises(ValueError, match="the canvas episodes hold 32 episodes but the episode split covers 64"):
        saved_split(saved, 32, "canvas")
