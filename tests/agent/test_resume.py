"""A resumed run is the uninterrupted run: same weights, optimizer state, history and checkpoint state, bit for bit."""

import json
import os
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pandas as pd
import pytest

from painting_dreams.agent.checkpoints import CheckpointStore
from tests.agent.test_training import make_trainer

# Checkpoints at 3, 6, 9, 10; the collapse window (5) is longer than the 3 steps from a resume to the next checkpoint.
CONFIG = {"steps": 10, "checkpoint_every": 3, "collapse_window": 5}


class Killed(Exception):
    """Stands for a kill: the run stops between two checkpoints."""


def checkpoint_contents(path) -> dict:
    """Every array of a checkpoint folder (weights, optimizer variables) by file and name, and its state and history."""
    arrays = {}
    for h5 in sorted(path.glob("*.weights.h5")):
        with h5py.File(h5, "r") as file:
            file.visititems(lambda name, item: arrays.__setitem__(f"{h5.name}/{name}", item[()])
                            if isinstance(item, h5py.Dataset) else None)
    with np.load(path / "optimizers.npz") as optimizers:
        arrays.update({f"optimizers.npz/{name}": optimizers[name] for name in optimizers.files})
    state = json.loads((path / "state.json").read_text())
    state.pop("files", None)  # byte sizes of the files, not what they hold
    history = pd.read_csv(path / "history.csv").drop(columns="seconds")
    return {"arrays": arrays, "state": state, "history": history}


@pytest.mark.slow
def test_a_run_killed_and_resumed_in_a_fresh_process_equals_an_uninterrupted_one(mnist_stroke_model, mnist_painter,
                                                                               paintings, tmp_path):
    """Killed after step 8 (last checkpoint: step 6), then resumed to step 10 in a new process, where nothing has been
    traced yet (as after a real kill): its step-10 checkpoint is the uninterrupted run's, bit for bit."""
    make_trainer(mnist_painter, paintings, tmp_path / "whole", **CONFIG).run()

    def kill(trainer, step, metrics):
        if step == 8:
            raise Killed

    with pytest.raises(Killed):
        make_trainer(mnist_painter, paintings, tmp_path / "resumed", callbacks=[kill], **CONFIG).run()
    assert CheckpointStore(tmp_path / "resumed" / "checkpoints").latest().step == 6

    mnist_stroke_model.save(tmp_path / "stroke_model.keras")
    np.save(tmp_path / "targets.npy", paintings)
    script = textwrap.dedent(f"""
        import logging, keras, numpy as np
        import painting_dreams.world_model.stroke_model
        from painting_dreams.agent import stroke_model_painter
        from tests.agent.test_training import make_trainer
        logging.basicConfig(level=logging.INFO)
        stroke_model = keras.saving.load_model({str(tmp_path / "stroke_model.keras")!r})
        painter = stroke_model_painter(stroke_model, "mnist", "darker_of")
        targets = np.load({str(tmp_path / "targets.npy")!r})
        make_trainer(painter, targets, {str(tmp_path / "resumed")!r}, **{CONFIG!r}).run()
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "resuming from the checkpoint of step 6" in result.stderr

    whole, resumed = (CheckpointStore(tmp_path / run / "checkpoints").latest() for run in ("whole", "resumed"))
    assert whole.step == resumed.step == 10
    expected, actual = checkpoint_contents(whole.path), checkpoint_contents(resumed.path)
    assert sorted(actual["arrays"]) == sorted(expected["arrays"])
    differing = [name for name, array in expected["arrays"].items()
                 if not np.array_equal(array, actual["arrays"][name])]
    assert differing == []
    pd.testing.assert_frame_equal(actual["history"], expected["history"], check_exact=True)
    assert actual["state"] == expected["state"]  # the collapse watch's recent MSE and the good flag, too
