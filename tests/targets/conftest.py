"""Fixtures for the target tests: the shared MNIST files, parsed once."""

from pathlib import Path

import numpy as np
import pytest

from painting_dreams.targets import IDX_IMAGES_MAGIC, parse_idx


@pytest.fixture(scope="session")
def mnist_dir(shared_data: Path) -> Path:
    return shared_data / "mnist"


@pytest.fixture(scope="session")
def mnist_test_images(mnist_dir: Path) -> np.ndarray:
    """The 10,000 official MNIST test digits, uint8 (10000, 28, 28)."""
    path = mnist_dir / "t10k-images-idx3-ubyte.gz"
    return parse_idx(path.read_bytes(), source=str(path), expected_magic=IDX_IMAGES_MAGIC)


@pytest.fixture(scope="session")
def celeba_dir(shared_data: Path) -> Path:
    return shared_data / "celeba" / "img_align_celeba"
