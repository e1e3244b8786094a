"""Files: written whole or not at all, output folders checked before any work is done, and model files
checked to be whole before they are read."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import fsspec


class OutputDirError(ValueError):
    """An output folder that is a file or cannot be written: the message says which and what to do."""


def check_out_dir(out_dir: str | Path, files: str, create: bool = True) -> Path:
    """``out_dir`` (created if ``create``), or an :class:`OutputDirError` if it is empty, a file, a symbolic link
    to nowhere or cannot be written.

    Call it with ``create=False`` before painting, so a bad ``--out`` costs nothing and a command that fails
    later (an unknown agent) leaves no empty folder. ``files`` names what goes there (for the message).
    """
    if str(out_dir) == "":
        raise OutputDirError(f"--out is empty: give a folder for {files} (--out . for the current folder)")
    out = Path(out_dir)
    if out.is_symlink() and not out.exists():
        try:
            out.resolve(strict=True)
            reason = "points to nothing"
        except RuntimeError:  # Python < 3.13 reports a loop so
            reason = "loops"
        except OSError as exc:
            reason = "loops" if exc.errno == errno.ELOOP else "points to nothing"
        raise OutputDirError(f"--out {str(out)!r} is a symbolic link that {reason} ({os.readlink(out)!r}): "
                             "give a real folder")
    if out.exists() and not out.is_dir():
        raise OutputDirError(f"--out {str(out)!r} is a file: give a folder for {files}")
    try:
        if out.is_dir():
            with tempfile.TemporaryFile(dir=out):
                pass
        elif create:
            out.mkdir(parents=True, exist_ok=True)
        else:  # the nearest folder that exists must take a new folder
            parent = next(folder for folder in out.absolute().parents if folder.exists())
            if not parent.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
            if not os.access(parent, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(parent))
    except OSError as exc:
        raise OutputDirError(f"--out {str(out)!r} cannot be written ({exc.strerror}): "
                             "choose a folder you can write to") from exc
    return out


def check_file_names(out_dir: Path, names: list[str]) -> None:
    """Raise :class:`OutputDirError` if one of ``names`` is longer than ``out_dir``'s file system allows."""
    existing = next(folder for folder in (out_dir.absolute(), *out_dir.absolute().parents) if folder.exists())
    try:
        limit = os.pathconf(existing, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    for name in names:
        if len(os.fsencode(name)) > limit:
            raise OutputDirError(f"the output file name {name[:40]!r}... is {len(os.fsencode(name))} bytes, longer "
                                 f"than the {limit} this file system allows: rename the image to a shorter name")


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (this one always does: another of its threads may be writing)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


TEMPORARY_NAME_CHARS = 40  # of the final name in a temporary's: a name near the file system's limit still has room
_TEMPORARY = re.compile(r"\.(?P<name>.*)\.(?P<pid>\d+)-[0-9a-z_]{8}\.(?:partial|old)")
_OLD_TEMPORARY = re.compile(r"\.(?P<name>.*)\.[0-9a-z_]{8}\.partial")  # mkstemp's, before writers named their pid


def _temporary_beside(path: Path, kind: str = "partial") -> Path:
    """A new empty hidden file beside ``path``: ``.<start of its name>.<pid>-<random>.<kind>``, short whatever
    the name's length, and naming its writer so that a later writer can remove it once that one is dead."""
    short = path.name.encode("utf-8", "surrogateescape")[:TEMPORARY_NAME_CHARS].decode("utf-8", "ignore")
    fd, tmp = tempfile.mkstemp(prefix=f".{short}.{os.getpid()}-", suffix=f".{kind}", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def remove_dead_temporaries(folder: Path, names: list[str]) -> list[Path]:
    """Remove the temporary files in ``folder`` that writers of ``names`` left when killed (``kill -9``, a power
    cut): those whose writing process is gone, and those of writers that did not name their pid. Returns them."""
    starts = {name.encode("utf-8", "surrogateescape")[:TEMPORARY_NAME_CHARS].decode("utf-8", "ignore") for name in names}
    removed = []
    for entry in folder.iterdir():
        new, old = _TEMPORARY.fullmatch(entry.name), _OLD_TEMPORARY.fullmatch(entry.name)
        dead = (new and new["name"] in starts and not process_alive(int(new["pid"]))) or (
            not new and old and old["name"] in names)
        if dead:
            try:
                entry.unlink()
                removed.append(entry)
            except FileNotFoundError:
                pass  # another writer removed it first
    return removed


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
def atomic_set(paths: dict[str, Path], remove: list[Path] = ()) -> Iterator[dict[str, Path]]:
    """Yield ``{kind: temporary path}`` beside each of ``paths`` to write a set of files to. Only when every
    one is written are they moved onto ``paths`` (renames: no disk space needed, microseconds apart), and the
    files of ``remove`` (an older set's that the new one lacks) removed; on any error all the temporary files
    are removed and the previous set stays as it was, whole: every target is checked before the first rename,
    and a rename that still fails puts the renamed ones back. Temporary files of killed writers of these
    names are removed first; ``SIGTERM`` must be turned into an exception (the commands do) to clean up too."""
    paths = {kind: Path(path) for kind, path in paths.items()}
    for folder in {path.parent for path in paths.values()}:
        remove_dead_temporaries(folder, [path.name for path in paths.values() if path.parent == folder])
    temporary: dict[str, Path] = {}
    backups: dict[Path, Path] = {}
    try:
        for kind, path in paths.items():
            temporary[kind] = _temporary_beside(path)
        yield dict(temporary)
        for path in [*paths.values(), *remove]:
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(errno.EISDIR, "a folder has the name of one of the files", str(path))
        for path in [*paths.values(), *remove]:  # hard links to the old files, to put back (no disk space)
            if path.is_file():
                backup = _temporary_beside(path, "old")
                backup.unlink()
                try:
                    os.link(path, backup)
                    backups[path] = backup
                except OSError:
                    pass  # a file system without hard links: that file cannot be put back
        published = []
        try:
            for kind, path in paths.items():
                _publish(temporary[kind], path)
                published.append(path)
            for path in remove:
                path.unlink(missing_ok=True)
        except BaseException:
            for path in published + [p for p in remove if p in backups]:
                if path in backups:
                    os.replace(backups.pop(path), path)
                else:
                    path.unlink(missing_ok=True)
            raise
    except BaseException:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)
        raise
    finally:
        for backup in backups.values():
            backup.unlink(missing_ok=True)


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
