"""NumpyDataset and GifDataset saves: a failed or killed save leaves no temporary file, two saves never mix."""

import errno
import signal
import textwrap

import numpy as np
import pytest
from kedro.io import DatasetError

from painting_dreams.datasets import GifDataset, NumpyDataset
from tests.processes import HalfThen, start_until

FRAMES = [np.full((8, 8, 3), value, np.uint8) for value in (0, 255)]
DATASETS = {
    "numpy": (lambda path: NumpyDataset(filepath=str(path / "x.npy")), np.arange(50_000)),
    "gif": (lambda path: GifDataset(filepath=str(path / "x.gif"), frame_ms=100), FRAMES),
}


def assert_loads(dataset, data):
    loaded = dataset.load()
    assert all(np.array_equal(a, b) for a, b in zip(loaded, data, strict=True)) if isinstance(data, list) \
        else np.array_equal(loaded, data)


def disk_full(file, rest):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("kind", DATASETS)
def test_a_failed_write_leaves_no_temporary_file_and_the_next_save_works(tmp_path, monkeypatch, kind):
    make, data = DATASETS[kind]
    dataset = make(tmp_path)
    open_file = dataset._fs.open
    monkeypatch.setattr(dataset._fs, "open", lambda path, mode="rb", **kw: HalfThen(open_file(path, mode, **kw), disk_full))
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
    from tests.processes import HalfThen

    path, go = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    dataset = NumpyDataset(filepath=path)
    open_file = dataset._fs.open

    def pause(file, rest):
        file.flush()
        while go is None or not os.path.exists(go):
            time.sleep(0.02)
        file.write(rest)

    dataset._fs.open = lambda p, mode="rb", **kw: HalfThen(open_file(p, mode, **kw), pause)
    dataset.save(np.full(100_000, 7, np.int64))
""")


def start_saver(tmp_path, *extra):
    """A saving process for ``tmp_path / "x.npy"``, returned once its temporary file is half-written."""
    return start_until(SAVER, [str(tmp_path / "x.npy"), *extra], what="half-written temporary file",
                       ready=lambda: [p for p in tmp_path.glob("x.npy.tmp-partial*") if p.stat().st_size > 0])


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
