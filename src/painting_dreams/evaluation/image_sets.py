"""Image sets to score a painter on, read from the files people have, prepared as its training targets were.

* an IDX file, gzipped or not (MNIST's ``t10k-images-idx3-ubyte.gz``): grey digits;
* a KMNIST-style ``.npz`` (one uint8 array ``(N, H, W)`` under ``arr_0``): grey characters;
* a folder of images. CelebA-style folders (every file named ``NNNNNN.jpg``, as ``img_align_celeba``)
  painted by a face painter are cropped and resized exactly as ``data_prep`` makes CelebA targets,
  and may be restricted to one of CelebA's official partitions; any other folder (PNG, JPEG, ...) is
  read as the paint command reads a picture (centre square, resized). The files this project writes
  there (``evaluate``'s ``grid.png`` beside its ``summary.json``, ``paint``'s PNG and GIF beside their
  JSON and ``.ora``) and macOS's ``._*`` resource forks are skipped.

Every image has at least 16 px on each side, as ``paint`` asks of a picture.

Digits become black ink on white, as ``data_prep`` makes MNIST and KMNIST targets. ``preparation``
says how the painter's dataset was prepared: ``{"kind": "digits", "image_size": 64}`` or
``{"kind": "faces", "image_size": 64, "crop_size": 178, "crop_centre": [89, 121]}`` or
``{"kind": "pictures", "image_size": 64}`` (a model card's ``targets``, or inside the project the run's
dataset's ``preparation`` in conf's ``inventory.yml``). A folder is read as pictures unless it is
CelebA-style and painted by a face painter; an IDX or .npz file always holds grey digits.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from painting_dreams.targets.user_image import MIN_SIDE, UserImageError, check_image_file, load_user_image
from painting_dreams.targets.celeba import celeba_file_number, decode_jpeg, face_target, partition_file_numbers
from painting_dreams.targets.digits import digit_targets, images_from_npz
from painting_dreams.targets.idx import IDX_IMAGES_MAGIC, parse_idx
from painting_dreams.targets.images import to_unit_rgb

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
SPLITS = ("all", "train", "val", "test")
KINDS = ("digits", "faces", "pictures")  # painting_dreams.inventory.PREPARATION_KEYS
_CELEBA_NAME = re.compile(r"^\d{6}\.jpg$")


class ImageSetError(ValueError):
    """The image set cannot be read, or holds nothing to paint."""


@dataclass(frozen=True)
class ImageSet:
    names: list[str]       # one per image: a file name, or "<file>[index]" for the images of an array file
    targets: np.ndarray    # (N, size, size, 3) float32 in [0, 1]
    prepared: str          # how the images were prepared, in words
    skipped: tuple[str, ...] = ()  # files of a folder left out: this project's own outputs, resource forks


def check_preparation(preparation: dict) -> dict:
    kind = preparation.get("kind")
    if kind not in KINDS:
        raise ImageSetError(f"image preparation kind is {kind!r}: it must be one of {', '.join(KINDS)}")
    needed = ("image_size",) + (("crop_size", "crop_centre") if kind == "faces" else ())
    missing = [key for key in needed if key not in preparation]
    if missing:
        raise ImageSetError(f"the {kind} preparation lacks {missing}: give {', '.join(needed)}")
    return preparation


def load_image_set(path: str | Path, preparation: dict, limit: int | None = None, split: str = "all") -> ImageSet:
    """The images of ``path`` as painting targets (see the module docstring), the first ``limit`` of them."""
    preparation = check_preparation(preparation)
    path = Path(path)
    if limit is not None and limit < 1:
        raise ImageSetError(f"limit is {limit}: score at least one image (or give no limit)")
    if split not in SPLITS:
        raise ImageSetError(f"split is {split!r}: choose one of {', '.join(SPLITS)}")
    if not path.exists():
        raise ImageSetError(f"{str(path)!r} does not exist: give an IDX .gz, a KMNIST-style .npz or a folder of images")
    if path.is_dir():
        return _folder(path, preparation, limit, split)
    if split != "all":
        raise ImageSetError(f"--split {split} applies to a CelebA-style folder; {path.name} is one file: "
                            "give the test file itself (e.g. t10k-images-idx3-ubyte.gz) with split 'all'")
    size = int(preparation["image_size"])
    try:
        check_image_file(path)
    except UserImageError as exc:
        raise ImageSetError(str(exc).replace("image file", "IDX .gz, KMNIST-style .npz or folder of images")) from exc
    raw = path.read_bytes()
    if path.suffix.lower() == ".npz":
        try:
            with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
                found = {key: arrays[key] if key == "arr_0" else None for key in arrays.files}  # read arr_0 only
        except Exception as exc:  # a zip that is not an npz, a truncated file, pickled objects
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise ImageSetError(f"{path} is not a readable .npz of arrays ({reason}); pickled objects are never "
                                "loaded: save the images as one uint8 array (N, H, W) under arr_0") from exc
        try:
            digits = images_from_npz(found)
        except ValueError as exc:
            raise ImageSetError(f"{path}: {exc}") from exc
    else:
        try:
            digits = parse_idx(raw, source=str(path), expected_magic=IDX_IMAGES_MAGIC)
        except ValueError as exc:
            raise ImageSetError(f"{exc}: give an IDX image file (.gz or not), a KMNIST-style .npz or a folder "
                                "of images") from exc
        if digits.dtype != np.uint8:
            raise ImageSetError(f"{path} holds {digits.dtype} images: expected unsigned bytes, as MNIST's")
    if len(digits) == 0:
        raise ImageSetError(f"{path} holds no images")
    if min(digits.shape[1:]) < MIN_SIDE:
        raise ImageSetError(f"{path} holds {len(digits)} images of {digits.shape[2]}x{digits.shape[1]} pixels: "
                            f"each needs at least {MIN_SIDE} px on each side, as paint asks of a picture")
    digits = digits[:limit]
    names = [f"{path.name}[{i}]" for i in range(len(digits))]
    return ImageSet(names, digit_targets(digits, image_size=size),
                    f"grey characters from {path.name}: black ink on white, {size}x{size} (as data_prep)")


def own_outputs(folder: Path, names: set[str]) -> set[str]:
    """Which of ``names`` (files in ``folder``) this project wrote: ``evaluate``'s ``grid.png`` beside its
    ``summary.json`` and ``scores.csv``, ``paint``'s ``<name>.png`` and ``<name>.gif`` beside ``<name>.json``
    and ``<name>.ora``; and macOS's ``._*`` resource forks."""
    skipped = {name for name in names if name.startswith("._")}
    if "grid.png" in names and (folder / "summary.json").is_file() and (folder / "scores.csv").is_file():
        skipped.add("grid.png")
    for name in names:
        stem, suffix = name.rsplit(".", 1) if "." in name else (name, "")
        if suffix in ("png", "gif") and (folder / f"{stem}.json").is_file() and (folder / f"{stem}.ora").is_file():
            skipped.add(name)
    return skipped


def folder_pictures(folder: Path) -> tuple[list[Path], set[str]]:
    """The pictures in ``folder`` (its files with an image suffix, sorted) but this project's own outputs, and the
    names of those left out (:func:`own_outputs`)."""
    found = {p.name: p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES}
    skipped = own_outputs(folder, set(found))
    return sorted(path for name, path in found.items() if name not in skipped), skipped


def _folder(folder: Path, preparation: dict, limit: int | None, split: str) -> ImageSet:
    files, skipped = folder_pictures(folder)
    if not files:
        raise ImageSetError(f"the folder {folder} holds no images ({', '.join(IMAGE_SUFFIXES)})"
                            + (f" but this project's outputs ({', '.join(sorted(skipped))})" if skipped else ""))
    celeba = all(_CELEBA_NAME.match(p.name) for p in files)
    if split != "all":
        if not celeba:
            raise ImageSetError(f"--split {split} needs CelebA-style file names (NNNNNN.jpg) to find the official "
                                f"partition; {folder} has e.g. {next(p.name for p in files if not _CELEBA_NAME.match(p.name))}: "
                                "use split 'all'")
        partitions = partition_file_numbers(celeba_file_number(p.name) for p in files)
        if split == "test" and not partitions["test"]:
            split = "val"  # as data_prep: the development copy has no test partition, validation stands in
        wanted = set(partitions[split])
        files = [p for p in files if celeba_file_number(p.name) in wanted]
        if not files:
            raise ImageSetError(f"no CelebA {split}-partition images in {folder}")
    files = files[:limit]
    size = int(preparation["image_size"])
    if celeba and preparation["kind"] == "faces":
        faces = np.empty((len(files), size, size, 3), np.uint8)
        for i, path in enumerate(files):
            try:
                image = decode_jpeg(path.read_bytes(), source=str(path))
                faces[i] = face_target(image, crop_size=int(preparation["crop_size"]),
                                       crop_centre=preparation["crop_centre"], image_size=size, source=str(path))
            except ValueError as exc:
                raise ImageSetError(str(exc)) from exc
        return ImageSet([p.name for p in files], to_unit_rgb(faces, grey=False),
                        f"CelebA faces: {preparation['crop_size']}-pixel square at {list(preparation['crop_centre'])}, "
                        f"resized to {size}x{size} (as data_prep)", tuple(sorted(skipped)))
    targets = np.empty((len(files), size, size, 3), np.float32)
    for i, path in enumerate(files):
        try:
            targets[i] = load_user_image(path, size)
        except UserImageError as exc:
            raise ImageSetError(str(exc)) from exc
    return ImageSet([p.name for p in files], targets, f"pictures: centre square resized to {size}x{size} (as paint)",
                    tuple(sorted(skipped)))
