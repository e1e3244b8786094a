"""The strokes as SVG vectors, for people who want to scale or edit them.

Each stroke becomes one ``<path>``: the quadratic Bezier curve the env paints (through the stroke's
control point at its middle), drawn with round caps in the stroke's colour. Its width and opacity come
from the painting's own brush file at the stroke's pressure (every other input at rest), so each medium
draws as itself: the width is the dab's diameter, ``2 e^r`` with ``r`` the ``radius_logarithmic`` the stroke
painted with plus the brush's pressure curve of it, widened by the scatter of the dabs (``offset_by_random``
o, in radii: ``x (1 + o)``); the opacity is the brush's ``opaque`` times its ``opaque_multiply``, each a base
value plus its pressure curve (for the dry brush ``(0.8 + 0.2 p) p``). Measured against the painted width of
MyPaint's strokes (``benchmarks/svg_width.py``: the share of pixels over 5 % alpha across a straight stroke, 9
pressures and sizes), MyPaint paints 1.08x this width with the dry brush, 0.86x with charcoal, 1.24x with the
pen and 1.86x with impressionism (elongated, tilted dabs); 1.85x, 1.60x, 1.58x and 2.97x the bare dab diameter. It is an
approximation of the brush, not a copy: no dab texture, no pressure ramp at the ends, no thinning where
the pen moves fast. The PNG is what MyPaint painted.
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


def brush_width(brush: str) -> Callable[[float, float], float]:
    """``width(size, pressure)``: the painted width in pixels of a stroke of ``brush`` painted with
    ``radius_logarithmic`` base value ``size`` (the env's ``size``) at ``pressure`` (see the module docstring)."""
    settings = json.loads(find_brush(brush).read_text()).get("settings", {})
    radius = settings.get("radius_logarithmic") or {}
    base = float(radius.get("base_value", 0.0))

    def width(size: float, pressure: float) -> float:
        r = size + _setting_at_pressure(radius, pressure) - base  # the stroke's base value, the brush's curve
        scatter = max(0.0, _setting_at_pressure(settings.get("offset_by_random"), pressure))
        return 2.0 * math.exp(r) * (1.0 + scatter)

    return width


def stroke_path(stroke: dict, opacity: Callable[[float], float],
                width: Callable[[float, float], float] | None = None) -> str:
    """One stroke (env units: ``start``, ``end``, ``control``, ``pressure``, ``size``, ``jump``, ``rgb``) as a ``<path>``,
    its opacity ``opacity(pressure)`` (:func:`brush_opacity`) and width ``width(size, pressure)`` (:func:`brush_width`;
    default: the dab's diameter ``2 e^size``)."""
    start, end, control = (np.asarray(stroke[k], np.float64) for k in ("start", "end", "control"))
    bezier = 2.0 * control - (start + end) / 2.0  # the curve passes through ``control`` at t = 1/2
    pressure = float(stroke["pressure"])
    width = (width or (lambda size, _: 2.0 * math.exp(size)))(float(stroke["size"]), pressure)
    alpha = opacity(pressure)
    r, g, b = (int(c) for c in stroke["rgb"])
    d = (f"M {start[0]:.2f} {start[1]:.2f} Q {bezier[0]:.2f} {bezier[1]:.2f} {end[0]:.2f} {end[1]:.2f}")
    return (f'<path d={quoteattr(d)} fill="none" stroke="rgb({r},{g},{b})" stroke-width="{width:.2f}" '
            f'stroke-opacity="{alpha:.3f}" stroke-linecap="round" stroke-linejoin="round"/>')


def strokes_svg(strokes: list[dict], width: int, height: int, brush: str) -> str:
    """An SVG document of ``strokes`` (in painting order, painted with ``brush``) over a white ``width`` x ``height``
    canvas."""
    opacity, width_of = brush_opacity(brush), brush_width(brush)
    paths = "\n".join(f"  {stroke_path(s, opacity, width_of)}" for s in strokes if not s.get("jump", False))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">\n'
            f"  <!-- painting_dreams strokes: an approximation of MyPaint's {escape(brush)} (the PNG is MyPaint's) -->\n"
            f'  <rect width="{width}" height="{height}" fill="white"/>\n{paths}\n</svg>\n')
