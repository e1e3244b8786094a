"""The real painting environment: a ``gymnasium.Env`` over MyPaint's brush engine."""

from __future__ import annotations

import threading

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.libmypaint import fix15_to_uint8
from painting_dreams.paint.mypaint_canvas import MyPaintPainter, composite_fix15_over_white


class MyPaintEnv(gym.Env):
    """Paint brush strokes with a MyPaint brush (any installed one, or a ``.myb`` file) on a small canvas.

    One action is one stroke: a quadratic curve from the brush position to an end point that
    passes through a control point at its middle, sampled at ``samples`` points, pressure ramped
    in over the first quarter and out over the last. The first action of an episode only moves
    the brush (unless ``absolute``); a jump moves it with the brush lifted.

    ## Action space

    ``Box(0, 1, (n,), float32)``; each field is normalised to [0, 1]:

    | field | ``mnist`` | ``color`` |
    |---|---|---|
    | ``start_x``, ``start_y`` (only if ``absolute``) | start point, x ``width``, y ``height`` | same |
    | ``end_x``, ``end_y`` | end point (pixels = value x size) | same |
    | ``control_x``, ``control_y`` | point the curve passes through at its middle | same |
    | ``pressure`` | < 0.5 -> 0.5, else 0.8 | value x 0.8 |
    | ``size`` (MyPaint ``radius_logarithmic``) | < 0.5 -> 0.2, else 0.7 | value x 2 |
    | ``jump`` (``mnist`` only) | >= 0.5 lifts the brush | - |
    | ``red``, ``green``, ``blue`` (``color`` only) | - | value x 255 |

    ``mnist`` paints black; ``color`` never jumps. NaN/inf, a wrong shape or a value outside
    [0, 1] raises ``ValueError`` naming the field.

    ## Observation space

    ``Dict`` with

    | key | space | meaning |
    |---|---|---|
    | ``canvas`` | ``Box(0, 255, (H, W, 3), uint8)`` | the canvas on white (stroke mode: this step's stroke on white) |
    | ``position`` | ``Box(0, 1, (2,), float32)`` | normalised brush position after the step |
    | ``stroke`` (stroke mode only) | ``Box(0, 255, (H, W, 4), uint8)`` | this step's stroke, premultiplied RGBA on transparent |

    ## Rewards

    0, unless ``reset(options={"target": image})`` gave a ``(H, W, 3)`` uint8 target: then the
    decrease of the mean squared error (on [0, 1] RGB) between canvas and target at each step.

    ## Episode end

    Never terminates; truncates after ``max_steps`` steps.

    ## Arguments

    ``variant`` (``"mnist"`` | ``"color"``), ``absolute`` (explicit start point per action, so a
    stroke depends on its own action only), ``stroke_mode`` (clear the canvas after every step and
    return the single stroke with its alpha), ``width``/``height`` (64), ``max_steps`` (10),
    ``brush`` (required: an installed brush name such as ``classic/charcoal``, or a ``.myb`` path; a
    world in conf's ``inventory.yml`` names the one its painters learned), ``samples`` (100 curve points), ``dtime`` (seconds between
    curve points, as passed to libmypaint), ``render_mode`` (``"rgb_array"`` or ``None``),
    ``layer`` (also paint every stroke on a transparent canvas that is never cleared: :meth:`layer`
    returns the strokes alone, for image layers; the same fresh brush, so the same dabs),
    ``brush_scale`` (brushes this many times wider: actions made for a 64x64 canvas painted on a
    512x512 one with ``brush_scale=8`` cover the same share of it; see :class:`MyPaintPainter`).

    The pixels are a pure function of the actions since ``reset``: each reset takes a fresh
    brush, which restarts the brush's random jitter.

    ``width`` and ``height`` are whole numbers from 1 to 8192 (``samples`` >= 2, ``dtime`` > 0);
    anything else raises ``ValueError`` before libmypaint is touched. An env is safe to share
    between threads: a lock makes each ``step``/``reset``/``close`` whole (steps from two threads
    run one after the other, in whatever order they get the lock). After ``close``, ``step`` and
    ``reset`` raise ``RuntimeError``. An env pickles as its arguments, so it can go to a spawned process:
    the copy is a new env, as constructed (its canvas is not carried; ``reset`` it), and
    ``set_brush_scale`` calls are not carried either.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 4}

    def __init__(self, variant: str = "mnist", absolute: bool = False, stroke_mode: bool = False,
                 width: int = 64, height: int = 64, max_steps: int = 10, brush: str | None = None,
                 samples: int = 100, dtime: float = 0.1, render_mode: str | None = None, layer: bool = False,
                 brush_scale: float = 1.0):
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode {render_mode!r} is not supported: use 'rgb_array' or None")
        if isinstance(max_steps, (bool, np.bool_)) or not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
            raise ValueError(f"max_steps is {max_steps!r} ({type(max_steps).__name__}): give a whole number of steps, "
                             "1 or more")
        self._arguments = {"variant": variant, "absolute": absolute, "stroke_mode": stroke_mode, "width": width,
                           "height": height, "max_steps": max_steps, "brush": brush, "samples": samples,
                           "dtime": dtime, "render_mode": render_mode, "layer": layer, "brush_scale": brush_scale}
        self.layout = ActionLayout(variant, absolute)
        self.stroke_mode = bool(stroke_mode)
        self.max_steps = int(max_steps)
        self._lock = threading.RLock()  # one step at a time: an env may be shared between threads
        self.render_mode = render_mode
        # The painter checks the size as given (2.7, "64" and True are refused, not truncated); the env takes its own.
        self.painter = MyPaintPainter(width, height, brush, samples, dtime, transparent=self.stroke_mode,
                                      brush_scale=brush_scale)
        self.width, self.height = self.painter.width, self.painter.height
        self.brush = brush  # the MyPaint brush every stroke is painted with
        self._layer = MyPaintPainter(width, height, brush, samples, dtime, transparent=True,
                                     brush_scale=brush_scale) if layer else None

        self.action_space = spaces.Box(0.0, 1.0, (self.layout.size,), np.float32)
        observation = {
            "canvas": spaces.Box(0, 255, (self.height, self.width, 3), np.uint8),
            "position": spaces.Box(0.0, 1.0, (2,), np.float32),
        }
        if self.stroke_mode:
            observation["stroke"] = spaces.Box(0, 255, (self.height, self.width, 4), np.uint8)
        self.observation_space = spaces.Dict(observation)

        self._scale = np.array([self.width, self.height], dtype=np.float64)
        self._position = np.zeros(2)
        self._steps = 0
        self._target: np.ndarray | None = None
        self._mse = 0.0
        self._canvas = np.full((self.height, self.width, 3), 255, np.uint8)
        self._stroke = np.zeros((self.height, self.width, 4), np.uint8)

    def __getstate__(self) -> dict:
        """An env pickles as its arguments (its canvas and lock live in C and in this process)."""
        return {"arguments": self._arguments}

    def __setstate__(self, state: dict) -> None:
        """A new env made from the pickled one's arguments, as constructed: ``reset`` it before painting."""
        self.__init__(**state["arguments"])

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        with self._lock:
            return self._reset(seed, options)

    def _reset(self, seed, options):
        super().reset(seed=seed)
        self.painter.restart()
        if self._layer is not None:
            self._layer.restart()
        self._position = np.zeros(2)
        self._steps = 0
        self._canvas = np.full((self.height, self.width, 3), 255, np.uint8)
        self._stroke = np.zeros((self.height, self.width, 4), np.uint8)
        self._target = self._check_target(options.get("target")) if options else None
        self._mse = self._target_mse()
        return self._observation(), self._info(None)

    def step(self, action):
        with self._lock:
            return self._step(action)

    def paint_step(self, action) -> dict:
        """Paint ``action`` as :meth:`step` does, but build no observation (no copy of the canvas): for long
        paintings on large canvases where only some canvases are looked at. Returns ``step``'s ``info``;
        the next ``step`` or :meth:`render` shows the canvas. Not in stroke mode, nor with a target."""
        with self._lock:
            if self.stroke_mode or self._target is not None:
                raise RuntimeError("paint_step builds no observation or reward: use step in stroke mode or with a target")
            stroke, start, painted = self._paint_action(action)
            self._canvas = None  # built when asked for
            return self._info(stroke, start, painted)

    def _paint_action(self, action):
        """Decode ``action`` and paint it: ``(stroke, start, painted)``."""
        stroke = self.layout.decode(action, self.width, self.height)
        start = stroke.start if self.layout.absolute else self._position
        first_move = self._steps == 0 and not self.layout.absolute
        if self.stroke_mode:
            self.painter.clear()
        if not first_move:
            self.painter.paint(stroke, start)
            if self._layer is not None:
                self._layer.paint(stroke, start)
        self._position = stroke.end.copy()
        self._steps += 1
        return stroke, start, not (first_move or stroke.jump)

    def _step(self, action):
        stroke, start, painted = self._paint_action(action)
        rgba = self.painter.rgba()
        if self.stroke_mode:
            self._stroke = fix15_to_uint8(rgba)
        self._canvas = composite_fix15_over_white(rgba)
        previous, self._mse = self._mse, self._target_mse()
        reward = float(previous - self._mse) if self._target is not None else 0.0
        truncated = self._steps >= self.max_steps
        return self._observation(), reward, False, truncated, self._info(stroke, start, painted=painted)

    def render(self):
        if self.render_mode == "rgb_array":
            with self._lock:
                if self._canvas is None:  # after paint_step
                    self._canvas = composite_fix15_over_white(self.painter.rgba())
                return self._canvas.copy()
        return None

    def set_brush_scale(self, brush_scale: float) -> None:
        """Brushes ``brush_scale`` times wider from the next step on (strokes made for a smaller canvas)."""
        with self._lock:
            self.painter.set_brush_scale(brush_scale)
            if self._layer is not None:
                self._layer.set_brush_scale(brush_scale)

    @property
    def keeps_layer(self) -> bool:
        """Whether :meth:`layer` has strokes to return (``layer=True``)."""
        return self._layer is not None

    def layer(self) -> np.ndarray:
        """Every stroke since ``reset`` on a transparent canvas, straight-alpha RGBA ``(H, W, 4)`` uint8 (``layer=True``)."""
        with self._lock:
            if self._layer is None:
                raise RuntimeError("this env keeps no layer: create it with MyPaintEnv(..., layer=True)")
            return self._layer.straight_rgba()

    def close(self):
        """Free MyPaint's canvas; afterwards step and reset raise ``RuntimeError``. Closing twice is harmless."""
        with self._lock:
            self.painter.close()
            if self._layer is not None:
                self._layer.close()

    def _observation(self) -> dict:
        obs = {"canvas": self._canvas.copy(), "position": (self._position / self._scale).clip(0, 1).astype(np.float32)}
        if self.stroke_mode:
            obs["stroke"] = self._stroke.copy()
        return obs

    def _info(self, stroke, start=None, painted: bool = False) -> dict:
        info = {"step": self._steps, "painted": painted}
        if stroke is not None:
            info["stroke"] = stroke.as_dict()
            info["start"] = np.asarray(start, dtype=np.float64).copy()
        if self._target is not None:
            info["mse"] = self._mse
        return info

    def _check_target(self, target) -> np.ndarray:
        array = np.asarray(target)
        if array.shape != (self.height, self.width, 3):
            raise ValueError(f"target has shape {array.shape}, expected ({self.height}, {self.width}, 3) uint8 RGB")
        if array.dtype != np.uint8:
            raise ValueError(f"target has dtype {array.dtype}, expected uint8 (0-255 RGB)")
        return array

    def _target_mse(self) -> float:
        if self._target is None:
            return 0.0
        diff = (self._canvas.astype(np.float32) - self._target.astype(np.float32)) / 255.0
        return float(np.mean(diff * diff))

