"""The ``rounds`` pipeline: the shipped MNIST painter's strokes on real digits, replayed in MyPaint, teach its
stroke model (SequentialRunner, small real episodes)."""

import gzip
import shutil

import numpy as np
import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from painting_dreams import rounds as round_module
from painting_dreams import shipped
from painting_dreams.inventory import InventoryError, complete_inventory
from painting_dreams.paint.replay import play
from painting_dreams.pipelines.rounds import create_pipeline
from painting_dreams.pipelines.rounds.nodes import round_settings
from painting_dreams.targets.digits import digit_targets
from painting_dreams.targets.idx import parse_idx
from tests.pipelines.world_model_catalog import (PROJECT_ROOT, assert_catalog_declares, parameter_datasets,
                                                 tiny_parameters, world_model_catalog)

MNIST_IMAGES = PROJECT_ROOT / "data/01_raw/mnist/train-images-idx3-ubyte.gz"
IMAGES, HELD_OUT, REFINED, STROKES = 6, 2, 2, 8  # mnist_8 paints 8 strokes


def _digits(count: int, first: int = 0) -> np.ndarray:
    raw = parse_idx(gzip.decompress(MNIST_IMAGES.read_bytes()), source=str(MNIST_IMAGES))
    return digit_targets(raw[first:first + count], image_size=64)


def _round_entry(**settings) -> dict:
    inventory = yaml.safe_load((PROJECT_ROOT / "conf/base/inventory.yml").read_text())
    return complete_inventory(inventory, "data")["rounds"]["mnist_r1"] | settings


TINY_ROUND = {"images": IMAGES, "held_out_images": HELD_OUT, "refine": {"images": REFINED, "steps": 3},
              "max_random_episodes": 12, "score_images": 3, "training": {"epochs": 3, "batch_size": 32}}


def test_one_namespace_per_round(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == set(project_params["rounds"]) >= {"color_r1", "mnist_r1"}
    mnist = pipeline.only_nodes_with_namespaces(["mnist_r1"])
    assert mnist.inputs() == {"mnist.targets", "mnist.stroke_model", "mnist.stroke_episodes", "mnist.episode_split",
                              "params:rounds.mnist_r1", "params:round_defaults", "params:world_model"}
    assert mnist.all_outputs() == {"mnist_r1.painted_strokes", "mnist_r1.stroke_model",
                                   "mnist_r1.stroke_model_history", "mnist_r1.round_scores"}
    color = pipeline.only_nodes_with_namespaces(["color_r1"])
    assert {"kmnist.targets", "celeba.targets", "color.stroke_model"} <= color.inputs()
    assert_catalog_declares(pipeline)


@pytest.mark.slow
def test_a_round_teaches_the_stroke_model_the_painters_strokes(small_episodes, tmp_path, project_params):
    parameters = tiny_parameters(tmp_path)
    catalog = world_model_catalog(tmp_path, small_episodes, parameters)
    rounds_catalog = yaml.safe_load((PROJECT_ROOT / "conf/base/catalog_rounds.yml").read_text().replace(
        "${globals:out}", str(tmp_path)).replace("{round}", "mnist_r1"))
    rounds_catalog = DataCatalog.from_config(rounds_catalog)
    for name in ("mnist_r1.painted_strokes", "mnist_r1.round_scores"):
        catalog[name] = rounds_catalog[name]  # the files conf declares: the painted strokes go through their .npz
    card = shipped.cards()["mnist_8"]
    start = tmp_path / "06_models/mnist_stroke_model.keras"
    start.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(shipped.HERE / card["stroke_model"], start)  # the model the shipped painter paints with
    catalog["mnist.targets"] = MemoryDataset({"train": _digits(12), "test": _digits(3, first=100)})
    entry = _round_entry(**TINY_ROUND)
    for key, dataset in {**parameter_datasets("rounds.mnist_r1", entry),
                         **parameter_datasets("round_defaults", project_params["round_defaults"])}.items():
        catalog[key] = dataset

    SequentialRunner().run(create_pipeline().only_nodes_with_namespaces(["mnist_r1"]), catalog)

    painted = catalog["mnist_r1.painted_strokes"].load()
    count = (IMAGES + REFINED) * STROKES
    assert painted["strokes"].shape == (count, 64, 64, 4) and painted["strokes"].dtype == np.uint8
    assert painted["actions"].shape == (count, 7) and painted["starts"].shape == (count, 2)  # end, control, brush
    assert painted["held_out"].sum() == HELD_OUT * STROKES and painted["refined"].sum() == REFINED * STROKES
    assert not painted["held_out"][painted["refined"]].any()  # refined images come from the training ones
    assert list(painted["names"]) == ["mnist_8"]
    assert (painted["strokes"][..., 3].reshape(count, -1).max(1) > 0).mean() > 0.9  # real paint, nearly every stroke
    # Each collected stroke is MyPaint's own stroke of that action (absolute layout: start, then the rest).
    absolute = np.concatenate([painted["starts"][:3], painted["actions"][:3]], axis=1)[None]
    alone = play(absolute, "mnist", absolute=True, stroke_mode=True, brush=card["brush"]).strokes[0]
    np.testing.assert_array_equal(alone, painted["strokes"][:3])

    history = catalog["mnist_r1.stroke_model_history"].load()
    assert history["painted_strokes"] == (IMAGES - HELD_OUT + REFINED) * STROKES
    assert history["mixture_strokes"] == history["random_strokes"] + history["painted_strokes"]
    assert history["start"] == "mnist" and history["painters"] == ["mnist_8"]

    # The round's model paints the painted training strokes closer to MyPaint than the start did.
    train = ~painted["held_out"]
    before = round_module.stroke_mse(catalog["mnist.stroke_model"].load(), painted["starts"][train],
                                     painted["actions"][train], painted["strokes"][train])
    after = round_module.stroke_mse(catalog["mnist_r1.stroke_model"].load(), painted["starts"][train],
                                    painted["actions"][train], painted["strokes"][train])
    assert after < before

    scores = catalog["mnist_r1.round_scores"].load()
    assert list(scores["row"]) == ["random strokes (held out)", "painted strokes (held-out images)"] * 2 + [
        "test paintings"] * 2
    assert list(scores["model"]) == ["start", "start", "round", "round", "start", "round"]
    paintings = scores[scores["row"] == "test paintings"]
    assert (paintings["painter"] == "mnist_8").all() and (paintings["count"] == 3).all()
    assert ((paintings["dream_real"] > 0) & (paintings["dream_real"] < 0.05)).all()
    assert ((paintings["real"] > 0) & (paintings["real"] < 0.1)).all()


@pytest.mark.parametrize(("change", "message"), [
    ({"start": "color"}, "start 'color' is a stroke model of the color world, not of 'mnist'"),
    ({"start": "chalk"}, "start is 'chalk'; give the world whose stroke model it goes on training (mnist)"),
    ({"world": "chalk"}, "world is 'chalk', which is not in worlds"),
    ({"painters": []}, "painters is []; give a list of shipped painters' names"),
    ({"painters": ["mnist_8", "mnist_8"]}, "painters is ['mnist_8', 'mnist_8']"),
    ({"images": 5}, "unknown keys"),
])
def test_a_bad_round_is_named_with_its_value_and_the_fix(change, message):
    inventory = yaml.safe_load((PROJECT_ROOT / "conf/base/inventory.yml").read_text())
    if change == {"images": 5}:
        change = {"pictures": 5}
    inventory["rounds"]["mnist_r1"].update(change)
    with pytest.raises(InventoryError, match="rounds.mnist_r1") as error:
        complete_inventory(inventory, "data")
    assert message in str(error.value)


def test_a_round_named_like_a_world_is_refused():
    inventory = yaml.safe_load((PROJECT_ROOT / "conf/base/inventory.yml").read_text())
    inventory["rounds"]["color"] = inventory["rounds"]["color_r1"]
    with pytest.raises(InventoryError, match="'color' is also a world"):
        complete_inventory(inventory, "data")


def test_a_run_in_a_round_paints_with_its_world_brush_and_layout():
    inventory = complete_inventory(yaml.safe_load((PROJECT_ROOT / "conf/base/inventory.yml").read_text()), "data")
    run = inventory["runs"]["celeba_15_r1"]
    assert (run["world"], run["layout"], run["brush"]) == ("color_r1", "color", "classic/dry_brush")


def test_round_settings_refuse_what_leaves_nothing_to_train(project_params):
    entry = _round_entry(images=4, held_out_images=4)
    with pytest.raises(ValueError, match="held_out_images 4 leaves none of its 4 images"):
        round_settings(entry, project_params["round_defaults"])
    with pytest.raises(ValueError, match=r"unknown round training settings \['epoch'\]"):
        round_settings(_round_entry(training={"epoch": 1}), project_params["round_defaults"])


def test_a_painter_of_another_world_is_refused(project_params):
    from painting_dreams.pipelines.rounds.nodes import _painters

    with pytest.raises(ValueError, match="painter celeba_15 paints 'classic/dry_brush' in the 'color' layout"):
        _painters(_round_entry(painters=["celeba_15"]))
    with pytest.raises(ValueError, match=r"not shipped: choose from"):
        create_pipeline.__globals__["painter_datasets"](["no_such_painter"])
