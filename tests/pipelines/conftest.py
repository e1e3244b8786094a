"""Small real episodes for the world-model pipeline tests, written once per session (a few seconds)."""

from pathlib import Path

import pytest

from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.episodes import EpisodeSpec, EpisodeStream

SMALL_EPISODES = {"stroke": (24, 20), "canvas": (24, 10)}  # kind -> (episodes, steps); 0.25 held out = 6
SEEDS = {"mnist": 1, "color": 2}


@pytest.fixture(scope="session")
def small_episodes(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """``{variant: {"stroke": dir, "canvas": dir}}`` of episodes as the episodes pipeline writes them."""
    root = tmp_path_factory.mktemp("episodes")
    folders: dict[str, dict[str, Path]] = {}
    for variant, seed in SEEDS.items():
        for kind, (episodes, steps) in SMALL_EPISODES.items():
            spec = EpisodeSpec(variant=variant, stroke_mode=kind == "stroke", steps=steps)
            path = root / variant / kind
            EpisodesDataset(filepath=str(path)).save(
                EpisodeStream(spec, episodes=episodes, seed=seed, chunk_size=10, workers=1, progress=False))
            folders.setdefault(variant, {})[kind] = path
    return folders
