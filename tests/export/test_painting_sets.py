"""A painting's set of files in ``--out``: never the picture itself, never half another painting's, never stale
files beside it, and no temporaries left behind when a writer is stopped (SIGTERM) or killed (kill -9)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from painting_dreams.agent import build_policy, stroke_model_painter
from painting_dreams.commands import cli
from painting_dreams.export import paint_image, write_painting
from painting_dreams.files import atomic_set
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH

SET = ["photo.gif", "photo.json", "photo.ora", "photo.png"]


@pytest.fixture(scope="module")
def painting():
    policy = build_policy("color", filters=8, residual_blocks=1, action_embedding=8, dense_units=16, lstm_units=16)
    painter = stroke_model_painter(StrokeModel("color"), "color", "alpha_over", brush=BRUSH)
    target = np.random.default_rng(0).random((64, 64, 3)).astype(np.float32)
    return paint_image(policy, painter, "color", target, strokes=3)


def _files(folder: Path) -> dict[str, bytes]:
    """The set's files (not hidden temporaries) and their bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _one_line_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [message] or result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output and "Painting" not in result.stdout


def test_paint_never_overwrites_the_picture_it_paints(blocks):
    before = blocks.read_bytes()
    result = CliRunner().invoke(cli, ["paint", "blocks.png", "--detail", "0", "--out", "."])
    _one_line_error(result, "Error: --out '.' would replace the picture itself (blocks.png): paint never overwrites "
                            "its input; choose another --out")
    assert blocks.read_bytes() == before and sorted(p.name for p in blocks.parent.iterdir()) == ["blocks.png"]


def test_a_name_too_long_is_refused_before_painting_and_a_long_one_paints(blocks, painting, tmp_path):
    long = blocks.parent / ("n" * 251 + ".png")  # 255 bytes: the picture's name fits, its .json would not
    long.write_bytes(blocks.read_bytes())
    result = CliRunner().invoke(cli, ["paint", long.name, "--detail", "0", "--out", "o"])
    _one_line_error(result, f"Error: the output file name '{'n' * 40}'... is 256 bytes, longer than the 255 this "
                            "file system allows: rename the image to a shorter name")
    assert not Path("o").exists()
    paths = write_painting(painting, tmp_path / "long", "n" * 236)  # temporaries are short whatever the name's length
    assert sorted(p.name for p in (tmp_path / "long").iterdir()) == sorted(p.name for p in paths.values())


def test_a_blocked_name_replaces_nothing_and_says_what_blocks_it(painting, tmp_path, monkeypatch):
    write_painting(painting, tmp_path, "photo")
    (tmp_path / "photo.ora").unlink()
    (tmp_path / "photo.ora").mkdir()
    before = _files(tmp_path)
    with pytest.raises(IsADirectoryError, match="photo.ora"):
        write_painting(painting, tmp_path, "photo", svg=True)
    assert _files(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == SET  # and no temporary

    (tmp_path / "photo.ora").rmdir()
    write_painting(painting, tmp_path, "photo")
    before = _files(tmp_path)
    renames = []

    def json_rename_fails(src, dst):  # a rename that fails half-way through the set: PNG and GIF are put back
        renames.append(dst)
        if str(dst).endswith("photo.json"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", json_rename_fails)
    with pytest.raises(PermissionError):
        write_painting(painting, tmp_path, "photo")
    assert sorted(p.name for p in tmp_path.iterdir()) == SET  # no temporary, no backup left
    assert _files(tmp_path) == before and [p.name for p in renames[-5:]] == ["photo.png", "photo.gif", "photo.json",
                                                                          "photo.png", "photo.gif"]  # two put back


def test_the_command_says_which_folder_blocks_the_set(blocks):
    assert CliRunner().invoke(cli, ["paint", "blocks.png", "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--strokes", "2",
                                    "--out", "o"]).exit_code == 0
    os.remove("o/blocks.ora")
    os.mkdir("o/blocks.ora")
    before = _files(Path("o"))
    result = CliRunner().invoke(cli, ["paint", "blocks.png", "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--strokes", "3",
                                      "--out", "o"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == ("Error: could not write the painting to 'o' (a folder has the name of one "
                                              "of the files): nothing was replaced; o/blocks.ora is a folder: move it "
                                              "away or choose another --out")
    assert _files(Path("o")) == before


def test_a_set_without_svg_removes_the_older_sets_svg(painting, tmp_path):
    write_painting(painting, tmp_path, "photo", svg=True, source="photo.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SET + ["photo.svg"])
    write_painting(painting, tmp_path, "photo", source="photo.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == SET
    assert json.loads((tmp_path / "photo.json").read_text())["image"] == "photo.jpg"


def test_another_pictures_painting_of_the_same_name_is_not_replaced(blocks, painting):
    write_painting(painting, blocks.parent / "o", "blocks", source="blocks.jpg")
    before = _files(blocks.parent / "o")
    result = CliRunner().invoke(cli, ["paint", "blocks.png", "--detail", "0", "--out", "o"])
    _one_line_error(result, "Error: --out 'o' holds the painting of blocks.jpg as blocks.*: painting blocks.png would "
                            "replace it; choose another --out")
    assert _files(blocks.parent / "o") == before


def test_temporaries_of_dead_writers_are_removed_and_a_live_writers_kept(painting, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftovers = [f".photo.png.{dead.stdout.strip()}-abcdefgh.partial", f".photo.ora.{dead.stdout.strip()}-x_1y2z3w.old",
                 ".photo.json.k2j4h5g6.partial"]  # the last: a writer that did not name its pid
    live = f".photo.png.{os.getpid()}-livewrit.partial"
    for name in leftovers + [live, ".other.png.1-abcdefgh.partial"]:
        (tmp_path / name).write_bytes(b"half")
    write_painting(painting, tmp_path, "photo")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".other.png.1-abcdefgh.partial", live] + SET)


@pytest.mark.parametrize("args, message", [
    (["--out", ""], "Error: --out is empty: give a folder for the painting's PNG, GIF, JSON and .ora files (--out . "
                    "for the current folder)"),
    (["--out", "loop"], "Error: --out 'loop' is a symbolic link that loops ('loop'): give a real folder"),
    (["--out", "new", "--agent", "picasso"], "Error: unknown agent 'picasso'"),
])
def test_bad_out_folders_and_agents_are_one_line_and_leave_no_folder(blocks, args, message):
    os.symlink("loop", "loop")
    result = CliRunner().invoke(cli, ["paint", "blocks.png", "--detail", "0", *args])
    _one_line_error(result, message)
    assert sorted(p.name for p in blocks.parent.iterdir()) == ["blocks.png", "loop"]


def test_paint_shows_its_progress_on_stderr_and_keeps_stdout_as_it_was(blocks):
    result = CliRunner().invoke(cli, ["paint", "blocks.png", "--detail", "0", "--agent", "celeba_15", "--refine", "2", "--strokes", "4",
                                      "--size", "128", "--out", "o"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["Painting", "MSE", "Refinement", "PNG", "GIF",
                                                                        "JSON", "ORA"]
    assert "4/4 [" in result.stderr and "MyPaint at 128x128" in result.stderr and "stroke/s" in result.stderr
    assert "refine 1 paintings x 2 steps" in result.stderr and "<" in result.stderr  # time left


_HOLD_THE_WRITE = """
import sys, time
from pathlib import Path
from painting_dreams.export import picture

READY = Path(sys.argv[1])


def half_then_wait(path, layers):
    Path(path).write_bytes(b"PK half an .ora")
    READY.write_text("writing")
    time.sleep(120)

picture.write_openraster = half_then_wait
sys.argv = ["painting-dreams", "paint", "blocks.png", "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--strokes", "3",
            "--out", "o"]
from painting_dreams.commands import main
main()
"""


@pytest.mark.slow
def test_sigterm_and_kill_while_writing_keep_the_previous_set_and_leave_nothing_for_long(blocks, painting):
    folders = {name: blocks.parent / name for name in ("term", "kill")}
    processes = {}
    for name, folder in folders.items():
        folder.mkdir()
        (folder / "blocks.png").write_bytes(blocks.read_bytes())
        write_painting(painting, folder / "o", "blocks", source="blocks.png")
        processes[name] = subprocess.Popen([sys.executable, "-c", _HOLD_THE_WRITE, str(folder / "ready")], cwd=folder,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    before = {name: _files(folder / "o") for name, folder in folders.items()}
    deadline = time.monotonic() + 240
    while not all((folder / "ready").exists() for folder in folders.values()):
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes.values()), \
            [p.communicate()[1][-2000:] for p in processes.values() if p.poll() is not None]
        time.sleep(0.05)
    processes["term"].send_signal(signal.SIGTERM)
    processes["kill"].send_signal(signal.SIGKILL)
    _, stderr = processes["term"].communicate(timeout=60)
    processes["kill"].communicate(timeout=60)
    assert processes["term"].returncode == 128 + signal.SIGTERM
    assert stderr.splitlines()[-1] == "Stopped (SIGTERM): the files being written were removed, the previous ones kept"
    assert processes["kill"].returncode == -signal.SIGKILL
    for name, folder in folders.items():
        assert _files(folder / "o") == before[name], name  # the previous set, whole
    assert sorted(p.name for p in (folders["term"] / "o").iterdir()) == ["blocks.gif", "blocks.json", "blocks.ora",
                                                                          "blocks.png"]
    hidden = [p.name for p in (folders["kill"] / "o").iterdir() if p.name.startswith(".")]
    assert len(hidden) == 4 and all(name.endswith(".partial") for name in hidden)  # kill -9 cannot clean up ...
    write_painting(painting, folders["kill"] / "o", "blocks", source="blocks.png")  # ... the next writer does
    assert sorted(p.name for p in (folders["kill"] / "o").iterdir()) == ["blocks.gif", "blocks.json", "blocks.ora",
                                                                          "blocks.png"]
