"""The painters that ship with the package: all five names load in safe mode and paint from any folder."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from painting_dreams.paint.libmypaint import find_brush
from painting_dreams.shipped import HERE, cards, load
from tests.conftest import BRUSH

NAMES = ["mnist_8", "kmnist_15", "celeba_15", "celeba_30", "celeba_50"]
BIN = Path(sys.executable).parent


MEDIA = {"celeba_50_pen": "classic/pen", "celeba_50_charcoal": "classic/charcoal",
         "celeba_50_impressionism": "classic/impressionism"}  # painter -> its brush


def test_the_five_painters_ship_with_cards_and_load_in_safe_mode():
    shipped = cards()
    assert sorted(shipped) == sorted(NAMES + list(MEDIA))
    for name in NAMES:
        card = shipped[name]
        assert card["strokes"] == int(name.rsplit("_", 1)[1]) and card["variant"] == ("mnist" if name == "mnist_8" else "color")
        assert 0 < card["test_mse"]["dream"] < card["test_mse"]["real"] < 0.05 and card["steps"] > 1000
        assert card["licence"] and card["date"] and card["training_minutes"] > 0
        if "fine_tuned_from" in card:  # trained on from a shipped painter: the minutes of both, within two hours
            earlier = card["fine_tuned_from"]
            assert card["training_minutes_total"] == round(earlier["training_minutes"] + card["training_minutes"], 1) <= 120
        assert (card["world"], card["brush"]) == (card["variant"], BRUSH)  # the bundled worlds' dry brush
        assert card["brush_sha256"] == hashlib.sha256(find_brush(BRUSH).read_bytes()).hexdigest()  # as installed
        painter = load(name)
        assert painter.strokes == card["strokes"] and painter.policy.name.startswith("spiral_policy")
        assert painter.painter.real_brush() == BRUSH
        assert set(card["files_sha256"]) == {card["policy"], card["stroke_model"]}  # checked when loaded
        digest = hashlib.sha256((HERE / card["stroke_model"]).read_bytes()).hexdigest()
        trained_in = card.get("stroke_model_round", card["world"])  # a round's stroke model, or its world's
        assert card["stroke_model"] == f"{trained_in}_stroke_model_{digest[:12]}.keras"  # named by content: shipping
        # one painter with another stroke model adds a file and never replaces the one other painters paint with
        if "policy_trained_in" in card:  # a shipped policy painting in a later round's dream than the one it learnt in
            assert card["policy_trained_in"] != trained_in and card["policy_trained_in"] in (card["world"], "color_r1", "color_r2")
    assert shipped["celeba_30"]["policy"] == shipped["celeba_50"]["policy"]  # one agent, two stroke counts
    assert sum(p.stat().st_size for p in HERE.glob("*.keras")) < 40e6


@pytest.mark.parametrize("name", sorted(MEDIA))
def test_each_medium_ships_a_painter_of_its_brush_with_its_card(name):
    card = cards()[name]
    brush = MEDIA[name]
    assert (card["brush"], card["medium"], card["world"]) == (brush, brush.split("/")[1], brush.split("/")[1])
    assert card["brush_sha256"] == hashlib.sha256(find_brush(brush).read_bytes()).hexdigest()
    assert card["init_policy"] == "celeba_50" and card["strokes"] == 50 and card["dataset"] == "celeba"
    assert 0 < card["stroke_model_fidelity"]["ratio"] < 0.5 and card["stroke_model_fidelity"]["held_out_episodes"] == 300
    assert 0 < card["test_mse"]["real"] < 0.05 and card["test_mse"]["images"] == 780 and card["training_minutes"] <= 120
    refined = card["test_mse_modes"]["refined"]
    assert refined["refine_steps"] == 100 and refined["mse_real_mean"] < refined["open_loop_on_these_images"]
    digest = hashlib.sha256((HERE / card["stroke_model"]).read_bytes()).hexdigest()
    assert card["stroke_model"] == f"{card['world']}_stroke_model_{digest[:12]}.keras"
    painter = load(name)
    assert painter.painter.real_brush() == brush  # MyPaint paints its strokes with the medium's own brush


@pytest.mark.slow
def test_paint_works_from_a_folder_outside_the_project(tmp_path):
    rng = np.random.default_rng(0)
    image = np.kron(rng.integers(0, 256, (4, 4, 3)), np.ones((32, 32, 1))).astype(np.uint8)  # colour blocks
    Image.fromarray(image).save(tmp_path / "blocks.png")
    result = subprocess.run([str(BIN / "painting-dreams"), "paint", "blocks.png", "--detail", "0", "--strokes", "15", "--refine", "0",
                             "--out", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "agent celeba_15 (shipped with painting_dreams" in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["blocks.gif", "blocks.json", "blocks.ora",
                                                                    "blocks.png"]
    record = json.loads((tmp_path / "out" / "blocks.json").read_text())
    assert record["variant"] == "color" and len(record["strokes"]) == 15
    painted = np.asarray(Image.open(tmp_path / "out" / "blocks.png")).astype(float) / 255
    target = np.asarray(Image.fromarray(image).resize((64, 64), Image.BILINEAR)).astype(float) / 255
    assert ((painted - target) ** 2).mean() < 0.5 * ((1.0 - target) ** 2).mean()  # far closer than a blank sheet


def test_models_names_each_painters_brush_and_brushes_lists_the_installed_ones():
    from click.testing import CliRunner

    from painting_dreams.commands import cli

    result = CliRunner().invoke(cli, ["models"])
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split()[:5] == ["name", "strokes", "paint", "medium", "brush"]
    for name in NAMES:
        (row,) = [line for line in rows if line.startswith(f"{name} ")]
        assert row.split()[3:5] == [cards()[name]["brush"].split("/")[-1], cards()[name]["brush"]], row
    (media,) = [line for line in rows if line.startswith("media")]
    assert "dry_brush: celeba_15, celeba_30, celeba_50, kmnist_15, mnist_8" in media
    result = CliRunner().invoke(cli, ["brushes", "--paths"])
    assert result.exit_code == 0, result.output
    listed = dict(line.split() for line in result.stdout.splitlines())
    assert listed[BRUSH] == str(find_brush(BRUSH)) and "classic/charcoal" in listed
    assert result.stderr.endswith(f"{len(listed)} brushes; a world may also name a .myb file by its path\n")
    digest = hashlib.sha256(find_brush("classic/pen").read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["brushes", "--digest", "classic/pen"])
    assert (result.exit_code, result.stdout) == (0, f"{digest}  classic/pen\n")  # what DVC's brush@<world> records
    result = CliRunner().invoke(cli, ["brushes", "--digest", "classic/no_such_brush"])
    assert result.exit_code == 1 and "MyPaint brush 'classic/no_such_brush' not found" in result.output
    assert "Traceback" not in result.output
