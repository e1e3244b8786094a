"""Episodes on disk: chunks + manifest, written atomically, read lazily and in subsets."""

import json

import numpy as np
import pytest
from kedro.io.core import DatasetError

from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.episodes import EpisodeSpec, EpisodeStream, Episodes, write_episodes
from tests.conftest import BRUSH


class FakeEpisodes:
    """A manifest and hand-made chunks; ``fail_after`` raises mid-stream like an interrupted run."""

    def __init__(self, sizes=(4, 4, 2), fail_after=None, offset=0, manifest_episodes=None):
        self.manifest = {"variant": "mnist", "stroke_mode": False, "steps": 3,
                         "episodes": sum(sizes) if manifest_episodes is None else manifest_episodes}
        self.sizes, self.fail_after, self.offset = sizes, fail_after, offset

    def __iter__(self):
        first = 0
        for index, size in enumerate(self.sizes):
            if index == self.fail_after:
                raise RuntimeError("interrupted")
            ids = np.arange(first, first + size) + self.offset
            yield {"ids": ids.astype(np.int64), "canvases": np.broadcast_to(ids[:, None, None], (size, 3, 5)).astype(np.uint8)}
            first += size


def siblings(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir())


def test_writes_chunks_then_manifest(tmp_path):
    manifest = write_episodes(FakeEpisodes(), str(tmp_path / "eps"))
    assert sorted(p.name for p in (tmp_path / "eps").iterdir()) == [
        "chunk-00000.npz", "chunk-00001.npz", "chunk-00002.npz", "manifest.json"]
    assert manifest == json.loads((tmp_path / "eps" / "manifest.json").read_text())
    assert manifest["episodes"] == 10 and manifest["variant"] == "mnist" and manifest["steps"] == 3
    assert manifest["arrays"] == {"ids": {"shape": [10], "dtype": "<i8"}, "canvases": {"shape": [10, 3, 5], "dtype": "|u1"}}
    assert manifest["chunks"] == [{"file": "chunk-00000.npz", "first": 0, "episodes": 4},
                                  {"file": "chunk-00001.npz", "first": 4, "episodes": 4},
                                  {"file": "chunk-00002.npz", "first": 8, "episodes": 2}]
    assert siblings(tmp_path) == ["eps"]  # no temporary directory left behind


def test_chunk_files_are_byte_identical_for_identical_data(tmp_path):
    write_episodes(FakeEpisodes(), str(tmp_path / "a"))
    write_episodes(FakeEpisodes(), str(tmp_path / "b"), compress_level=1)
    for name in ("chunk-00000.npz", "chunk-00002.npz", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_loads_lazily_and_in_subsets(tmp_path):
    write_episodes(FakeEpisodes(), str(tmp_path / "eps"))
    episodes = Episodes(str(tmp_path / "eps"))
    assert len(episodes) == 10 and episodes.keys == ("ids", "canvases")
    assert [chunk["ids"].tolist() for chunk in episodes] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert list(next(episodes.chunks(["canvases"]))) == ["canvases"]
    assert episodes.arrays(["ids"])["ids"].tolist() == list(range(10))
    assert episodes.arrays("ids", episodes=slice(3, 9))["ids"].tolist() == [3, 4, 5, 6, 7, 8]
    picked = episodes.arrays(["ids", "canvases"], episodes=[9, 0, 5, -1])
    assert picked["ids"].tolist() == [9, 0, 5, 9]
    assert picked["canvases"].shape == (4, 3, 5) and picked["canvases"].dtype == np.uint8
    assert (picked["canvases"][:, 1, 2] == [9, 0, 5, 9]).all()
    mask = np.zeros(10, bool)
    mask[[2, 7]] = True
    assert episodes.arrays(["ids"], episodes=mask)["ids"].tolist() == [2, 7]
    with pytest.raises(KeyError, match="no array 'strokes'.*holds ids, canvases"):
        episodes.arrays(["strokes"])


def test_an_interrupted_write_leaves_nothing_that_loads(tmp_path):
    with pytest.raises(RuntimeError, match="interrupted"):
        write_episodes(FakeEpisodes(fail_after=2), str(tmp_path / "eps"))
    assert siblings(tmp_path) == []
    with pytest.raises(DatasetError, match="manifest.json is missing"):
        EpisodesDataset(filepath=str(tmp_path / "eps")).load()


def test_a_failed_overwrite_keeps_the_old_episodes(tmp_path):
    write_episodes(FakeEpisodes(), str(tmp_path / "eps"))
    with pytest.raises(RuntimeError, match="interrupted"):
        write_episodes(FakeEpisodes(offset=100, fail_after=1), str(tmp_path / "eps"))
    assert Episodes(str(tmp_path / "eps")).arrays(["ids"])["ids"][0] == 0
    write_episodes(FakeEpisodes(sizes=(3,), offset=100), str(tmp_path / "eps"))
    assert Episodes(str(tmp_path / "eps")).arrays(["ids"])["ids"].tolist() == [100, 101, 102]
    assert siblings(tmp_path) == ["eps"]


def test_a_stream_shorter_than_its_manifest_is_not_written(tmp_path):
    with pytest.raises(ValueError, match="ended after 10 episodes, its manifest promised 12"):
        write_episodes(FakeEpisodes(manifest_episodes=12), str(tmp_path / "eps"))
    assert siblings(tmp_path) == []


def test_a_directory_without_manifest_does_not_load(tmp_path):
    leftover = tmp_path / "eps"  # what a killed process could leave if it had written in place
    leftover.mkdir()
    np.savez(leftover / "chunk-00000.npz", ids=np.arange(3))
    with pytest.raises(FileNotFoundError, match="has no manifest.json"):
        Episodes(str(leftover))
    dataset = EpisodesDataset(filepath=str(leftover))
    assert not dataset.exists()
    with pytest.raises(DatasetError, match="kedro run --pipeline episodes"):
        dataset.load()


def test_chunks_must_agree(tmp_path):
    class Mismatched(FakeEpisodes):
        def __iter__(self):
            yield {"ids": np.arange(2)}
            yield {"ids": np.arange(2.0)}

    with pytest.raises(ValueError, match="chunk 1 array 'ids' is float64"):
        write_episodes(Mismatched(sizes=(2, 2)), str(tmp_path / "eps"))
    assert siblings(tmp_path) == []


def test_dataset_round_trip_of_real_episodes(tmp_path):
    spec = EpisodeSpec("mnist", stroke_mode=True, steps=3, brush=BRUSH)
    stream = EpisodeStream(spec, episodes=5, seed=1, chunk_size=2, workers=1, progress=False)
    dataset = EpisodesDataset(filepath=str(tmp_path / "mnist" / "stroke"))
    assert not dataset.exists()
    dataset.save(stream)
    assert dataset.exists()
    episodes = dataset.load()
    assert len(episodes) == 5 and len(episodes.manifest["chunks"]) == 3
    assert {k: v["shape"] for k, v in episodes.manifest["arrays"].items()} == {
        "actions": [5, 3, 7], "actions_env": [5, 3, 7], "start": [5, 3, 2], "painted": [5, 3],
        "canvases": [5, 3, 64, 64, 3], "strokes": [5, 3, 64, 64, 4], "seeds": [5]}
    expected = {key: np.concatenate([chunk[key] for chunk in stream]) for key in episodes.keys}
    loaded = episodes.arrays()
    for key, array in expected.items():
        assert loaded[key].dtype == array.dtype and loaded[key].tobytes() == array.tobytes(), key
    with pytest.raises(DatasetError, match="got dict"):
        dataset.save({"actions": np.zeros(3)})
