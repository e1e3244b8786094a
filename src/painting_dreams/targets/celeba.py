"""CelebA face targets: official partitions by file number, decoding, a square crop around the face, resizing."""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from PIL import Image

from painting_dreams.targets.images import resize_square, to_unit_rgb
from painting_dreams.targets.splits import cap_split
from painting_dreams.targets.user_image import MAX_PIXELS

logger = logging.getLogger(__name__)

# The official partition (list_eval_partition.txt) is by file number: 000001.jpg … 202599.jpg.
LAST_TRAIN_FILE = 162770
LAST_VAL_FILE = 182637

_FILE_NAME = re.compile(r"(?:^|/)(\d{6})\.jpg$")


def celeba_file_number(name: str) -> int | None:
    """File number of an official CelebA JPEG name such as 'img_align_celeba/000123.jpg', or None."""
    match = _FILE_NAME.search(name)
    return int(match.group(1)) if match else None


def celeba_partition(file_number: int) -> str:
    """Official partition of a CelebA file number: 'train' (≤ 162770), 'val' (≤ 182637) or 'test'."""
    if file_number <= LAST_TRAIN_FILE:
        return "train"
    return "val" if file_number <= LAST_VAL_FILE else "test"


def partition_file_numbers(file_numbers: Iterable[int]) -> dict[str, list[int]]:
    """Sort file numbers into the official 'train', 'val' and 'test' partitions, each in ascending order."""
    partitions: dict[str, list[int]] = {"train": [], "val": [], "test": []}
    for number in sorted(file_numbers):
        partitions[celeba_partition(number)].append(number)
    return partitions


def decode_jpeg(data: bytes, *, source: str) -> np.ndarray:
    """Decode JPEG bytes into a uint8 RGB array (H, W, 3); `source` names the file in errors."""
    try:
        with warnings.catch_warnings():  # PIL's DecompressionBombWarning: the error below says more
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{image.width}x{image.height} pixels")
                return np.asarray(image.convert("RGB"))
    except Image.DecompressionBombError as exc:
        raise ValueError(f"{source} is far larger than a CelebA image ({exc}): replace it from the official "
                         "img_align_celeba.zip (178x218 JPEGs)") from exc
    except Exception as exc:  # PIL's decoders raise OSError, ValueError, SyntaxError ... on damaged files
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(f"expected a CelebA JPEG at {source}, but it cannot be decoded ({reason}): the file is "
                         f"truncated or corrupt; replace it from the official img_align_celeba.zip") from exc


def crop_square(image: np.ndarray, *, crop_size: int, centre: Sequence[int], source: str) -> np.ndarray:
    """Cut a crop_size x crop_size square centred on `centre` (x, y) out of an (H, W, 3) image."""
    height, width = image.shape[:2]
    left, top = int(centre[0]) - crop_size // 2, int(centre[1]) - crop_size // 2
    if crop_size < 1 or left < 0 or top < 0 or left + crop_size > width or top + crop_size > height:
        raise ValueError(f"a {crop_size}-pixel square centred at (x, y) = {tuple(centre)} does not fit inside "
                         f"{source} ({width}x{height}); the crop is meant for the 178x218 aligned CelebA images, "
                         f"change crop_size / crop_centre to fit")
    return image[top:top + crop_size, left:left + crop_size]


def face_target(image: np.ndarray, *, crop_size: int, crop_centre: Sequence[int], image_size: int,
                source: str) -> np.ndarray:
    """Crop the face square out of an aligned uint8 image and resize it to (image_size, image_size, 3) uint8."""
    return resize_square(crop_square(image, crop_size=crop_size, centre=crop_centre, source=source), image_size)


def face_targets(images: Mapping[int, Callable[[], np.ndarray]], *, image_size: int, crop_size: int,
                 crop_centre: Sequence[int], max_train: int | None, max_test: int | None) -> dict[str, np.ndarray]:
    """Make float32 RGB face targets {'train', 'test'} in [0, 1] from lazily decoded CelebA images by file number.

    The split follows the official partition; when no test-partition files are present (the
    development copy), the validation partition is the test split.
    """
    partitions = partition_file_numbers(images)
    if not partitions["train"]:
        raise ValueError(f"no CelebA train-partition images (files 000001.jpg … {LAST_TRAIN_FILE}.jpg) among the "
                         f"{len(images)} images given")
    test_partition = "test" if partitions["test"] else "val"
    if not partitions[test_partition]:
        raise ValueError(f"no CelebA validation or test images (files {LAST_TRAIN_FILE + 1}.jpg and above) among "
                         f"the {len(images)} images given: the test split would be empty")
    if test_partition == "val":
        logger.info("No CelebA test-partition files (file number > %d) found: using the %d validation-partition "
                    "images (%d–%d) as the test split.", LAST_VAL_FILE, len(partitions["val"]),
                    LAST_TRAIN_FILE + 1, LAST_VAL_FILE)
    splits = {"train": cap_split(partitions["train"], max_train, name="max_train"),
              "test": cap_split(partitions[test_partition], max_test, name="max_test")}
    targets = {}
    for split, numbers in splits.items():
        logger.info("Cropping and resizing %d CelebA %s faces.", len(numbers), split)
        faces = np.empty((len(numbers), image_size, image_size, 3), dtype=np.uint8)
        for i, number in enumerate(numbers):
            faces[i] = face_target(images[number](), crop_size=crop_size, crop_centre=crop_centre,
                                   image_size=image_size, source=f"{number:06d}.jpg")
        targets[split] = to_unit_rgb(faces, grey=False)
    return targets
