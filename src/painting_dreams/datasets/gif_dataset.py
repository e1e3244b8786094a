"""``GifDataset``: an animated GIF from a list of ``(H, W, 3)`` uint8 frames, written atomically."""

from __future__ import annotations

import io
from copy import deepcopy
from pathlib import PurePosixPath
from typing import Any

import fsspec
import numpy as np
from kedro.io.core import AbstractDataset, DatasetError, get_filepath_str, get_protocol_and_path
from PIL import Image

from painting_dreams.datasets._atomic import write_bytes_atomically


class GifDataset(AbstractDataset[list, list]):
    """Save a list of RGB frames as a looping animated GIF; load it back as frames.

    Example ``catalog.yml``:

    .. code-block:: yaml

        mnist_8.transfer_gif:
          type: painting_dreams.datasets.GifDataset
          filepath: data/08_reporting/evaluation/mnist_8.gif
          frame_ms: 250

    Example Python:

    .. code-block:: python

        from painting_dreams.datasets import GifDataset
        GifDataset(filepath="out.gif").save([np.zeros((8, 8, 3), np.uint8)] * 2)
    """

    def __init__(self, *, filepath: str, frame_ms: int = 250, credentials: dict | None = None,
                 fs_args: dict | None = None, metadata: dict | None = None):
        protocol, path = get_protocol_and_path(filepath)
        self._protocol = protocol
        self._filepath = PurePosixPath(path)
        self._fs = fsspec.filesystem(protocol, **deepcopy(credentials or {}), **deepcopy(fs_args or {}))
        self._frame_ms = int(frame_ms)
        self.metadata = metadata

    def load(self) -> list[np.ndarray]:
        path = get_filepath_str(self._filepath, self._protocol)
        with self._fs.open(path, "rb") as f, Image.open(io.BytesIO(f.read())) as gif:
            frames = []
            for index in range(getattr(gif, "n_frames", 1)):
                gif.seek(index)
                frames.append(np.asarray(gif.convert("RGB")))
        return frames

    def save(self, data: list[np.ndarray]) -> None:
        if not data:
            raise DatasetError(f"no frames to write to {self._filepath}: a GIF needs at least one frame")
        images = [Image.fromarray(np.asarray(frame, dtype=np.uint8)) for frame in data]
        buffer = io.BytesIO()
        images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=self._frame_ms,
                       loop=0, optimize=False)
        write_bytes_atomically(self._fs, get_filepath_str(self._filepath, self._protocol), buffer.getvalue())

    def _exists(self) -> bool:
        return self._fs.exists(get_filepath_str(self._filepath, self._protocol))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "frame_ms": self._frame_ms}
