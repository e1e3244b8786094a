"""Targets from any folder of pictures (PNG, JPEG, WebP, ...): the ``image_folder`` reader's preparation.

Each picture becomes a target as the ``paint`` command reads one (:func:`~painting_dreams.targets.user_image.load_user_image`:
EXIF orientation, sRGB, the centre square resized), so a painter trained on a folder paints a user's
picture as it learned. The split is by file name, not by order: a picture is in the test split when
the SHA-256 of its name, read as a fraction of 2**256, is below ``test_fraction``. Adding or removing
pictures never moves another one between the splits, and the same folder gives the same split on any
machine.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping

import numpy as np

from painting_dreams.targets.splits import cap_split

logger = logging.getLogger(__name__)


def in_test_split(name: str, test_fraction: float) -> bool:
    """Whether the picture named ``name`` (its path inside the folder) is held out for the test split."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest(), "big") < test_fraction * 2 ** 256


def split_by_name(names: list[str], test_fraction: float) -> dict[str, list[str]]:
    """``names`` sorted into ``{"train": [...], "test": [...]}`` by :func:`in_test_split`, each in name order."""
    splits: dict[str, list[str]] = {"train": [], "test": []}
    for name in sorted(names):
        splits["test" if in_test_split(name, test_fraction) else "train"].append(name)
    return splits


def picture_targets(images: Mapping[str, Callable[[int], np.ndarray]], *, image_size: int, test_fraction: float,
                    max_train: int | None, max_test: int | None) -> dict[str, np.ndarray]:
    """Float32 RGB targets {'train', 'test'} in [0, 1], ``(N, image_size, image_size, 3)``, from ``images``:
    ``{name: load}`` where ``load(size)`` reads one picture as a ``(size, size, 3)`` target
    (:class:`~painting_dreams.datasets.ImageFolderDataset`)."""
    splits = split_by_name(list(images), test_fraction)
    for split in ("train", "test"):
        if not splits[split]:
            raise ValueError(f"the {split} split of {len(images)} pictures is empty with test_fraction {test_fraction}: "
                             f"add pictures or change test_fraction (a picture is held out when the hash of its "
                             "name falls below it)")
    targets = {}
    for split, limit in (("train", max_train), ("test", max_test)):
        names = cap_split(splits[split], limit, name=f"max_{split}")
        logger.info("Reading %d %s pictures at %dx%d.", len(names), split, image_size, image_size)
        out = np.empty((len(names), image_size, image_size, 3), np.float32)
        for i, name in enumerate(names):
            out[i] = images[name](image_size)
        targets[split] = out
    return targets
