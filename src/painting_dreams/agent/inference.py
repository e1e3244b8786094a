"""Painting images with a trained policy in the dream, and checking the images first."""

from __future__ import annotations

import weakref

import keras
import numpy as np
import tensorflow as tf

from painting_dreams.agent.dream_painter import DreamPainter
from painting_dreams.agent.policy import rollout

IMAGE_SHAPE = (64, 64, 3)
CHECK_CHUNK = 1024  # images checked at a time


def check_targets(targets) -> np.ndarray:
    """Return ``targets`` as float32 ``(N, 64, 64, 3)`` in [0, 1], or raise ``ValueError`` saying what to fix.

    One ``(64, 64, 3)`` image is accepted as a batch of one.
    """
    array = np.asarray(targets)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise ValueError(f"targets have dtype {array.dtype}: pass a numeric array of shape (N, 64, 64, 3) in [0, 1]")
    if array.shape == IMAGE_SHAPE:
        array = array[None]
    if array.ndim != 4 or array.shape[1:] != IMAGE_SHAPE:
        hint = ("grey images need 3 identical channels: np.repeat(x[..., None], 3, axis=-1)" if array.shape[-1:] != (3,)
                else "resize or centre-crop the images to 64x64 first")
        raise ValueError(f"targets have shape {array.shape}, expected (N, 64, 64, 3) RGB images: {hint}")
    if len(array) == 0:
        raise ValueError("targets are empty (shape (0, 64, 64, 3)): pass at least one image")
    if np.issubdtype(array.dtype, np.integer) and array.dtype != bool:
        raise ValueError(f"targets have integer dtype {array.dtype}: convert 0-255 images with x.astype('float32') / 255")
    array = np.asarray(array, dtype=np.float32)  # no copy if already float32 (a whole train split is GBs)
    low, high = np.inf, -np.inf
    for start in range(0, len(array), CHECK_CHUNK):  # a chunk at a time: little extra memory
        chunk = array[start:start + CHECK_CHUNK]
        finite = np.isfinite(chunk)
        if not finite.all():
            where = np.argwhere(~finite)[0]
            index = (start + int(where[0]), *(int(i) for i in where[1:]))
            raise ValueError(f"targets contain non-finite values (first {array[index]} at {index}): "
                             "replace NaN/inf pixels, e.g. with np.nan_to_num(x, nan=1.0)")
        low, high = min(low, float(chunk.min())), max(high, float(chunk.max()))
    if low < 0.0 or high > 1.0:
        fix = "divide 0-255 images by 255" if high > 1.5 else "rescale or clip them into [0, 1]"
        raise ValueError(f"targets range over [{low!r}, {high!r}], outside [0, 1]: {fix}")
    return array


_compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def check_start(start, images: np.ndarray) -> np.ndarray | None:
    """Start canvases ``(N, 64, 64, 3)`` in [0, 1], one per image of ``images`` (``None``: white), or a
    ``ValueError`` saying what to fix."""
    if start is None:
        return None
    canvases = check_targets(start)
    if canvases.shape != images.shape:
        raise ValueError(f"start canvases have shape {canvases.shape}: give one per target {images.shape}")
    return canvases


def compiled_rollout(policy: keras.Model, painter: DreamPainter, strokes: int, keep_canvases: bool,
                     from_canvas: bool = False):
    """:func:`rollout` as a ``tf.function``, made once per policy, painter and settings: ``paint(targets)``, or
    with ``from_canvas`` ``paint(targets, start canvases)``.

    Held by weak references, so a cached function does not keep a policy or painter alive.
    """
    per_painter = _compiled.setdefault(policy, weakref.WeakKeyDictionary()).setdefault(painter, {})
    key = (int(strokes), bool(keep_canvases), bool(from_canvas))
    if key not in per_painter:
        policy_ref, painter_ref = weakref.ref(policy), weakref.ref(painter)
        spec = tf.TensorSpec((None, *IMAGE_SHAPE), tf.float32)  # any batch size, one trace
        if from_canvas:
            per_painter[key] = tf.function(
                lambda batch, start: rollout(policy_ref(), painter_ref(), batch, strokes, keep_canvases=keep_canvases,
                                             start=start), input_signature=[spec, spec])
        else:
            per_painter[key] = tf.function(
                lambda batch: rollout(policy_ref(), painter_ref(), batch, strokes, keep_canvases=keep_canvases),
                input_signature=[spec])
    return per_painter[key]


def paint_targets(policy: keras.Model, painter: DreamPainter, targets, strokes: int,
                  batch_size: int = 64, every_stroke: bool = True, start=None) -> tuple[np.ndarray, np.ndarray]:
    """Paint any 64x64 RGB images in the dream, on white or, with ``start`` ``(N, 64, 64, 3)`` in [0, 1], over
    those canvases (a painting the agent goes on with).

    Returns ``actions`` ``(N, S, A)`` (normalised, absolute layout: replay them in
    ``MyPaintEnv(variant, absolute=True, brush=painter.brush)``) and the dream canvas after every stroke
    ``(N, S, 64, 64, 3)`` (with ``every_stroke=False``: the final canvas ``(N, 64, 64, 3)`` only).
    """
    images = check_targets(targets)
    if strokes < 1:
        raise ValueError(f"strokes is {strokes}: paint at least one stroke")
    start = check_start(start, images)
    paint = compiled_rollout(policy, painter, strokes, keep_canvases=every_stroke, from_canvas=start is not None)
    actions, canvases = [], []
    for first in range(0, len(images), batch_size):
        batch = (tf.constant(images[first:first + batch_size]),)
        if start is not None:
            batch += (tf.constant(start[first:first + batch_size]),)
        a, c = paint(*batch)
        actions.append(a.numpy())
        canvases.append(c.numpy())
    return np.concatenate(actions), np.concatenate(canvases)


def dream_mse(policy: keras.Model, painter: DreamPainter, targets, strokes: int, batch_size: int = 64) -> float:
    """Mean squared error (pixels and channels, [0, 1] RGB) between targets and their final dream paintings."""
    images = check_targets(targets)
    paint = compiled_rollout(policy, painter, strokes, keep_canvases=False)
    total = 0.0
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size]
        total += float(tf.reduce_sum(tf.square(paint(tf.constant(batch))[1] - batch)))
    return total / images.size
