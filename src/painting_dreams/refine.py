"""Refinement in the dream: optimise each image's stroke actions through the world model.

The world model (stroke model + compositor, a :class:`~painting_dreams.agent.dream_painter.DreamPainter`)
is differentiable, so the actions of a painting can be improved directly: Adam on the actions of
every image, batched over images, the loss being each image's dream MSE against its target. The
optimiser is projected: after each update the actions are clipped back into [0, 1], the range the
stroke model was trained on (the episodes draw every field uniformly from it), and fixed fields
(the ``mnist`` runs' ``jump``) are held at their values. The ``mnist`` variant's two-valued fields are
painted snapped (the painter's straight-through rule) and returned snapped.

Each image keeps the best actions the optimiser visited, judged in the dream; whether the real
painting is better is for real MyPaint to say: :func:`keep_better` replays the candidates and keeps,
per image, the one MyPaint paints closer to the target, so refinement never makes a real painting
worse than its start.

Starts: the agent's actions, :func:`random_start` (uniform, as the episodes) or :func:`grid_start`
(short strokes on a coarse grid, each coloured by the target's mean colour under it).
"""

from __future__ import annotations

import logging
import math
import time
import weakref
from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from painting_dreams.agent.dream_painter import DreamPainter
from painting_dreams.agent.inference import check_start, check_targets
from painting_dreams.agent.policy import fixed_field_arrays
from painting_dreams.paint.replay import paint_over
from painting_dreams.paint.actions import ActionLayout, real_numbers

log = logging.getLogger(__name__)

STARTS = ("agent", "random", "grid")


@dataclass(frozen=True)
class Refined:
    """What :func:`refine` returns, per image: the best actions seen and their dream MSE."""

    actions: np.ndarray      # (N, S, A) normalised, absolute layout
    start_mse: np.ndarray    # (N,) dream MSE of the starting actions
    dream_mse: np.ndarray    # (N,) dream MSE of ``actions`` (<= start_mse)
    curve: np.ndarray        # (steps + 1,) mean dream MSE of the current iterate after each step (0 = start)
    seconds: float           # wall seconds of the whole refinement
    snapshots: dict          # {K: (N, S, A) the best actions within the first K steps} for each K asked for
    snapshot_seconds: dict   # {K: wall seconds to reach step K, all batches}


def check_actions(actions, layout: ActionLayout, images: int | None = None) -> np.ndarray:
    """``actions`` as float32 ``(N, S, A)`` in [0, 1], or a ``ValueError`` saying what to fix."""
    array = real_numbers(actions, "actions have", f"actions are real numbers in [0, 1] (normalised), the absolute "
                         f"{layout.variant!r} layout's fields {', '.join(layout.fields)}").astype(np.float32)
    if array.ndim != 3 or array.shape[-1] != layout.size:
        raise ValueError(f"actions have shape {array.shape}: expected (images, strokes, {layout.size}) with the "
                         f"absolute {layout.variant!r} layout's fields {', '.join(layout.fields)}")
    if images is not None and len(array) != images:
        raise ValueError(f"{len(array)} paintings' actions for {images} targets: pass one (strokes, fields) per target")
    if not np.isfinite(array).all() or array.min() < 0.0 or array.max() > 1.0:
        raise ValueError("actions must be finite and in [0, 1] (normalised): "
                         f"they range over [{np.format_float_positional(np.nanmin(array))}, {np.format_float_positional(np.nanmax(array))}]")
    return array


def random_start(images: int, strokes: int, variant: str, seed: int = 0) -> np.ndarray:
    """``(images, strokes, A)`` actions uniform in [0, 1], as the episodes that trained the stroke model."""
    layout = ActionLayout(variant, absolute=True)
    return np.random.default_rng(seed).uniform(size=(images, strokes, layout.size)).astype(np.float32)


def grid_start(targets, strokes: int) -> np.ndarray:
    """Short strokes of the ``color`` variant on a ceil(sqrt(S)) grid, row by row, each coloured by the
    target's mean colour in its cell, full pressure and size (the underpainting a painter lays first)."""
    images = check_targets(targets)
    layout = ActionLayout("color", absolute=True)
    side = math.ceil(math.sqrt(strokes))
    cell = 1.0 / side
    actions = np.zeros((len(images), strokes, layout.size), np.float32)
    for s in range(strokes):
        row, col = divmod(s, side)
        row %= side
        y0, x0 = row * cell, col * cell
        y = y0 + cell / 2
        pixels = images[:, int(y0 * 64):max(int((y0 + cell) * 64), int(y0 * 64) + 1),
                        int(x0 * 64):max(int((x0 + cell) * 64), int(x0 * 64) + 1)]
        values = {"start_x": x0 + cell * 0.2, "start_y": y, "end_x": x0 + cell * 0.8, "end_y": y,
                  "control_x": x0 + cell / 2, "control_y": y, "pressure": 1.0, "size": 1.0}
        for field, value in values.items():
            actions[:, s, layout.index(field)] = value
        for c, field in enumerate(("red", "green", "blue")):
            actions[:, s, layout.index(field)] = pixels[..., c].mean(axis=(1, 2))
    return actions


_compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def dream_paint(painter: DreamPainter, actions, batch_size: int = 64, every_stroke: bool = False,
                start=None) -> np.ndarray:
    """The dream's painting of each image's actions ``(N, S, A)``, on white (or on ``start`` ``(N, 64, 64, 3)``),
    in [0, 1]: the final one ``(N, 64, 64, 3)``, or the canvas after every stroke ``(N, S, 64, 64, 3)`` if
    ``every_stroke``."""
    array = check_actions(actions, painter.layout)
    canvases = np.ones((len(array), 64, 64, 3), np.float32) if start is None else check_targets(start)
    per_painter = _compiled.setdefault(painter, {})
    if every_stroke not in per_painter:  # traced once per painter and mode, not on every call
        painter_ref = weakref.ref(painter)  # the cache must not keep the painter alive
        per_painter[every_stroke] = tf.function(lambda batch, canvas: _on_canvas(painter_ref(), batch, canvas,
                                                                                 every_stroke), reduce_retracing=True)
    paint = per_painter[every_stroke]
    return np.concatenate([paint(tf.constant(array[i:i + batch_size]), tf.constant(canvases[i:i + batch_size])).numpy()
                           for i in range(0, len(array), batch_size)])


def _on_canvas(painter: DreamPainter, actions: tf.Tensor, canvas: tf.Tensor, every_stroke: bool = False) -> tf.Tensor:
    """``actions`` (B, S, A) painted over ``canvas`` (B, 64, 64, 3) in the dream: the final canvas, or every
    stroke's (B, S, 64, 64, 3).

    One symbolic loop over the strokes (:meth:`~painting_dreams.agent.dream_painter.DreamPainter.paint_loop`):
    tracing it, and its gradient, costs the same for 8 strokes as for 500."""
    final, _, canvases = painter.paint_loop(canvas, actions, painter.initial_state(tf.shape(actions)[0]), every_stroke)
    return canvases if every_stroke else final


class _Refiner:
    """One compiled Adam step over a fixed-size batch of paintings, reused batch after batch.

    Adam is written out (m, v, t as variables) so that a new batch resets it without a retrace.
    """

    BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7

    def __init__(self, painter: DreamPainter, fixed_fields: dict | None, learning_rate: float, shape: tuple):
        self.painter = painter
        mask, values = fixed_field_arrays(painter.layout, fixed_fields)
        self.free = tf.constant(1.0 - mask)
        self.fixed = tf.constant(mask * values)
        self.learning_rate = float(learning_rate)
        self.actions = tf.Variable(tf.zeros(shape), trainable=False)
        self.m = tf.Variable(tf.zeros(shape), trainable=False)
        self.v = tf.Variable(tf.zeros(shape), trainable=False)
        self.t = tf.Variable(0.0, trainable=False)
        self.target = tf.Variable(tf.ones((shape[0], 64, 64, 3)), trainable=False)
        self.canvas = tf.Variable(tf.ones((shape[0], 64, 64, 3)), trainable=False)  # what the strokes go on
        self.step = tf.function(self._step)

    def pin(self, actions):
        """Clip into [0, 1] and hold the fixed fields."""
        return tf.clip_by_value(actions, 0.0, 1.0) * self.free + self.fixed

    def start(self, targets: np.ndarray, actions: np.ndarray, canvases: np.ndarray) -> None:
        self.target.assign(targets)
        self.canvas.assign(canvases)
        self.actions.assign(self.pin(tf.constant(actions)))
        for v in (self.m, self.v):
            v.assign(tf.zeros_like(v))
        self.t.assign(0.0)

    def _step(self, update: tf.Tensor):
        """Score the current actions; if ``update``, take one Adam step. ``(actions scored, MSE per image)``."""
        scored = tf.identity(self.actions)
        per_image, grad = self._loss_and_gradient(scored)
        if update:
            self.t.assign_add(1.0)
            self.m.assign(self.BETA_1 * self.m + (1 - self.BETA_1) * grad)
            self.v.assign(self.BETA_2 * self.v + (1 - self.BETA_2) * tf.square(grad))
            m_hat = self.m / (1 - self.BETA_1 ** self.t)
            v_hat = self.v / (1 - self.BETA_2 ** self.t)
            self.actions.assign(self.pin(self.actions - self.learning_rate * m_hat / (tf.sqrt(v_hat) + self.EPSILON)))
        return scored, per_image

    def _loss_and_gradient(self, actions: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Each image's dream MSE to its target and the gradient of their sum in ``actions`` (Adam is per
        element: the images are optimised independently)."""
        mse = lambda canvas: tf.reduce_mean(tf.square(canvas - self.target), axis=[1, 2, 3])  # noqa: E731
        if self.painter.stateless:  # memory that does not grow with the stroke count
            return self.painter.loss_and_gradient(tf.identity(self.canvas), actions, mse)
        with tf.GradientTape() as tape:
            tape.watch(actions)
            per_image = mse(_on_canvas(self.painter, actions, self.canvas))
            total = tf.reduce_sum(per_image)
        return per_image, tape.gradient(total, actions)

    def run(self, targets: np.ndarray, actions: np.ndarray, steps: int, snapshots=(), on_step=None, canvases=None):
        """Refine one batch (padded to the compiled size), its strokes on white or on ``canvases``: ``(best actions,
        start MSE, best MSE, mean MSE per step, {K: (best actions after K steps, seconds to get there)})``."""
        n, size = len(targets), self.actions.shape[0]
        pad = size - n
        started = time.perf_counter()
        white = np.ones((pad, 64, 64, 3), np.float32)
        self.start(np.concatenate([targets, white]), np.concatenate([actions, np.repeat(actions[:1], pad, axis=0)]),
                   np.concatenate([np.ones_like(targets) if canvases is None else canvases, white]))
        best = np.array(actions, np.float32)
        best_mse = np.full(n, np.inf, np.float32)
        curve, start_mse, taken = [], None, {}
        for i in range(steps + 1):
            scored, mse = self.step(tf.constant(i < steps))  # the last iterate is scored, not updated
            scored, mse = scored.numpy()[:n], mse.numpy()[:n]
            better = mse < best_mse
            best[better], best_mse[better] = scored[better], mse[better]
            curve.append(float(mse.mean()))
            if start_mse is None:
                start_mse = mse.copy()
            if i in snapshots:
                taken[i] = (best.copy(), time.perf_counter() - started)
            if on_step is not None:
                on_step()
        return best, start_mse, best_mse, np.array(curve), taken


_refiners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _refiner_for(painter: DreamPainter, fixed_fields: dict | None, learning_rate: float, images: int,
                 batch_size: int, strokes_shape: tuple) -> _Refiner:
    """A :class:`_Refiner` for batches of up to ``batch_size`` of ``images`` paintings, made once per painter and
    settings: its batch is rounded up (to 1, 2, 4, 8, then a multiple of 8), so paintings of many sizes (a photo's
    tiles, level by level) share a few compiled steps instead of tracing one each."""
    wanted = max(1, min(batch_size, images))
    batch = min(batch_size, 2 ** math.ceil(math.log2(wanted)) if wanted <= 8 else 8 * math.ceil(wanted / 8))
    key = (tuple(sorted((fixed_fields or {}).items())), float(learning_rate), batch, tuple(strokes_shape))
    per_painter = _refiners.setdefault(painter, {})
    if key not in per_painter:
        per_painter[key] = _Refiner(painter, fixed_fields, learning_rate, (batch, *strokes_shape))
    return per_painter[key]


def _check_settings(steps, learning_rate: float, batch_size: int, snapshots) -> list[int]:
    """The settings :func:`refine` and :func:`refine_in_mypaint` share, checked; the snapshot step counts, sorted."""
    if isinstance(steps, bool) or int(steps) != steps or steps < 0:
        raise ValueError(f"steps is {steps!r}: use a whole number >= 0 (0 keeps the start)")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate is {learning_rate}: it must be > 0 (e.g. 0.01)")
    if batch_size < 1:
        raise ValueError(f"batch_size is {batch_size}: it must be at least 1")
    snapshots = sorted({int(k) for k in snapshots})
    if snapshots and (snapshots[0] < 0 or snapshots[-1] > steps):
        raise ValueError(f"snapshots {snapshots} must lie in [0, steps={steps}]")
    return snapshots


def _real_paintings(actions: np.ndarray, images: np.ndarray, variant: str, brush: str,
                    progress: bool = False, start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Real MyPaint's final painting of each image's actions with ``brush`` (uint8; over the ``start`` canvases
    if given) and its MSE to the image."""
    real = paint_over(start, actions, variant, brush, progress=progress)
    return real, np.mean(np.square(real / 255.0 - images), axis=(1, 2, 3))


def refine(painter: DreamPainter, targets, actions, steps: int = 100, learning_rate: float = 0.01,
           batch_size: int = 64, fixed_fields: dict | None = None, snapshots=(), progress: bool = True) -> Refined:
    """Optimise ``actions`` ``(N, S, A)`` (absolute layout, normalised) so that ``painter`` paints
    ``targets`` ``(N, 64, 64, 3)`` closer, ``steps`` Adam steps per batch of ``batch_size`` images.

    Each image gets the best actions seen (its start if nothing beat it), so its dream MSE never
    rises. ``fixed_fields`` (e.g. ``{"jump": 0.0}``) are held; the ``mnist`` variant's two-valued
    fields come back snapped to the values MyPaint paints. ``snapshots`` (step counts up to ``steps``)
    also keeps the best actions within the first K steps, for the curve of quality against K in one run.
    """
    images = check_targets(targets)
    start = check_actions(actions, painter.layout, len(images))
    snapshots = _check_settings(steps, learning_rate, batch_size, snapshots)
    refiner = _Refiner(painter, fixed_fields, learning_rate, (min(batch_size, len(images)), *start.shape[1:]))
    out, start_mse, best_mse, curves, taken = [], [], [], [], []
    started = time.perf_counter()
    batches = range(0, len(images), batch_size)
    with tqdm(total=len(batches) * (steps + 1), desc=f"refine {len(images)} paintings x {steps} steps",
              unit="step", disable=not progress) as bar:
        for first in batches:
            b, s0, s1, curve, snaps = refiner.run(images[first:first + batch_size], start[first:first + batch_size],
                                                  steps, snapshots, on_step=bar.update)
            out.append(b), start_mse.append(s0), best_mse.append(s1), curves.append(curve * len(b)), taken.append(snaps)
    seconds = time.perf_counter() - started

    result = Refined(_snap(painter, refiner, np.concatenate(out)), np.concatenate(start_mse), np.concatenate(best_mse),
                     np.sum(curves, axis=0) / len(images), seconds,
                     {k: _snap(painter, refiner, np.concatenate([t[k][0] for t in taken])) for k in snapshots},
                     {k: float(sum(t[k][1] for t in taken)) for k in snapshots})
    log.info("Refined %d paintings x %d steps in %.1f s (%.2f s per image): dream MSE %.4f -> %.4f", len(images), steps,
             seconds, seconds / len(images), result.start_mse.mean(), result.dream_mse.mean())
    return result


@dataclass(frozen=True)
class Kept:
    """What :func:`keep_better` returns: per image, the candidate real MyPaint paints best."""

    actions: np.ndarray      # (N, S, A) the winning candidate's actions
    real: np.ndarray         # (N, 64, 64, 3) uint8, the winner's real MyPaint painting
    winner: np.ndarray       # (N,) index of the winning candidate
    real_mse: np.ndarray     # (N, candidates) MSE(target, real painting) of every candidate


def keep_better(targets, candidates: list[np.ndarray], variant: str, brush: str, progress: bool = True) -> Kept:
    """Replay every candidate's actions in real MyPaint (with ``brush``) and keep, per image, the one whose real painting
    is closest to the target (the first on ties, so list the start first: refinement then never
    makes a real painting worse)."""
    images = check_targets(targets)
    layout = ActionLayout(variant, absolute=True)
    if not candidates:
        raise ValueError("no candidates: pass a list of (N, S, A) action arrays, the starting actions first")
    candidates = [check_actions(c, layout, len(images)) for c in candidates]
    finals, scores = zip(*(_real_paintings(c, images, variant, brush, progress) for c in candidates))
    scores = np.stack(scores, axis=1)
    winner = np.argmin(scores, axis=1)  # argmin returns the first of equal minima
    rows = np.arange(len(images))
    return Kept(np.stack(candidates, 1)[rows, winner], np.stack(finals, 1)[rows, winner], winner, scores)


@dataclass(frozen=True)
class RefinedInMyPaint:
    """What :func:`refine_in_mypaint` returns, per image: of the start and every round's refined actions,
    the ones real MyPaint painted closest to the target (so never worse than the start)."""

    actions: np.ndarray      # (N, S, A) the best actions real MyPaint painted
    real: np.ndarray         # (N, 64, 64, 3) uint8, their real painting
    start_mse: np.ndarray    # (N,) real MSE of the starting actions
    real_mse: np.ndarray     # (N,) real MSE of ``actions`` (<= start_mse)
    refined: np.ndarray      # (N,) bool: refined actions won over the start
    seconds: float           # wall seconds of all of it (dream steps and MyPaint checks)
    snapshots: dict          # {K: RefinedInMyPaint of the first K steps} for each K asked for


def refine_in_mypaint(painter: DreamPainter, targets, actions, steps: int = 100, learning_rate: float = 0.01,
                      check_every: int = 25, correct: bool = True, batch_size: int = 64,
                      fixed_fields: dict | None = None, snapshots=(), progress: bool = True,
                      start=None) -> RefinedInMyPaint:
    """Refine ``actions`` ``(N, S, A)`` in the dream with real MyPaint in the loop, the strokes painted on white
    or, with ``start`` ``(N, 64, 64, 3)`` in [0, 1], over those canvases (real MyPaint's, going on with a
    painting: MyPaint paints the strokes on a transparent layer laid over them with alpha-over).

    Rounds of ``check_every`` Adam steps (the last round may be shorter; a round also ends at each
    snapshot K): after each round real MyPaint paints every image's refined actions (a few ms per
    image), and each image keeps the actions whose real painting is closest to its target, its start
    included and preferred on ties, so refinement never makes a real painting worse. With ``correct``,
    each round aims the dream at ``target - (real - dream)`` of the actions it starts from: where
    the world model paints those strokes wrong, its error is corrected for instead of exploited.
    ``snapshots``: also the result after the first K steps, for the curve of quality against K in one run.
    """
    images = check_targets(targets)
    canvases = check_start(start, images)
    start = check_actions(actions, painter.layout, len(images))
    if isinstance(check_every, bool) or int(check_every) != check_every or check_every < 1:
        raise ValueError(f"check_every is {check_every!r}: real MyPaint checks every K >= 1 steps (e.g. 25)")
    snapshots = _check_settings(steps, learning_rate, batch_size, snapshots)
    variant, brush = painter.layout.variant, painter.real_brush()
    started = time.perf_counter()
    best, (best_real, start_mse) = start.copy(), _real_paintings(start, images, variant, brush, start=canvases)
    best_mse, refined = start_mse.copy(), np.zeros(len(images), bool)
    current, current_real = start, best_real
    refiner = _refiner_for(painter, fixed_fields, learning_rate, len(images), batch_size, start.shape[1:])

    def snapshot() -> RefinedInMyPaint:
        return RefinedInMyPaint(best.copy(), best_real.copy(), start_mse, best_mse.copy(), refined.copy(),
                                time.perf_counter() - started, {})

    taken = {0: snapshot()} if 0 in snapshots else {}
    ends = sorted(set(range(check_every, steps, check_every)) | {k for k in snapshots if k > 0} | ({steps} if steps else set()))
    done = 0
    with tqdm(total=steps * math.ceil(len(images) / batch_size), unit="step", disable=not progress,
              desc=f"refine {len(images)} paintings x {steps} steps, MyPaint every {check_every}") as bar:
        for end in ends:
            aim = images
            if correct:  # the world model's error on the strokes this round starts from
                aim = images - (current_real / np.float32(255.0) - dream_paint(painter, current, batch_size,
                                                                               start=canvases))
            rounds = [refiner.run(aim[i:i + batch_size], current[i:i + batch_size], end - done,
                                  canvases=None if canvases is None else canvases[i:i + batch_size])[0]
                      for i in range(0, len(images), batch_size)]
            bar.update((end - done) * len(rounds))
            current = _snap(painter, refiner, np.concatenate(rounds))
            current_real, mse = _real_paintings(current, images, variant, brush, start=canvases)
            better = mse < best_mse
            best[better], best_real[better], best_mse[better], refined[better] = (
                current[better], current_real[better], mse[better], True)
            done = end
            if end in snapshots:
                taken[end] = snapshot()
    result = snapshot()
    log.info("Refined %d paintings x %d steps, MyPaint every %d, in %.1f s (%.2f s per image): real MSE %.4f -> %.4f "
             "(refined strokes kept for %d)", len(images), steps, check_every, result.seconds,
             result.seconds / len(images), start_mse.mean(), best_mse.mean(), refined.sum())
    return RefinedInMyPaint(**{**result.__dict__, "snapshots": taken})


def _snap(painter: DreamPainter, refiner: _Refiner, actions: np.ndarray) -> np.ndarray:
    """The ``mnist`` variant's two-valued fields snapped to the values MyPaint paints; fixed fields keep their values."""
    if not painter.layout.two_valued_fields:
        return actions
    actions = actions.copy()
    actions[..., 2:] = painter.snap(tf.constant(actions[..., 2:])).numpy()
    return refiner.pin(tf.constant(actions)).numpy()
