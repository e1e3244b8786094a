"""The agent pipeline: its namespaces, its catalog and parameters, and a run that resumes."""

import logging
from pathlib import Path

import numpy as np
import pytest
import yaml
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.pandas import CSVDataset
from kedro_datasets.tensorflow import TensorFlowModelDataset

from painting_dreams.agent import TrainingConfig, dream_mse, stroke_model_painter
from painting_dreams.agent.runs import run_parameters
from painting_dreams.datasets import KerasModelDataset
from painting_dreams.pipelines.agent import create_pipeline
from painting_dreams.pipelines.agent.pipeline import configured_runs
from tests.agent.conftest import TINY_CRITIC, TINY_POLICY, TINY_TRAINING, real_paintings, train_tiny_stroke_model
from tests.conftest import BRUSH, use_project_inventory

OUTPUTS = {"agent_policy", "agent_history", "agent_mse_plot", "cma_history", "agent_scores"}
CATALOG_KEYS = {"{world}.stroke_model", *(f"{{run}}.{name}" for name in OUTPUTS)}  # the painter: world_model's
BUNDLED = {"mnist_8", "kmnist_15", "celeba_15", "celeba_30", "celeba_50", "celeba_50_pen", "celeba_50_charcoal",
           "celeba_50_impressionism", "kmnist_15_r1", "celeba_15_r1", "celeba_15_r1b", "celeba_50_r1", "mnist_8_r1"}  # conf/base's runs
# A run's block as the inventory completes it (painting_dreams.inventory.check_run).
CELEBA = {"name": "celeba_3", "dataset": "celeba", "world": "color", "layout": "color", "brush": BRUSH,
          "preparation": {"kind": "faces", "image_size": 64, "crop_size": 178, "crop_centre": [89, 121]},
          "run_dir": "x"}


def test_each_run_has_its_own_namespace_and_painter(project_params):
    RUNS = configured_runs()
    pipeline = create_pipeline()
    assert {n.namespace for n in pipeline.nodes} == set(RUNS) == set(project_params["runs"]) >= BUNDLED
    assert {name: (run.dataset, run.world) for name, run in RUNS.items()} == {
        name: (block["dataset"], block["world"]) for name, block in project_params["runs"].items()}
    mnist = create_pipeline(runs=["mnist_8"])
    assert mnist.inputs() == {"mnist.targets", "mnist.stroke_model", "params:agent.defaults", "params:runs.mnist_8"}
    assert mnist.outputs() == {f"mnist_8.{name}" for name in OUTPUTS - {"agent_policy", "agent_history"}}
    assert "color.stroke_model" in create_pipeline(runs=["celeba_50"]).inputs()  # the stroke model of its world
    with pytest.raises(ValueError, match="unknown agent runs \\['svhn_8'\\]"):
        create_pipeline(runs=["svhn_8"])


@pytest.mark.parametrize("env", ["base", "quick"])
def test_catalog_and_parameters_cover_every_run(project_root: Path, env: str):
    params = use_project_inventory(env)  # the pipelines are built from this environment's inventory
    config = OmegaConfigLoader(conf_source=str(project_root / "conf"), base_env="base", default_run_env=env)
    out = config["globals"]["out"]
    catalog_config = {k: v for k, v in config["catalog"].items() if k in CATALOG_KEYS}
    catalog = DataCatalog.from_config(catalog_config)  # instantiates the entries, reads nothing
    for name in create_pipeline().datasets():
        if name.startswith("params:") or name.endswith(".targets") or name.endswith(".cma_test_mse"):
            continue  # parameters, data_prep's targets, an in-memory float
        assert name in catalog, f"{name} has no catalog entry"
    assert type(catalog["mnist_8.agent_policy"]) is KerasModelDataset  # names a damaged file, not "File not found"
    assert str(catalog["mnist_8.agent_policy"]._describe()["filepath"]) == f"{out}/06_models/agent/mnist_8/policy.keras"
    assert str(catalog["mnist.stroke_model"]._describe()["filepath"]) == f"{out}/06_models/mnist_stroke_model.keras"

    agent, runs = params["agent"], params["runs"]
    base = yaml.safe_load((project_root / "conf/base/parameters_agent.yml").read_text())["agent"]
    inventory = yaml.safe_load((project_root / "conf/base/inventory.yml").read_text())
    RUNS = configured_runs()  # the pipelines' wiring
    assert set(runs) == set(RUNS) >= set(inventory["runs"]) == BUNDLED
    assert set(agent) == {"defaults"}  # the runs live in the inventory
    assert set(agent["defaults"]) == set(base["defaults"])
    assert set(agent["defaults"]["training"]) == set(base["defaults"]["training"]), "quick must restate every key"
    for run, block in runs.items():
        params = run_parameters(agent["defaults"], block)
        config = TrainingConfig.from_params(params["training"])
        assert config.strokes == int(run.split("_")[1])  # <dataset>_<strokes>[_<medium>]
        assert params["world"] == RUNS[run].world and params["layout"] == runs[run]["layout"]
        assert params["dataset"] == RUNS[run].dataset  # an env changes a run's settings, never its wiring
        if run in inventory["runs"]:
            assert (params["dataset"], params["world"]) == (inventory["runs"][run]["dataset"],
                                                            inventory["runs"][run]["world"])
        assert params["run_dir"] == f"{out}/06_models/agent/{run}"
        seed = run_parameters(agent["defaults"], {**block, "recipe": "seed"})  # the seed's method, any run
        assert seed["policy"]["strokes_per_step"] == 1 and seed["policy"]["canvas_resolution"] == 64
        assert seed["training"]["adversarial_weight"] > 0 and seed["training"]["prefix_weight"] == 0
        assert TrainingConfig.from_params(seed["training"]).strokes == config.strokes


def test_a_recipe_sits_between_the_defaults_and_the_run():
    defaults = {"recipe": None, "recipes": {"seed": {"training": {"l2_weight": 10.0, "adversarial_weight": 1.0}}},
                "training": {"l2_weight": 1.0, "adversarial_weight": 0.0, "steps": 5}}
    run = {**CELEBA, "training": {"steps": 9, "l2_weight": 2.0}}
    assert run_parameters(defaults, run)["training"] == {"l2_weight": 2.0, "adversarial_weight": 0.0, "steps": 9}
    seed = run_parameters(defaults, {**run, "recipe": "seed"})  # the recipe wins over the run
    assert seed["training"] == {"l2_weight": 10.0, "adversarial_weight": 1.0, "steps": 9}
    assert "recipes" not in seed
    with pytest.raises(ValueError, match="unknown agent recipe 'fast': choose one of \\['seed'\\]"):
        run_parameters(defaults, {**run, "recipe": "fast"})
    with pytest.raises(ValueError, match="recipe 'bad' sets unknown agent parameters \\['lr'\\]"):
        run_parameters({**defaults, "recipes": {"bad": {"lr": 1}}}, {**run, "recipe": "bad"})


def test_unknown_parameters_are_refused():
    with pytest.raises(ValueError, match="unknown agent parameters \\['learning_rate'\\]"):
        run_parameters({"training": {}}, {**CELEBA, "learning_rate": 1})
    with pytest.raises(ValueError, match="unknown agent parameters \\['variant'\\]"):  # the layout is the world's
        run_parameters({"training": {}}, {**CELEBA, "variant": "color"})
    with pytest.raises(ValueError, match="unknown training parameters \\['step'\\]"):
        TrainingConfig.from_params({"step": 3})


@pytest.fixture(scope="module")
def stroke_model():
    return train_tiny_stroke_model("mnist", strokes=300, steps=100)


@pytest.mark.slow
def test_the_mnist_run_trains_scores_and_resumes_on_rerun(stroke_model, tmp_path, caplog):
    targets = {"train": real_paintings(16, seed=3), "test": real_paintings(6, seed=4)}
    defaults = {
        "compositor": "alpha_over", "discrete_actions": "straight_through", "fixed_fields": {},
        "max_train_images": None, "max_test_images": 4, "policy": TINY_POLICY, "critic": TINY_CRITIC,
        "training": {**TINY_TRAINING, "steps": 4, "batch_size": 4, "policy_learning_rate": 1e-4,
                     "checkpoint_every": 2, "log_every": 2, "untrained_eval_size": 4, "collapse_window": 2},
        "cma_baseline": {"hidden": 4, "pooled_cells": 4, "generations": 2, "population": 4, "fitness_targets": 2,
                         "sigma": 0.5, "seed": 0},
    }
    run = {"name": "mnist_8", "dataset": "mnist", "world": "mnist", "layout": "mnist", "brush": BRUSH,
           "preparation": {"kind": "digits", "image_size": 64}, "run_dir": str(tmp_path / "run"),
           "compositor": "darker_of", "fixed_fields": {"jump": 0.0}, "training": {"strokes": 3}}

    def catalog(steps):
        return DataCatalog({
            "mnist.targets": MemoryDataset(targets, copy_mode="assign"),
            "mnist.stroke_model": MemoryDataset(stroke_model, copy_mode="assign"),
            "params:agent.defaults": MemoryDataset({**defaults, "training": {**defaults["training"], "steps": steps}}),
            "params:runs.mnist_8": MemoryDataset(run),
            "mnist_8.agent_policy": TensorFlowModelDataset(filepath=str(tmp_path / "policy.keras"),
                                                           load_args={"compile": False}),
            "mnist_8.agent_history": CSVDataset(filepath=str(tmp_path / "history.csv"), save_args={"index": False}),
            **{f"mnist_8.{name}": MemoryDataset(copy_mode="assign")
               for name in OUTPUTS - {"agent_policy", "agent_history"}},
        })

    pipeline = create_pipeline(runs=["mnist_8"])
    first = catalog(4)
    SequentialRunner().run(pipeline, first)
    history = first["mnist_8.agent_history"].load()
    assert list(history["step"]) == [1, 2, 3, 4]
    curve = first["mnist_8.agent_mse_plot"].load().axes[0].lines[0]  # the raw batch MSE, step by step
    np.testing.assert_array_equal(curve.get_xdata(), history["step"])
    np.testing.assert_allclose(curve.get_ydata(), history["mse"])
    assert set(first["mnist_8.cma_history"].load()["generation"]) == {1, 2}

    # The scores are each agent's dream MSE on the first 4 test images; the saved policy paints the trained one's.
    test, painter = targets["test"][:4], stroke_model_painter(stroke_model, "mnist", "darker_of", brush=BRUSH)
    scores = first["mnist_8.agent_scores"].load().set_index("agent")["test_dream_mse"]
    assert scores.index[0] == "blank canvas" and scores.index[-1].startswith("backprop policy")
    assert scores.iloc[0] == pytest.approx(float(np.mean(np.square(1.0 - test))), rel=1e-6)
    assert len(scores) == 4 and np.isfinite(scores).all()
    policy = first["mnist_8.agent_policy"].load()
    assert scores.iloc[-1] == pytest.approx(dream_mse(policy, painter, test, 3), rel=1e-5)

    second = catalog(6)  # `kedro run` again, asking for more steps: it carries on from step 4
    with caplog.at_level(logging.INFO, logger="painting_dreams.agent.training"):
        SequentialRunner().run(pipeline, second)
    assert "resuming from the checkpoint of step 4" in caplog.text
    assert list(second["mnist_8.agent_history"].load()["step"]) == [1, 2, 3, 4, 5, 6]
