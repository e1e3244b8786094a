"""Nodes of the ``data_prep`` pipeline: thin calls into ``painting_dreams.targets``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from PIL import Image

from painting_dreams.image_grid import tile_images
from painting_dreams.targets import cap_split, digit_targets, face_targets, images_from_npz, picture_targets


def unpack_npz_images(arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """Take the uint8 images out of an official KMNIST ``.npz`` file (key ``arr_0``)."""
    return images_from_npz(arrays, key="arr_0")


def make_digit_targets(train_images: np.ndarray, test_images: np.ndarray,
                       dataset: dict[str, Any]) -> dict[str, np.ndarray]:
    """Black-on-white RGB targets {'train', 'test'} in [0, 1] from grey white-on-black digits; ``dataset`` is
    the inventory's block (``max_train``, ``max_test``, ``preparation.image_size``)."""
    return {split: digit_targets(cap_split(images, dataset[f"max_{split}"], name=f"max_{split}"),
                                 image_size=dataset["preparation"]["image_size"])
            for split, images in (("train", train_images), ("test", test_images))}


def make_face_targets(images: Mapping[int, Callable[[], np.ndarray]], dataset: dict[str, Any]) -> dict[str, np.ndarray]:
    """Centre-cropped RGB face targets {'train', 'test'} in [0, 1], split by CelebA's official partition."""
    preparation = dataset["preparation"]
    return face_targets(images, image_size=preparation["image_size"], crop_size=preparation["crop_size"],
                        crop_centre=preparation["crop_centre"], max_train=dataset["max_train"],
                        max_test=dataset["max_test"])


def make_picture_targets(images: Mapping[str, Callable[[int], np.ndarray]],
                         dataset: dict[str, Any]) -> dict[str, np.ndarray]:
    """Picture targets {'train', 'test'} in [0, 1] (the centre square, as ``paint`` reads a picture), split by
    file name with the dataset's ``test_fraction``."""
    return picture_targets(images, image_size=dataset["preparation"]["image_size"],
                           test_fraction=dataset["test_fraction"], max_train=dataset["max_train"],
                           max_test=dataset["max_test"])


def plot_target_grid(targets: dict[str, np.ndarray], parameters: dict[str, Any]) -> Image.Image:
    """A grid of the first targets: some rows of train images, then as many rows of test images."""
    count = parameters["columns"] * parameters["rows_per_split"]
    samples = np.concatenate([targets["train"][:count], targets["test"][:count]])
    return Image.fromarray(tile_images(samples, columns=parameters["columns"], padding=parameters["padding"],
                                       scale=parameters["scale"]))
