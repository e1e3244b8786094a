"""The tour notebook (notebooks/tour.ipynb): committed without outputs, and it runs top to bottom.

The slow test executes it with nbclient on a kernel of this Python (a kernelspec written for ``sys.executable``
into the test's temporary folder, so nothing needs installing beyond ``pip install -e .[test]``), working
from ``notebooks/`` as a reader does. It executes a copy in memory and writes the executed copy to the
temporary folder: the committed file is never touched. Like the notebook itself, it makes the quick MNIST
targets under ``data/quick/`` if they are missing.
"""

import re
import sys
import time

import nbformat
import pytest

from tests.conftest import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "tour.ipynb"
KERNEL = "painting-dreams-tour-test"


def test_the_tour_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the tour has no code cells"
    dirty = [cell.id for cell in code if cell.outputs or cell.execution_count is not None]
    assert not dirty, (f"cells {dirty} of {NOTEBOOK.name} keep outputs or execution counts: strip them before "
                       "committing (Jupyter: Edit > Clear Outputs of All Cells, then save)")


def stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def number(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not found in:\n{text}"
    return float(found.group(1))


@pytest.mark.slow
def test_the_tour_runs_top_to_bottom(tmp_path):
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    committed = NOTEBOOK.read_bytes()
    notebook = nbformat.reads(committed.decode(), as_version=4)
    # First, which Python the kernel runs: this one, the venv the tests run in.
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys\nprint(sys.executable)\nprint(sys.prefix)",
                                                       id="which-python"))
    kernels = tmp_path / "kernels"
    write_kernel_spec(kernels / KERNEL)  # argv: [sys.executable, -m, ipykernel_launcher, -f, {connection_file}]
    manager = AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    client = NotebookClient(notebook, km=manager, timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})  # cwd: notebooks/
    started = time.perf_counter()
    try:
        client.execute()  # raises CellExecutionError, with the cell and its traceback, if any cell fails
    finally:
        nbformat.write(notebook, tmp_path / "tour.ipynb")  # the executed copy, for a look after a failure
    seconds = time.perf_counter() - started
    print(f"the tour ran in {seconds:.0f} s; executed copy: {tmp_path / 'tour.ipynb'}")
    assert NOTEBOOK.read_bytes() == committed

    cells = {cell.id: cell for cell in notebook.cells if cell.cell_type == "code"}
    assert not [o for cell in cells.values() for o in cell.outputs if o.output_type == "error"]
    assert stdout(cells["which-python"]).split() == [sys.executable, sys.prefix]

    # Every step shows its pictures.
    for step in ("env", "strokes", "compositors", "agent", "refine", "targets"):
        assert any("image/png" in o.get("data", {}) for o in cells[step].outputs), f"cell {step} shows no image"

    # 1. The env: the first action only moves the brush, the others paint; uint8 RGB canvases.
    env = stdout(cells["env"])
    assert "step 1: painted False" in env and "step 4: painted True" in env
    assert "canvas: (64, 64, 3) uint8" in env

    # 2. The shipped colour stroke model on fresh random strokes: within the project's aim of 0.15 x blank.
    strokes = stdout(cells["strokes"])
    assert number(r"stroke model MSE ([\d.]+)", strokes) < 0.15 * number(r"\(blank ([\d.]+)", strokes)

    # 3. MyPaint's own strokes laid with alpha_over rebuild MyPaint's canvas, the others do not.
    assert "closest to MyPaint's own canvas: alpha_over" in stdout(cells["compositors"])
    assert number(r"alpha_over \(final MSE ([\d.e+-]+)\)", stdout(cells["compositors"])) < 1e-4

    # 4. mnist_8 on the first test digit, real MyPaint (its card: 0.0094 +- 0.0043 over 2000 digits).
    agent = stdout(cells["agent"])
    assert "actions: (1, 8, 9)" in agent
    real = number(r"real MyPaint MSE ([\d.]+)", agent)
    assert 0 < real < 0.02

    # 5. Refinement with MyPaint in the loop never makes the real painting worse, and here makes it better.
    refine = stdout(cells["refine"])
    before, after = number(r"MSE before ([\d.]+)", refine), number(r"refinement steps ([\d.]+)", refine)
    assert before == pytest.approx(real, abs=1e-4)
    assert after < before

    # 6. The catalog in the quick env serves the MNIST targets, 64x64 RGB.
    assert "environment: quick" in stdout(cells["catalog"])
    assert "mnist.targets" in stdout(cells["catalog"]) and "data/quick/03_primary/mnist_targets.npz" in stdout(cells["catalog"])
    assert re.search(r"'train': \(\d+, 64, 64, 3\), 'test': \(\d+, 64, 64, 3\)", stdout(cells["targets"]))
