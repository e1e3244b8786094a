"""Checkpoints of a training run: weights, optimizer state, counters and history, on disk.

A run directory holds ``checkpoints/step-000150/`` folders, each with

* ``<model>.weights.h5`` for every model (policy, critic),
* ``optimizers.npz``: every optimizer variable (Adam moments, iteration count),
* ``state.json``: the step count and whatever the trainer needs to resume (``"good"`` marks a
  checkpoint taken while the agent was trained, the target of a rollback),
* ``history.csv``: the training history up to that step.

A checkpoint is written to a ``.partial`` folder, flushed to the disk (every file, then the
folder) and only then renamed into place, so a run killed while saving, or a machine that loses
power, leaves the previous checkpoints intact and no half-written one. ``state.json`` also records
each file's size. A checkpoint damaged all the same (an empty ``state.json``, a truncated or missing
file) is skipped with a warning, and a run resumes from the newest complete one before it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import h5py
import keras
import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

PREFIX = "step-"
REQUIRED_FILES = ("optimizers.npz", "history.csv")  # besides state.json and a weights file per model


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
        self._reported: set[Path] = set()  # damaged checkpoints already warned about

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
        files = {path.name: path.stat().st_size for path in sorted(partial.iterdir())}
        state = {**state, "step": int(step), "files": files}
        (partial / "state.json").write_text(json.dumps(state, indent=1))
        for path in partial.iterdir():
            _fsync(path)
        _fsync(partial)
        shutil.rmtree(final, ignore_errors=True)  # a damaged checkpoint of the same step
        partial.rename(final)
        _fsync(self.directory)
        self._reported.discard(final)
        self._prune()
        return Checkpoint(step, final, state)

    def checkpoints(self) -> list[Checkpoint]:
        """Complete checkpoints, oldest first; a damaged one is left out, with a warning the first time."""
        found = []
        for path in sorted(self.directory.glob(f"{PREFIX}[0-9]*")):
            if path.suffix == ".partial" or not path.is_dir():
                continue
            state, damage = _read_state(path)
            if damage is None:
                found.append(Checkpoint(int(state["step"]), path, state))
            elif path not in self._reported:
                self._reported.add(path)
                logger.warning("the checkpoint %s is damaged (%s): skipping it, a resume or rollback takes the newest "
                               "complete one before it; training replaces it when it gets there again", path, damage)
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


def _read_state(path: Path) -> tuple[dict | None, str | None]:
    """``(state, None)`` for the complete checkpoint folder ``path``, else ``(None, what is wrong)``."""
    try:
        state = json.loads((path / "state.json").read_text())
    except FileNotFoundError:
        return None, "state.json is missing"
    except (OSError, ValueError) as error:  # an empty or cut-off file is not JSON
        return None, f"state.json is unreadable: {error}"
    if not isinstance(state, dict) or not isinstance(state.get("step"), int):
        return None, "state.json holds no step count"
    # Checkpoints saved before the sizes were recorded: check the files that are there.
    sizes = dict(state.get("files") or {p.name: None for p in path.glob("*.weights.h5")})
    for name in REQUIRED_FILES:
        sizes.setdefault(name, None)
    for name, size in sizes.items():
        file = path / name
        try:
            actual = file.stat().st_size
        except FileNotFoundError:
            return None, f"{name} is missing"
        if size is not None and actual != size:
            return None, f"{name} has {actual} bytes, {size} were written"
        try:
            if name.endswith(".h5"):
                h5py.File(file, "r").close()
            elif name.endswith(".npz"):
                zipfile.ZipFile(file).close()
        except (OSError, zipfile.BadZipFile) as error:
            return None, f"{name} is unreadable: {error}"
    return state, None


def _fsync(path: Path) -> None:
    """Flush ``path``, a file or a folder's entries, to the disk."""
    if os.name == "nt" and path.is_dir():  # Windows cannot open a folder; NTFS journals its entries itself
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
