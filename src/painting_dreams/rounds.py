"""World-model rounds: teach a stroke model the strokes its painters actually paint.

A world's stroke model learns from random-action episodes. The strokes an agent or refinement chooses
sit where those episodes are thin (long, wide, heavy strokes), and there the model is wrong most: the
gap between the dream and real MyPaint. A *round* (World Models' iterative procedure) closes it:

1. :func:`collect_painted_strokes`: shipped painters paint training images in their dream (open loop) and
   a share of those paintings is refined further in the dream; MyPaint replays every stroke alone
   (stroke mode: each stroke with its alpha), so each chosen stroke gets its real pixels;
2. :func:`train_round_stroke_model`: the stroke model goes on training on the mixture of its random
   strokes and the painted ones (the held-out images' strokes kept out);
3. :func:`score_round`: each painter's test paintings in the old and the new dream against MyPaint's
   (MSE(dream, real)), and both models on held-out random and held-out painted strokes.

Agents then train on in the new dream (a run's ``stroke_model`` names the round), and a next round may
start from this one's model. Plain NumPy/TensorFlow: the ``rounds`` pipeline's nodes call these.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from tqdm.auto import tqdm

log = logging.getLogger(__name__)

PAINTED_KEYS = ("starts", "actions", "strokes", "painter", "image", "refined", "held_out")


def painted_examples(actions: np.ndarray, strokes: np.ndarray) -> dict[str, np.ndarray]:
    """Stroke-model examples of absolute-layout ``actions`` ``(N, S, A)`` and their MyPaint strokes
    ``(N, S, 64, 64, 4)``: ``starts`` (the first two fields), ``actions`` (the rest, as the dream gives them to
    the stroke model) and ``strokes``, flattened over paintings and strokes."""
    actions = np.asarray(actions, np.float32)
    flat = actions.reshape(-1, actions.shape[-1])
    return {"starts": flat[:, :2].copy(), "actions": flat[:, 2:].copy(),
            "strokes": np.asarray(strokes).reshape(-1, *np.shape(strokes)[-3:])}


def choose_images(count: int, images: int, seed: int) -> np.ndarray:
    """``images`` indices of ``count`` training images, at random (sorted), all of them if there are fewer."""
    if images >= count:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, images, replace=False))


def collect_painted_strokes(painters: Mapping[str, Any], targets: Mapping[str, np.ndarray], settings: dict,
                            brush: str, variant: str, progress: bool = True) -> dict[str, np.ndarray]:
    """The strokes ``painters`` (name -> a :class:`~painting_dreams.shipped.ShippedPainter`) paint on their
    training images ``targets`` (name -> ``(N, 64, 64, 3)``), each replayed alone in MyPaint with ``brush``.

    ``settings``: ``images`` per painter, ``held_out_images`` of them kept out of training (for
    :func:`score_round`), ``refine`` ``{images, steps}`` (that many of the training images also refined in the
    dream, refinement's strokes added), ``seed``. Returns flat arrays (:data:`PAINTED_KEYS`): ``starts``,
    ``actions`` (the stroke model's inputs), ``strokes`` uint8, and per stroke its ``painter`` (index in
    ``names``), ``image`` (index in the painter's training targets), ``refined`` and ``held_out``; ``names``.
    """
    from painting_dreams.agent import paint_targets
    from painting_dreams.evaluation.paint_and_score import REFINE_LEARNING_RATES
    from painting_dreams.paint.replay import play
    from painting_dreams.refine import refine

    parts, names = [], list(painters)
    for index, name in enumerate(names):
        painter = painters[name]
        if painter.variant != variant:
            raise ValueError(f"painter {name} paints the {painter.variant!r} layout, the round's world the {variant!r} "
                             "one: collect only painters of the round's world")
        chosen = choose_images(len(targets[name]), settings["images"], settings["seed"] + index)
        images = np.asarray(targets[name][chosen], np.float32)
        images = images / 255.0 if targets[name].dtype == np.uint8 else images
        held = np.zeros(len(chosen), bool)
        held[len(chosen) - min(settings["held_out_images"], len(chosen) - 1):] = True
        started = time.perf_counter()
        actions, _ = paint_targets(painter.policy, painter.painter, images, painter.strokes, every_stroke=False)
        sets = [(actions, chosen, held, False)]
        refine_count = min(settings["refine"]["images"], int((~held).sum()))
        if refine_count and settings["refine"]["steps"]:
            train = np.flatnonzero(~held)[:refine_count]
            refined = refine(painter.painter, images[train], actions[train], steps=settings["refine"]["steps"],
                             learning_rate=REFINE_LEARNING_RATES[variant],
                             fixed_fields=painter.card.get("fixed_fields") or None, progress=progress)
            sets.append((refined.actions, chosen[train], held[train], True))
        for acts, image, out, was_refined in sets:
            strokes = play(acts, variant, absolute=True, stroke_mode=True, brush=brush, progress=progress,
                           desc=f"{name}: strokes in MyPaint").strokes
            examples = painted_examples(acts, strokes)
            per = acts.shape[1]
            examples.update(painter=np.full(len(examples["starts"]), index, np.int16),
                            image=np.repeat(image, per).astype(np.int32),
                            refined=np.full(len(examples["starts"]), was_refined),
                            held_out=np.repeat(out, per))
            parts.append(examples)
        log.info("Round strokes of %s: %d images x %d strokes (+%d refined) in %.1f s", name, len(chosen),
                 painter.strokes, refine_count, time.perf_counter() - started)
    collected = {key: np.concatenate([p[key] for p in parts]) for key in PAINTED_KEYS}
    collected["names"] = np.array(names)
    return collected


def mixture(random: Mapping[str, np.ndarray], painted: Mapping[str, np.ndarray], copies: int) -> tuple:
    """``(starts, actions, strokes)``: the random strokes and ``copies`` times the painted training strokes
    (not the held-out ones)."""
    keep = ~np.asarray(painted["held_out"], bool)
    parts = [(random["starts"], random["actions"], random["strokes"])]
    parts += [(painted["starts"][keep], painted["actions"][keep], painted["strokes"][keep])] * copies
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def train_round_stroke_model(model, random: Mapping[str, np.ndarray], painted: Mapping[str, np.ndarray],
                             training: dict, log_dir: str | None = None, progress: bool = True) -> dict:
    """Go on training ``model`` (the round's start, changed in place) on the mixture of ``random`` strokes (flat
    stroke-model examples) and ``painted`` ones (:func:`collect_painted_strokes`); the history.

    ``training``: ``epochs``, ``batch_size``, ``learning_rate``, ``painted_copies``, ``alpha_weight``,
    ``log_every_steps``, ``seed``."""
    import keras

    from painting_dreams.world_model.training import fit, stroke_batch_loss

    arrays = mixture(random, painted, training["painted_copies"])
    keras.utils.set_random_seed(training["seed"])
    params = {**training, "validation_fraction": 0.0}
    history = fit(model, stroke_batch_loss(training["alpha_weight"]), arrays, params, "round_stroke_model", None,
                  log_dir, progress)
    painted_count = int((~np.asarray(painted["held_out"], bool)).sum())
    return {**history, "random_strokes": int(len(random["starts"])), "painted_strokes": painted_count,
            "mixture_strokes": int(len(arrays[0]))}


def stroke_mse(model, starts, actions, strokes, batch_size: int = 256) -> float:
    """Per-pixel MSE of ``model``'s strokes against ``strokes`` (uint8 or [0, 1] premultiplied RGBA)."""
    import tensorflow as tf

    from painting_dreams.world_model.stroke_data import unit_rgba

    paint = tf.function(lambda s, a: model((s, a)))
    total = 0.0
    for first in range(0, len(starts), batch_size):
        predicted = paint(tf.constant(starts[first:first + batch_size]), tf.constant(actions[first:first + batch_size]))
        total += float(np.sum(np.square(predicted.numpy() - unit_rgba(strokes[first:first + batch_size]))))
    return total / max(1, np.prod(np.shape(strokes)))


def score_round(old_model, new_model, painters: Mapping[str, Any], test_targets: Mapping[str, np.ndarray],
                random_held_out: Mapping[str, np.ndarray], painted: Mapping[str, np.ndarray], brush: str,
                variant: str, images: int, progress: bool = True) -> list[dict]:
    """Rows of the round's report: per painter, its first ``images`` test paintings, painted by its policy in the
    old and in the new dream and replayed in MyPaint (``dream_real``: MSE(dream, real); ``real``: MSE(real,
    target)); per model, its MSE on the world's held-out random strokes and on the held-out painted strokes."""
    from painting_dreams.agent import paint_targets, stroke_model_painter
    from painting_dreams.paint.replay import replay_in_mypaint

    rows = []
    held = np.asarray(painted["held_out"], bool)
    for model_name, model in (("start", old_model), ("round", new_model)):
        rows.append({"row": "random strokes (held out)", "model": model_name, "painter": "",
                     "mse": stroke_mse(model, random_held_out["starts"], random_held_out["actions"],
                                       random_held_out["strokes"]), "count": int(len(random_held_out["starts"]))})
        rows.append({"row": "painted strokes (held-out images)", "model": model_name, "painter": "",
                     "mse": stroke_mse(model, painted["starts"][held], painted["actions"][held],
                                       painted["strokes"][held]), "count": int(held.sum())})
    for name, painter in tqdm(painters.items(), desc="round scores", disable=not progress):
        test = np.asarray(test_targets[name][:images], np.float32)
        test = test / 255.0 if test_targets[name].dtype == np.uint8 else test
        card = painter.card
        for model_name, model in (("start", old_model), ("round", new_model)):
            dream_painter = stroke_model_painter(model, variant, card["compositor"], card["discrete_actions"],
                                                 brush=brush)
            actions, dream = paint_targets(painter.policy, dream_painter, test, painter.strokes, every_stroke=False)
            real = replay_in_mypaint(actions, variant, brush, progress=False)[:, -1].astype(np.float32) / 255.0
            rows.append({"row": "test paintings", "model": model_name, "painter": name,
                         "dream_real": float(np.mean(np.square(dream - real))),
                         "real": float(np.mean(np.square(real - test))),
                         "dream": float(np.mean(np.square(dream - test))), "count": int(len(test))})
    return rows
