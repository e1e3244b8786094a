"""Digit targets: grey white-on-black characters (MNIST, KMNIST) → black-on-white RGB squares."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from painting_dreams.targets.images import resize_square, to_unit_rgb


def digit_targets(images: np.ndarray, *, image_size: int) -> np.ndarray:
    """Turn uint8 digits (N, H, W), white ink on black, into float32 RGB (N, size, size, 3): black ink on white."""
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(f"expected grey digit images of shape (N, height, width) and dtype uint8, "
                         f"got shape {images.shape} and dtype {images.dtype}")
    ink_on_white = np.empty((len(images), image_size, image_size), dtype=np.uint8)
    for i, image in enumerate(images):
        ink_on_white[i] = resize_square(255 - image, image_size)  # ink = 1 - intensity: paper is white
    return to_unit_rgb(ink_on_white, grey=True)


def images_from_npz(arrays: Mapping[str, np.ndarray], *, key: str = "arr_0") -> np.ndarray:
    """Pick the images out of an official KMNIST-style .npz (one uint8 array (N, H, W) under `key`)."""
    if key not in arrays:
        raise ValueError(f"expected the images under key {key!r} of the .npz file (as in the official "
                         f"kmnist-*-imgs.npz files), found keys {sorted(arrays)}")
    images = arrays[key]
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(f"expected the .npz array {key!r} to hold uint8 images (N, height, width), "
                         f"got shape {images.shape} and dtype {images.dtype}: is this an images file, not labels?")
    return images
