"""The inventory (conf/<env>/inventory.yml): checked entries, completed runs, merging across environments."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from painting_dreams.agent.runs import AgentRun, all_runs
from painting_dreams.config_loader import InventoryConfigLoader
from painting_dreams.inventory import InventoryError, complete_inventory
from tests.conftest import PROJECT_ROOT

BASE = yaml.safe_load((PROJECT_ROOT / "conf/base/inventory.yml").read_text())


def _with(section: str, name: str, **changes) -> dict:
    inventory = copy.deepcopy(BASE)
    inventory[section][name] = {**inventory[section][name], **changes}
    return inventory


def test_runs_are_completed_from_their_world_and_dataset():
    done = complete_inventory(BASE, "data")
    celeba_15 = done["runs"]["celeba_15"]
    assert (celeba_15["name"], celeba_15["layout"], celeba_15["brush"]) == ("celeba_15", "color", "classic/dry_brush")
    assert celeba_15["preparation"] == {"kind": "faces", "image_size": 64, "crop_size": 178, "crop_centre": [89, 121]}
    assert celeba_15["run_dir"] == "data/06_models/agent/celeba_15"
    assert done["worlds"]["mnist"]["name"] == "mnist" and done["datasets"]["kmnist"]["reader"] == "glyph_npz"


@pytest.mark.parametrize("section, name, changes, message", [
    ("worlds", "color", {"layout": "watercolour"}, "layout is 'watercolour'; choose one of mnist, color"),
    ("worlds", "color", {"brush": ""}, "brush is ''; give an installed brush name"),
    ("worlds", "color", {"canvas_size": 128}, "canvas_size is 128; the stroke model paints 64x64"),
    ("worlds", "mnist", {"seed": -1}, "seed is -1"),
    ("worlds", "mnist", {"stroke_model": "curve_mlp"}, "stroke_model is 'curve_mlp'; give a block of stroke_model.training"),
    ("datasets", "mnist", {"reader": "png"}, "reader is 'png'; choose one of idx, glyph_npz, celeba, image_folder"),
    ("datasets", "mnist", {"preparation": {"kind": "faces", "image_size": 64, "crop_size": 178, "crop_centre": [1, 2]}},
     "the idx reader feeds the digits preparation, not 'faces'"),
    ("datasets", "mnist", {"max_train": 0}, "max_train is 0"),
    ("datasets", "mnist", {"test_fraction": 0.1}, "test_fraction is for image_folder datasets"),
    ("datasets", "mnist", {"reader": "image_folder", "preparation": {"kind": "pictures", "image_size": 64}},
     "test_fraction is None; an image_folder dataset holds out this share"),
    ("runs", "mnist_8", {"world": "chalk"}, "world is 'chalk', which is not in worlds or rounds (mnist, color, pen, charcoal, impressionism, color_r1, color_r2, mnist_r1)"),
    ("runs", "mnist_8", {"dataset": "photos"}, "dataset is 'photos', which is not in datasets"),
    ("runs", "mnist_8", {"brush": "classic/pen"}, "sets ['brush']: these follow from its world and dataset"),
])
def test_a_bad_entry_is_named_with_its_value_and_the_fix(section, name, changes, message):
    with pytest.raises(InventoryError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")) as error:
        complete_inventory(_with(section, name, **changes), "data")
    assert f"{section}.{name} in conf's inventory.yml" in str(error.value)


def test_an_unknown_key_and_a_missing_one_are_named():
    with pytest.raises(InventoryError, match=r"worlds.color in conf's inventory.yml has unknown keys \['bruhs'\]"):
        complete_inventory(_with("worlds", "color", bruhs="classic/pen"), "data")
    inventory = copy.deepcopy(BASE)
    del inventory["runs"]["kmnist_15"]["world"]
    with pytest.raises(InventoryError, match="runs.kmnist_15 in conf's inventory.yml lacks 'world'"):
        complete_inventory(inventory, "data")


@pytest.fixture()
def conf(tmp_path):
    shutil.copytree(PROJECT_ROOT / "conf", tmp_path / "conf", ignore=shutil.ignore_patterns("local"))
    (tmp_path / "conf" / "local").mkdir()
    return tmp_path / "conf"


def _parameters(conf, env=None, runtime=None) -> dict:
    return InventoryConfigLoader(str(conf), env=env, base_env="base", default_run_env="local",
                                 runtime_params=runtime)["parameters"]


def test_an_environment_adds_and_changes_entries_key_by_key(conf):
    (conf / "local" / "inventory.yml").write_text(yaml.safe_dump({
        "worlds": {"chalk": {"layout": "color", "brush": "deevad/chalk", "canvas_size": 64, "seed": 9},
                   "pen": {"seed": 7}},
        "runs": {"celeba_15": {"training": {"steps": 99}}, "chalk_celeba_5": {"dataset": "celeba", "world": "chalk"}},
    }))
    params = _parameters(conf)
    runs = all_runs(params)
    assert runs["celeba_15"].params["training"]["steps"] == 99
    assert runs["celeba_15"].params["training"]["augment"] == "flip"  # the rest of base's block stays
    assert (runs["chalk_celeba_5"].brush, runs["chalk_celeba_5"].variant, runs["chalk_celeba_5"].world) == (
        "deevad/chalk", "color", "chalk")
    assert set(params["worlds"]) == {"mnist", "color", "pen", "charcoal", "impressionism", "chalk"}
    assert params["worlds"]["pen"]["seed"] == 7 and params["worlds"]["pen"]["brush"] == "classic/pen"  # merged key by key


def test_command_line_params_override_an_entry(conf):
    params = _parameters(conf, "quick", {"runs": {"mnist_8": {"training": {"steps": 3}}}})
    run = AgentRun.named(params, "mnist_8")
    assert (run.params["training"]["steps"], run.strokes) == (3, 8)


def test_the_parameters_files_may_not_define_an_inventory_section(conf):
    (conf / "local" / "parameters_mine.yml").write_text("runs:\n  mnist_8: {training: {steps: 1}}\n")
    with pytest.raises(ValueError, match=r"the parameters define \['runs'\], which belong to conf's inventory.yml"):
        _parameters(conf)


def test_quick_only_shrinks_the_bundled_runs(conf):
    base, quick = all_runs(_parameters(conf)), all_runs(_parameters(conf, "quick"))
    assert list(base) == list(quick)
    for name, run in base.items():
        assert (quick[name].dataset, quick[name].world, quick[name].strokes) == (run.dataset, run.world, run.strokes)
        assert quick[name].params["training"]["steps"] < run.params["training"]["steps"]
