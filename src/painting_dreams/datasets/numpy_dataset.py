"""``NumpyDataset``: one NumPy array, or a dict of named arrays, in a ``.npy`` / ``.npz`` file."""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import PurePosixPath
from typing import Any

import fsspec
import numpy as np
from kedro.io.core import AbstractVersionedDataset, DatasetError, Version, get_filepath_str, get_protocol_and_path

from painting_dreams.datasets._atomic import write_bytes_atomically


class NumpyDataset(AbstractVersionedDataset[Any, Any]):
    """Load and save NumPy arrays with ``allow_pickle=False``, written atomically.

    A ``.npy`` path holds one array; a ``.npz`` path holds a dict of arrays (compressed if
    ``compress`` is true). Saving writes to a temporary file beside the target, then renames it,
    so an interrupted run never leaves a file that looks complete; a failed save removes its
    temporary file, and the next save removes those of killed runs.

    With ``unit_float_as_uint8``, every array must be a float image in [0, 1]: it is stored as
    uint8 (``round(x * 255)``, a quarter of the size, exact for images made from 8-bit pixels)
    and loaded back as float32 ``x / 255``.

    Example ``catalog.yml``:

    .. code-block:: yaml

        mnist_targets:
          type: painting_dreams.datasets.NumpyDataset
          filepath: data/03_primary/mnist_targets.npz
          compress: true
          unit_float_as_uint8: true  # optional: float images in [0, 1] kept as uint8 on disk

    Example Python:

    .. code-block:: python

        from painting_dreams.datasets import NumpyDataset
        ds = NumpyDataset(filepath="data/03_primary/x.npz")
        ds.save({"train": np.zeros((2, 64, 64, 3), np.float32)})
        arrays = ds.load()
    """

    def __init__(self, *, filepath: str, compress: bool = False, unit_float_as_uint8: bool = False,
                 version: Version | None = None, credentials: dict | None = None, fs_args: dict | None = None,
                 metadata: dict | None = None):
        protocol, path = get_protocol_and_path(filepath, version)
        suffix = PurePosixPath(path).suffix
        if suffix not in (".npy", ".npz"):
            raise DatasetError(f"NumpyDataset path {filepath!r} must end in .npy (one array) or .npz (dict of arrays)")
        self._protocol = protocol
        self._fs = fsspec.filesystem(protocol, **deepcopy(credentials or {}), **deepcopy(fs_args or {}))
        self._compress = compress
        self._unit_float_as_uint8 = unit_float_as_uint8
        self.metadata = metadata
        super().__init__(filepath=PurePosixPath(path), version=version, exists_function=self._fs.exists,
                         glob_function=self._fs.glob)

    def load(self) -> np.ndarray | dict[str, np.ndarray]:
        path = get_filepath_str(self._get_load_path(), self._protocol)
        if not self._fs.exists(path):
            download = (self.metadata or {}).get("download")
            hint = f"download it from {download} and put it there" if download else "run the stage that makes it"
            raise DatasetError(f"no NumPy file at {path!r}: {hint}")
        try:
            with self._fs.open(path, "rb") as f:
                data = np.load(io.BytesIO(f.read()), allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise DatasetError(f"{path!r} is not a readable .npy/.npz file ({exc}): re-download or regenerate it") from exc
        if isinstance(data, np.lib.npyio.NpzFile):
            with data:
                arrays = {key: data[key] for key in data.files}
            return {key: self._from_disk(key, array) for key, array in arrays.items()}
        return self._from_disk("array", data)

    def save(self, data: np.ndarray | dict[str, np.ndarray]) -> None:
        path = get_filepath_str(self._get_save_path(), self._protocol)
        buffer = io.BytesIO()
        if self._filepath.suffix == ".npz":
            if not isinstance(data, dict):
                raise DatasetError(f"{self._filepath} is a .npz file: save a dict of arrays, got {type(data).__name__}")
            arrays = {key: self._to_disk(key, np.asarray(array)) for key, array in data.items()}
            (np.savez_compressed if self._compress else np.savez)(buffer, **arrays)
        else:
            np.save(buffer, self._to_disk("array", np.asarray(data)), allow_pickle=False)
        write_bytes_atomically(self._fs, path, buffer.getvalue())
        self._invalidate_cache()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "compress": self._compress,
                "unit_float_as_uint8": self._unit_float_as_uint8, "version": self._version}

    def _to_disk(self, key: str, array: np.ndarray) -> np.ndarray:
        """With ``unit_float_as_uint8``, turn a float image in [0, 1] into uint8; otherwise keep it as is."""
        if not self._unit_float_as_uint8:
            return array
        if not np.issubdtype(array.dtype, np.floating):
            raise DatasetError(f"{self._filepath} stores float images in [0, 1] as uint8 (unit_float_as_uint8), "
                               f"but {key!r} has dtype {array.dtype}")
        if array.size and not (array.min() >= 0 and array.max() <= 1):  # also catches NaN
            raise DatasetError(f"{self._filepath} stores float images in [0, 1] as uint8 (unit_float_as_uint8), "
                               f"but {key!r} holds values from {array.min()} to {array.max()}")
        stored = np.empty(array.shape, dtype=np.uint8)
        values, out = array.reshape(-1), stored.reshape(-1)
        for start in range(0, values.size, 1 << 24):  # in slices, so no full-size float copy is made
            out[start:start + (1 << 24)] = np.rint(values[start:start + (1 << 24)] * np.float32(255))
        return stored

    def _from_disk(self, key: str, array: np.ndarray) -> np.ndarray:
        """With ``unit_float_as_uint8``, turn stored uint8 back into float32 in [0, 1]; otherwise keep it as is."""
        if not self._unit_float_as_uint8:
            return array
        if array.dtype != np.uint8:
            raise DatasetError(f"{self._filepath} should hold uint8 images (unit_float_as_uint8), but {key!r} has "
                               f"dtype {array.dtype}: was it saved without that option?")
        return np.divide(array, np.float32(255), dtype=np.float32)

    def _exists(self) -> bool:
        try:
            path = get_filepath_str(self._get_load_path(), self._protocol)
        except DatasetError:
            return False
        return self._fs.exists(path)

    def _invalidate_cache(self) -> None:
        self._fs.invalidate_cache(get_filepath_str(self._filepath, self._protocol))
