"""Checkpoints of a training run: weights, optimizer state, counters and history, on disk.

A run directory holds ``checkpoints/step-000150/`` folders, each with

* ``<model>.weights.h5`` for every model (policy, critic),
* ``optimizers.npz``: every optimizer variable (Adam moments, iteration count),
* ``state.json``: the step count and whatever the trainer needs to resume (``"good"`` marks a
  checkpoint taken while the agent was trained, the target of a rollback),
* ``history.csv``: the training history up to that step.

A checkpoint is written to a ``.partial`` folder and renamed when complete, so a run killed
while saving leaves the previous checkpoints intact and no half-written one.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import pandas as pd

PREFIX = "step-"


@dataclass(frozen=True)
class Checkpoint:
    step: int
    path: Path
    state: dict


class CheckpointStore:
    """Save, list, restore and prune the checkpoints under ``directory``.

    Keeps the ``keep`` newest checkpoints, plus the ``keep_good`` newest ``good`` ones (so a
    rollback has somewhere older to go if the newest good one collapses again).
    """

    def __init__(self, directory: str | os.PathLike, keep: int = 3, keep_good: int = 2):
        if keep < 1:
            raise ValueError(f"keep is {keep}: keep at least one checkpoint, or a run cannot resume")
        self.directory = Path(directory)
        self.keep, self.keep_good = int(keep), int(keep_good)

    def save(self, step: int, models: dict[str, keras.Model], optimizers: dict[str, keras.optimizers.Optimizer],
             state: dict, history: pd.DataFrame) -> Checkpoint:
        final = self.directory / f"{PREFIX}{step:06d}"
        partial = final.with_name(final.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name, model in models.items():
            model.save_weights(partial / f"{name}.weights.h5")
        arrays = {f"{name}/{i}": np.asarray(v.numpy()) for name, opt in optimizers.items()
                  for i, v in enumerate(opt.variables)}
        np.savez(partial / "optimizers.npz", **arrays)
        history.to_csv(partial / "history.csv", index=False)
        state = {**state, "step": int(step)}
        (partial / "state.json").write_text(json.dumps(state, indent=1))
        shutil.rmtree(final, ignore_errors=True)
        partial.rename(final)
        self._prune()
        return Checkpoint(step, final, state)

    def checkpoints(self) -> list[Checkpoint]:
        """Complete checkpoints, oldest first."""
        found = []
        for path in sorted(self.directory.glob(f"{PREFIX}[0-9]*")):
            if path.suffix == ".partial" or not (path / "state.json").is_file():
                continue
            state = json.loads((path / "state.json").read_text())
            found.append(Checkpoint(int(state["step"]), path, state))
        return sorted(found, key=lambda c: c.step)

    def latest(self, good_only: bool = False, before: int | None = None) -> Checkpoint | None:
        """The newest checkpoint (``good`` only, and older than step ``before``, if asked)."""
        candidates = [c for c in self.checkpoints()
                      if (c.state.get("good") or not good_only) and (before is None or c.step < before)]
        return candidates[-1] if candidates else None

    def restore(self, checkpoint: Checkpoint, models: dict[str, keras.Model],
                optimizers: dict[str, keras.optimizers.Optimizer]) -> tuple[dict, pd.DataFrame]:
        """Load ``checkpoint`` into ``models`` and (built) ``optimizers``; return its state and history."""
        for name, model in models.items():
            model.load_weights(checkpoint.path / f"{name}.weights.h5")
        with np.load(checkpoint.path / "optimizers.npz") as arrays:
            for name, opt in optimizers.items():
                for i, variable in enumerate(opt.variables):
                    variable.assign(arrays[f"{name}/{i}"])
        history = pd.read_csv(checkpoint.path / "history.csv")
        return dict(checkpoint.state), history

    def _prune(self) -> None:
        existing = self.checkpoints()
        keep = {c.path for c in existing[-self.keep:]}
        good = [c for c in existing if c.state.get("good")]
        keep.update(c.path for c in good[len(good) - self.keep_good:] if self.keep_good)
        for c in existing:
            if c.path not in keep:
                shutil.rmtree(c.path, ignore_errors=True)
