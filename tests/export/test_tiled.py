"""Large pictures: an underpainting and K x K overlapping tiles, every stroke painted by real MyPaint on one canvas."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from painting_dreams.commands import cli
from painting_dreams.export.tiled import TILE_OVERLAP, into_box, tile_boxes
from painting_dreams.paint.actions import ActionLayout


@pytest.mark.parametrize("size, grid", [(1024, 1), (1024, 2), (1024, 4), (300, 3), (128, 8)])
def test_the_tiles_cover_the_image_and_overlap_their_neighbours(size, grid):
    boxes = tile_boxes(size, grid)
    assert boxes.shape == (grid * grid, 3)
    covered = np.zeros((size, size), int)
    for x0, y0, side in boxes:
        assert 0 <= x0 and 0 <= y0 and x0 + side <= size + 1e-9 and y0 + side <= size + 1e-9
        covered[int(np.floor(y0)):int(np.ceil(y0 + side)), int(np.floor(x0)):int(np.ceil(x0 + side))] += 1
    assert covered.min() >= 1  # every pixel is in a tile
    if grid > 1:
        cell = size / grid
        first, right = boxes[0], boxes[1]  # neighbours share a band of at least the overlap
        assert first[0] + first[2] - right[0] >= TILE_OVERLAP * cell - 1e-9


def test_a_tile_painting_moves_into_its_box():
    layout = ActionLayout("color", absolute=True)
    action = np.zeros((1, layout.size), np.float32)
    action[0, [layout.index("start_x"), layout.index("end_y")]] = 1.0
    action[0, layout.index("red")] = 0.7
    moved = into_box(action, layout, (256.0, 512.0, 320.0), 1024)[0]
    assert moved[layout.index("start_x")] == pytest.approx((256 + 320) / 1024)
    assert moved[layout.index("start_y")] == pytest.approx(512 / 1024)
    assert moved[layout.index("end_y")] == pytest.approx((512 + 320) / 1024)
    assert moved[layout.index("red")] == pytest.approx(0.7)  # colour, pressure, size untouched


def test_bad_grids_are_refused():
    for bad in (0, 9, 2.5, True):
        with pytest.raises(ValueError, match=r"grid is .*: use a whole number of tiles per side from 1 to 8"):
            tile_boxes(512, bad)


@pytest.fixture()
def picture(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside the project: the shipped painters
    rng = np.random.default_rng(1)
    Image.fromarray(np.kron(rng.integers(0, 256, (8, 8, 3)), np.ones((32, 32, 1))).astype(np.uint8)).save("p.png")
    return tmp_path / "p.png"


def test_paint_grid_writes_a_large_painting_of_every_tile(picture):
    result = CliRunner().invoke(cli, ["paint", str(picture), "--agent", "celeba_15", "--refine", "0", "--size", "256",
                                      "--grid", "2", "--out", "o"])
    assert result.exit_code == 0, result.output
    assert "an underpainting and 2x2 tiles of 15 strokes each (75 strokes)" in result.output
    png = np.asarray(Image.open("o/p.png"))
    assert png.shape == (256, 256, 3)
    target = np.asarray(Image.open(picture).convert("RGB").resize((256, 256)), np.float64) / 255
    white = np.mean((1.0 - target) ** 2)
    assert np.mean((png / 255.0 - target) ** 2) < 0.6 * white  # it paints the picture
    record = json.loads(open("o/p.json").read())
    assert record["canvas"] == [256, 256] and len(record["tiles"]) == 4 and len(record["strokes"]) == 75
    assert record["brush_scales"][:15] == [4.0] * 15 and record["brush_scales"][15] == pytest.approx(160 / 64)
    with Image.open("o/p.gif") as gif:
        assert gif.size == (2 * 256 + 2, 256) and gif.n_frames >= 5  # the underpainting, then each tile


@pytest.mark.parametrize("args, message", [
    (["--grid", "2"], "--grid 2 paints tiles on a large canvas: give --size too"),
    (["--grid", "9", "--size", "512"], "Invalid value for '--grid'"),
    (["--grid", "2", "--size", "512", "--closed-loop"], "--grid and --closed-loop exclude each other"),
])
def test_bad_grid_options_are_one_clear_error(picture, args, message):
    result = CliRunner().invoke(cli, ["paint", str(picture), *args, "--out", "o"])
    assert result.exit_code in (1, 2) and message in result.output and "Traceback" not in result.output
