"""Actions into real MyPaint paintings: the one door through which every other package paints.

An action becomes a MyPaint stroke in one place, :class:`~painting_dreams.paint.env.MyPaintEnv`
(decoding, start point, the first move, jumps), and only
:class:`~painting_dreams.paint.mypaint_canvas.MyPaintPainter` calls libmypaint's stroke functions. This
module plays whole arrays of actions through the env:

* :func:`play` — episodes ``(N, S, A)``: the canvas on white after every stroke, and on request
  each stroke alone (stroke mode, premultiplied RGBA) or all strokes on one transparent layer;
* :func:`play_episode` — one episode on an env the caller keeps (episode generation reuses one);
* :func:`replay_in_mypaint` — the absolute-layout paintings of an agent, stroke by stroke, on white;
* :func:`stroke_renderer` — one stroke from a start point, always from a fresh brush.

Every episode starts from ``reset`` (a fresh brush), so the pixels are a pure function of its actions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from painting_dreams.paint.actions import real_numbers
from painting_dreams.paint.env import MyPaintEnv

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Played:
    """What :func:`play` returns for ``N`` episodes of ``S`` actions on an ``H`` x ``W`` canvas."""

    canvases: np.ndarray            # (N, S, H, W, 3) uint8: on white after each stroke (stroke mode: the stroke alone)
    start: np.ndarray               # (N, S, 2) float32: where each stroke started, normalised by the canvas size
    painted: np.ndarray             # (N, S) bool: the step painted (not the first move of a relative layout, not a jump)
    strokes: np.ndarray | None      # (N, S, H, W, 4) uint8 premultiplied RGBA of each stroke alone (stroke mode)
    layers: np.ndarray | None       # (N, H, W, 4) uint8 straight-alpha RGBA: all strokes on transparent (``layer``)


def play_episode(env: MyPaintEnv, actions: np.ndarray, seed: int | None = None,
                 final_only: bool = False, brush_scales=None, keep_steps=None,
                 painted_one: Callable[[], object] | None = None) -> dict[str, np.ndarray]:
    """Reset ``env`` (``seed``) and play ``actions`` ``(S, A)`` (normalised, the env's layout).

    ``brush_scales`` (S,): each stroke's brush scale (strokes made for canvases of different sizes, e.g. a
    tiled painting's), else the env's own. ``painted_one`` is called after each stroke (a progress bar).

    Returns ``canvases`` (S, H, W, 3) uint8 (with ``final_only``: (1, H, W, 3), the last one, for large canvases;
    with ``keep_steps``: the canvases after those steps only), ``start`` (S, 2) float32 (normalised), ``painted`` (S,)
    bool, ``strokes`` (S, H, W, 4) uint8 if the env is in stroke mode, ``layer`` (H, W, 4) uint8 if it
    keeps one.
    """
    steps = len(actions)
    if final_only:
        keep_steps = [steps - 1]
    slot = {int(t): i for i, t in enumerate(keep_steps)} if keep_steps is not None else None
    canvases = np.empty((steps if slot is None else len(slot), env.height, env.width, 3), np.uint8)
    strokes = np.empty((steps, env.height, env.width, 4), np.uint8) if env.stroke_mode else None
    start = np.empty((steps, 2), np.float32)
    painted = np.empty(steps, bool)
    scale = np.array([env.width, env.height], dtype=np.float64)
    env.reset(seed=None if seed is None else int(seed))
    for t, action in enumerate(actions):
        if brush_scales is not None:
            env.set_brush_scale(float(brush_scales[t]))
        if slot is not None and t not in slot and not env.stroke_mode:  # no canvas wanted: skip building it
            info = env.paint_step(action)
        else:
            observation, _, _, _, info = env.step(action)
            if slot is None or t in slot:
                canvases[t if slot is None else slot[t]] = observation["canvas"]
            if strokes is not None:
                strokes[t] = observation["stroke"]
        start[t] = info["start"] / scale
        painted[t] = info["painted"]
        if painted_one is not None:
            painted_one()
    episode = {"canvases": canvases, "start": start, "painted": painted}
    if strokes is not None:
        episode["strokes"] = strokes
    if env.keeps_layer:
        episode["layer"] = env.layer()
    return episode


def play(actions, variant: str, *, absolute: bool = True, stroke_mode: bool = False, layer: bool = False,
         brush: str, width: int = 64, height: int = 64, brush_scale=1.0, seeds=None,
         final_only: bool = False, keep_steps=None, progress: bool = False, desc: str | None = None) -> Played:
    """Play each episode's ``actions`` ``(N, S, A)`` (normalised) in a fresh MyPaint env of ``variant``, painted
    with ``brush`` (a painter's: ``painter.brush``).

    ``absolute``: the actions carry their start point (the agents' layout); else the env's relative
    layout, whose first action only moves the brush. ``stroke_mode``: each stroke is also returned
    alone with its alpha (the canvas is cleared after every step). ``layer``: all strokes are also
    painted on one transparent canvas. ``brush_scale``: brushes this many times wider, for actions made
    for a smaller canvas (``width / 64`` paints a 64x64 agent's strokes at ``width``), or ``(S,)`` one per
    stroke (strokes made for canvases of different sizes). ``seeds``: one per
    episode for ``reset`` (default 0..N-1). ``final_only``: keep only each episode's last canvas
    (``canvases`` (N, 1, H, W, 3)), for large canvases; ``keep_steps``: only the canvases after those steps.
    """
    array = real_numbers(actions, "actions have", "actions are real numbers in [0, 1]").astype(np.float32)
    if array.ndim != 3:
        raise ValueError(f"actions have shape {array.shape}: expected (images, strokes, fields), one row per painting")
    episodes, steps, fields = array.shape
    env = MyPaintEnv(variant=variant, absolute=absolute, stroke_mode=stroke_mode, width=width, height=height,
                     max_steps=max(1, steps), brush=brush, layer=layer,
                     brush_scale=1.0 if np.ndim(brush_scale) else brush_scale)
    scales = np.asarray(brush_scale, np.float64) if np.ndim(brush_scale) else None
    try:
        if scales is not None and scales.shape != (steps,):
            raise ValueError(f"brush_scale has shape {scales.shape}: give one number, or one per stroke ({steps},)")
        if fields != env.layout.size:
            raise ValueError(f"actions have {fields} fields, but the {'absolute ' if absolute else ''}{variant!r} "
                             f"layout has {env.layout.size}: {', '.join(env.layout.fields)}")
        seeds = np.arange(episodes) if seeds is None else np.asarray(seeds)
        # An agent's sigmoid can round to exactly 0 or 1 in float32, never beyond; clip float noise only.
        array = np.clip(array, 0.0, 1.0)
        started = time.perf_counter()
        with tqdm(total=episodes * steps, desc=desc or f"MyPaint ({variant})", unit="stroke", disable=not progress) \
                as bar:
            played = [play_episode(env, episode, seed, final_only, scales, keep_steps, bar.update)
                      for episode, seed in zip(array, seeds)]
    finally:
        env.close()
    seconds = time.perf_counter() - started
    log.debug("Played %d episodes x %d strokes in MyPaint in %.1f s (%.0f strokes/s)", episodes, steps, seconds,
              episodes * steps / max(seconds, 1e-9))
    stack = lambda key: np.stack([p[key] for p in played]) if played and key in played[0] else None  # noqa: E731
    empty = np.empty((0, steps, height, width, 3), np.uint8)
    return Played(stack("canvases") if played else empty,
                  stack("start") if played else np.empty((0, steps, 2), np.float32),
                  stack("painted") if played else np.empty((0, steps), bool),
                  stack("strokes"), stack("layer"))


def replay_in_mypaint(actions, variant: str, brush: str, width: int = 64, height: int = 64,
                      progress: bool = True) -> np.ndarray:
    """Paint each image's absolute-layout actions ``(N, S, A)`` in MyPaint with ``brush``, each from a fresh brush.

    Returns the real canvas after every stroke, ``(N, S, H, W, 3)`` uint8 (a tenth of the memory of
    floats, for 50-stroke runs).
    """
    started = time.perf_counter()
    canvases = play(actions, variant, brush=brush, width=width, height=height, progress=progress,
                    desc=f"replay in MyPaint ({variant})").canvases
    seconds = time.perf_counter() - started
    log.info("Replayed %d images x %d strokes in MyPaint in %.1f s (%.0f strokes/s)", canvases.shape[0],
             canvases.shape[1], seconds, canvases.shape[0] * canvases.shape[1] / max(seconds, 1e-9))
    return canvases


def paint_over(canvases, actions, variant: str, brush: str, progress: bool = False) -> np.ndarray:
    """Real MyPaint's final painting of each image's absolute-layout ``actions`` ``(N, S, A)``, ``(N, H, W, 3)``
    uint8: on white (``canvases`` None: :func:`replay_in_mypaint`'s last canvas, 64x64), or over ``canvases``
    ``(N, H, W, 3)`` (floats in [0, 1], or uint8): MyPaint paints the strokes on a transparent layer (a fresh brush
    each), laid over the canvas with alpha-over, as MyPaint composites its own strokes (for a brush that does not
    smudge, within rounding of painting on the canvas itself)."""
    if canvases is None:
        return replay_in_mypaint(actions, variant, brush, progress=progress)[:, -1]
    base = np.asarray(canvases)
    base = base.astype(np.float32) / 255.0 if base.dtype == np.uint8 else base.astype(np.float32)
    if base.ndim != 4 or base.shape[-1] != 3 or len(base) != len(actions):
        raise ValueError(f"canvases have shape {base.shape}: give one (H, W, 3) canvas per painting ({len(actions)})")
    height, width = base.shape[1:3]
    layers = play(actions, variant, brush=brush, layer=True, width=width, height=height, final_only=True).layers
    alpha = layers[..., 3:] / np.float32(255.0)
    painted = base * (1.0 - alpha) + layers[..., :3] / np.float32(255.0) * alpha
    return np.round(np.clip(painted, 0.0, 1.0) * 255.0).astype(np.uint8)


def stroke_renderer(variant: str, brush: str, **env_kwargs) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``render(action (A,), start (2,)) -> (H, W, 4)`` uint8: one stroke of the relative layout's ``action``
    from ``start`` (normalised), alone with its alpha. Each call resets the env (a fresh brush), so the
    same action always gives the same pixels. Close the env with ``render.close()``."""
    env = MyPaintEnv(variant=variant, absolute=True, stroke_mode=True, brush=brush, **env_kwargs)

    def render(action, start):
        env.reset()
        observation, *_ = env.step(np.concatenate([start, action]).astype(np.float32))
        return observation["stroke"]

    render.close = env.close
    return render
