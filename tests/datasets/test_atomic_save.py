"""NumpyDataset and GifDataset saves: a failed or killed save leaves no temporary file, two saves never mix."""

import errno
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from kedro.io import DatasetError

from painting_dreams.datasets import GifDataset, NumpyDataset

FRAMES = [np.full((8, 8, 3), value, np.uint8) for value in (0, 255)]
DATASETS = {
    "numpy": (lambda path: NumpyDataset(filepath=str(path / "x.npy")), np.arange(50_000)),
    "gif": (lambda path: GifDataset(filepath=str(path / "x.gif"), frame_ms=100), FRAMES),
}


def assert_loads(dataset, data):
    loaded = dataset.load()
    assert all(np.array_equal(a, b) for a, b in zip(loaded, data, strict=True)) if isinstance(data, list) \
        else np.array_equal(loaded, data)


class HalfWriter:
    """A file that takes half of what it is given, then fails like a full disk."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def write(self, data):
        self.file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("kind", DATASETS)
def test_a_failed_write_leaves_no_temporary_file_and_the_next_save_works(tmp_path, monkeypatch, kind):
    make, data = DATASETS[kind]
    dataset = make(tmp_path)
    open_file = dataset._fs.open
    monkeypatch.setattr(dataset._fs, "open", lambda path, mode="rb", **kw: HalfWriter(open_file(path, mode, **kw)))
    with pytest.raises(DatasetError, match="No space left on device"):
        dataset.save(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.undo()
    dataset.save(data)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"x.{'npy' if kind == 'numpy' else 'gif'}"]
    assert_loads(dataset, data)


@pytest.mark.parametrize("kind", DATASETS)
def test_a_failed_rename_leaves_no_temporary_file_and_keeps_the_old_file(tmp_path, monkeypatch, kind):
    make, data = DATASETS[kind]
    dataset = make(tmp_path)
    dataset.save(data)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(dataset._fs, "mv", refuse)
    with pytest.raises(DatasetError, match="Permission denied"):
        dataset.save(data[::-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"x.{'npy' if kind == 'numpy' else 'gif'}"]
    assert_loads(dataset, data)


# A save in its own process that stops half-way through writing its temporary file; with `go` given, it
# goes on once that file exists, otherwise it waits to be killed.
SAVER = textwrap.dedent("""
    import os, sys, time
    import numpy as np
    from painting_dreams.datasets import NumpyDataset

    path, go = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    dataset = NumpyDataset(filepath=path)
    open_file = dataset._fs.open

    class Pausing:
        def __init__(self, file):
            self.file = file
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.file.close()
        def write(self, data):
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            while go is None or not os.path.exists(go):
                time.sleep(0.02)
            self.file.write(data[len(data) // 2:])

    dataset._fs.open = lambda p, mode="rb", **kw: Pausing(open_file(p, mode, **kw))
    dataset.save(np.full(100_000, 7, np.int64))
""")


def start_saver(tmp_path, *extra):
    """A saving process for ``tmp_path / "x.npy"``, returned once its temporary file is half-written."""
    process = subprocess.Popen([sys.executable, "-c", SAVER, str(tmp_path / "x.npy"), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not [p for p in tmp_path.glob("x.npy.tmp-partial*") if p.stat().st_size > 0]:
        assert process.poll() is None, f"the saver ended early: {process.communicate()}"
        assert time.monotonic() < deadline, "the saver wrote nothing in 60 s"
        time.sleep(0.02)
    return process


def test_the_temporary_file_of_a_killed_save_does_not_linger(tmp_path):
    process = start_saver(tmp_path)
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, stderr
    assert [p.name for p in tmp_path.iterdir()][0].startswith("x.npy.tmp-partial")  # what the kill left
    dataset = NumpyDataset(filepath=str(tmp_path / "x.npy"))
    dataset.save(np.arange(5))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.npy"]
    assert dataset.load().tolist() == [0, 1, 2, 3, 4]


def test_a_save_during_another_save_of_the_same_file_does_not_mix_their_bytes(tmp_path):
    process = start_saver(tmp_path, str(tmp_path / "go"))
    dataset = NumpyDataset(filepath=str(tmp_path / "x.npy"))
    try:
        dataset.save(np.arange(100_000))
    finally:
        (tmp_path / "go").touch()
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr  # both saves succeed; the later rename wins, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go", "x.npy"]
    assert dataset.load().tolist() == [7] * 100_000
