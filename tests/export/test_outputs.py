"""The paint and evaluate commands' outputs: written as a set or not at all, and --out checked before painting."""

import errno
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from painting_dreams.agent import build_policy, stroke_model_painter
from painting_dreams.commands import cli
from painting_dreams.export import paint_image, picture as picture_module, write_painting
from painting_dreams.files import OutputDirError, atomic_set, check_out_dir
from painting_dreams.export.picture import gif_strokes
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def paintings():
    policy = build_policy("color", filters=8, residual_blocks=1, action_embedding=8, dense_units=16, lstm_units=16)
    painter = stroke_model_painter(StrokeModel("color"), "color", "alpha_over", brush=BRUSH)
    rng = np.random.default_rng(0)
    return [paint_image(policy, painter, "color", rng.random((64, 64, 3)).astype(np.float32), strokes=3) for _ in range(2)]


def _disk_full(path, *args, **kwargs):
    """Write half a file, then fail as a full disk does."""
    Path(path).write_bytes(b"PK\x03\x04 half")
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_painting_that_cannot_be_written_whole_leaves_the_previous_set_untouched(paintings, tmp_path, monkeypatch):
    paths = write_painting(paintings[0], tmp_path, "photo")
    before = {kind: path.read_bytes() for kind, path in paths.items()}
    monkeypatch.setattr(picture_module, "write_openraster", _disk_full)  # the last of the four fails
    with pytest.raises(OSError, match="No space left"):
        write_painting(paintings[1], tmp_path, "photo")
    assert {kind: path.read_bytes() for kind, path in paths.items()} == before  # not a new PNG beside the old JSON
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.gif", "photo.json", "photo.ora", "photo.png"]


def test_a_set_is_published_only_when_every_file_is_written(tmp_path):
    paths = {"a": tmp_path / "a.txt", "b": tmp_path / "b.txt"}
    with atomic_set(paths) as tmp:
        tmp["a"].write_text("1")
        assert not paths["a"].exists()  # nothing visible before the whole set is written
        tmp["b"].write_text("2")
    assert paths["a"].read_text() == "1" and paths["b"].read_text() == "2"
    with pytest.raises(KeyboardInterrupt):
        with atomic_set(paths) as tmp:
            tmp["a"].write_text("new")
            raise KeyboardInterrupt  # Ctrl-C between the two files
    assert paths["a"].read_text() == "1" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_out_dirs_that_cannot_take_the_files_are_named(tmp_path):
    (tmp_path / "afile").write_text("")
    with pytest.raises(OutputDirError, match=r"--out '.*afile' is a file: give a folder for the PNG"):
        check_out_dir(tmp_path / "afile", "the PNG")
    with pytest.raises(OutputDirError, match=r"'.*afile/sub' cannot be written \(Not a directory\)"):
        check_out_dir(tmp_path / "afile" / "sub", "the PNG")
    assert check_out_dir(tmp_path / "new" / "deep", "x").is_dir()


@pytest.mark.parametrize("args, message", [
    (["--out", "afile"], "Error: --out 'afile' is a file: give a folder for the painting's PNG, GIF, JSON and .ora files"),
    (["--out", "afile/sub"], "Error: --out 'afile/sub' cannot be written (Not a directory): choose a folder you can"),
])
def test_paint_checks_out_before_painting_and_says_so_in_one_line(blocks, args, message):
    (blocks.parent / "afile").write_text("")
    result = CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", *args])
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert "Painting" not in result.output and "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_an_unknown_env_inside_the_project_is_one_line(blocks, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", "--env", "bogus", "--out", str(blocks.parent / "o")])
    assert result.exit_code == 1, result.output
    assert result.output in (  # conf/local is not in git: it exists once a user (or the project's runs) made one
        "Error: --env bogus: the project has no conf/bogus folder; choose one of base, gpu, local, quick\n",
        "Error: --env bogus: the project has no conf/bogus folder; choose one of base, gpu, quick\n")


def test_paint_reports_a_full_disk_in_one_line_and_keeps_the_previous_painting(blocks, monkeypatch):
    assert CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--out", "o"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in Path("o").iterdir()}
    monkeypatch.setattr(picture_module, "write_openraster", _disk_full)
    result = CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--strokes", "4",
                                      "--out", "o"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines()[-1] == ("Error: could not write the painting to 'o' (No space left on device): "
                                              "nothing was replaced; free some space or choose another --out")
    assert {p.name: p.read_bytes() for p in Path("o").iterdir()} == before


def test_long_paintings_show_at_most_100_gif_frames_ending_with_the_last_stroke():
    np.testing.assert_array_equal(gif_strokes(8), np.arange(8))
    shown = gif_strokes(500)
    assert len(shown) == 100 and shown[0] == 0 and shown[-1] == 499 and np.all(np.diff(shown) > 0)
    assert len(gif_strokes(100)) == 100 and len(gif_strokes(101)) == 100
