"""The GPU configuration (`kedro run --env gpu`, conf/gpu): it resolves to the seed's scale, DVC can track it, and
two of its training steps run (on the CPU here)."""

import logging

import numpy as np
import pytest
import yaml

from painting_dreams.inventory import SECTIONS
from tests.conftest import use_project_inventory

SEED_STEPS = {"mnist_8": 11000, "kmnist_15": 27000, "celeba_15": 27000, "celeba_30": 26000, "celeba_50": 30000}


def test_the_gpu_env_trains_every_run_at_the_seed_scale_beside_the_full_results(project_root):
    base, gpu = use_project_inventory("base"), use_project_inventory("gpu")
    assert set(gpu["runs"]) == set(base["runs"]) and set(gpu["worlds"]) == set(base["worlds"])
    for name, run in gpu["runs"].items():
        assert run["training"]["batch_size"] == 64, name
        assert run["training"]["steps"] == SEED_STEPS.get(name, 6000), name  # media and round runs: fine-tuned
        assert run["training"]["strokes"] == base["runs"][name]["training"]["strokes"], name  # only scale changes
        assert run["run_dir"] == f"data/gpu/06_models/agent/{name}", name
    for name, world in gpu["worlds"].items():
        assert world["stroke_model"] == {"batch_size": 256, "epochs": 8}, name
        assert world["brush"] == base["worlds"][name]["brush"], name
    assert gpu["agent"] == base["agent"] and gpu["stroke_model"] == base["stroke_model"]  # conf/base's parameters


@pytest.mark.parametrize("env", ["quick", "gpu"])
def test_dvc_finds_a_block_for_every_entry_in_the_env_inventory(project_root, env):
    """dvc.yaml tracks each entry's block in ${kedro.inventory}: a missing one would fail `dvc repro` there."""
    base = yaml.safe_load((project_root / "conf/base/inventory.yml").read_text())
    other = yaml.safe_load((project_root / f"conf/{env}/inventory.yml").read_text())
    for section in SECTIONS:
        assert set(other[section]) == set(base[section]), (env, section)
    dvc = (project_root / "dvc.yaml").read_text()
    assert "${kedro.conf}/inventory.yml" not in dvc and dvc.count("${kedro.inventory}:") == 4  # data_prep, stroke_model, rounds, agent
    params = yaml.safe_load((project_root / "params.yaml").read_text())["kedro"]
    assert params == {"env": "local", "conf": "conf/base", "inventory": "conf/base/inventory.yml", "out": "data"}


@pytest.mark.slow
def test_two_training_steps_of_the_gpu_celeba_50_run(project_root, tmp_path, caplog):
    """celeba_50 as conf/gpu sets it (the full policy, 64 faces a step, the prefix loss) on the shipped colour
    stroke model and real MNIST test digits, two steps: TensorFlow's devices are logged first, the loss is finite."""
    import keras

    import painting_dreams.world_model.stroke_model  # noqa: F401  registers StrokeModel
    from painting_dreams.pipelines.agent.nodes import train_agent
    from painting_dreams.shipped import HERE, cards
    from painting_dreams.targets import digit_targets, parse_idx

    params = use_project_inventory("gpu")
    run = params["runs"]["celeba_50"]
    run = {**run, "run_dir": str(tmp_path / "celeba_50"), "training": {**run["training"], "steps": 2}}
    stroke_model = keras.models.load_model(HERE / cards()["celeba_50"]["stroke_model"], compile=False)
    digits = parse_idx((project_root / "data/01_raw/mnist/t10k-images-idx3-ubyte.gz").read_bytes(), source="t10k")
    targets = {"train": digit_targets(digits[:128], image_size=64)}
    with caplog.at_level(logging.INFO, logger="painting_dreams.agent.training"):
        policy, history = train_agent(targets, stroke_model, params["agent"]["defaults"], run)
    assert list(history["step"]) == [1, 2] and np.isfinite(history["mse"]).all()
    assert policy.count_params() > 1_000_000  # the full-size policy, not a quick one
    devices = [r.getMessage() for r in caplog.records if "TensorFlow" in r.getMessage()]
    assert devices and "on CPU:0" in devices[0], caplog.text[-2000:]
