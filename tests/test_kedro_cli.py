"""The project works through the real `kedro` and `painting-dreams` commands, not only through runners."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from painting_dreams.datasets import NumpyDataset

BIN = Path(sys.executable).parent


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_kedro_run_quick_data_prep_writes_under_data_quick(project_root):
    result = run([str(BIN / "kedro"), "run", "--env", "quick", "--pipeline", "data_prep", "--namespaces", "mnist"],
                 project_root)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    targets = NumpyDataset(filepath=str(project_root / "data/quick/03_primary/mnist_targets.npz"),
                           unit_float_as_uint8=True).load()
    assert targets["train"].shape == (512, 64, 64, 3) and targets["test"].shape == (64, 64, 64, 3)
    assert targets["train"].dtype == np.float32 and targets["train"].max() == 1.0


def test_registry_lists_every_stage(project_root):
    result = run([str(BIN / "kedro"), "registry", "list"], project_root)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("__default__", "all", "data_prep", "episodes", "vae", "rnn", "stroke_model", "blending", "agent",
                 "evaluation"):
        assert f"- {name}\n" in result.stdout
    result = run([str(BIN / "painting-dreams"), "--help"], project_root)
    assert result.returncode == 0 and "paint" in result.stdout
