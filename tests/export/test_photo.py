"""Whole photos, coarse to fine: tiles that cover any W x H canvas, tiles painted over real MyPaint's canvas,
the files at the painting's size, many pictures in one command, and one-line errors for bad settings."""

import json
import zipfile

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import painting_dreams.evaluation.paint_and_score as paint_and_score_module
from painting_dreams.commands import cli
from painting_dreams.export.photo import (OVERLAP, level_boxes, level_side, max_levels, mosaic, paint_photo,
                                          write_photo)
from painting_dreams.export.tiled import shrink
from painting_dreams.paint.replay import paint_over, replay_in_mypaint
from painting_dreams.refine import random_start
from tests.conftest import BRUSH


@pytest.mark.parametrize("width, height", [(512, 512), (512, 341), (288, 512), (100, 37), (64, 64)])
def test_the_tiles_of_every_level_cover_the_canvas(width, height):
    for level in range(max_levels(width, height)):
        boxes = level_boxes(width, height, level)
        cell, side = level_side(width, height, level)
        covered = np.zeros((height, width), int)
        for x0, y0, s, row, col in boxes:
            assert s == side and 0 <= x0 and 0 <= y0 and x0 + s <= width and y0 + s <= height
            covered[y0:y0 + s, x0:x0 + s] += 1
        assert covered.min() >= 1, (width, height, level)  # every pixel is in a tile
        if level:
            assert side == min(min(width, height), round(cell * (1 + OVERLAP)))
            rows, cols = boxes[:, 3].max() + 1, boxes[:, 4].max() + 1
            assert len(boxes) == rows * cols == np.ceil(width / cell - 1e-9) * np.ceil(height / cell - 1e-9)
    assert level_side(width, height, 0)[1] == min(width, height)  # level 0 paints the whole picture


def test_mosaic_is_the_mean_colour_of_each_cell():
    image = np.random.default_rng(0).uniform(size=(40, 60, 3)).astype(np.float32)
    flat = mosaic(image, 3)  # cells of 20 px
    np.testing.assert_allclose(flat[:20, :20], np.broadcast_to(image[:20, :20].mean(axis=(0, 1)), (20, 20, 3)), atol=1e-6)
    assert len(np.unique(flat.reshape(-1, 3), axis=0)) == 6  # 2 rows x 3 columns
    assert np.mean((mosaic(image, 60) - image) ** 2) < 1e-12  # one pixel a cell: the image itself


def test_strokes_painted_over_a_canvas_are_the_strokes_painted_on_it():
    actions = random_start(3, 8, "color", seed=4)
    on_white = replay_in_mypaint(actions, "color", BRUSH, progress=False)[:, -1]
    over = paint_over(np.ones((3, 64, 64, 3), np.float32), actions, "color", BRUSH)
    assert np.abs(on_white.astype(int) - over).max() <= 1  # alpha-over of MyPaint's layer: rounding only
    grey = np.full((3, 64, 64, 3), 0.5, np.float32)
    painted = paint_over(grey, actions, "color", BRUSH)
    untouched = (over == 255).all(axis=-1)  # where no stroke went, the canvas shows through
    assert (painted[untouched] == 128).all() and untouched.mean() > 0.1


@pytest.fixture(scope="module")
def celeba_15():
    from painting_dreams.shipped import load

    return load("celeba_15")


def _picture(width: int, height: int) -> np.ndarray:
    """Four soft colour regions: something for the painter to paint at every level."""
    y, x = np.mgrid[0:height, 0:width] / np.array([height, width])[:, None, None]
    return np.stack([0.2 + 0.7 * x, 0.8 - 0.6 * y, 0.3 + 0.5 * (x > 0.5) * (y > 0.4)], axis=-1).astype(np.float32)


def test_each_tile_goes_on_with_real_mypaints_canvas_under_it(celeba_15, monkeypatch):
    """The painter of every tile is given the canvas as real MyPaint painted it so far (its crop, shrunk to 64x64),
    and the result is painted over that canvas: white for the first tile, the first level's painting for the next."""
    calls = []
    real = paint_and_score_module.paint_and_score

    def spy(policy, painter, targets, strokes, **kwargs):
        calls.append((np.array(targets), np.array(kwargs["start"])))
        return real(policy, painter, targets, strokes, **kwargs)

    monkeypatch.setattr(paint_and_score_module, "paint_and_score", spy)
    target = _picture(96, 64)
    painting = paint_photo(celeba_15.policy, celeba_15.painter, target, 6, 2, refine_steps=0, stop_mse=0.0)
    first = level_boxes(96, 64, 0)
    assert (calls[0][1] == 1.0).all()  # level 0, phase 0: a white canvas
    np.testing.assert_allclose(calls[0][0][0], shrink(target, first[0][:3]), atol=1e-6)
    level0 = [t for t in painting.tiles if t.level == 0]
    after_level0 = painting.frames[len(level0) - 1] / 255.0  # the canvas after level 0's last tile
    fine = level_boxes(96, 64, 1)
    phase0 = fine[(fine[:, 3] % 2 == 0) & (fine[:, 4] % 2 == 0)]
    level1_call = calls[2] if len(first) > 1 else calls[1]  # level 0 has a phase per column of squares
    np.testing.assert_allclose(level1_call[1], np.stack([shrink(after_level0, box[:3]) for box in phase0]), atol=1 / 255)
    assert not np.allclose(level1_call[1], 1.0)  # it is a painted canvas, not white
    assert painting.canvas.shape == (64, 96, 3) and painting.strokes == 6 * len(painting.tiles)
    assert painting.mse < float(np.mean((1.0 - target) ** 2)) / 4  # far closer than a white page


def test_a_tile_close_enough_is_left_as_it_is(celeba_15):
    """A near-white page: the white canvas is within STOP_MSE of every tile, so no tile past the first level is
    painted, and the first level's strokes are kept only if MyPaint's painting of them is closer than white."""
    flat = np.full((64, 64, 3), 0.97, np.float32)  # MSE of white: 0.0009
    painting = paint_photo(celeba_15.policy, celeba_15.painter, flat, 4, 2, refine_steps=0)
    assert painting.levels[1] == {"level": 1, "tile_side": 40, "tiles": 4, "painted": 0, "kept": 0, "skipped": 4,
                                  "strokes": 0}
    assert painting.mse <= float(np.mean((1.0 - flat) ** 2)) + 1e-7


def test_a_landscape_photo_is_painted_whole_into_files_of_its_size(celeba_15, tmp_path):
    painting = paint_photo(celeba_15.policy, celeba_15.painter, _picture(120, 80), 5, 2, refine_steps=0)
    paths = write_photo(painting, tmp_path, "land", svg=True, source="land.png")
    assert Image.open(paths["png"]).size == (120, 80)
    record = json.loads(paths["json"].read_text())
    assert record["canvas"] == [120, 80] and record["image"] == "land.png" and record["mode"] == "coarse_to_fine"
    assert len(record["strokes"]) == painting.strokes == len(record["actions"])
    assert {t["level"] for t in record["tiles"]} <= {0, 1} and all(t["mse_after"] < t["mse_before"]
                                                                   for t in record["tiles"])
    xs = [s["end"][0] for s in record["strokes"]]
    assert max(xs) > 80  # strokes reach the right of the landscape, past the square a centre crop would keep
    with zipfile.ZipFile(paths["ora"]) as ora:
        stack = ora.read("stack.xml").decode()
    assert 'w="120"' in stack and 'h="80"' in stack
    assert 'viewBox="0 0 120 80"' in paths["svg"].read_text()
    with Image.open(paths["gif"]) as gif:  # the tile-by-tile time-lapse (PIL merges repeated frames)
        assert gif.size == (120, 80) and 2 <= gif.n_frames <= len(painting.frames) + 8
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(paths["mp4"]))
    meta = next(reader)
    assert tuple(meta["size"]) == (120, 80) and sum(1 for _ in reader) >= len(painting.frames)


@pytest.mark.slow
def test_paint_paints_photos_and_folders_in_one_command(blocks, tmp_path):
    portrait = tmp_path / "pictures" / "tall.png"
    portrait.parent.mkdir()
    Image.fromarray((_picture(60, 100) * 255).astype(np.uint8)).save(portrait)
    result = CliRunner().invoke(cli, ["paint", str(blocks), str(portrait.parent), "--size", "96", "--detail", "2",
                                      "--refine", "0", "--out", "o"])
    assert result.exit_code == 0, result.output
    assert result.output.count("MSE to your image at ") == 2 and "(a 32-cell mosaic: " in result.output
    assert Image.open("o/blocks.png").size == (96, 96) and Image.open("o/tall.png").size == (58, 96)
    assert json.loads((tmp_path / "o/tall.json").read_text())["canvas"] == [58, 96]
    assert "with agent celeba_15" in result.output  # the photo painter
    square = CliRunner().invoke(cli, ["paint", str(portrait), "--size", "64", "--detail", "1", "--square",
                                      "--refine", "0", "--out", "sq"])
    assert square.exit_code == 0 and Image.open("sq/tall.png").size == (64, 64), square.output


@pytest.mark.parametrize("args, message", [
    (["--detail", "3", "--size", "32"], "Error: --detail 3: {} painted at 32x32 has room for 2 levels (tiles of at "
                                        "least 16 px); give a larger --size or a smaller --detail"),
    (["--detail", "5"], "Error: Invalid value for '--detail': 5 is not in the range 0<=x<=4."),
    (["--size", "8"], "Error: Invalid value for '--size': 8 is not in the range 16<=x<=4096."),
    (["--grid", "2", "--detail", "2", "--size", "256"], "Error: --grid and --detail exclude each other: --grid is its "
                                                        "own tiling of the centre square"),
    (["--closed-loop", "--detail", "2"], "Error: --closed-loop paints one 64x64 painting: give --detail 0, not --detail 2"),
])
def test_bad_size_and_detail_get_one_line(blocks, args, message):
    result = CliRunner().invoke(cli, ["paint", str(blocks), *args, "--out", "o"])
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == message.format(blocks), result.output


def test_two_pictures_of_one_name_and_an_empty_folder_are_refused(blocks, tmp_path):
    (tmp_path / "a").mkdir()
    Image.open(blocks).save(tmp_path / "a" / "blocks.jpg")
    result = CliRunner().invoke(cli, ["paint", str(blocks), str(tmp_path / "a"), "--out", "o"])
    assert result.exit_code == 1
    assert result.output == (f"Error: {blocks} and {tmp_path / 'a' / 'blocks.jpg'} would both be painted as blocks.*: "
                             "paint them into different --out folders\n")
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["paint", str(tmp_path / "empty"), "--out", "o"])
    assert result.exit_code == 1 and result.output.startswith(f"Error: the folder '{tmp_path / 'empty'}' holds no pictures")
    assert not (tmp_path / "o").exists()  # nothing painted, nothing created


def test_the_seam_ratio_sees_error_along_tile_borders_and_only_there():
    from painting_dreams.export.photo import border_mask, seam_ratio

    rng = np.random.default_rng(0)
    target = rng.uniform(size=(128, 192, 3)).astype(np.float32)
    noisy = np.clip(target + rng.normal(0, 0.05, target.shape), 0, 1)  # the same error everywhere
    assert seam_ratio(np.round(noisy * 255), target, level=2) == pytest.approx(1.0, abs=0.05)
    seams = noisy.copy()
    seams[border_mask(192, 128, level_boxes(192, 128, 2))] = 1.0  # white lines along the level's tile borders
    assert seam_ratio(np.round(seams * 255), target, level=2) > 3
