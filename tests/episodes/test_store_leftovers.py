"""Episodes store: a killed writer leaves nothing for good; two writers of one target never mix or nest."""

import signal
import textwrap

import pytest
from fsspec.implementations.local import LocalFileSystem

from painting_dreams.episodes import Episodes, write_episodes
from painting_dreams.episodes.store import WriterBusyError
from tests.episodes.test_store import FakeEpisodes, siblings
from tests.processes import start_until

# A writer in its own process: chunk 0 of ids 100.., then it waits for the file `go` before chunk 1.
WRITER = textwrap.dedent("""
    import os, sys, time
    import numpy as np
    from painting_dreams.episodes import write_episodes

    target, go = sys.argv[1], sys.argv[2]

    class Waiting:
        manifest = {"variant": "mnist", "stroke_mode": False, "steps": 3, "episodes": 4}

        def __iter__(self):
            yield {"ids": np.arange(100, 102)}
            while not os.path.exists(go):
                time.sleep(0.02)
            yield {"ids": np.arange(102, 104)}

    write_episodes(Waiting(), target)
""")


def start_writer(tmp_path):
    """A writer process for ``tmp_path / "eps"``, returned once its first chunk is on disk."""
    return start_until(WRITER, [str(tmp_path / "eps"), str(tmp_path / "go")], what="first chunk",
                       ready=lambda: list(tmp_path.glob(".eps.partial-*/chunk-00000.npz")))


def test_a_partial_folder_of_a_killed_writer_is_removed_by_the_next_write(tmp_path):
    process = start_writer(tmp_path)
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, stderr
    assert any(name.startswith(".eps.partial-") for name in siblings(tmp_path))  # what a kill leaves

    write_episodes(FakeEpisodes(), str(tmp_path / "eps"))
    assert siblings(tmp_path) == ["eps"]
    assert Episodes(str(tmp_path / "eps")).arrays(["ids"])["ids"].tolist() == list(range(10))


def test_a_second_writer_is_refused_while_the_first_is_writing(tmp_path):
    process = start_writer(tmp_path)
    try:
        with pytest.raises(WriterBusyError, match=rf"another run \(pid {process.pid}\) is writing .*eps: wait for it"):
            write_episodes(FakeEpisodes(), str(tmp_path / "eps"))
    finally:
        (tmp_path / "go").touch()
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert siblings(tmp_path) == ["eps", "go"]  # the first writer's partial folder was left alone, then renamed
    assert sorted(p.name for p in (tmp_path / "eps").iterdir()) == [
        "chunk-00000.npz", "chunk-00001.npz", "manifest.json"]
    assert Episodes(str(tmp_path / "eps")).arrays(["ids"])["ids"].tolist() == [100, 101, 102, 103]


def test_a_target_that_appears_during_the_swap_is_not_nested_into(tmp_path):
    target = tmp_path / "eps"

    class RacedFileSystem(LocalFileSystem):
        """Reports the target missing, then another writer (not taking the lock) renames its result there."""

        def exists(self, path, **kwargs):
            if str(path).rstrip("/") == str(target) and not target.exists():
                write_episodes(FakeEpisodes(sizes=(1,), offset=50), str(tmp_path / "theirs"))
                (tmp_path / "theirs").rename(target)
                return False
            return super().exists(path, **kwargs)

    with pytest.raises(FileExistsError, match=r"eps appeared while this run was writing it"):
        write_episodes(FakeEpisodes(), str(target), RacedFileSystem())
    assert siblings(tmp_path) == ["eps"]
    assert sorted(p.name for p in target.iterdir()) == ["chunk-00000.npz", "manifest.json"]  # nothing nested inside
    assert Episodes(str(target)).arrays(["ids"])["ids"].tolist() == [50]


def test_stale_folders_of_a_run_killed_mid_swap_are_removed(tmp_path):
    write_episodes(FakeEpisodes(sizes=(1,)), str(tmp_path / "eps"))
    (tmp_path / ".eps.stale-0123abcd").mkdir()  # killed between moving the old result aside and deleting it
    (tmp_path / ".eps.partial-89abcdef").mkdir()
    (tmp_path / ".other.partial-89abcdef").mkdir()  # another target's: not this writer's business
    write_episodes(FakeEpisodes(), str(tmp_path / "eps"))
    assert siblings(tmp_path) == [".other.partial-89abcdef", "eps"]
