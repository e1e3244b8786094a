"""Digits become black-on-white 64x64 RGB targets; KMNIST images come out of their .npz files."""

import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from painting_dreams.datasets import NumpyDataset
from painting_dreams.targets import digit_targets, images_from_npz


def test_blank_and_full_digits_become_white_and_black():
    images = np.stack([np.zeros((28, 28), np.uint8), np.full((28, 28), 255, np.uint8)])
    targets = digit_targets(images, image_size=64)
    assert targets.shape == (2, 64, 64, 3) and targets.dtype == np.float32
    assert np.all(targets[0] == 1.0) and np.all(targets[1] == 0.0)


def test_mnist_targets_are_black_ink_on_white(mnist_test_images):
    raw = mnist_test_images[:200]
    targets = digit_targets(raw, image_size=64)
    assert targets.shape == (200, 64, 64, 3) and targets.min() == 0.0 and targets.max() == 1.0
    assert np.all(targets[:, [0, 0, -1, -1], [0, -1, 0, -1]] == 1.0)  # white paper in every corner
    assert np.array_equal(targets[..., 0], targets[..., 2])  # grey: R = G = B
    # resizing keeps the amount of ink: mean ink of the target ≈ mean intensity of the digit
    np.testing.assert_allclose(1 - targets.mean(axis=(1, 2, 3)), raw.mean(axis=(1, 2)) / 255, atol=0.01)


def test_mnist_target_equals_an_independent_pillow_resize(mnist_test_images):
    digit = mnist_test_images[0]
    expected = np.asarray(Image.fromarray(255 - digit).resize((64, 64), Image.Resampling.BILINEAR)) / 255
    np.testing.assert_allclose(digit_targets(digit[None], image_size=64)[0, ..., 1], expected, atol=1e-6)


def test_digits_must_be_grey_uint8():
    with pytest.raises(ValueError, match=r"shape \(N, height, width\) and dtype uint8, got shape \(2, 28, 28, 3\)"):
        digit_targets(np.zeros((2, 28, 28, 3), np.uint8), image_size=64)
    with pytest.raises(ValueError, match="dtype float32"):
        digit_targets(np.zeros((2, 28, 28), np.float32), image_size=64)


def test_kmnist_npz_files_hold_the_documented_images(shared_data: Path):
    kmnist = shared_data / "kmnist"
    train = images_from_npz(NumpyDataset(filepath=str(kmnist / "kmnist-train-imgs-partial.npz")).load())
    test = images_from_npz(NumpyDataset(filepath=str(kmnist / "kmnist-test-imgs-first5000.npz")).load())
    assert train.shape == (7011, 28, 28) and test.shape == (5000, 28, 28) and train.dtype == np.uint8
    # the same pixels as reading arr_0.npy straight out of the zip
    with zipfile.ZipFile(kmnist / "kmnist-test-imgs-first5000.npz") as npz, npz.open("arr_0.npy") as f:
        assert np.array_equal(test, np.lib.format.read_array(f))
    targets = digit_targets(test[:100], image_size=64)
    assert np.all(targets[:, 0, 0] == 1.0) and targets.min() == 0.0  # white paper, black ink


def test_npz_errors_say_what_was_expected(shared_data: Path):
    labels = NumpyDataset(filepath=str(shared_data / "kmnist" / "kmnist-test-labels-first5000.npz")).load()
    with pytest.raises(ValueError, match=r"uint8 images \(N, height, width\), got shape \(5000,\).*not labels"):
        images_from_npz(labels)
    with pytest.raises(ValueError, match=r"under key 'arr_0' .* found keys \['images'\]"):
        images_from_npz({"images": np.zeros((1, 28, 28), np.uint8)})
