"""The real painter: MyPaint's brush engine painting decoded strokes on a canvas.

:class:`MyPaintPainter` is the only code that calls libmypaint's stroke functions (through the
``ctypes`` binding in :mod:`~painting_dreams.paint.libmypaint`). The env
(:mod:`~painting_dreams.paint.env`) turns each action into a stroke for it, and
:mod:`~painting_dreams.paint.replay` plays whole arrays of actions through the env: every other
package paints in real MyPaint through that door.
"""

from __future__ import annotations

import colorsys
import math
import threading

import numpy as np

from painting_dreams.paint.actions import Stroke
from painting_dreams.paint.libmypaint import FIX15_ONE, Brush, Surface, find_brush, fix15_to_uint8
from painting_dreams.paint.strokes import stroke_events

MOVE_DTIME = 10.0  # a pause this long makes libmypaint place the brush instead of dragging it


class MyPaintPainter:
    """Paints :class:`Stroke` objects with a MyPaint brush on a ``width`` x ``height`` surface.

    The brush's dab jitter comes from libmypaint's own RNG, which a fresh brush restarts:
    :meth:`restart` therefore makes the pixels a pure function of the strokes that follow.

    ``brush_scale`` s paints every stroke's brush s times wider (MyPaint's ``radius_logarithmic`` + ln s)
    at view zoom 1/s: strokes made for a 64x64 canvas cover the same share of a 64s x 64s one. The dab
    spacing and the jitter offsets of MyPaint's brushes are measured in brush radii, so they follow by
    themselves; the speed inputs are measured in pixels per second at the view zoom, which the zoom
    1/s gives back (see :mod:`~painting_dreams.paint.libmypaint`).

    Safe to share between threads: every call holds the painter's lock, so calls from two threads
    run one after the other (libmypaint itself is not thread-safe). After :meth:`close` every call
    raises ``RuntimeError`` instead of touching freed C memory.
    """

    def __init__(self, width: int = 64, height: int = 64, brush: str | None = None,
                 samples: int = 100, dtime: float = 0.1, transparent: bool = False, brush_scale: float = 1.0):
        if isinstance(samples, (bool, np.bool_)) or not isinstance(samples, (int, np.integer)) or samples < 2:
            raise ValueError(f"samples is {samples!r}: a stroke needs a whole number of curve points >= 2 (e.g. 100)")
        if isinstance(dtime, (bool, np.bool_)) or not isinstance(dtime, (int, float, np.floating, np.integer)) \
                or not math.isfinite(dtime) or dtime <= 0:
            raise ValueError(f"dtime is {dtime!r}: the seconds between curve points must be a finite number > 0 "
                             "(e.g. 0.1)")
        brush_file = find_brush(brush)  # a missing or unnamed brush fails before any C memory is taken
        self._lock = threading.RLock()
        self._closed = False
        self.set_brush_scale(brush_scale)
        self.samples, self.dtime, self.transparent = int(samples), float(dtime), bool(transparent)
        self.brush: Brush | None = None
        self.surface = Surface(width, height)  # checks the size as given: whole numbers 1..MAX_SIDE
        self.width, self.height = self.surface.width, self.surface.height
        self._template = Brush(brush_file.read_bytes())
        self.brush_name = brush
        self._colour: tuple[int, int, int] | None = None
        self.restart()

    def set_brush_scale(self, brush_scale: float) -> None:
        """Paint the strokes that follow with brushes ``brush_scale`` times wider (see the class docstring)."""
        if isinstance(brush_scale, (bool, np.bool_)) or not isinstance(brush_scale, (int, float, np.floating, np.integer)) \
                or not math.isfinite(brush_scale) or brush_scale <= 0:
            raise ValueError(f"brush_scale is {brush_scale!r}: use a finite number > 0 (the canvas side over the side "
                             "the strokes were made for, e.g. 512 / 64 = 8)")
        self.brush_scale = float(brush_scale)
        self._log_scale = math.log(self.brush_scale)
        self._viewzoom = 1.0 / self.brush_scale

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this MyPaint canvas was closed: create a new one (e.g. a new MyPaintEnv) to paint again")

    def restart(self) -> None:
        """Clear the canvas and take a fresh brush (restarting its jitter RNG)."""
        with self._lock:
            self._check_open()
            self._restart()

    def _restart(self) -> None:
        if self.brush is not None:
            self.brush.close()
        self.brush = self._template.fresh()
        self._colour = None
        self.surface.clear(transparent=self.transparent)

    def clear(self) -> None:
        """Clear the canvas only (white, or transparent for alpha rendering)."""
        with self._lock:
            self._check_open()
            self.surface.clear(transparent=self.transparent)

    def paint(self, stroke: Stroke, start: np.ndarray) -> None:
        """Paint ``stroke`` from ``start`` (pixels); jump strokes paint nothing."""
        with self._lock:
            self._check_open()
            self._paint(stroke, start)

    def _paint(self, stroke: Stroke, start: np.ndarray) -> None:
        if stroke.jump:
            return
        if stroke.rgb != self._colour:
            h, s, v = rgb_to_mypaint_hsv(stroke.rgb)
            for name, value in (("color_h", h), ("color_s", s), ("color_v", v)):
                self.brush.set_base_value(name, value)
            self._colour = stroke.rgb
        self.brush.set_base_value("radius_logarithmic", stroke.size + self._log_scale)
        self.brush.begin_stroke()
        x0, y0 = float(start[0]), float(start[1])
        events = stroke_events(start, stroke.end, stroke.control, stroke.pressure, self.samples)
        self.surface.stroke(self.brush, [(x0, y0, 0.0)], MOVE_DTIME, self._viewzoom)
        self.surface.stroke(self.brush, events, self.dtime, self._viewzoom)

    def rgba(self) -> np.ndarray:
        """The canvas as fix15 premultiplied RGBA ``(H, W, 4)`` uint16."""
        with self._lock:
            self._check_open()
            return self.surface.pixels()

    def rgb_on_white(self) -> np.ndarray:
        """The canvas composited over white, uint8 ``(H, W, 3)``."""
        return composite_fix15_over_white(self.rgba())

    def straight_rgba(self) -> np.ndarray:
        """The canvas as straight-alpha RGBA ``(H, W, 4)`` uint8, as PNG layers store it (a transparent canvas:
        the strokes alone)."""
        rgba = self.rgba().astype(np.float64) / FIX15_ONE
        alpha = rgba[..., 3:]
        straight = np.where(alpha > 0, rgba[..., :3] / np.maximum(alpha, 1e-9), 0.0)  # un-premultiply
        return np.round(np.clip(np.concatenate([straight, alpha], axis=-1), 0, 1) * 255).astype(np.uint8)

    def close(self) -> None:
        """Free the brush and canvas; closing twice is harmless."""
        with self._lock:
            self._closed = True
            if self.brush is not None:
                self.brush.close()
            self.surface.close()


def composite_fix15_over_white(rgba: np.ndarray) -> np.ndarray:
    """Premultiplied fix15 RGBA over opaque white, as uint8 RGB."""
    alpha = np.minimum(rgba[..., 3:], FIX15_ONE)
    return fix15_to_uint8((FIX15_ONE - alpha) + rgba[..., :3])  # premultiplied: rgb <= alpha, no overflow


def rgb_to_mypaint_hsv(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """MyPaint brushes take their colour as HSV in [0, 1]."""
    return colorsys.rgb_to_hsv(*(c / 255.0 for c in rgb))
