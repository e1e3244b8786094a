"""``NumpyDataset``: one NumPy array, or a dict of named arrays, in a ``.npy`` / ``.npz`` file."""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import PurePosixPath
from typing import Any

import fsspec
import numpy as np
from kedro.io.core import AbstractVersionedDataset, DatasetError, Version, get_filepath_str, get_protocol_and_path


class NumpyDataset(AbstractVersionedDataset[Any, Any]):
    """Load and save NumPy arrays with ``allow_pickle=False``, written atomically.

    A ``.npy`` path holds one array; a ``.npz`` path holds a dict of arrays (compressed if
    ``compress`` is true). Saving writes to a temporary file beside the target, then renames it,
    so an interrupted run never leaves a file that looks complete.

    Example ``catalog.yml``:

    .. code-block:: yaml

        mnist_targets:
          type: painting_dreams.datasets.NumpyDataset
          filepath: data/03_primary/mnist_targets.npz

    Example Python:

    .. code-block:: python

        from painting_dreams.datasets import NumpyDataset
        ds = NumpyDataset(filepath="data/03_primary/x.npz")
        ds.save({"train": np.zeros((2, 64, 64, 3), np.float32)})
        arrays = ds.load()
    """

    def __init__(self, *, filepath: str, compress: bool = False, version: Version | None = None,
                 credentials: dict | None = None, fs_args: dict | None = None, metadata: dict | None = None):
        protocol, path = get_protocol_and_path(filepath, version)
        suffix = PurePosixPath(path).suffix
        if suffix not in (".npy", ".npz"):
            raise DatasetError(f"NumpyDataset path {filepath!r} must end in .npy (one array) or .npz (dict of arrays)")
        self._protocol = protocol
        self._fs = fsspec.filesystem(protocol, **deepcopy(credentials or {}), **deepcopy(fs_args or {}))
        self._compress = compress
        self.metadata = metadata
        super().__init__(filepath=PurePosixPath(path), version=version, exists_function=self._fs.exists,
                         glob_function=self._fs.glob)

    def load(self) -> np.ndarray | dict[str, np.ndarray]:
        path = get_filepath_str(self._get_load_path(), self._protocol)
        with self._fs.open(path, "rb") as f:
            data = np.load(io.BytesIO(f.read()), allow_pickle=False)
        if isinstance(data, np.lib.npyio.NpzFile):
            with data:
                return {key: data[key] for key in data.files}
        return data

    def save(self, data: np.ndarray | dict[str, np.ndarray]) -> None:
        path = get_filepath_str(self._get_save_path(), self._protocol)
        buffer = io.BytesIO()
        if self._filepath.suffix == ".npz":
            if not isinstance(data, dict):
                raise DatasetError(f"{self._filepath} is a .npz file: save a dict of arrays, got {type(data).__name__}")
            (np.savez_compressed if self._compress else np.savez)(buffer, **data)
        else:
            np.save(buffer, np.asarray(data), allow_pickle=False)
        parent = str(PurePosixPath(path).parent)
        self._fs.makedirs(parent, exist_ok=True)
        tmp = f"{path}.tmp-partial"
        with self._fs.open(tmp, "wb") as f:
            f.write(buffer.getvalue())
        self._fs.mv(tmp, path)
        self._invalidate_cache()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "compress": self._compress, "version": self._version}

    def _exists(self) -> bool:
        try:
            path = get_filepath_str(self._get_load_path(), self._protocol)
        except DatasetError:
            return False
        return self._fs.exists(path)

    def _invalidate_cache(self) -> None:
        self._fs.invalidate_cache(get_filepath_str(self._filepath, self._protocol))
