"""Strokes made for a 64x64 canvas painted by real MyPaint at any size, brushes scaled to cover the same share."""

import json

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from painting_dreams.commands import cli
from painting_dreams.image_grid import box_downsample
from painting_dreams.paint import MyPaintPainter
from painting_dreams.paint.replay import play
from tests.conftest import BRUSH


@pytest.mark.parametrize("size", [128, 256])
def test_a_scaled_stroke_set_covers_the_same_share_of_the_canvas(size):
    actions = np.random.default_rng(5).uniform(0.1, 0.9, (3, 12, 11)).astype(np.float32)
    small = play(actions, "color", layer=True, brush=BRUSH)
    large = play(actions, "color", layer=True, width=size, height=size, brush_scale=size / 64, final_only=True,
                 brush=BRUSH)
    assert large.canvases.shape == (3, 1, size, size, 3) and large.layers.shape == (3, size, size, 4)
    covered = lambda layers: (layers[..., 3] > 25).mean(axis=(1, 2))  # noqa: E731  share of pixels with paint
    np.testing.assert_allclose(covered(large.layers), covered(small.layers), atol=0.015)
    unscaled = play(actions, "color", layer=True, width=size, height=size, brush=BRUSH)  # coordinates scaled, brush not
    assert (covered(unscaled.layers) < covered(small.layers) - 0.1).all()  # the scaling is what keeps the share
    down = box_downsample(large.canvases[:, 0], size // 64) / 255.0
    # The same painting, seen at 64x64: MSE 0.0002 at 128 and 256, where painting at view zoom 1 (the
    # brush seeing S/64 times its 64x64 speed, so thinner) gave 0.0035 and 0.0041.
    assert np.mean((down - small.canvases[:, -1] / 255.0) ** 2) < 0.0008


def test_a_brush_scale_must_be_a_positive_number():
    for bad in (0, -2.0, float("nan"), True, "8"):
        with pytest.raises(ValueError, match=r"brush_scale is .*: use a finite number > 0"):
            MyPaintPainter(8, 8, brush_scale=bad, brush=BRUSH)


def test_paint_size_writes_the_png_ora_and_json_at_that_size(blocks):
    result = CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--size", "128",
                                      "--out", "o"])
    assert result.exit_code == 0, result.output
    png = np.asarray(Image.open("o/blocks.png"))
    assert png.shape == (128, 128, 3) and png.min() < 200
    record = json.loads(open("o/blocks.json").read())
    assert record["canvas"] == [128, 128] and record["painted_at"] == [64, 64] and record["brush_scale"] == 2.0
    assert max(max(s["end"]) for s in record["strokes"]) > 64  # points in the 128x128 canvas's pixels
    import zipfile
    with zipfile.ZipFile("o/blocks.ora") as ora:
        assert b'w="128" h="128"' in ora.read("stack.xml")


@pytest.mark.parametrize("size", ["8", "5000", "big"])
def test_a_bad_size_is_one_clear_error(blocks, size):
    result = CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", "--size", size, "--out", "o"])
    assert result.exit_code == 2 and "Invalid value for '--size'" in result.output and "Traceback" not in result.output
