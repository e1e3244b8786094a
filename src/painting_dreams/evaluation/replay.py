"""Replay actions chosen in the dream in the real MyPaint environment."""

from __future__ import annotations

import logging
import time

import numpy as np
from tqdm.auto import tqdm

from painting_dreams.paint import MyPaintEnv

log = logging.getLogger(__name__)


def replay_in_mypaint(actions: np.ndarray, variant: str, width: int = 64, height: int = 64,
                      progress: bool = True) -> np.ndarray:
    """Paint each image's actions ``(N, S, A)`` (absolute layout) in MyPaint.

    Returns the real canvas after every stroke, ``(N, S, H, W, 3)`` uint8 (0-255: a tenth of the
    memory of floats, for 50-stroke runs). Each image starts from a fresh brush, as an episode does.
    """
    actions = np.asarray(actions, dtype=np.float32)
    if actions.ndim != 3:
        raise ValueError(f"actions have shape {actions.shape}: expected (images, strokes, fields)")
    images, strokes, fields = actions.shape
    env = MyPaintEnv(variant=variant, absolute=True, width=width, height=height, max_steps=strokes)
    if fields != env.layout.size:
        env.close()
        raise ValueError(f"actions have {fields} fields, but the absolute {variant!r} layout has "
                         f"{env.layout.size}: {', '.join(env.layout.fields)}")
    # The policy's sigmoid can round to exactly 0 or 1 in float32, never beyond; clip float noise only.
    actions = np.clip(actions, 0.0, 1.0)
    canvases = np.empty((images, strokes, height, width, 3), np.uint8)
    started = time.perf_counter()
    for i in tqdm(range(images), desc=f"replay in MyPaint ({variant})", unit="image", disable=not progress):
        env.reset(seed=i)
        for s in range(strokes):
            canvases[i, s] = env.step(actions[i, s])[0]["canvas"]
    env.close()
    seconds = time.perf_counter() - started
    log.info("Replayed %d images x %d strokes in MyPaint in %.1f s (%.0f strokes/s)", images, strokes, seconds,
             images * strokes / max(seconds, 1e-9))
    return canvases
