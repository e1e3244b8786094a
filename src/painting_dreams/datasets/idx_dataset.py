"""``IdxDataset``: a read-only IDX file (the MNIST format), gzipped or not, loaded as a NumPy array."""

from __future__ import annotations

import os
from copy import deepcopy
from pathlib import PurePosixPath
from typing import Any

import fsspec
import numpy as np
from kedro.io.core import AbstractDataset, DatasetError, get_filepath_str, get_protocol_and_path

from painting_dreams.targets.idx import describe_idx_magic, parse_idx


class IdxDataset(AbstractDataset[None, np.ndarray]):
    """Load an IDX file such as MNIST's ``train-images-idx3-ubyte.gz`` as an array (uint8 for MNIST).

    The magic number and the size of the data are checked against the header; a missing,
    truncated or wrong file raises a ``DatasetError`` that names the path, says what was
    expected and where to download it (``source_url``). The dataset is read-only.

    Example ``catalog.yml``:

    .. code-block:: yaml

        mnist.train_images:
          type: painting_dreams.datasets.IdxDataset
          filepath: data/01_raw/mnist/train-images-idx3-ubyte.gz
          magic: 2051  # IDX images; 2049 for labels
          source_url: http://yann.lecun.com/exdb/mnist/

    Example Python:

    .. code-block:: python

        from painting_dreams.datasets import IdxDataset
        images = IdxDataset(filepath="data/01_raw/mnist/t10k-images-idx3-ubyte.gz", magic=2051).load()
        images.shape  # (10000, 28, 28)
    """

    def __init__(self, *, filepath: str | os.PathLike, magic: int | None = None, source_url: str | None = None,
                 credentials: dict[str, Any] | None = None, fs_args: dict[str, Any] | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        """Point at an IDX file; ``magic`` (e.g. 2051 for images) is the magic number it must have."""
        protocol, path = get_protocol_and_path(str(filepath))
        self._protocol = protocol
        self._filepath = PurePosixPath(path)
        self._fs = fsspec.filesystem(protocol, **deepcopy(credentials or {}), **deepcopy(fs_args or {}))
        self._magic = magic
        self._source_url = source_url
        self.metadata = metadata

    def load(self) -> np.ndarray:
        path = get_filepath_str(self._filepath, self._protocol)
        expected = describe_idx_magic(self._magic)
        try:
            with self._fs.open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError as exc:
            raise DatasetError(f"expected {expected} at {path}, but there is no such file; {self._fix(path)}") from exc
        try:
            return parse_idx(raw, source=path, expected_magic=self._magic)
        except ValueError as exc:
            raise DatasetError(f"{exc}; {self._fix(path)}") from exc

    def save(self, data: np.ndarray) -> None:
        raise DatasetError(f"IdxDataset is read-only: {self._filepath} is an official download, not an output")

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "magic": self._magic}

    def _exists(self) -> bool:
        return self._fs.exists(get_filepath_str(self._filepath, self._protocol))

    def _fix(self, path: str) -> str:
        """Tell the user how to get the right file."""
        where = f"download it from {self._source_url}" if self._source_url else "download the official file"
        return f"{where} and put it at {path}"
