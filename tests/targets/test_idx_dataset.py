"""``IdxDataset`` loads the official MNIST files and explains missing or broken ones."""

from pathlib import Path

import numpy as np
import pytest
from kedro.io import DatasetError

from painting_dreams.datasets import IdxDataset


def test_loads_the_official_test_images(mnist_dir: Path, mnist_test_images):
    dataset = IdxDataset(filepath=str(mnist_dir / "t10k-images-idx3-ubyte.gz"), magic=2051)
    assert dataset.exists()
    assert np.array_equal(dataset.load(), mnist_test_images)


def test_a_missing_file_says_what_and_where(tmp_path: Path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    dataset = IdxDataset(filepath=str(path), magic=2051, source_url="http://yann.lecun.com/exdb/mnist/")
    assert not dataset.exists()
    with pytest.raises(DatasetError, match=rf"expected an IDX image file \(magic 2051\) at {path}, but there is no "
                                           rf"such file; download it from http://yann\.lecun\.com/exdb/mnist/ "
                                           rf"and put it at {path}"):
        dataset.load()


def test_truncated_and_wrong_files_say_what_and_where(mnist_dir: Path, tmp_path: Path):
    cut = tmp_path / "t10k-images-idx3-ubyte.gz"
    cut.write_bytes((mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes()[:100_000])
    with pytest.raises(DatasetError, match=rf"at {cut}, but the gzip data is truncated or corrupt .*put it at {cut}"):
        IdxDataset(filepath=str(cut), magic=2051).load()
    labels = str(mnist_dir / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(DatasetError, match=r"expected an IDX image file \(magic 2051\) .* found magic number 2049"):
        IdxDataset(filepath=labels, magic=2051).load()


def test_the_dataset_is_read_only(mnist_dir: Path):
    with pytest.raises(DatasetError, match="read-only"):
        IdxDataset(filepath=str(mnist_dir / "t10k-images-idx3-ubyte.gz")).save(np.zeros(1))
