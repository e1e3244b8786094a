"""The IDX reader on the official MNIST files and on broken ones."""

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from painting_dreams.targets import IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parse_idx


def _idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def test_mnist_test_images_match_the_official_checksum(mnist_test_images):
    # the official MD5 of the decompressed t10k-images-idx3-ubyte, rebuilt from the parsed array
    assert mnist_test_images.shape == (10000, 28, 28) and mnist_test_images.dtype == np.uint8
    assert hashlib.md5(_idx_bytes(mnist_test_images)).hexdigest() == "2646ac647ad5339dbf082846283269ea"


def test_mnist_train_images_match_the_official_checksum_and_mean(mnist_dir: Path):
    path = mnist_dir / "train-images-idx3-ubyte.gz"
    images = parse_idx(path.read_bytes(), source=str(path), expected_magic=IDX_IMAGES_MAGIC)
    assert images.shape == (60000, 28, 28)
    assert hashlib.md5(_idx_bytes(images)).hexdigest() == "6bbc9ace898e44ae57da46a324031adb"
    assert images.mean() / 255 == pytest.approx(0.1307, abs=5e-5)  # the well-known MNIST normalisation mean


def test_mnist_labels_start_with_the_known_digits(mnist_dir: Path):
    train = parse_idx((mnist_dir / "train-labels-idx1-ubyte.gz").read_bytes(), source="train labels",
                      expected_magic=IDX_LABELS_MAGIC)
    test = parse_idx((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes(), source="test labels",
                     expected_magic=IDX_LABELS_MAGIC)
    assert train.shape == (60000,) and test.shape == (10000,)
    assert train[:8].tolist() == [5, 0, 4, 1, 9, 2, 1, 3]
    assert test[:8].tolist() == [7, 2, 1, 0, 4, 1, 4, 9]


def test_reads_uncompressed_and_wider_types():
    values = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    parsed = parse_idx(_idx_bytes(values, type_code=0x0D), source="floats.idx")
    np.testing.assert_array_equal(parsed, values)
    assert parsed.dtype == np.float32


def test_wrong_magic_names_the_path_and_both_kinds(mnist_dir: Path):
    path = mnist_dir / "t10k-labels-idx1-ubyte.gz"
    with pytest.raises(ValueError, match=r"expected an IDX image file \(magic 2051\) at .*t10k-labels-idx1-ubyte\.gz, "
                                         r"found magic number 2049 \(an IDX label file"):
        parse_idx(path.read_bytes(), source=str(path), expected_magic=IDX_IMAGES_MAGIC)


def test_truncated_gzip_is_reported(mnist_dir: Path):
    raw = (mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()
    with pytest.raises(ValueError, match=r"at cut\.gz, but the gzip data is truncated or corrupt"):
        parse_idx(raw[: len(raw) // 2], source="cut.gz", expected_magic=IDX_LABELS_MAGIC)


def test_missing_pixels_are_reported_with_the_sizes():
    raw = _idx_bytes(np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(ValueError, match=r"shape \(3, 28, 28\) at short\.idx: 2,368 bytes, found 2,367 \(truncated\)"):
        parse_idx(gzip.compress(raw[:-1]), source="short.idx", expected_magic=IDX_IMAGES_MAGIC)


def test_a_file_that_is_not_idx_is_reported():
    with pytest.raises(ValueError, match=r"at page\.html, but its first bytes 3c68746d are not an IDX header"):
        parse_idx(b"<html>not found</html>", source="page.html", expected_magic=IDX_IMAGES_MAGIC)
