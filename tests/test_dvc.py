"""`dvc repro` over the Kedro pipelines: builds a stage's chain, does nothing the second time, and
reruns only the changed stage and what follows after a parameter change.

Runs the real DVC and Kedro on a copy of the project switched to the quick configuration
(params.yaml), with the stroke model cut to 2 epochs so the whole test takes about a minute.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from painting_dreams.paint.libmypaint import brush_digest, find_brush
from tests.conftest import BRUSH, PROJECT_ROOT
from tests.processes import copy_project

VENV_BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path) -> str:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", "KEDRO_DISABLE_TELEMETRY": "1",
           "PAINTING_DREAMS_BRUSH_DIR": str(cwd / "brushes")}  # the project copy's own brush files
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{output[-4000:]}"
    return output


def _ran_stages(output: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", output))


def _stale(status: str) -> set[str]:
    """The stages `dvc status` names as changed, leaving out brush@*, which is always changed by design."""
    return {line.rstrip(":").strip() for line in status.splitlines()
            if line.endswith(":") and not line.startswith(("\t", " ")) and not line.startswith("brush@")}


def _set_epochs(project: Path, epochs: int) -> None:
    path = project / "conf" / "quick" / "parameters_stroke_model.yml"
    text, count = re.subn(r"(?m)^(\s+epochs:) \d+", rf"\1 {epochs}", path.read_text())
    assert count == 1, f"no single `epochs:` line in {path}"
    path.write_text(text)


@pytest.fixture(scope="module")
def quick_project(tmp_path_factory) -> Path:
    """The project's files (as git sees them, data excluded) in a fresh git repo, on the quick env."""
    project = tmp_path_factory.mktemp("dvc_project")
    copy_project(PROJECT_ROOT, project)
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["kedro"] = {"env": "quick", "conf": "conf/quick", "inventory": "conf/quick/inventory.yml",
                      "out": "data/quick"}
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    _set_epochs(project, 2)
    (project / "brushes" / "classic").mkdir(parents=True)
    shutil.copy2(find_brush(BRUSH), project / "brushes" / f"{BRUSH}.myb")  # found first (PAINTING_DREAMS_BRUSH_DIR)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    return project


def test_stage_names_follow_the_pipelines(quick_project):
    stages = _run(["dvc", "stage", "list"], quick_project)
    names = {line.split()[0] for line in stages.splitlines() if line.strip()}
    for pipeline in ("data_prep@mnist", "episodes@color", "vae@mnist", "rnn@color", "stroke_model@mnist",
                     "blending@color", "agent@mnist_8", "agent@celeba_50", "evaluation@kmnist_15",
                     "evaluation_results"):
        assert pipeline in names
    # the quick env's outputs, never the full ones
    (stroke_model,) = [line for line in stages.splitlines() if line.startswith("stroke_model@mnist ")]
    assert "Outputs data/quick/07_model_output/world_model/mnist_compositing" in stroke_model


@pytest.mark.slow
def test_repro_twice_then_a_parameter_change_reruns_only_downstream(quick_project):
    first = _run(["dvc", "repro", "stroke_model@mnist"], quick_project)
    assert _ran_stages(first) == {"brush@mnist", "episodes@mnist", "stroke_model@mnist"}
    assert (quick_project / "data/quick/06_models/mnist_stroke_model.keras").stat().st_size > 10_000
    lock = yaml.safe_load((quick_project / "dvc.lock").read_text())
    assert set(lock["stages"]) == {"brush@mnist", "episodes@mnist", "stroke_model@mnist"}
    recorded = (quick_project / "data/quick/02_intermediate/brushes/mnist.sha256").read_text()
    assert recorded == f"{brush_digest(BRUSH)}  {BRUSH}\n"
    assert lock["stages"]["stroke_model@mnist"]["cmd"] == "kedro run --env quick --pipeline stroke_model --namespaces mnist"

    second = _run(["dvc", "repro", "stroke_model@mnist"], quick_project)
    assert _ran_stages(second) == {"brush@mnist"}  # always_changed: it rereads the brush file, which is the same
    assert "didn't change, skipping" in second

    _set_epochs(quick_project, 1)
    status = _run(["dvc", "status", "stroke_model@mnist"], quick_project)
    assert "stroke_model@mnist" in status and "episodes@mnist" not in status
    assert "conf/quick/parameters_stroke_model.yml" in status

    third = _run(["dvc", "repro", "stroke_model@mnist"], quick_project)
    assert _ran_stages(third) == {"brush@mnist", "stroke_model@mnist"}
    lock = yaml.safe_load((quick_project / "dvc.lock").read_text())
    tracked = lock["stages"]["stroke_model@mnist"]["params"]["conf/quick/parameters_stroke_model.yml"]
    assert tracked["stroke_model"]["training"]["epochs"] == 1
    assert _stale(_run(["dvc", "status", "--with-deps", "stroke_model@mnist"], quick_project)) == set()

    # the brush file edited in place: its world's episodes (and what follows) are out of date, nothing else
    myb = quick_project / "brushes" / f"{BRUSH}.myb"
    brush = json.loads(myb.read_text())
    brush["settings"]["opaque"]["base_value"] = 0.7
    myb.write_text(json.dumps(brush))
    _run(["dvc", "repro", "--single-item", "brush@mnist"], quick_project)
    status = _run(["dvc", "status", "--with-deps", "stroke_model@mnist"], quick_project)
    assert _stale(status) == {"episodes@mnist"} and "02_intermediate/brushes/mnist.sha256" in status


def test_the_tables_of_every_run_depend_on_every_run_of_the_inventory():
    """evaluation_results and evaluation_modes list their runs by name: each run of conf/base has its line."""
    stages = yaml.safe_load((PROJECT_ROOT / "dvc.yaml").read_text())["stages"]
    runs = yaml.safe_load((PROJECT_ROOT / "conf/base/inventory.yml").read_text())["runs"]
    for stage, kind in (("evaluation_results", "summary"), ("evaluation_modes", "modes")):
        listed = {Path(dep).name.removesuffix(f"_{kind}.csv") for dep in stages[stage]["deps"]}
        assert listed == set(runs), (stage, sorted(set(runs) ^ listed))
