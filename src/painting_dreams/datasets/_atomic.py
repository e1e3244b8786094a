"""Writing a dataset's file whole or not at all, through a temporary file beside it."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import PurePosixPath

import fsspec
from fsspec.implementations.local import LocalFileSystem

from painting_dreams.files import process_alive

TEMPORARY = ".tmp-partial"


def write_bytes_atomically(fs: fsspec.AbstractFileSystem, path: str, payload: bytes) -> None:
    """Write ``payload`` to ``path``: to a temporary file beside it first, then rename that into place.

    Each save has its own temporary name (``{path}.tmp-partial-{pid}-{random}``), so two saves of
    one path never write into the same file: the later rename wins, whole. A failed write or
    rename removes the temporary file; on a local disk, those left by killed processes are
    removed by the next save of the same path.
    """
    fs.makedirs(str(PurePosixPath(path).parent), exist_ok=True)
    if isinstance(fs, LocalFileSystem):
        _remove_temporaries_of_dead_saves(fs, path)
    tmp = f"{path}{TEMPORARY}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        with fs.open(tmp, "wb") as f:
            f.write(payload)
        fs.mv(tmp, path)
    except BaseException:
        try:
            if fs.exists(tmp):
                fs.rm(tmp)
        except OSError:
            pass  # the save's own error says more than a failed clean-up
        raise


def _remove_temporaries_of_dead_saves(fs: LocalFileSystem, path: str) -> None:
    """Remove temporary files of ``path`` whose writing process is gone (and the old fixed-name one)."""
    target = PurePosixPath(path)
    pattern = re.compile(rf"{re.escape(target.name)}{re.escape(TEMPORARY)}(?:-(\d+)-[0-9a-f]{{8}})?")
    for entry in fs.ls(str(target.parent), detail=False):
        match = pattern.fullmatch(PurePosixPath(entry).name)
        if match and (match[1] is None or not process_alive(int(match[1]))):
            try:
                fs.rm(entry)
            except FileNotFoundError:
                pass  # another save removed it first
