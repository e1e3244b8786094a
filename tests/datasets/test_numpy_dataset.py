"""NumpyDataset: round trips, clear errors for missing and corrupt files, no partial files."""

import numpy as np
import pytest
from kedro.io import DatasetError

from painting_dreams.datasets import NumpyDataset


def test_round_trip_npy_and_npz(tmp_path):
    single = NumpyDataset(filepath=str(tmp_path / "a" / "x.npy"))
    single.save(np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(single.load(), np.arange(6).reshape(2, 3))
    several = NumpyDataset(filepath=str(tmp_path / "y.npz"), compress=True)
    several.save({"train": np.ones((2, 2), np.float32), "test": np.zeros(3, np.uint8)})
    loaded = several.load()
    assert set(loaded) == {"train", "test"} and loaded["test"].dtype == np.uint8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "y.npz"]  # no temporary files left


def test_missing_file_names_path_and_download(tmp_path):
    dataset = NumpyDataset(filepath=str(tmp_path / "kmnist-train-imgs.npz"),
                           metadata={"download": "http://example.org/kmnist-train-imgs.npz"})
    with pytest.raises(DatasetError, match=r"no NumPy file at .*kmnist-train-imgs.npz.*download it from http://example"):
        dataset.load()


def test_corrupt_file_and_bad_suffix_are_explained(tmp_path):
    (tmp_path / "bad.npz").write_bytes(b"not numpy at all")
    with pytest.raises(DatasetError, match=r"bad.npz' is not a readable .npy/.npz file"):
        NumpyDataset(filepath=str(tmp_path / "bad.npz")).load()
    with pytest.raises(DatasetError, match=r"must end in .npy"):
        NumpyDataset(filepath=str(tmp_path / "x.csv"))
    with pytest.raises(DatasetError, match="save a dict of arrays"):
        NumpyDataset(filepath=str(tmp_path / "z.npz")).save(np.zeros(3))
