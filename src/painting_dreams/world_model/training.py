"""Training the world models on stroke episodes held in NumPy arrays.

Each ``train_*`` function takes episode arrays (see :mod:`painting_dreams.world_model.stroke_data`)
and a params dict, shows a tqdm bar (rate and ETA), writes TensorBoard scalars under ``log_dir``
when one is given, and returns ``(model, history)``. ``history`` maps each loss name (and
``val_<name>`` when ``validation_fraction`` > 0) to its per-epoch means, plus ``seconds``.

``params`` holds every key of the model's ``training`` block in ``conf/base/parameters_<model>.yml``
(``vae``, ``rnn``, ``stroke_model``), which says what each does; none has a default here, so conf is
the one place they are set (the stroke model's ``variant``, ``brush`` and ``brush_sha256`` come from its
episodes; its ``architecture`` names an entry of :mod:`painting_dreams.world_model.architectures`, and the
block holds the settings of every architecture, of which the chosen one's are used).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from painting_dreams.devices import tensorflow_devices
from painting_dreams.parameters import checked_block
from painting_dreams.world_model.mdn_rnn import MDNRNN, mdn_rnn_loss
from painting_dreams.world_model.stroke_data import stroke_examples
from painting_dreams.world_model.architectures import ARCHITECTURE_SETTINGS, ARCHITECTURES, architecture, build_stroke_model
from painting_dreams.world_model.stroke_model import StrokeModel, stroke_model_loss
from painting_dreams.world_model.vae import ConvVAE, vae_loss

COMMON_KEYS = ("epochs", "batch_size", "learning_rate", "validation_fraction", "log_every_steps", "seed")
VAE_KEYS = (*COMMON_KEYS, "z_size", "kl_tolerance")
MDN_RNN_KEYS = (*COMMON_KEYS, "units", "mixtures", "grad_clip")
STROKE_MODEL_COMMON_KEYS = (*COMMON_KEYS, "variant", "brush", "brush_sha256", "architecture", "alpha_weight")


def _checked(params: dict, keys: tuple[str, ...], model: str) -> dict:
    return checked_block(params, keys, "training params", f"{model}.training in conf/base/parameters_{model}.yml")


def _unit(pixels):
    """uint8 pixels as float32 in [0, 1] inside a graph (float input passes through)."""
    if pixels.dtype == tf.uint8:
        return tf.cast(pixels, tf.float32) / 255.0
    return tf.cast(pixels, tf.float32)


def make_train_step(model: keras.Model, optimizer: keras.optimizers.Optimizer, loss_fn: Callable) -> Callable:
    """A compiled step ``(*batch) -> losses`` applying one gradient update of ``loss_fn(model, *batch)["loss"]``."""

    @tf.function
    def train_step(*batch):
        with tf.GradientTape() as tape:
            losses = loss_fn(model, *batch)
        gradients = tape.gradient(losses["loss"], model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return losses

    return train_step


def fit(model: keras.Model, loss_fn: Callable, arrays: tuple, params: dict, name: str,
        validation: tuple | None = None, log_dir: str | None = None, progress: bool = True) -> dict:
    """Minimise ``loss_fn(model, *batch)`` over mini-batches of ``arrays`` (same first axis).

    Batches are drawn without replacement; the last incomplete batch of an epoch is dropped so
    the compiled step keeps one shape. Returns the history (per-epoch means).
    """
    optimizer = keras.optimizers.Adam(params["learning_rate"], clipnorm=params.get("grad_clip"))
    train_step = make_train_step(model, optimizer, loss_fn)
    eval_step = tf.function(lambda *batch: loss_fn(model, *batch))
    count = len(arrays[0])
    if count == 0:
        raise ValueError(f"no training examples for {name}: the episodes are empty (or all held out)")
    batch_size = min(params["batch_size"], count)
    steps = count // batch_size
    rng = np.random.default_rng(params["seed"])
    writer = tf.summary.create_file_writer(str(log_dir)) if log_dir else None
    history: dict[str, list] = {}
    if progress:
        tqdm.write(f"{name}: {tensorflow_devices()}")
    started = time.perf_counter()
    for epoch in range(params["epochs"]):
        order = rng.permutation(count)
        sums: dict[str, float] = {}
        bar = tqdm(range(steps), desc=f"{name} epoch {epoch + 1}/{params['epochs']}", unit="batch",
                   disable=not progress, leave=False)
        for step in bar:
            index = np.sort(order[step * batch_size : (step + 1) * batch_size])
            losses = {k: float(v) for k, v in train_step(*(a[index] for a in arrays)).items()}
            for key, value in losses.items():
                sums[key] = sums.get(key, 0.0) + value
            bar.set_postfix(loss=f"{losses['loss']:.4g}")
            global_step = epoch * steps + step
            if writer and global_step % params["log_every_steps"] == 0:
                with writer.as_default():
                    tf.summary.scalar(f"{name}/batch/loss", losses["loss"], step=global_step)
        epoch_means = {key: total / steps for key, total in sums.items()}
        if validation is not None:
            epoch_means.update({f"val_{k}": v for k, v in evaluate_loss(eval_step, validation, batch_size).items()})
        for key, value in epoch_means.items():
            history.setdefault(key, []).append(value)
        if writer:
            with writer.as_default():
                for key, value in epoch_means.items():
                    tf.summary.scalar(f"{name}/epoch/{key}", value, step=epoch + 1)
            writer.flush()
        if progress:
            summary = ", ".join(f"{k} {v:.4g}" for k, v in epoch_means.items())
            elapsed = time.perf_counter() - started
            tqdm.write(f"{name} epoch {epoch + 1}/{params['epochs']}: {summary} ({elapsed:.0f} s)")
    history["seconds"] = time.perf_counter() - started
    return history


def evaluate_loss(eval_step: Callable, arrays: tuple, batch_size: int) -> dict[str, float]:
    """Mean losses of a compiled ``eval_step(*batch)`` over ``arrays``, weighted by batch size."""
    count = len(arrays[0])
    sums: dict[str, float] = {}
    for begin in range(0, count, batch_size):
        batch = tuple(a[begin : begin + batch_size] for a in arrays)
        for key, value in eval_step(*batch).items():
            sums[key] = sums.get(key, 0.0) + float(value) * len(batch[0])
    return {key: total / count for key, total in sums.items()}


def split_validation(arrays: tuple, fraction: float, seed: int) -> tuple[tuple, tuple | None]:
    """Hold out ``fraction`` of the training episodes (first axis) at random for validation: ``(train, validation
    or None)``. (The test episodes were split off before: :mod:`painting_dreams.episodes.split`.)"""
    if fraction <= 0:
        return arrays, None
    count = len(arrays[0])
    held_out = max(1, int(round(count * fraction)))
    if held_out >= count:
        raise ValueError(f"validation_fraction {fraction} leaves no training episodes out of {count}")
    order = np.random.default_rng(seed).permutation(count)
    train, validation = np.sort(order[held_out:]), np.sort(order[:held_out])
    return tuple(a[train] for a in arrays), tuple(a[validation] for a in arrays)


def _vae_batch_loss(vae, strokes):
    return vae_loss(vae, _unit(strokes))


def train_vae(strokes: np.ndarray, params: dict, log_dir: str | None = None,
              progress: bool = True) -> tuple[ConvVAE, dict]:
    """Train the ConvVAE on every stroke of ``(N, T, 64, 64, 4)`` (or ``(M, 64, 64, 4)``) RGBA strokes."""
    params = _checked(params, VAE_KEYS, "vae")
    train, validation = split_validation((np.asarray(strokes),), params["validation_fraction"], params["seed"])

    def flat(episodes):
        return None if episodes is None else (episodes[0].reshape(-1, *episodes[0].shape[-3:]),)

    keras.utils.set_random_seed(params["seed"])
    vae = ConvVAE(params["z_size"], params["kl_tolerance"], seed=params["seed"])
    history = fit(vae, _vae_batch_loss, flat(train), params, "vae", flat(validation), log_dir, progress)
    return vae, history


def encode_strokes(vae: ConvVAE, strokes: np.ndarray, batch_size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """VAE posterior ``(mu, logvar)`` of strokes ``(..., 64, 64, 4)``, each ``(..., z_size)``."""
    strokes = np.asarray(strokes)
    flat = strokes.reshape(-1, *strokes.shape[-3:])
    encode = tf.function(lambda x: vae.encode(_unit(x)))
    parts = [encode(flat[i : i + batch_size]) for i in range(0, len(flat), batch_size)]
    mu = np.concatenate([p[0].numpy() for p in parts]).reshape(*strokes.shape[:-3], -1)
    logvar = np.concatenate([p[1].numpy() for p in parts]).reshape(*strokes.shape[:-3], -1)
    return mu, logvar


def _mdn_rnn_batch_loss(rnn, mu, logvar, actions):
    z = mu + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mu))  # a fresh latent sample per batch
    return mdn_rnn_loss(rnn, z, actions)


def train_mdn_rnn(mu: np.ndarray, logvar: np.ndarray, actions: np.ndarray, params: dict,
                  log_dir: str | None = None, progress: bool = True) -> tuple[MDNRNN, dict]:
    """Train the MDN-RNN on episodes of VAE posteriors ``(N, T, z)`` and their actions ``(N, T, A)``."""
    params = _checked(params, MDN_RNN_KEYS, "rnn")
    arrays = (np.asarray(mu, np.float32), np.asarray(logvar, np.float32), np.asarray(actions, np.float32))
    train, validation = split_validation(arrays, params["validation_fraction"], params["seed"])
    keras.utils.set_random_seed(params["seed"])
    rnn = MDNRNN(z_size=arrays[0].shape[-1], action_size=arrays[2].shape[-1], units=params["units"],
                 mixtures=params["mixtures"])
    history = fit(rnn, _mdn_rnn_batch_loss, train, params, "mdn_rnn", validation, log_dir, progress)
    return rnn, history


def stroke_batch_loss(alpha_weight: float) -> Callable:
    """``loss_fn(model, starts, actions, strokes)`` for :func:`fit`: :func:`stroke_model_loss` on uint8 or float
    strokes."""

    def loss_fn(model, starts, actions, strokes):
        return stroke_model_loss(model, starts, actions, _unit(strokes), alpha_weight)

    return loss_fn


def _chosen_settings(params: dict, settings: tuple[str, ...]) -> dict:
    """``params`` without the settings of the architectures not chosen (the training block holds every one's);
    a key that is neither a common key nor any architecture's setting is refused, naming it."""
    unknown = sorted(set(params) - {*STROKE_MODEL_COMMON_KEYS, *ARCHITECTURE_SETTINGS})
    if unknown:
        raise ValueError(f"unknown stroke_model training params {unknown}: neither a common key "
                         f"({', '.join(STROKE_MODEL_COMMON_KEYS)}) nor a setting of an architecture ("
                         + "; ".join(f"{name}: {', '.join(a.settings)}" for name, a in ARCHITECTURES.items())
                         + ") in painting_dreams.world_model.architectures")
    return {key: value for key, value in params.items() if key in STROKE_MODEL_COMMON_KEYS or key in settings}


def train_stroke_model(strokes: np.ndarray, actions: np.ndarray, starts: np.ndarray, painted: np.ndarray,
                       params: dict, log_dir: str | None = None,
                       progress: bool = True) -> tuple[StrokeModel, dict]:
    """Train the stroke model on the drawable strokes of ``(N, T, ...)`` stroke episodes."""
    chosen = architecture(params.get("architecture", ""))
    params = _checked(_chosen_settings(params, chosen.settings), (*STROKE_MODEL_COMMON_KEYS, *chosen.settings),
                      "stroke_model")
    arrays = (np.asarray(strokes), np.asarray(actions), np.asarray(starts), np.asarray(painted))
    train, validation = split_validation(arrays, params["validation_fraction"], params["seed"])

    def flat(episodes):
        if episodes is None:
            return None
        examples = stroke_examples(*episodes, variant=params["variant"])
        return examples["starts"], examples["actions"], examples["strokes"]

    keras.utils.set_random_seed(params["seed"])
    model = build_stroke_model(params["architecture"], params["variant"], params["brush"], params["brush_sha256"], params)
    history = fit(model, stroke_batch_loss(params["alpha_weight"]), flat(train), params, "stroke_model", flat(validation),
                  log_dir, progress)
    return model, history
