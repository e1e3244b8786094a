"""The files the ``evaluate`` command writes: ``scores.csv``, ``summary.json`` and ``grid.png``.

All three are written to temporary files beside them and only then moved into place, so a failed or
interrupted evaluation leaves the previous set (or none), never half-written or mixed files.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt

from painting_dreams.evaluation.figures import transfer_grid
from painting_dreams.evaluation.image_sets import ImageSet
from painting_dreams.files import atomic_set, check_out_dir

FILES = "scores.csv, summary.json and grid.png"

GRID_IMAGES = 8  # rows of target | dream | real in grid.png


def write_evaluation(out_dir: str | Path, image_set: ImageSet, scored, summary: dict) -> dict[str, Path]:
    """Write the per-image scores, the summary and the target | dream | real grid into ``out_dir``, as a set:
    all three replace the previous ones, or (on any error) none does."""
    out = check_out_dir(out_dir, FILES)
    paths = {"scores": out / "scores.csv", "summary": out / "summary.json", "grid": out / "grid.png"}
    table = scored.scores.rename(columns={"mse_target_real": "mse_real", "mse_target_dream": "mse_dream"})
    table = table.drop(columns="image")
    table.insert(0, "image", image_set.names)
    figure = transfer_grid(image_set.targets, scored.dream, scored.real / 255.0, scored.scores, GRID_IMAGES,
                           f"{summary['agent']}" + (f", refined {summary['refine']} steps" if summary["refine"] else ""),
                           agent_real=scored.agent_real / 255.0 if summary["refine"] else None)
    try:
        with atomic_set(paths) as tmp:
            table.to_csv(tmp["scores"], index=False, float_format="%.6g")
            tmp["summary"].write_text(json.dumps(summary, indent=1) + "\n")
            figure.savefig(tmp["grid"], format="png", dpi=120)
    finally:
        plt.close(figure)
    return paths
