"""The project works through the real `kedro` and `painting-dreams` commands, not only through runners."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from painting_dreams.datasets import NumpyDataset
from painting_dreams.targets import digit_targets, parse_idx

BIN = Path(sys.executable).parent


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_quick_env_writes_beside_the_full_results(project_root):
    conf = project_root / "conf"
    assert yaml.safe_load((conf / "base" / "globals.yml").read_text())["out"] == "data"
    assert yaml.safe_load((conf / "quick" / "globals.yml").read_text())["out"] == "data/quick"


@pytest.mark.slow
def test_kedro_run_quick_data_prep_writes_the_mnist_targets(project_root, tmp_path):
    """`kedro run --env quick` on a copy of conf/ whose quick `out` is a fresh folder: whatever an earlier run
    left under data/quick, the targets read here are the ones this run wrote."""
    conf = tmp_path / "conf"
    shutil.copytree(project_root / "conf", conf)
    out = tmp_path / "quick"
    (conf / "quick" / "globals.yml").write_text(yaml.safe_dump({"out": str(out)}))
    result = run([str(BIN / "kedro"), "run", "--env", "quick", "--conf-source", str(conf), "--pipeline", "data_prep",
                  "--namespaces", "mnist"], project_root)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "03_primary/mnist_targets.npz", "08_reporting/mnist_targets.png"]

    targets = NumpyDataset(filepath=str(out / "03_primary/mnist_targets.npz"), unit_float_as_uint8=True).load()
    assert targets["train"].shape == (512, 64, 64, 3) and targets["test"].shape == (64, 64, 64, 3)
    assert targets["train"].dtype == np.float32
    mnist = project_root / "data/01_raw/mnist"
    for split, name in (("train", "train"), ("test", "t10k")):  # the first digits of each official file
        digits = parse_idx((mnist / f"{name}-images-idx3-ubyte.gz").read_bytes(), source=name)
        expected = digit_targets(digits[: len(targets[split])], image_size=64)
        np.testing.assert_allclose(targets[split], expected, atol=0.5 / 255)  # stored as uint8
    with Image.open(out / "08_reporting/mnist_targets.png") as grid:
        assert grid.size == (2 + 8 * (2 * 64 + 2), 2 + 4 * (2 * 64 + 2))  # 8 columns, 2 train + 2 test rows, x2


def test_registry_lists_every_stage(project_root):
    result = run([str(BIN / "kedro"), "registry", "list"], project_root)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("__default__", "all", "data_prep", "episodes", "vae", "rnn", "stroke_model", "blending", "agent",
                 "evaluation"):
        assert f"- {name}\n" in result.stdout
    result = run([str(BIN / "painting-dreams"), "--help"], project_root)
    assert result.returncode == 0, result.stderr[-3000:]
    commands = set(re.findall(r"(?m)^  (\w+)  ", result.stdout))  # click's "Commands:" section
    assert {"paint", "evaluate", "models", "brushes", "run"} <= commands, result.stdout
