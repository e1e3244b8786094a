"""Episodes on disk: a directory of ``chunk-00000.npz`` files and a ``manifest.json``.

:func:`write_episodes` streams chunks into a temporary directory beside the target, writes the
manifest last and only then renames the directory into place: an interrupted run leaves no
directory that looks complete. :class:`Episodes` reads such a directory lazily, chunk by chunk.

On a local disk, a writer holds a lock file ``.{name}.lock`` beside the target while it writes:
a second writer of the same target is refused, and the next writer removes the temporary
directories a killed one left (``.{name}.partial-*``, ``.{name}.stale-*``).

``manifest.json`` holds what the writer was told (``variant``, ``stroke_mode``, ``steps``,
``episodes``, ``seed``, ``width``, ``height``, ``action_fields``, ...) plus ``arrays`` (full
shape and dtype of every key) and ``chunks`` (file, first episode, episode count).
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import PurePosixPath
from typing import Protocol

import fsspec
import numpy as np
from fsspec.implementations.local import LocalFileSystem

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
    ``path`` is replaced only once the new one is complete. On a local disk, a second writer of
    the same ``path`` is refused while the first is writing (:class:`WriterBusyError`).
    """
    fs = fs or fsspec.filesystem("file")
    if not 0 <= int(compress_level) <= 9:
        raise ValueError(f"compress_level is {compress_level}: use 0 (store) to 9 (smallest)")
    target = PurePosixPath(str(path).rstrip("/"))
    fs.makedirs(str(target.parent), exist_ok=True)
    local = isinstance(fs, LocalFileSystem)
    with _writer_lock(str(target)) if local else nullcontext():
        if local:  # with the lock held, no live writer owns them
            _remove_leftovers(fs, target)
        partial = _sibling(target, "partial")
        fs.makedirs(partial, exist_ok=False)
        try:
            manifest = _write_chunks(episodes, partial, fs, int(compress_level))
            with fs.open(f"{partial}/{MANIFEST}", "w") as f:
                json.dump(manifest, f, indent=2)
            _swap_into_place(fs, partial, str(target))
        except BaseException:
            if fs.exists(partial):
                fs.rm(partial, recursive=True)
            raise
    return manifest


class WriterBusyError(RuntimeError):
    """Another live process is writing the same episodes directory."""


@contextmanager
def _writer_lock(target: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``.{name}.lock`` beside ``target``; refuse at once if another process has it.

    The lock file holds the writer's pid (for the message) and is deleted before it is unlocked, so
    it does not outlive the write. The kernel drops the lock of a killed process, so a lock file
    left by a kill blocks nobody.
    """
    lock = str(PurePosixPath(target).with_name(f".{PurePosixPath(target).name}.lock"))
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise WriterBusyError(f"another run (pid {holder}) is writing {target}: wait for it to finish or stop it, "
                                  f"then run again (its lock file is {lock})") from None
        try:
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)  # the previous holder deleted this file as it finished: lock the new one instead
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        try:
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:  # not one made after someone removed ours
                os.unlink(lock)  # before unlocking, so no later writer locks a file about to vanish
        except FileNotFoundError:
            pass
        os.close(fd)


def _sibling(target: PurePosixPath, kind: str) -> str:
    """A fresh hidden name beside ``target`` for a directory of ``kind`` (``partial`` or ``stale``)."""
    return str(target.with_name(f".{target.name}.{kind}-{uuid.uuid4().hex[:8]}"))


def _remove_leftovers(fs, target: PurePosixPath) -> None:
    """Remove the ``.{name}.partial-*`` and ``.{name}.stale-*`` directories of killed writers of ``target``.

    Also ``{name}.stale-*``, which writers before the lock left in plain sight.
    """
    name = re.escape(target.name)
    pattern = re.compile(rf"(\.{name}\.(partial|stale)|{name}\.stale)-[0-9a-f]{{8}}")
    for entry in fs.ls(str(target.parent), detail=False):
        if pattern.fullmatch(PurePosixPath(entry).name):
            fs.rm(entry, recursive=True)


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
    stale = None
    if fs.exists(target):
        stale = _sibling(PurePosixPath(target), "stale")
        _rename(fs, target, stale)
    try:
        _rename(fs, partial, target)
    except BaseException:
        if stale and not fs.exists(target):
            _rename(fs, stale, target)  # put the old episodes back
        elif stale:
            fs.rm(stale, recursive=True)  # another run's episodes took their place
        raise
    if stale:
        fs.rm(stale, recursive=True)


def _rename(fs, source: str, destination: str) -> None:
    """Rename the directory ``source`` to ``destination``, which must not exist.

    ``fs.mv`` would move ``source`` *into* a ``destination`` that another writer created meanwhile,
    nesting one episodes directory in another; a local ``os.rename`` fails instead.
    """
    exists = FileExistsError(f"{destination} appeared while this run was writing it: another run is writing "
                             "there too; nothing was replaced, run again once it has finished")
    if isinstance(fs, LocalFileSystem):
        try:
            os.rename(source, destination)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR):
                raise exists from exc
            raise
        return
    if fs.exists(destination):
        raise exists
    fs.mv(source, destination, recursive=True)


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
