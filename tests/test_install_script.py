"""scripts/install.sh's TensorFlow switch: `GPU=1` puts the CUDA build in place of the CPU one, later installs keep
it, `GPU=0` goes back. The script runs for real against a venv whose pip only records what it is asked to do."""

import os
import subprocess
from pathlib import Path

import pytest

FAKE_PIP = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../pip.log"
"""


@pytest.fixture()
def venv(tmp_path) -> Path:
    bin_ = tmp_path / "venv" / "bin"
    bin_.mkdir(parents=True)
    for name in ("python", "pip"):
        (bin_ / name).write_text(FAKE_PIP)
        (bin_ / name).chmod(0o755)
    return tmp_path / "venv"


def install(project_root: Path, venv: Path, gpu: str | None) -> tuple[subprocess.CompletedProcess, list[str]]:
    log = venv / "pip.log"
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "GPU"} | {"VENV": str(venv)}
    if gpu is not None:
        env["GPU"] = gpu
    result = subprocess.run(["bash", str(project_root / "scripts/install.sh")], env=env, capture_output=True,
                            text=True, timeout=120)
    return result, log.read_text().splitlines() if log.exists() else []


def test_gpu_switch_installs_the_cuda_build_in_place_of_the_cpu_one_and_back(project_root, venv):
    version = "2.21.*"
    assert f'"tensorflow-cpu=={version}"' in (project_root / "pyproject.toml").read_text()
    cpu = ["install -q --upgrade pip", "install -q -r requirements.txt"]

    result, calls = install(project_root, venv, None)
    assert result.returncode == 0, result.stderr
    assert calls == cpu and (venv / ".installed").exists() and not (venv / ".installed-gpu").exists()

    result, calls = install(project_root, venv, "1")
    assert result.returncode == 0, result.stderr
    assert calls == cpu + ["uninstall -q -y tensorflow-cpu", f"install -q tensorflow[and-cuda]=={version}"]
    assert (venv / ".installed-gpu").exists() and "replacing tensorflow-cpu" in result.stdout

    result, calls = install(project_root, venv, None)  # a later `make install` keeps the GPU build
    assert calls == cpu + ["uninstall -q -y tensorflow-cpu", f"install -q tensorflow[and-cuda]=={version}"]

    result, calls = install(project_root, venv, "0")
    assert result.returncode == 0, result.stderr
    assert calls == ["uninstall -q -y tensorflow"] + cpu and not (venv / ".installed-gpu").exists()


def test_a_gpu_value_other_than_0_or_1_is_refused(project_root, venv):
    result, calls = install(project_root, venv, "yes")
    assert result.returncode == 2 and calls == []
    assert "GPU is 'yes'; give GPU=1 (CUDA TensorFlow) or GPU=0 (CPU)" in result.stderr
