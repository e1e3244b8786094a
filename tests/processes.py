"""For tests that run a step in a process of its own (to kill it, or to hold it half-way while the test acts)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def start_until(script: str, args: list[str], ready: Callable[[], bool], what: str,
                timeout: float = 60) -> subprocess.Popen:
    """Run ``python -c script *args`` and return it once ``ready()`` is true; fail the test if the process
    ends first or ``what`` has not happened after ``timeout`` seconds."""
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"the process ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"no {what} in {timeout:g} s"
        time.sleep(0.02)
    return process


class HalfThen:
    """A file that writes the first half of each ``write``, then calls ``then(file, rest)``: raise as a full
    disk does, or wait before writing the rest."""

    def __init__(self, file, then: Callable):
        self.file, self.then = file, then

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def write(self, data):
        self.file.write(data[: len(data) // 2])
        self.then(self.file, data[len(data) // 2:])


def copy_project(source: Path, dest: Path) -> Path:
    """The files of the project at ``source`` as git sees them (tracked and new, data/ excluded) under ``dest``."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=source,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        path = source / name
        if name.startswith("data/") or not path.is_file():
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / name)
    return dest
