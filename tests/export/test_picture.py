"""Painting a user's image: real MyPaint PNG, stroke GIF, JSON stroke list and OpenRaster file."""

import json
import os
import zipfile

import click
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from painting_dreams.agent import build_policy, stroke_model_painter
from painting_dreams.commands import choose_run, cli, in_medium
from painting_dreams.paint.replay import replay_in_mypaint
from painting_dreams.export import paint_image, write_painting
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH

RUNS = {"mnist_8": ("mnist", "mnist", 8, "dry_brush"), "kmnist_15": ("kmnist", "color", 15, "dry_brush"),
        "celeba_15": ("celeba", "color", 15, "dry_brush"), "celeba_50": ("celeba", "color", 50, "dry_brush"),
        "celeba_50_pen": ("celeba", "color", 50, "pen")}  # painter -> (dataset, variant, strokes, medium), as find_agent
# gives choose_run


def test_paint_image_writes_png_gif_json_and_ora(tmp_path):
    policy = build_policy("color", filters=8, residual_blocks=1, action_embedding=8, dense_units=16, lstm_units=16)
    painter = stroke_model_painter(StrokeModel("color"), "color", "alpha_over", brush=BRUSH)
    target = np.random.default_rng(0).random((64, 64, 3)).astype(np.float32)
    painting = paint_image(policy, painter, "color", target, strokes=5)
    old_umask = os.umask(0o022)
    try:
        paths = write_painting(painting, tmp_path / "out", "photo")
    finally:
        os.umask(old_umask)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["photo.gif", "photo.json", "photo.ora", "photo.png"]
    # readable by others like any file a program writes (the temporary files are 0600 until renamed)
    assert {oct(p.stat().st_mode & 0o777) for p in paths.values()} == {"0o644"}

    # The PNG is what real MyPaint paints with the agent's actions.
    canvas = replay_in_mypaint(painting.actions[None], "color", BRUSH, progress=False)[0, -1]
    np.testing.assert_array_equal(np.asarray(Image.open(paths["png"])), canvas)

    record = json.loads(paths["json"].read_text())
    assert record["variant"] == "color" and len(record["strokes"]) == 5 and len(record["actions"]) == 5
    assert painting.brush == record["brush"] == BRUSH  # the painter's brush painted it
    first = record["strokes"][0]
    assert set(first) == {"start", "end", "control", "pressure", "size", "jump", "rgb"}
    assert 0 <= first["pressure"] <= 0.8 and 0 <= first["size"] <= 2 and all(0 <= v <= 64 for v in first["end"])

    with Image.open(paths["gif"]) as gif:
        assert gif.n_frames >= 6 and gif.size == (4 * (3 * 64 + 4), 4 * 64)

    with zipfile.ZipFile(paths["ora"]) as ora:
        assert ora.read("mimetype") == b"image/openraster"
        assert b'name="painting_dreams strokes (classic/dry_brush)"' in ora.read("stack.xml")  # named after its brush
        with ora.open("mergedimage.png") as f:
            merged = np.asarray(Image.open(f).convert("RGB")).astype(int)
    assert np.abs(merged - canvas).max() <= 1  # the strokes layer over white is MyPaint's painting


def test_refined_and_closed_loop_paintings_hold_the_strokes_painted_and_never_lose_to_the_agent(tmp_path):
    import keras

    keras.utils.set_random_seed(0)
    policy = build_policy("color", filters=8, residual_blocks=1, action_embedding=8, dense_units=16, lstm_units=16,
                          strokes_per_step=2)
    painter = stroke_model_painter(StrokeModel("color"), "color", "alpha_over", brush=BRUSH)
    target = np.random.default_rng(0).random((64, 64, 3)).astype(np.float32)
    mse = lambda painting: float(((painting.real_steps[-1] / 255.0 - target) ** 2).mean())  # noqa: E731
    alone = paint_image(policy, painter, "color", target, strokes=4)
    refined = paint_image(policy, painter, "color", target, strokes=4, refine_steps=5, learning_rate=0.05)
    assert mse(refined) <= mse(alone)  # the refined strokes are kept only if real MyPaint paints them closer
    assert refined.mode == {"closed_loop": False, "refine_steps": 5, "refined": mse(refined) < mse(alone)}
    closed = paint_image(policy, painter, "color", target, strokes=4, closed_loop=True)
    assert closed.mode["closed_loop"] and closed.dream_steps.shape == (4, 64, 64, 3)
    for painting in (refined, closed):  # the PNG and JSON hold the strokes actually painted
        paths = write_painting(painting, tmp_path / str(id(painting)), "p")
        canvas = replay_in_mypaint(painting.actions[None], "color", BRUSH, progress=False)[0, -1]
        np.testing.assert_array_equal(np.asarray(Image.open(paths["png"])), canvas)
        record = json.loads(paths["json"].read_text())
        np.testing.assert_allclose(record["actions"], painting.actions, atol=1e-6)  # rounded to 6 decimals
        assert record["mode"] == painting.mode


def test_choose_run_prefers_colour_agents_near_the_stroke_count():
    assert choose_run(["mnist_8", "celeba_15", "celeba_50"], RUNS, 40) == "celeba_50"
    assert choose_run(["mnist_8", "celeba_15", "celeba_50"], RUNS, 10) == "celeba_15"
    assert choose_run(["mnist_8"], RUNS, 50) == "mnist_8"
    assert choose_run(["mnist_8", "kmnist_15", "celeba_15"], RUNS, 15) == "celeba_15"  # a photo painter on ties
    with pytest.raises(click.ClickException, match="no trained agent found: train one first"):
        choose_run([], RUNS, 8)
    assert choose_run(["celeba_50_pen", "celeba_50"], RUNS, 50) == "celeba_50"  # the seed's medium on ties


def test_medium_chooses_among_the_painters_of_that_brush_and_names_the_media_there_are():
    everyone = list(RUNS)
    assert in_medium(everyone, RUNS, None, None) == everyone
    assert in_medium(everyone, RUNS, "pen", None) == ["celeba_50_pen"]
    assert in_medium(everyone, RUNS, "classic/pen", None) == ["celeba_50_pen"]  # a brush's name says the same
    assert choose_run(in_medium(everyone, RUNS, "dry_brush", None), RUNS, 50) == "celeba_50"
    with pytest.raises(click.ClickException, match=r"no painter paints in --medium chalk: the media here are dry_brush, "
                                                   r"pen \(`painting-dreams models`\); to learn another, add a world"):
        in_medium(everyone, RUNS, "chalk", None)
    with pytest.raises(click.ClickException, match=r"--agent celeba_15 paints in dry_brush, not in --medium pen"):
        in_medium(everyone, RUNS, "pen", "celeba_15")
    result = CliRunner().invoke(cli, ["paint", "nope.png", "--medium", "chalk"])
    assert result.exit_code == 1 and "does not exist" in result.output  # the image is checked before any painter


def test_paint_command_explains_bad_images(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["paint", str(tmp_path / "nope.jpg")])
    assert (result.exit_code, result.output) == (1, f"Error: image '{tmp_path / 'nope.jpg'}' does not exist: check the path\n")
    Image.new("L", (8, 8)).save(tmp_path / "tiny.png")
    result = runner.invoke(cli, ["paint", str(tmp_path / "tiny.png")])
    assert result.exit_code == 1
    assert result.output == f"Error: image '{tmp_path / 'tiny.png'}' is only 8x8: it needs at least 16 px on each side\n"
    result = runner.invoke(cli, ["paint", str(tmp_path / "tiny.png"), "--strokes", "0"])
    assert result.exit_code == 2 and "Invalid value for '--strokes': 0 is not in the range 1<=x<=500" in result.output
