"""Files: written whole or not at all, output folders checked before any work is done, and model files
checked to be whole before they are read."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import fsspec


class OutputDirError(ValueError):
    """An output folder that is a file or cannot be written: the message says which and what to do."""


def check_out_dir(out_dir: str | Path, files: str) -> Path:
    """``out_dir`` created if needed, or an :class:`OutputDirError` if it is a file or cannot be written.

    Call it before painting, so a bad ``--out`` costs nothing. ``files`` names what goes there (for the message).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputDirError(f"--out {str(out)!r} is a file: give a folder for {files}")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise OutputDirError(f"--out {str(out)!r} cannot be written ({exc.strerror}): "
                             "choose a folder you can write to") from exc
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def _publish(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the permissions a plain ``open`` would (0666 minus the umask; ``mkstemp`` makes 0600)
    and move it onto ``path``."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, path)


@contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; on success it replaces ``path``, on any
    error it is removed, so ``path`` is never left half-written."""
    path = Path(path)
    tmp = _temporary_beside(path)
    try:
        yield tmp
        _publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_set(paths: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Yield ``{kind: temporary path}`` beside each of ``paths`` to write a set of files to. Only when every
    one is written are they moved onto ``paths`` (renames: no disk space needed, microseconds apart); on
    any error all the temporary files are removed and the previous set stays as it was, whole."""
    temporary: dict[str, Path] = {}
    try:
        for kind, path in paths.items():
            temporary[kind] = _temporary_beside(Path(path))
        yield dict(temporary)
        for kind, path in paths.items():
            _publish(temporary[kind], Path(path))
    except BaseException:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)
        raise


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
