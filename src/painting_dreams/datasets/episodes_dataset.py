"""``EpisodesDataset``: episodes as a directory of ``.npz`` chunks plus a ``manifest.json``."""

from __future__ import annotations

from copy import deepcopy
from pathlib import PurePosixPath
from typing import Any

import fsspec
from kedro.io.core import AbstractDataset, DatasetError, get_protocol_and_path

from painting_dreams.episodes.store import MANIFEST, EpisodeChunks, Episodes, write_episodes


class EpisodesDataset(AbstractDataset[EpisodeChunks, Episodes]):
    """Save episodes chunk by chunk, atomically; load them lazily as :class:`Episodes`.

    Saving takes anything with a ``manifest`` dict that iterates over chunks (dicts of arrays,
    episode axis first), such as an :class:`~painting_dreams.episodes.EpisodeStream`, which only
    rolls episodes out as it is iterated, or a loaded :class:`Episodes`. Chunks go to
    ``chunk-00000.npz``, ``chunk-00001.npz``, ... in a temporary directory beside ``filepath``;
    ``manifest.json`` is written last and the directory renamed into place only then, so an
    interrupted run leaves nothing that loads. Loading reads only the manifest; chunks are read
    when asked for.

    Not versioned: these directories are meant to be DVC outputs.

    Example ``catalog.yml``:

    .. code-block:: yaml

        mnist.stroke_episodes:
          type: painting_dreams.datasets.episodes_dataset.EpisodesDataset
          filepath: data/02_intermediate/episodes/mnist/stroke
          compress_level: 1

    Example Python:

    .. code-block:: python

        from painting_dreams.datasets.episodes_dataset import EpisodesDataset
        from painting_dreams.episodes import EpisodeSpec, EpisodeStream

        ds = EpisodesDataset(filepath="data/02_intermediate/episodes/mnist/stroke")
        ds.save(EpisodeStream(EpisodeSpec("mnist", stroke_mode=True, steps=20, brush="classic/dry_brush"), episodes=64, seed=1))
        episodes = ds.load()
        strokes = episodes.arrays(["strokes"], episodes=slice(0, 8))["strokes"]
    """

    def __init__(self, *, filepath: str, compress_level: int = 1, credentials: dict | None = None,
                 fs_args: dict | None = None, metadata: dict | None = None):
        protocol, path = get_protocol_and_path(filepath)
        if not 0 <= int(compress_level) <= 9:
            raise DatasetError(f"compress_level is {compress_level}: use 0 (store uncompressed) to 9 (smallest files)")
        self._protocol = protocol
        self._filepath = PurePosixPath(path)
        self._fs = fsspec.filesystem(protocol, **deepcopy(credentials or {}), **deepcopy(fs_args or {}))
        self._compress_level = int(compress_level)
        self.metadata = metadata

    def load(self) -> Episodes:
        if not self._exists():
            raise DatasetError(
                f"no complete episodes at {self._filepath}: {MANIFEST} is missing, so the directory was never "
                "written or its writing was interrupted. Run `kedro run --pipeline episodes` to generate it."
            )
        return Episodes(str(self._filepath), self._fs)

    def save(self, data: EpisodeChunks) -> None:
        if not hasattr(data, "manifest"):
            raise DatasetError(
                f"EpisodesDataset saves an object with a 'manifest' dict that iterates over chunks "
                f"(e.g. EpisodeStream or Episodes), got {type(data).__name__}"
            )
        write_episodes(data, str(self._filepath), self._fs, self._compress_level)
        self._fs.invalidate_cache(str(self._filepath))

    def _exists(self) -> bool:
        return self._fs.exists(str(self._filepath / MANIFEST))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "compress_level": self._compress_level}
