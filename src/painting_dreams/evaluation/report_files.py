"""The files the ``evaluate`` command writes: ``scores.csv``, ``summary.json`` and ``grid.png``.

Each is written to a temporary file beside it and moved into place, so a failed or interrupted
evaluation leaves the previous files (or none), never half-written ones.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from painting_dreams.evaluation.figures import transfer_grid  # noqa: E402
from painting_dreams.evaluation.image_sets import ImageSet, ImageSetError  # noqa: E402
from painting_dreams.export.files import atomic_target  # noqa: E402

GRID_IMAGES = 8  # rows of target | dream | real in grid.png


def check_out_dir(out_dir: str | Path) -> Path:
    """``out_dir`` created if needed, or an :class:`ImageSetError` if it is a file or cannot be written (before painting)."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ImageSetError(f"--out {str(out)!r} is a file: give a folder for scores.csv, summary.json and grid.png")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise ImageSetError(f"--out {str(out)!r} cannot be written ({exc.strerror}): choose a folder you can write to") from exc
    return out


def write_evaluation(out_dir: str | Path, image_set: ImageSet, scored, summary: dict) -> dict[str, Path]:
    """Write the per-image scores, the summary and the target | dream | real grid into ``out_dir``."""
    out = check_out_dir(out_dir)
    paths = {"scores": out / "scores.csv", "summary": out / "summary.json", "grid": out / "grid.png"}
    table = scored.scores.rename(columns={"mse_target_real": "mse_real", "mse_target_dream": "mse_dream"})
    table = table.drop(columns="image")
    table.insert(0, "image", image_set.names)
    with atomic_target(paths["scores"]) as tmp:
        table.to_csv(tmp, index=False, float_format="%.6g")
    with atomic_target(paths["summary"]) as tmp:
        Path(tmp).write_text(json.dumps(summary, indent=1) + "\n")
    figure = transfer_grid(image_set.targets, scored.dream, scored.real / 255.0, scored.scores, GRID_IMAGES,
                           f"{summary['agent']}" + (f", refined {summary['refine']} steps" if summary["refine"] else ""),
                           agent_real=scored.agent_real / 255.0 if summary["refine"] else None)
    try:
        with atomic_target(paths["grid"]) as tmp:
            figure.savefig(tmp, format="png", dpi=120)
    finally:
        plt.close(figure)
    return paths
