"""Collapse detection and checkpoint bookkeeping, without training."""

import keras
import numpy as np
import pandas as pd
import pytest

from painting_dreams.agent.checkpoints import CheckpointStore
from painting_dreams.agent.collapse import CollapseWatch


def test_no_collapse_before_the_agent_was_trained():
    watch = CollapseWatch(untrained_mse=0.1, window=2)
    assert not any(watch.update(m) for m in (0.1, 0.12, 0.11))
    assert not watch.trained


def test_collapse_after_training_then_climbing_back():
    watch = CollapseWatch(untrained_mse=0.1, window=2, trained_fraction=0.5, collapse_fraction=0.9)
    assert not any(watch.update(m) for m in (0.08, 0.04, 0.03, 0.07))  # trained at 0.035; 0.05 is no collapse
    assert watch.trained
    assert watch.update(0.12)  # recent (0.07 + 0.12) / 2 > 0.09


def test_nan_and_inf_count_as_collapse():
    watch = CollapseWatch(untrained_mse=0.1, window=1, trained=True)
    assert watch.update(float("inf"))


def test_thresholds_are_checked():
    with pytest.raises(ValueError, match="trained_fraction \\(0.9\\) must be above 0 and below collapse_fraction"):
        CollapseWatch(0.1, trained_fraction=0.9, collapse_fraction=0.5)


def test_store_keeps_the_newest_and_the_last_good_checkpoint(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam()
    optimizer.build(model.trainable_variables)
    store = CheckpointStore(tmp_path, keep=2)
    history = pd.DataFrame({"step": [], "mse": []})
    for step, good in ((1, False), (2, True), (3, False), (4, False)):
        store.save(step, {"m": model}, {"m": optimizer}, {"good": good}, history)
    assert [c.step for c in store.checkpoints()] == [2, 3, 4]
    assert store.latest().step == 4 and store.latest(good_only=True).step == 2
    (tmp_path / "step-000005.partial").mkdir()  # a save killed half-way is ignored
    assert store.latest().step == 4


def test_store_restores_weights_and_optimizer_state(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam()
    optimizer.build(model.trainable_variables)
    optimizer.apply_gradients([(np.ones((2, 1), np.float32), model.trainable_variables[0]),
                               (np.ones((1,), np.float32), model.trainable_variables[1])])
    saved = [w.copy() for w in model.get_weights()]
    store = CheckpointStore(tmp_path)
    store.save(7, {"m": model}, {"m": optimizer}, {"note": "x"}, pd.DataFrame({"step": [1], "mse": [0.5]}))
    model.set_weights([w + 1 for w in saved])
    fresh = keras.optimizers.Adam()
    fresh.build(model.trainable_variables)
    state, history = store.restore(store.latest(), {"m": model}, {"m": fresh})
    assert state["step"] == 7 and state["note"] == "x" and list(history["mse"]) == [0.5]
    for a, b in zip(model.get_weights(), saved):
        np.testing.assert_array_equal(a, b)
    assert int(fresh.iterations.numpy()) == 1
