"""Small real episodes for the world-model pipeline tests, written once per session (a few seconds)."""

from pathlib import Path

import pytest

from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.episodes import EpisodeSpec, EpisodeStream
from tests.conftest import BRUSH, use_project_inventory

SMALL_EPISODES = {"stroke": (24, 20), "canvas": (24, 10)}  # kind -> (episodes, steps); 0.25 held out = 6
SEEDS = {"mnist": 1, "color": 2}  # the bundled worlds' seeds (conf/base/inventory.yml); both paint with BRUSH


@pytest.fixture(autouse=True)
def project_params() -> dict:
    """The pipelines of every test here are built from the project's own inventory (conf/base + conf/local), not
    from whichever loader an earlier test made; the project's parameters."""
    return use_project_inventory()


@pytest.fixture(scope="session")
def small_episodes(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """``{world: {"stroke": dir, "canvas": dir}}`` of episodes as the episodes pipeline writes them."""
    root = tmp_path_factory.mktemp("episodes")
    folders: dict[str, dict[str, Path]] = {}
    for variant, seed in SEEDS.items():
        for kind, (episodes, steps) in SMALL_EPISODES.items():
            spec = EpisodeSpec(variant=variant, stroke_mode=kind == "stroke", steps=steps, brush=BRUSH)
            path = root / variant / kind
            EpisodesDataset(filepath=str(path)).save(
                EpisodeStream(spec, episodes=episodes, seed=seed, chunk_size=10, workers=1, progress=False))
            folders.setdefault(variant, {})[kind] = path
    return folders
