"""``CelebADataset``: the aligned CelebA faces, as a folder of JPEGs or the official zip, loaded lazily."""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable
from copy import deepcopy
from functools import partial
from pathlib import PurePosixPath
from typing import Any

import fsspec
import numpy as np
from fsspec.implementations.zip import ZipFileSystem
from kedro.io.core import AbstractDataset, DatasetError, get_filepath_str, get_protocol_and_path

from painting_dreams.targets.celeba import celeba_file_number, decode_jpeg

_EXPECTED = ("the aligned CelebA faces, either the folder img_align_celeba/ of JPEGs 000001.jpg … 202599.jpg "
             "or the official img_align_celeba.zip")


class CelebADataset(AbstractDataset[None, dict[int, Callable[[], np.ndarray]]]):
    """Load CelebA's ``img_align_celeba`` as ``{file_number: load}``, where ``load()`` decodes one JPEG.

    ``path`` is either the folder of JPEGs or the official ``img_align_celeba.zip`` (read in place,
    never unpacked). Only the file list is read on ``load``; each image is decoded when its
    function is called, into a uint8 RGB array (218, 178, 3), so 200k faces never sit in memory
    at once (as with Kedro's ``PartitionedDataset``). Files not named like ``000001.jpg`` are
    ignored. The dataset is read-only.

    Example ``catalog.yml``:

    .. code-block:: yaml

        celeba.images:
          type: painting_dreams.datasets.CelebADataset
          path: data/01_raw/celeba/img_align_celeba  # or data/01_raw/celeba/img_align_celeba.zip
          source_url: https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html

    Example Python:

    .. code-block:: python

        from painting_dreams.datasets import CelebADataset
        faces = CelebADataset(path="data/01_raw/celeba/img_align_celeba.zip").load()
        first = faces[1]()  # 000001.jpg as a (218, 178, 3) uint8 array
    """

    def __init__(self, *, path: str | os.PathLike, source_url: str | None = None,
                 credentials: dict[str, Any] | None = None, fs_args: dict[str, Any] | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        """Point at the folder of JPEGs or at the zip (a path ending in ``.zip``)."""
        protocol, local_path = get_protocol_and_path(str(path))
        self._protocol = protocol
        self._path = PurePosixPath(local_path)
        self._fs_options = {**deepcopy(credentials or {}), **deepcopy(fs_args or {})}
        self._fs = fsspec.filesystem(protocol, **self._fs_options)
        self._source_url = source_url
        self.metadata = metadata

    def load(self) -> dict[int, Callable[[], np.ndarray]]:
        path = get_filepath_str(self._path, self._protocol)
        if self._path.suffix == ".zip":
            fs, names = self._open_zip(path)
            sources = [f"{path}::{name}" for name in names]
        elif self._fs.isdir(path):
            fs, names = self._fs, self._fs.ls(path, detail=False)
            sources = names
        else:
            raise DatasetError(f"expected {_EXPECTED} at {path}, but there is no such folder; {self._fix(path)}")
        images = {}
        for name, source in sorted(zip(names, sources)):
            number = celeba_file_number(name)
            if number is not None:
                images[number] = partial(_read_jpeg, fs, name, source)
        if not images:
            raise DatasetError(f"expected {_EXPECTED} at {path}, but it holds no JPEG named like 000001.jpg; "
                               f"{self._fix(path)}")
        return images

    def save(self, data: Any) -> None:
        raise DatasetError(f"CelebADataset is read-only: {self._path} is an official download, not an output")

    def _describe(self) -> dict[str, Any]:
        return {"path": self._path, "protocol": self._protocol}

    def _exists(self) -> bool:
        return self._fs.exists(get_filepath_str(self._path, self._protocol))

    def _open_zip(self, path: str) -> tuple[ZipFileSystem, list[str]]:
        """Open the zip in place and list its members."""
        if not self._fs.isfile(path):
            raise DatasetError(f"expected {_EXPECTED} at {path}, but there is no such file; {self._fix(path)}")
        try:
            zip_fs = ZipFileSystem(fo=path, target_protocol=self._protocol, target_options=self._fs_options,
                                   skip_instance_cache=True)
        except zipfile.BadZipFile as exc:
            raise DatasetError(f"expected {_EXPECTED} at {path}, but it is not a valid zip file ({exc}): the "
                               f"download is truncated or corrupt; {self._fix(path)}") from exc
        return zip_fs, zip_fs.find("")

    def _fix(self, path: str) -> str:
        """Tell the user how to get the right files."""
        where = f"download img_align_celeba.zip from {self._source_url}" if self._source_url else \
            "download the official img_align_celeba.zip"
        if self._path.suffix == ".zip":
            return f"{where} (Align&Cropped Images) and put it at {path}"
        return f"{where} (Align&Cropped Images) and unzip it so that the JPEGs are in {path}/"


def _read_jpeg(fs: fsspec.AbstractFileSystem, name: str, source: str) -> np.ndarray:
    """Read and decode one JPEG of the folder or zip; `source` names it in errors."""
    try:
        data = fs.cat_file(name)
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise ValueError(f"expected a CelebA JPEG at {source}, but it cannot be read ({exc}): "
                         f"replace it from the official img_align_celeba.zip") from exc
    return decode_jpeg(data, source=source)
