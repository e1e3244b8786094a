"""A ``.keras`` model that is checked to be a whole file before Keras reads it.

Keras reports a truncated or damaged ``.keras`` file (e.g. a copy cut short by a full disk) as
"File not found", which sends a user looking for a file that is there. :func:`check_keras_file`
tells the two apart, and :class:`KerasModelDataset` (Kedro's ``TensorFlowModelDataset``) uses it.
"""

from __future__ import annotations

import zipfile
from typing import IO

import fsspec
from kedro.io.core import DatasetError, get_filepath_str
from kedro_datasets.tensorflow import TensorFlowModelDataset


class UnreadableModelError(ValueError):
    """A ``.keras`` file that is missing, truncated or not a ``.keras`` file at all."""


def check_keras_file(path: str, fs: fsspec.AbstractFileSystem | None = None,
                     fix: str = "save or copy it again") -> None:
    """Raise :class:`UnreadableModelError` naming ``path`` and ``fix`` unless it is a complete ``.keras`` archive."""
    fs = fs or fsspec.filesystem("file")
    if not fs.exists(path):
        raise UnreadableModelError(f"{path} does not exist")
    try:
        with fs.open(path, "rb") as raw:
            _check_archive(raw)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise UnreadableModelError(f"{path} is unreadable: not a complete .keras file ({exc}); it may have been "
                                   f"cut short (a full disk, an interrupted copy): {fix}") from exc


def _check_archive(raw: IO[bytes]) -> None:
    with zipfile.ZipFile(raw) as archive:
        names = set(archive.namelist())
        if "config.json" not in names:
            raise zipfile.BadZipFile("it holds no config.json")
        damaged = archive.testzip()  # reads every member: a truncated member fails its CRC or its read
        if damaged is not None:
            raise zipfile.BadZipFile(f"member {damaged} is damaged")


class KerasModelDataset(TensorFlowModelDataset):
    """``TensorFlowModelDataset`` whose load first checks the file is a whole ``.keras`` archive."""

    def load(self):
        path = get_filepath_str(self._get_load_path(), self._protocol)
        if not self._is_h5:
            try:
                check_keras_file(path, self._fs)
            except UnreadableModelError as exc:
                raise DatasetError(str(exc)) from exc
        return super().load()
