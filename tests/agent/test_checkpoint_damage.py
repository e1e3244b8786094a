"""A damaged checkpoint (what a crash or a full disk may leave) is skipped with a warning, never a raw error;
a checkpoint reaches the disk before it is published."""

import logging
import os

import keras
import pandas as pd
import pytest

from painting_dreams.agent.checkpoints import CheckpointStore
from tests.agent.test_training import make_trainer

STORE_LOGGER = "painting_dreams.agent.checkpoints"


def truncate(path):
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size // 2)


DAMAGES = {
    "empty state.json": lambda folder: (folder / "state.json").write_text(""),
    "truncated policy weights": lambda folder: truncate(folder / "policy.weights.h5"),
    "truncated optimizers.npz": lambda folder: truncate(folder / "optimizers.npz"),
    "missing critic weights": lambda folder: (folder / "critic.weights.h5").unlink(),
    "missing state.json": lambda folder: (folder / "state.json").unlink(),
}
WHAT_IS_WRONG = {  # what the warning says about each damage
    "empty state.json": "state.json is unreadable",
    "truncated policy weights": "policy.weights.h5 has",
    "truncated optimizers.npz": "optimizers.npz has",
    "missing critic weights": "critic.weights.h5 is missing",
    "missing state.json": "state.json is missing",
}


def damage_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == STORE_LOGGER and r.levelno == logging.WARNING]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["empty state.json", "truncated policy weights", "truncated optimizers.npz"])
def test_a_run_resumes_from_the_checkpoint_before_a_damaged_newest_one(damage, mnist_painter, paintings, tmp_path,
                                                                       caplog):
    make_trainer(mnist_painter, paintings, tmp_path, steps=6).run()  # checkpoints of steps 0, 3 and 6
    newest = CheckpointStore(tmp_path / "checkpoints").latest()
    assert newest.step == 6
    DAMAGES[damage](newest.path)

    seen = []
    trainer = make_trainer(mnist_painter, paintings, tmp_path, callbacks=[lambda t, step, m: seen.append(step)],
                           steps=8)
    with caplog.at_level(logging.INFO):
        history = trainer.run()
    warnings = damage_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert str(newest.path) in warnings[0] and WHAT_IS_WRONG[damage] in warnings[0]
    assert "resuming from the checkpoint of step 3" in caplog.text
    assert seen == [4, 5, 6, 7, 8]  # trained on from step 3
    assert list(history["step"]) == list(range(1, 9))
    # The damaged step-6 checkpoint was replaced by a complete one when training got there again.
    assert [c.step for c in CheckpointStore(tmp_path / "checkpoints").checkpoints()] == [3, 6, 8]


def save_checkpoints(directory, goods: list[bool]) -> CheckpointStore:
    """Checkpoints of steps 1, 2, ... of a tiny model, ``good`` as given, in a store that keeps them all."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam()
    optimizer.build(model.trainable_variables)
    store = CheckpointStore(directory, keep=len(goods), keep_good=len(goods))
    for step, good in enumerate(goods, start=1):
        store.save(step, {"policy": model, "critic": model}, {"policy": optimizer}, {"good": good},
                   pd.DataFrame({"step": range(1, step + 1)}))
    return store


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_checkpoint_is_skipped_with_one_warning_naming_it(damage, tmp_path, caplog):
    store = save_checkpoints(tmp_path, [True, False, True])
    damaged = store.latest()
    DAMAGES[damage](damaged.path)
    with caplog.at_level(logging.WARNING, logger=STORE_LOGGER):
        assert [c.step for c in store.checkpoints()] == [1, 2]
        assert store.latest().step == 2
        assert store.latest(good_only=True).step == 1  # a rollback goes to the good one before it
    warnings = damage_warnings(caplog)
    assert len(warnings) == 1, warnings  # once, however often the store lists its checkpoints
    assert str(damaged.path) in warnings[0] and WHAT_IS_WRONG[damage] in warnings[0]


def test_a_checkpoint_is_on_the_disk_before_its_folder_is_renamed_into_place(tmp_path, monkeypatch):
    """Every file and the folder are fsynced before the rename that publishes the checkpoint, the parent after it."""
    events = []
    fsync, rename = os.fsync, os.rename

    def recording_fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    def recording_rename(source, target, *args, **kwargs):
        events.append(("rename", str(source), str(target)))
        rename(source, target, *args, **kwargs)

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc to tell which file a descriptor is")
    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "rename", recording_rename)
    checkpoint = save_checkpoints(tmp_path, [False]).latest()

    renames = [i for i, e in enumerate(events) if e[0] == "rename"]
    assert len(renames) == 1 and os.path.realpath(events[renames[0]][2]) == os.path.realpath(checkpoint.path)
    partial = os.path.realpath(events[renames[0]][1])
    synced_before = {e[1] for e in events[: renames[0]] if e[0] == "fsync"}
    files = sorted(p.name for p in checkpoint.path.iterdir())
    assert files == ["critic.weights.h5", "history.csv", "optimizers.npz", "policy.weights.h5", "state.json"]
    assert {os.path.join(partial, name) for name in files} <= synced_before
    assert partial in synced_before
    assert ("fsync", os.path.realpath(tmp_path)) in events[renames[0]:]
