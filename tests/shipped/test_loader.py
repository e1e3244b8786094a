"""Loading shipped painters: safe mode, cards checked, missing and corrupt files named."""

import hashlib
import json

import keras
import numpy as np
import pytest

from painting_dreams.agent import build_policy, paint_targets
from painting_dreams.paint.libmypaint import find_brush
from painting_dreams.shipped import ShippedPainterError, cards, load
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH

BRUSH_SHA256 = hashlib.sha256(find_brush(BRUSH).read_bytes()).hexdigest()  # the installed brush file's

TINY = {"filters": 8, "residual_blocks": 1, "action_embedding": 8, "dense_units": 16, "lstm_units": 16}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A shipped folder of one policy painting two names (its first 3 and all 5 strokes)."""
    folder = tmp_path_factory.mktemp("shipped")
    (folder / "cards").mkdir()
    keras.utils.set_random_seed(0)
    build_policy("color", strokes_per_step=2, canvas_resolution=32, **TINY).save(folder / "tiny_5.keras")
    model = StrokeModel("color", brush=BRUSH, brush_sha256=BRUSH_SHA256)
    model((np.zeros((1, 2), np.float32), np.zeros((1, 9), np.float32)))
    model.save(folder / "color_stroke_model.keras")
    for name, strokes in (("tiny_3", 3), ("tiny_5", 5)):
        card = {"name": name, "strokes": strokes, "variant": "color", "world": "color", "brush": BRUSH,
                "brush_sha256": BRUSH_SHA256, "policy": "tiny_5.keras",
                "stroke_model": "color_stroke_model.keras", "compositor": "alpha_over",
                "discrete_actions": "straight_through", "fixed_fields": {}, "dataset": "celeba",
                "targets": {"kind": "faces", "image_size": 64, "crop_size": 178, "crop_centre": [89, 121]},
                "test_mse": {"real": 0.1}}
        (folder / "cards" / f"{name}.json").write_text(json.dumps(card))
    return folder


def test_names_share_a_policy_and_paint_their_own_stroke_counts(folder):
    assert sorted(cards(folder)) == ["tiny_3", "tiny_5"]
    three, five = load("tiny_3", folder), load("tiny_5", folder)
    assert (three.strokes, five.strokes, three.variant) == (3, 5, "color")
    assert three.painter.real_brush() == five.painter.real_brush() == BRUSH  # the card's brush
    targets = np.random.default_rng(0).random((2, 64, 64, 3)).astype(np.float32)
    a3, _ = paint_targets(three.policy, three.painter, targets, three.strokes)
    a5, _ = paint_targets(five.policy, five.painter, targets, five.strokes)
    assert a3.shape == (2, 3, 11) and a5.shape == (2, 5, 11)
    np.testing.assert_allclose(a3, a5[:, :3], atol=1e-6)  # the 3-stroke name paints the 5-stroke agent's first 3


def test_unknown_missing_and_corrupt_files_are_named(folder, tmp_path):
    with pytest.raises(ShippedPainterError, match="no shipped painter 'celeba_99': the shipped ones are tiny_3, tiny_5"):
        load("celeba_99", folder)
    broken = tmp_path / "broken"
    (broken / "cards").mkdir(parents=True)
    card = json.loads((folder / "cards" / "tiny_3.json").read_text())
    (broken / "cards" / "tiny_3.json").write_text(json.dumps(card))
    with pytest.raises(ShippedPainterError, match=f"the shipped model {broken / 'tiny_5.keras'} is missing"):
        load("tiny_3", broken)
    (broken / "tiny_5.keras").write_bytes((folder / "tiny_5.keras").read_bytes()[:5000])  # truncated
    with pytest.raises(ShippedPainterError, match=f"the shipped model {broken / 'tiny_5.keras'} is unreadable: not a "
                       "complete .keras file .*: reinstall painting_dreams$"):
        load("tiny_3", broken)
    (broken / "cards" / "tiny_3.json").write_text("{not json")
    with pytest.raises(ShippedPainterError, match="the model card .*tiny_3.json is unreadable"):
        cards(broken)
    (broken / "cards" / "tiny_3.json").write_text(json.dumps({"name": "tiny_3"}))
    with pytest.raises(ShippedPainterError, match=r"lacks \['strokes'"):
        cards(broken)


@pytest.mark.parametrize("change, message", [
    ({"strokes": "fifteen"}, r"has strokes 'fifteen': it must be a whole number of strokes, 1 or more"),
    ({"variant": "oil"}, r"has variant 'oil': it must be 'mnist' or 'color'"),
    ({"compositor": "multiply"}, r"has compositor 'multiply': it must be darker_of, darkness_mask or alpha_over"),
    ({"fixed_fields": {"jump": 0.0}}, r"fixes \['jump'\], not fields of the color layout \(start_x, "),
    ({"fixed_fields": {"red": 2}}, r"has fixed_fields \{'red': 2\}: it must be an object of action fields and values"),
    ({"brush": ""}, r"has brush '': it must be the MyPaint brush it paints with, e.g. classic/dry_brush"),
    ({"brush_sha256": "23ce88"}, r"has brush_sha256 '23ce88': it must be the SHA-256 of the brush file it learned"),
])
def test_a_card_that_does_not_fit_the_schema_is_named_with_its_value(folder, tmp_path, change, message):
    (tmp_path / "cards").mkdir()
    card = {**json.loads((folder / "cards" / "tiny_3.json").read_text()), **change}
    (tmp_path / "cards" / "tiny_3.json").write_text(json.dumps(card))
    with pytest.raises(ShippedPainterError, match=rf"the model card .*tiny_3.json {message}"):
        cards(tmp_path)


def test_another_painters_model_copied_over_one_is_refused_by_its_checksum(folder, tmp_path):
    import hashlib
    import shutil

    (tmp_path / "cards").mkdir()
    card = json.loads((folder / "cards" / "tiny_3.json").read_text())
    card["files_sha256"] = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
                            for name in (card["policy"], card["stroke_model"])}
    (tmp_path / "cards" / "tiny_3.json").write_text(json.dumps(card))
    for name in (card["policy"], card["stroke_model"]):
        shutil.copy(folder / name, tmp_path / name)
    assert load("tiny_3", tmp_path).strokes == 3  # the files the card describes
    shutil.copy(folder / "tiny_5.keras", tmp_path / "color_stroke_model.keras")  # a policy where the stroke model was
    with pytest.raises(ShippedPainterError, match=r"color_stroke_model.keras is not the file its card describes \(its "
                                                  r"SHA-256 differs: replaced or damaged\): reinstall painting_dreams"):
        load("tiny_3", tmp_path)
    del card["files_sha256"]  # without checksums, the wrong model is still refused by what it is
    (tmp_path / "cards" / "tiny_3.json").write_text(json.dumps(card))
    with pytest.raises(ShippedPainterError, match=r"tiny_3"):
        load("tiny_3", tmp_path)


def test_a_painter_whose_brush_is_not_installed_as_it_learned_it_is_refused(folder, tmp_path):
    import shutil

    (tmp_path / "cards").mkdir()
    for name in ("tiny_5.keras", "color_stroke_model.keras"):
        shutil.copy(folder / name, tmp_path / name)
    card = json.loads((folder / "cards" / "tiny_3.json").read_text())
    (tmp_path / "cards" / "tiny_3.json").write_text(json.dumps({**card, "brush_sha256": "0" * 64}))
    with pytest.raises(ShippedPainterError, match=r"the shipped painter tiny_3 learned the MyPaint brush "
                                                  r"'classic/dry_brush', but .*dry_brush.myb is another brush file"):
        load("tiny_3", tmp_path)
    (tmp_path / "cards" / "tiny_3.json").write_text(json.dumps({**card, "brush": "classic/no_such_brush"}))
    with pytest.raises(ShippedPainterError, match=r"the shipped painter tiny_3 paints with the MyPaint brush "
                                                  r"'classic/no_such_brush', which is not installed"):
        load("tiny_3", tmp_path)
