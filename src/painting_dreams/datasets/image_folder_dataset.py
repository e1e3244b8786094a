"""``ImageFolderDataset``: a local folder of pictures (any format Pillow reads), loaded lazily."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from kedro.io.core import AbstractDataset, DatasetError

from painting_dreams.targets.user_image import load_user_image

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


class ImageFolderDataset(AbstractDataset[None, dict[str, Callable[[int], np.ndarray]]]):
    """Load a folder of pictures (and its subfolders) as ``{name: load}``: ``name`` is the file's path
    inside the folder (``cats/tom.png``), ``load(size)`` reads it as the ``paint`` command reads a picture,
    a ``(size, size, 3)`` float32 target in [0, 1] (:func:`~painting_dreams.targets.user_image.load_user_image`).

    Only the file list is read on ``load``; each picture is decoded when its function is called. Files
    whose suffix is not an image's, hidden files and macOS's ``._*`` resource forks are skipped. A
    damaged picture raises the project's ``UserImageError`` naming it when it is read. Read-only.

    Example ``catalog.yml`` (``catalog_data_prep.yml`` has this as the pattern ``{dataset}.folder_images``):

    .. code-block:: yaml

        paintings.folder_images:
          type: painting_dreams.datasets.ImageFolderDataset
          path: data/01_raw/paintings
    """

    def __init__(self, *, path: str | os.PathLike, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(path)
        self.metadata = metadata

    def load(self) -> dict[str, Callable[[int], np.ndarray]]:
        if not self._path.is_dir():
            raise DatasetError(f"expected a folder of pictures at {self._path}, but there is no such folder: put the "
                               "dataset's images (PNG, JPEG, ...) there, or point the catalog entry elsewhere")
        images = {}
        for path in sorted(self._path.rglob("*")):
            name = path.relative_to(self._path).as_posix()
            hidden = any(part.startswith(".") for part in path.relative_to(self._path).parts)
            if path.is_file() and not hidden and path.suffix.lower() in IMAGE_SUFFIXES:
                images[name] = partial(load_user_image, path)
        if not images:
            raise DatasetError(f"the folder {self._path} holds no pictures ({', '.join(IMAGE_SUFFIXES)}): put the "
                               "dataset's images there")
        return images

    def save(self, data: Any) -> None:
        raise DatasetError(f"ImageFolderDataset is read-only: {self._path} holds a dataset's pictures, not an output")

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}

    def _exists(self) -> bool:
        return self._path.is_dir()
