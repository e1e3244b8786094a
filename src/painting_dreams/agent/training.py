"""Training the policy in the dream: backpropagation through painter and compositor, WGAN-GP.

One training step paints a batch of targets with ``strokes`` strokes in the dream (the world
model), then

1. updates the conditional critic ``critic_steps`` times on (target, painting) against
   (target, target), with the gradient penalty of WGAN-GP;
2. updates the policy on ``adversarial_weight * -D(target, painting) + l2_weight * MSE``,
   the gradient flowing back through every composited stroke into the policy.

The critic reuses the step's paintings for its updates (stop-gradient): painting is what costs
on a CPU, and a critic update on a fixed batch is cheap.

:class:`DreamTrainer` adds what a long run needs: checkpoints every ``checkpoint_every`` steps
that a rerun resumes from (carrying on bit for bit as the run that was not stopped), TensorBoard
scalars, a progress line with steps/s and ETA, and a
:class:`~painting_dreams.agent.collapse.CollapseWatch` that rolls back to the last good
checkpoint by itself when training collapses.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

from painting_dreams.agent.checkpoints import CheckpointStore
from painting_dreams.agent.collapse import CollapseWatch
from painting_dreams.agent.critic import critic_losses, generator_adversarial_loss
from painting_dreams.agent.dream_painter import DreamPainter
from painting_dreams.agent.inference import IMAGE_SHAPE, check_targets, dream_mse
from painting_dreams.devices import tensorflow_devices
from painting_dreams.agent.policy import paint_steps
from painting_dreams.parameters import checked_block

logger = logging.getLogger(__name__)

HISTORY_COLUMNS = ("step", "mse", "generator_loss", "adversarial_loss", "l2_loss", "critic_loss", "gradient_penalty",
                   "seconds")


class TrainingCollapsedError(RuntimeError):
    """Training collapsed more often than ``max_rollbacks`` allows."""


@dataclass(frozen=True)
class TrainingConfig:
    """Everything a training run needs to know, every field required: ``agent.defaults.training`` in
    ``conf/base/parameters_agent.yml`` sets each one and says what it does (a run overrides some)."""

    strokes: int
    steps: int
    batch_size: int
    policy_learning_rate: float
    critic_learning_rate: float
    beta_1: float
    beta_2: float
    critic_steps: int
    gradient_penalty_weight: float
    adversarial_weight: float
    l2_weight: float
    prefix_weight: float
    augment: str
    checkpoint_every: int
    keep_checkpoints: int
    log_every: int
    untrained_eval_size: int
    collapse_window: int
    trained_fraction: float
    collapse_fraction: float
    max_rollbacks: int
    seed: int

    @classmethod
    def from_params(cls, params: dict) -> TrainingConfig:
        """Build from a parameters dict, refusing unknown keys (they are typos) and missing ones."""
        return cls(**checked_block(params, [f.name for f in fields(cls)], "training parameters",
                                   "agent.defaults.training in conf/base/parameters_agent.yml"))

    def __post_init__(self):
        for name in ("strokes", "steps", "batch_size", "checkpoint_every", "log_every", "untrained_eval_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"training parameter {name} is {getattr(self, name)}: it must be at least 1")
        if self.adversarial_weight > 0 and self.critic_steps < 1:
            raise ValueError(f"critic_steps is {self.critic_steps} with adversarial_weight {self.adversarial_weight}: "
                             "an adversarial loss needs a trained critic (critic_steps >= 1), or set adversarial_weight 0")
        if self.augment not in AUGMENTATIONS:
            raise ValueError(f"augment is {self.augment!r}: use one of {', '.join(AUGMENTATIONS)}")
        if self.prefix_weight < 0:
            raise ValueError(f"prefix_weight is {self.prefix_weight}: it weighs a loss, use 0 (off) or more")
        if self.adversarial_weight < 0 or self.l2_weight < 0 or self.adversarial_weight + self.l2_weight == 0:
            raise ValueError(
                f"adversarial_weight ({self.adversarial_weight}) and l2_weight ({self.l2_weight}) must be >= 0 "
                "and not both 0: the policy needs a loss"
            )


AUGMENTATIONS = ("none", "flip", "dihedral")


def augment(images: np.ndarray, kind: str, rng: np.random.Generator) -> np.ndarray:
    """A random transform per image of a (B, H, W, C) batch: ``flip`` mirrors left-right (faces stay
    faces), ``dihedral`` applies one of the square's 8 symmetries (a glyph stays a glyph); ``none``
    returns ``images`` unchanged. Draws from ``rng`` only when it transforms."""
    if kind == "none":
        return images
    if kind not in AUGMENTATIONS:
        raise ValueError(f"augment is {kind!r}: use one of {', '.join(AUGMENTATIONS)}")
    out = images.copy()
    mirror = rng.integers(2, size=len(images)).astype(bool)
    out[mirror] = out[mirror, :, ::-1]
    if kind == "dihedral":
        turns = rng.integers(4, size=len(images))
        for i, k in enumerate(turns):
            out[i] = np.rot90(out[i], k=int(k), axes=(0, 1))
    return out


StepCallback = Callable[["DreamTrainer", int, dict], None]


class DreamTrainer:
    """Trains ``policy`` against ``critic`` on ``targets`` through ``painter``, in ``run_dir``.

    ``callbacks`` are called after every step as ``callback(trainer, step, metrics)``; tests use
    them to interrupt a run or corrupt the weights.
    """

    def __init__(self, policy: keras.Model, critic: keras.Model, painter: DreamPainter, targets: np.ndarray,
                 config: TrainingConfig, run_dir: str | os.PathLike, callbacks: Sequence[StepCallback] = (),
                 name: str = "agent"):
        self.policy, self.critic, self.painter = policy, critic, painter
        self.targets = check_targets(targets)
        self.config = config
        self.run_dir = Path(run_dir)
        self.callbacks = list(callbacks)
        self.name = name
        self.store = CheckpointStore(self.run_dir / "checkpoints", keep=config.keep_checkpoints)
        self.policy_optimizer = keras.optimizers.Adam(config.policy_learning_rate, config.beta_1, config.beta_2)
        self.critic_optimizer = keras.optimizers.Adam(config.critic_learning_rate, config.beta_1, config.beta_2)
        self.policy_optimizer.build(policy.trainable_variables)
        self.critic_optimizer.build(critic.trainable_variables)
        # Traced for any batch size, so the step's graph does not depend on what this process traced before:
        # the stroke model's XLA-compiled features reuse a batch-generic trace if one exists (a fresh run's
        # untrained-MSE rollout makes one; a resumed run does not) and round differently from a fixed-batch trace.
        self._train_step = tf.function(self._step, input_signature=[
            tf.TensorSpec((None, *IMAGE_SHAPE), tf.float32),
            tf.TensorSpec((max(config.critic_steps, 1), None, 1, 1, 1), tf.float32)])
        self.step = 0
        self.rollbacks = 0
        self.untrained_mse = float("nan")
        self.history: list[dict] = []
        self.watch: CollapseWatch | None = None
        self._watch_since = 0  # the collapse watch has seen the MSEs of the steps after this one
        self._last_rollback_to: int | None = None  # step of the checkpoint of the last rollback, until a newer one

    # -- the maths of one step -------------------------------------------------------------

    def _step(self, targets: tf.Tensor, epsilon: tf.Tensor) -> dict[str, tf.Tensor]:
        c = self.config
        adversarial = c.adversarial_weight > 0
        zero = tf.constant(0.0)
        critic_loss, penalty = zero, zero
        with tf.GradientTape() as tape:
            _, step_canvases, _ = paint_steps(self.policy, self.painter, targets, c.strokes, training=True)
            paintings = step_canvases[-1]
            if adversarial:
                with tape.stop_recording():
                    fixed = tf.stop_gradient(paintings)
                    for i in range(c.critic_steps):
                        with tf.GradientTape() as critic_tape:
                            losses = critic_losses(self.critic, targets, fixed, epsilon[i], c.gradient_penalty_weight)
                        grads = critic_tape.gradient(losses["critic_loss"], self.critic.trainable_variables)
                        self.critic_optimizer.apply_gradients(zip(grads, self.critic.trainable_variables))
                        critic_loss, penalty = losses["critic_loss"], losses["gradient_penalty"]
            mse = tf.reduce_mean(tf.square(paintings - targets))
            adversarial_loss = generator_adversarial_loss(self.critic, targets, paintings) if adversarial else zero
            l2_loss = c.l2_weight * mse
            if c.prefix_weight > 0 and len(step_canvases) > 1:  # every earlier policy step's canvas, too
                prefix = tf.add_n([tf.reduce_mean(tf.square(x - targets)) for x in step_canvases[:-1]])
                l2_loss += c.l2_weight * c.prefix_weight * prefix / (len(step_canvases) - 1)
            loss = c.adversarial_weight * adversarial_loss + l2_loss
        grads = tape.gradient(loss, self.policy.trainable_variables)
        self.policy_optimizer.apply_gradients(zip(grads, self.policy.trainable_variables))
        return {"mse": mse, "generator_loss": loss, "adversarial_loss": adversarial_loss, "l2_loss": l2_loss,
                "critic_loss": critic_loss, "gradient_penalty": penalty}

    def _batch(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """Targets and penalty mixing weights of ``step``, a pure function of (seed, step, rollbacks)."""
        c = self.config
        rng = np.random.default_rng([c.seed, step, self.rollbacks])
        targets = augment(self.targets[rng.integers(len(self.targets), size=c.batch_size)], c.augment, rng)
        epsilon = rng.uniform(size=(max(c.critic_steps, 1), c.batch_size, 1, 1, 1)).astype(np.float32)
        return targets, epsilon

    # -- the run -------------------------------------------------------------------------

    def run(self) -> pd.DataFrame:
        """Train up to ``config.steps`` steps, resuming from the last checkpoint; return the history."""
        c = self.config
        logger.info("%s: %s", self.name, tensorflow_devices())
        self._start_or_resume()
        writer = tf.summary.create_file_writer(str(self.run_dir / "tensorboard"))
        tick, tick_step = time.perf_counter(), self.step
        while self.step < c.steps:
            step = self.step + 1
            started = time.perf_counter()
            metrics = {k: float(v) for k, v in self._train_step(*self._batch(step)).items()}
            if not all(math.isfinite(v) for v in metrics.values()):
                metrics["mse"] = float("inf")  # a NaN policy is a collapse too
            self.step = step
            self.history.append({"step": step, **metrics, "seconds": time.perf_counter() - started})
            with writer.as_default(step=step):
                for key, value in metrics.items():
                    tf.summary.scalar(key, value)
            for callback in self.callbacks:
                callback(self, step, metrics)
            if self.watch.update(metrics["mse"]):
                self._roll_back(writer)
                tick, tick_step = time.perf_counter(), self.step
                continue
            if step % c.log_every == 0 or step == c.steps:
                now = time.perf_counter()
                rate = (step - tick_step) / max(now - tick, 1e-9)
                logger.info("%s step %d/%d  mse %.4f (recent %.4f, untrained %.4f)  %.2f steps/s  ETA %s",
                            self.name, step, c.steps, metrics["mse"], self.watch.recent_mse, self.untrained_mse,
                            rate, _duration((c.steps - step) / max(rate, 1e-9)))
                tick, tick_step = now, step
            if step % c.checkpoint_every == 0 or step == c.steps:
                self._save()
                writer.flush()
        writer.close()
        return self.history_frame()

    def history_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.history, columns=list(HISTORY_COLUMNS))

    def _start_or_resume(self) -> None:
        c = self.config
        latest = self.store.latest()
        if latest is None:
            sample = self.targets[np.random.default_rng(c.seed).permutation(len(self.targets))[: c.untrained_eval_size]]
            self.untrained_mse = dream_mse(self.policy, self.painter, sample, c.strokes)
            self.step, self.rollbacks, self.history = 0, 0, []
            self.watch, self._watch_since = self._new_watch(trained=False), 0
            logger.info("%s: untrained agent's dream MSE %.4f; training %d steps in %s",
                        self.name, self.untrained_mse, c.steps, self.run_dir)
            self._save()
            return
        self._restore(latest, resume=True)
        logger.info("%s: resuming from the checkpoint of step %d (%s)", self.name, self.step, latest.path)

    def _new_watch(self, trained: bool) -> CollapseWatch:
        c = self.config
        return CollapseWatch(self.untrained_mse, c.collapse_window, c.trained_fraction, c.collapse_fraction, trained)

    def _restore(self, checkpoint, resume: bool = False) -> None:
        """Load ``checkpoint``. A resume carries on its collapse watch, refilled from the history, as if the run
        had never stopped; a rollback starts the watch afresh."""
        try:
            state, history = self.store.restore(checkpoint, self._models(), self._optimizers())
        except (ValueError, KeyError) as error:
            raise ValueError(
                f"{self.name}: the checkpoint {checkpoint.path} does not fit this policy and critic ({error}); it was "
                f"made with other sizes. Delete {self.run_dir} to start over, or point run_dir elsewhere"
            ) from error
        self.step = int(state["step"])
        self.untrained_mse = float(state["untrained_mse"])
        self.rollbacks = max(self.rollbacks, int(state.get("rollbacks", 0)))
        self.history = history.to_dict("records")
        self.watch = self._new_watch(trained=bool(state.get("trained", False)))
        # A checkpoint saved before the watch's start was recorded: an empty window, as resumes had then.
        self._watch_since = int(state.get("watch_since", self.step)) if resume else self.step
        for record in self.history[-self.config.collapse_window:]:
            if record["step"] > self._watch_since:
                self.watch.update(record["mse"])

    def _save(self) -> None:
        recent = self.watch.recent_mse
        # Good: trained, and still trained-level now. The weights are checked too: the recent MSE
        # was measured before this step's update, which may itself have broken them.
        good = (self.watch.trained and recent < self.config.trained_fraction * self.untrained_mse
                and all(np.isfinite(v.numpy()).all() for v in self.policy.trainable_variables))
        state = {"untrained_mse": self.untrained_mse, "trained": self.watch.trained, "good": bool(good),
                 "recent_mse": None if math.isnan(recent) else recent, "rollbacks": self.rollbacks,
                 "watch_since": self._watch_since,
                 "config": asdict(self.config)}
        self.store.save(self.step, self._models(), self._optimizers(), state, self.history_frame())
        if self._last_rollback_to is not None and self.step > self._last_rollback_to:
            self._last_rollback_to = None

    def _roll_back(self, writer) -> None:
        c = self.config
        # A checkpoint that collapsed again before any newer one was taken is not good after all.
        good = self.store.latest(good_only=True, before=self._last_rollback_to)
        recent = self.watch.recent_mse
        if good is None:
            logger.warning("%s: training collapsed at step %d (recent MSE %.4f, untrained %.4f) but no checkpoint "
                           "was taken while it was trained; carrying on", self.name, self.step, recent, self.untrained_mse)
            self.watch.reset(trained=False)
            self._watch_since = self.step
            return
        self.rollbacks += 1
        if self.rollbacks > c.max_rollbacks:
            raise TrainingCollapsedError(
                f"{self.name}: training collapsed {self.rollbacks} times (max_rollbacks={c.max_rollbacks}); "
                f"the last good checkpoint is {good.path}. Lower the learning rates or raise l2_weight, then rerun"
            )
        logger.warning("%s: training collapsed at step %d (recent MSE %.4f > %.2f x untrained %.4f); rolling back to "
                       "the good checkpoint of step %d (rollback %d of at most %d)", self.name, self.step, recent,
                       c.collapse_fraction, self.untrained_mse, good.step, self.rollbacks, c.max_rollbacks)
        self._restore(good)
        self._last_rollback_to = good.step
        with writer.as_default(step=self.step):
            tf.summary.scalar("rollbacks", float(self.rollbacks))

    def _models(self) -> dict[str, keras.Model]:
        return {"policy": self.policy, "critic": self.critic}

    def _optimizers(self) -> dict[str, keras.optimizers.Optimizer]:
        return {"policy": self.policy_optimizer, "critic": self.critic_optimizer}


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"
