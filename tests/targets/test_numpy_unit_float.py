"""``NumpyDataset(unit_float_as_uint8=True)`` keeps [0, 1] float images as uint8 on disk."""

import zipfile
from pathlib import Path

import numpy as np
import pytest
from kedro.io import DatasetError

from painting_dreams.datasets import NumpyDataset


def test_eight_bit_images_round_trip_exactly_and_are_small(tmp_path: Path):
    images = np.divide(np.arange(256, dtype=np.uint8).reshape(4, 8, 8), np.float32(255))  # every k / 255
    path = tmp_path / "targets.npz"
    dataset = NumpyDataset(filepath=str(path), unit_float_as_uint8=True)
    dataset.save({"train": images, "test": images[:1]})
    with np.load(path) as stored:
        assert stored["train"].dtype == np.uint8 and stored["train"][0, 0, 1] == 1
    loaded = dataset.load()
    assert loaded["train"].dtype == np.float32 and np.array_equal(loaded["train"], images)
    assert loaded["test"].shape == (1, 8, 8)


def test_a_single_array_file_works_too(tmp_path: Path):
    dataset = NumpyDataset(filepath=str(tmp_path / "x.npy"), unit_float_as_uint8=True)
    dataset.save(np.array([0.0, 0.5, 1.0]))
    np.testing.assert_array_equal(dataset.load(), np.array([0, 128, 255], np.float32) / 255)


def test_values_outside_the_unit_range_or_not_float_are_refused(tmp_path: Path):
    dataset = NumpyDataset(filepath=str(tmp_path / "x.npz"), unit_float_as_uint8=True)
    with pytest.raises(DatasetError, match=r"'train' holds values from -0\.5 to 1\.0"):
        dataset.save({"train": np.array([-0.5, 1.0])})
    with pytest.raises(DatasetError, match=r"'train' holds values from nan"):
        dataset.save({"train": np.array([np.nan, 1.0])})
    with pytest.raises(DatasetError, match=r"'labels' has dtype int64"):
        dataset.save({"labels": np.array([1, 2])})


def test_without_the_option_nothing_changes(tmp_path: Path):
    path = tmp_path / "x.npz"
    values = np.array([-3.25, 7.5])
    NumpyDataset(filepath=str(path)).save({"a": values})
    loaded = NumpyDataset(filepath=str(path)).load()["a"]
    assert loaded.dtype == np.float64 and np.array_equal(loaded, values)
    with pytest.raises(DatasetError, match="was it saved without that option"):
        NumpyDataset(filepath=str(path), unit_float_as_uint8=True).load()
    assert zipfile.is_zipfile(path)
