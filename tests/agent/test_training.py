"""Training in the dream: it learns, it resumes after a kill, it rolls back after a collapse."""

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time

import keras
import numpy as np
import pytest

from painting_dreams.agent import DreamTrainer, TrainingCollapsedError, build_critic, build_policy, dream_mse
from painting_dreams.agent.checkpoints import CheckpointStore
from tests.agent.conftest import STROKES, TINY_CRITIC, TINY_POLICY, tiny_config


def make_trainer(painter, targets, run_dir, callbacks=(), **config):
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY)
    critic = build_critic(**TINY_CRITIC)
    return DreamTrainer(policy, critic, painter, targets, tiny_config(**config), run_dir, callbacks, name="test")


@pytest.mark.slow
def test_a_few_steps_lower_the_dream_mse(mnist_painter, paintings, tmp_path):
    trainer = make_trainer(mnist_painter, paintings, tmp_path, steps=30)
    before = dream_mse(trainer.policy, mnist_painter, paintings, STROKES)
    history = trainer.run()
    after = dream_mse(trainer.policy, mnist_painter, paintings, STROKES)
    assert after < 0.85 * before
    assert list(history["step"]) == list(range(1, 31))
    assert np.isfinite(history[["mse", "generator_loss", "critic_loss", "gradient_penalty", "l2_loss"]]).all().all()
    assert list((tmp_path / "tensorboard").glob("events.out.tfevents.*"))


def test_the_prefix_loss_scores_every_policy_step_and_l2_alone_learns(mnist_painter, paintings, tmp_path):
    """No critic, 2 strokes per step, the loss on the canvas after each step: it learns, and its L2 term is more
    than the final canvas's alone."""
    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=2, canvas_resolution=32)
    config = tiny_config(steps=30, adversarial_weight=0.0, prefix_weight=1.0, strokes=4)
    trainer = DreamTrainer(policy, build_critic(**TINY_CRITIC), mnist_painter, paintings, config, tmp_path, name="t")
    before = dream_mse(policy, mnist_painter, paintings, 4)
    history = trainer.run()
    assert dream_mse(policy, mnist_painter, paintings, 4) < 0.85 * before
    assert (history["l2_loss"] > 10.0 * history["mse"] * 1.01).all()  # + the first step's canvas, worse than the last
    assert (history["critic_loss"] == 0).all() and (history["adversarial_loss"] == 0).all()
    with pytest.raises(ValueError, match="prefix_weight is -1"):
        tiny_config(prefix_weight=-1.0)


def test_augment_mirrors_and_turns_each_image_and_none_leaves_the_batch_alone():
    """flip: every image is itself or its mirror; dihedral: one of the 8 symmetries, and several appear."""
    from painting_dreams.agent.training import augment

    images = np.random.default_rng(0).random((64, 64, 64, 3)).astype(np.float32)
    assert augment(images, "none", np.random.default_rng(1)) is images
    flipped = augment(images, "flip", np.random.default_rng(1))
    mirrored = [np.array_equal(b, a[:, ::-1]) for a, b in zip(images, flipped)]
    assert all(m or np.array_equal(b, a) for m, a, b in zip(mirrored, images, flipped))
    assert 16 < sum(mirrored) < 48
    turned = augment(images, "dihedral", np.random.default_rng(1))

    def which(a, b):
        for k in range(8):
            c = np.rot90(a[:, ::-1] if k >= 4 else a, k=k % 4, axes=(0, 1))
            if np.array_equal(b, c):
                return k
        return None

    kinds = [which(a, b) for a, b in zip(images, turned)]
    assert None not in kinds and len(set(kinds)) >= 6
    assert np.array_equal(images, np.random.default_rng(0).random((64, 64, 64, 3)).astype(np.float32))  # untouched
    with pytest.raises(ValueError, match="augment is 'rotate'"):
        tiny_config(augment="rotate")


@pytest.mark.slow
def test_a_run_killed_with_sigkill_resumes_from_its_last_checkpoint(mnist_stroke_model, mnist_painter, paintings,
                                                                     tmp_path, caplog):
    """A real kill: a subprocess trains until its second checkpoint exists, then gets SIGKILL; a rerun carries on."""
    mnist_stroke_model.save(tmp_path / "stroke_model.keras")
    np.save(tmp_path / "targets.npy", paintings)
    script = textwrap.dedent(f"""
        import keras, numpy as np
        import painting_dreams.world_model.stroke_model
        from painting_dreams.agent import stroke_model_painter
        from tests.agent.test_training import make_trainer
        painter = stroke_model_painter(keras.saving.load_model({str(tmp_path / "stroke_model.keras")!r}), "mnist", "darker_of")
        make_trainer(painter, np.load({str(tmp_path / "targets.npy")!r}), {str(tmp_path / "run")!r}, steps=100000).run()
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = CheckpointStore(tmp_path / "run" / "checkpoints")
    try:
        deadline = time.monotonic() + 120
        while (store.latest() is None or store.latest().step < 6) and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    killed = store.latest()
    assert killed.step >= 6

    seen = []
    trainer = make_trainer(mnist_painter, paintings, tmp_path / "run", callbacks=[lambda t, step, m: seen.append(step)],
                           steps=killed.step + 2)
    with caplog.at_level(logging.INFO, logger="painting_dreams.agent.training"):
        history = trainer.run()
    assert f"resuming from the checkpoint of step {killed.step}" in caplog.text
    assert seen == [killed.step + 1, killed.step + 2]  # carried on, not from 0
    assert trainer.untrained_mse == killed.state["untrained_mse"]  # restored, not measured again
    assert list(history["step"]) == list(range(1, killed.step + 3))


def test_a_collapse_rolls_back_to_the_last_good_checkpoint(mnist_painter, paintings, tmp_path, caplog):
    corrupted = []

    def corrupt(trainer, step, metrics):
        if step == 8 and not corrupted:  # the policy's weights go bad, once: its paintings are garbage (NaN)
            corrupted.append(step)
            for variable in trainer.policy.trainable_variables:
                variable.assign(np.full(variable.shape, np.nan, np.float32))

    # Any improvement over the untrained agent counts as trained, so the test does not wait for it.
    trainer = make_trainer(mnist_painter, paintings, tmp_path, callbacks=[corrupt], steps=12,
                           trained_fraction=0.99, collapse_fraction=1.5, collapse_window=2, checkpoint_every=2)
    with caplog.at_level(logging.WARNING, logger="painting_dreams.agent.training"):
        history = trainer.run()
    assert trainer.rollbacks == 1
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "painting_dreams.agent.training"]
    assert len(warnings) == 1 and "collapsed at step 9" in warnings[0].getMessage()  # the first NaN step
    assert "rolling back to the good checkpoint of step" in warnings[0].getMessage()
    assert all(np.isfinite(v.numpy()).all() for v in trainer.policy.trainable_variables)
    assert list(history["step"]) == list(range(1, 13))  # the collapsed steps are dropped from the history
    assert np.isfinite(history["mse"]).all()


@pytest.mark.slow
def test_repeated_collapses_stop_with_an_error(mnist_painter, paintings, tmp_path):
    def corrupt(trainer, step, metrics):
        if step >= 6:
            for variable in trainer.policy.trainable_variables:
                variable.assign(np.full(variable.shape, np.nan, np.float32))

    trainer = make_trainer(mnist_painter, paintings, tmp_path, callbacks=[corrupt], steps=30, max_rollbacks=2,
                           trained_fraction=0.99, collapse_fraction=1.5, collapse_window=2, checkpoint_every=2)
    with pytest.raises(TrainingCollapsedError, match="collapsed 3 times"):
        trainer.run()
