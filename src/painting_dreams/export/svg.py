"""The strokes as SVG vectors, for people who want to scale or edit them.

Each stroke becomes one ``<path>``: the quadratic Bezier curve the env paints (through the stroke's
control point at its middle), drawn with round caps in the stroke's colour. The width is the
diameter of MyPaint's brush (2 e^r, r the ``radius_logarithmic`` it painted with) and the opacity
the painting's brush gives at the stroke's pressure: its ``opaque`` setting times its ``opaque_multiply``,
each a base value plus the brush file's pressure curve (for the dry brush ``(0.8 + 0.2 p) p``). It is an
approximation of the brush, not a copy: no dab texture or jitter, no pressure ramp at the ends, no
thinning where the pen moves fast, no other input than pressure. The PNG is what MyPaint painted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from painting_dreams.paint.libmypaint import find_brush


def _setting_at_pressure(setting: dict | None, pressure: float) -> float:
    """A brush setting's value with every input at rest but pressure: base value + the pressure curve."""
    if not setting:
        return 0.0
    value = float(setting.get("base_value", 0.0))
    points = (setting.get("inputs") or {}).get("pressure")
    if points:
        xs, ys = zip(*points)
        value += float(np.interp(pressure, xs, ys))
    return value


def brush_opacity(brush: str) -> Callable[[float], float]:
    """``opacity(pressure)`` of the MyPaint brush ``brush`` (an installed name or a ``.myb`` path), in [0, 1]."""
    settings = json.loads(find_brush(brush).read_text()).get("settings", {})

    def opacity(pressure: float) -> float:
        opaque = _setting_at_pressure(settings.get("opaque"), pressure)
        multiply = _setting_at_pressure(settings.get("opaque_multiply"), pressure)
        return min(1.0, max(0.0, opaque * multiply))

    return opacity


def stroke_path(stroke: dict, opacity: Callable[[float], float]) -> str:
    """One stroke (env units: ``start``, ``end``, ``control``, ``pressure``, ``size``, ``jump``, ``rgb``) as a ``<path>``,
    its opacity ``opacity(pressure)`` (:func:`brush_opacity`)."""
    start, end, control = (np.asarray(stroke[k], np.float64) for k in ("start", "end", "control"))
    bezier = 2.0 * control - (start + end) / 2.0  # the curve passes through ``control`` at t = 1/2
    width = 2.0 * math.exp(float(stroke["size"]))
    pressure = float(stroke["pressure"])
    alpha = opacity(pressure)
    r, g, b = (int(c) for c in stroke["rgb"])
    d = (f"M {start[0]:.2f} {start[1]:.2f} Q {bezier[0]:.2f} {bezier[1]:.2f} {end[0]:.2f} {end[1]:.2f}")
    return (f'<path d={quoteattr(d)} fill="none" stroke="rgb({r},{g},{b})" stroke-width="{width:.2f}" '
            f'stroke-opacity="{alpha:.3f}" stroke-linecap="round" stroke-linejoin="round"/>')


def strokes_svg(strokes: list[dict], width: int, height: int, brush: str) -> str:
    """An SVG document of ``strokes`` (in painting order, painted with ``brush``) over a white ``width`` x ``height``
    canvas."""
    opacity = brush_opacity(brush)
    paths = "\n".join(f"  {stroke_path(s, opacity)}" for s in strokes if not s.get("jump", False))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">\n'
            f"  <!-- painting_dreams strokes: an approximation of MyPaint's {escape(brush)} (the PNG is MyPaint's) -->\n"
            f'  <rect width="{width}" height="{height}" fill="white"/>\n{paths}\n</svg>\n')
