"""Episodes on disk: a directory of ``chunk-00000.npz`` files and a ``manifest.json``.

:func:`write_episodes` streams chunks into a temporary directory beside the target, writes the
manifest last and only then renames the directory into place: an interrupted run leaves no
directory that looks complete. :class:`Episodes` reads such a directory lazily, chunk by chunk.

``manifest.json`` holds what the writer was told (``variant``, ``stroke_mode``, ``steps``,
``episodes``, ``seed``, ``width``, ``height``, ``action_fields``, ...) plus ``arrays`` (full
shape and dtype of every key) and ``chunks`` (file, first episode, episode count).
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import Protocol

import fsspec
import numpy as np

MANIFEST = "manifest.json"
FORMAT = "painting_dreams.episodes/1"


class EpisodeChunks(Protocol):
    """What :func:`write_episodes` takes: a manifest and chunks (dicts of arrays, episode axis first)."""

    manifest: dict

    def __iter__(self) -> Iterator[dict[str, np.ndarray]]: ...


def chunk_name(index: int) -> str:
    return f"chunk-{index:05d}.npz"


def write_episodes(episodes: EpisodeChunks, path: str, fs: fsspec.AbstractFileSystem | None = None,
                   compress_level: int = 1) -> dict:
    """Write ``episodes`` to the directory ``path`` atomically and return the manifest written.

    ``compress_level`` is the zlib level of the ``.npz`` members (0 stores them uncompressed;
    1 is fast and already shrinks mostly-white canvases ~10-25x). An existing directory at
    ``path`` is replaced only once the new one is complete.
    """
    fs = fs or fsspec.filesystem("file")
    if not 0 <= int(compress_level) <= 9:
        raise ValueError(f"compress_level is {compress_level}: use 0 (store) to 9 (smallest)")
    target = PurePosixPath(path)
    partial = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
    fs.makedirs(str(partial), exist_ok=False)
    try:
        manifest = _write_chunks(episodes, str(partial), fs, int(compress_level))
        with fs.open(str(partial / MANIFEST), "w") as f:
            json.dump(manifest, f, indent=2)
        _swap_into_place(fs, str(partial), str(target))
    except BaseException:
        if fs.exists(str(partial)):
            fs.rm(str(partial), recursive=True)
        raise
    return manifest


def _write_chunks(episodes: EpisodeChunks, directory: str, fs, compress_level: int) -> dict:
    manifest = {**dict(episodes.manifest), "format": FORMAT}
    arrays: dict[str, dict] | None = None
    chunks, total = [], 0
    stream = iter(episodes)
    try:
        for index, chunk in enumerate(stream):
            chunk = {key: np.asarray(array) for key, array in chunk.items()}
            count = _check_chunk(chunk, arrays, index)
            if arrays is None:
                arrays = {key: {"shape": list(a.shape[1:]), "dtype": a.dtype.str} for key, a in chunk.items()}
            with fs.open(f"{directory}/{chunk_name(index)}", "wb") as f:
                _save_npz(f, chunk, compress_level)
            chunks.append({"file": chunk_name(index), "first": total, "episodes": count})
            total += count
    finally:
        if hasattr(stream, "close"):
            stream.close()  # a failed write stops a generating stream (and its workers) at once
    expected = manifest.get("episodes")
    if arrays is None or (expected is not None and total != expected):
        raise ValueError(f"the episode stream ended after {total} episodes, its manifest promised {expected}: "
                         "nothing was written")
    manifest["episodes"] = total
    manifest["arrays"] = {key: {"shape": [total, *spec["shape"]], "dtype": spec["dtype"]} for key, spec in arrays.items()}
    manifest["chunks"] = chunks
    return manifest


def _check_chunk(chunk: dict[str, np.ndarray], arrays: dict | None, index: int) -> int:
    """Episode count of ``chunk``, after checking it matches the first chunk's keys, shapes and dtypes."""
    if not chunk:
        raise ValueError(f"chunk {index} is empty: a chunk is a dict of arrays with the episode axis first")
    counts = {key: np.shape(a)[0] if np.ndim(a) else None for key, a in chunk.items()}
    if len(set(counts.values())) != 1 or None in counts.values():
        raise ValueError(f"chunk {index} has arrays with different episode counts: {counts}")
    if arrays is not None:
        if set(chunk) != set(arrays):
            raise ValueError(f"chunk {index} has keys {sorted(chunk)}, the first chunk had {sorted(arrays)}")
        for key, a in chunk.items():
            if list(a.shape[1:]) != arrays[key]["shape"] or a.dtype.str != arrays[key]["dtype"]:
                raise ValueError(f"chunk {index} array {key!r} is {a.dtype} {a.shape[1:]} per episode, "
                                 f"the first chunk had {arrays[key]['dtype']} {tuple(arrays[key]['shape'])}")
    return next(iter(counts.values()))


def _save_npz(file, arrays: dict[str, np.ndarray], compress_level: int) -> None:
    """Like ``np.savez_compressed`` with a chosen zlib level; byte-identical for identical arrays."""
    compression = zipfile.ZIP_DEFLATED if compress_level else zipfile.ZIP_STORED
    with zipfile.ZipFile(file, "w", compression=compression, compresslevel=compress_level or None) as archive:
        for key, array in arrays.items():
            with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)


def _swap_into_place(fs, partial: str, target: str) -> None:
    """Rename ``partial`` to ``target``, moving an older ``target`` aside first and deleting it after."""
    if not fs.exists(target):
        fs.mv(partial, target, recursive=True)
        return
    stale = f"{target}.stale-{uuid.uuid4().hex[:8]}"
    fs.mv(target, stale, recursive=True)
    fs.mv(partial, target, recursive=True)
    fs.rm(stale, recursive=True)


class Episodes:
    """A stored set of episodes, read lazily: nothing but the manifest is loaded up front.

    ``len(episodes)`` is the number of episodes; iterating yields one chunk (dict of arrays) at a
    time; :meth:`arrays` gathers chosen keys of chosen episodes across chunks.

    Example:

    .. code-block:: python

        episodes = Episodes("data/02_intermediate/episodes/mnist/stroke")
        batch = episodes.arrays(["actions", "start", "strokes"], episodes=slice(0, 256))
        for chunk in episodes.chunks(["strokes"]):
            ...
    """

    def __init__(self, path: str, fs: fsspec.AbstractFileSystem | None = None):
        self.path = str(path).rstrip("/")
        self._fs = fs or fsspec.filesystem("file")
        manifest_path = f"{self.path}/{MANIFEST}"
        if not self._fs.exists(manifest_path):
            what = "is not there" if not self._fs.exists(self.path) else "has no manifest.json (an unfinished or interrupted write)"
            raise FileNotFoundError(f"episodes directory {self.path!r} {what}: generate it with "
                                    "`kedro run --pipeline episodes` (or `--env quick` for a small set)")
        with self._fs.open(manifest_path, "r") as f:
            self.manifest: dict = json.load(f)
        self._firsts = np.array([chunk["first"] for chunk in self.manifest["chunks"]], dtype=np.int64)

    def __len__(self) -> int:
        return int(self.manifest["episodes"])

    def __repr__(self) -> str:
        m = self.manifest
        return (f"Episodes({self.path!r}: {len(self)} {m.get('variant')} "
                f"{'stroke' if m.get('stroke_mode') else 'canvas'} episodes x {m.get('steps')} steps, "
                f"{len(m['chunks'])} chunks, keys {', '.join(self.keys)})")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.manifest["arrays"])

    def __iter__(self) -> Iterator[dict[str, np.ndarray]]:
        return self.chunks()

    def chunks(self, keys: Sequence[str] | None = None) -> Iterator[dict[str, np.ndarray]]:
        """Each chunk in order, as a dict of the chosen ``keys`` (default: all)."""
        for index in range(len(self.manifest["chunks"])):
            yield self.chunk(index, keys)

    def chunk(self, index: int, keys: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Chunk ``index`` as a dict of the chosen ``keys`` (default: all)."""
        keys = self._check_keys(keys)
        with self._fs.open(f"{self.path}/{self.manifest['chunks'][index]['file']}", "rb") as f:
            data = io.BytesIO(f.read()) if not f.seekable() else f
            with np.load(data, allow_pickle=False) as archive:
                return {key: archive[key] for key in keys}

    def arrays(self, keys: Sequence[str] | None = None,
               episodes: slice | Sequence[int] | np.ndarray | None = None) -> dict[str, np.ndarray]:
        """The chosen ``keys`` of the chosen ``episodes`` (a slice, indices or a boolean mask; default: all).

        Reads only the chunks that hold those episodes; episodes come back in the order asked.
        """
        keys = self._check_keys(keys)
        wanted = np.arange(len(self))[slice(None) if episodes is None else episodes]
        wanted = np.atleast_1d(wanted)
        out = {key: np.empty((len(wanted), *self.manifest["arrays"][key]["shape"][1:]),
                             np.dtype(self.manifest["arrays"][key]["dtype"])) for key in keys}
        chunk_of = np.searchsorted(self._firsts, wanted, side="right") - 1
        for index in np.unique(chunk_of):
            rows = np.flatnonzero(chunk_of == index)
            chunk = self.chunk(int(index), keys)
            local = wanted[rows] - self._firsts[index]
            for key in keys:
                out[key][rows] = chunk[key][local]
        return out

    def _check_keys(self, keys: Iterable[str] | None) -> list[str]:
        if keys is None:
            return list(self.keys)
        keys = [keys] if isinstance(keys, str) else list(keys)
        unknown = [key for key in keys if key not in self.manifest["arrays"]]
        if unknown:
            raise KeyError(f"no array {', '.join(map(repr, unknown))} in {self.path}: it holds {', '.join(self.keys)}")
        return keys
