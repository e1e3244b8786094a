"""The strokes as SVG vectors, for people who want to scale or edit them.

Each stroke becomes one ``<path>``: the quadratic Bezier curve the env paints (through the stroke's
control point at its middle), drawn with round caps in the stroke's colour. The width is the
diameter of MyPaint's brush (2 e^r, r the ``radius_logarithmic`` it painted with) and the opacity
the dry brush's at the stroke's pressure, ``(0.8 + 0.2 p) p``. It is an approximation of MyPaint's
dry brush, not a copy: no dab texture or jitter, no pressure ramp at the ends, no thinning where
the pen moves fast. The PNG is what MyPaint painted.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import quoteattr

import numpy as np

OPAQUE, OPAQUE_BY_PRESSURE = 0.8, 0.2  # the dry brush's opacity: 0.8 + 0.2 * pressure, times pressure


def stroke_path(stroke: dict) -> str:
    """One stroke (env units: ``start``, ``end``, ``control``, ``pressure``, ``size``, ``jump``, ``rgb``) as a ``<path>``."""
    start, end, control = (np.asarray(stroke[k], np.float64) for k in ("start", "end", "control"))
    bezier = 2.0 * control - (start + end) / 2.0  # the curve passes through ``control`` at t = 1/2
    width = 2.0 * math.exp(float(stroke["size"]))
    pressure = float(stroke["pressure"])
    opacity = min(1.0, (OPAQUE + OPAQUE_BY_PRESSURE * pressure) * pressure)
    r, g, b = (int(c) for c in stroke["rgb"])
    d = (f"M {start[0]:.2f} {start[1]:.2f} Q {bezier[0]:.2f} {bezier[1]:.2f} {end[0]:.2f} {end[1]:.2f}")
    return (f'<path d={quoteattr(d)} fill="none" stroke="rgb({r},{g},{b})" stroke-width="{width:.2f}" '
            f'stroke-opacity="{opacity:.3f}" stroke-linecap="round" stroke-linejoin="round"/>')


def strokes_svg(strokes: list[dict], width: int, height: int) -> str:
    """An SVG document of ``strokes`` (in painting order) over a white ``width`` x ``height`` canvas."""
    paths = "\n".join(f"  {stroke_path(s)}" for s in strokes if not s.get("jump", False))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">\n'
            f"  <!-- painting_dreams strokes: an approximation of MyPaint's dry brush (the PNG is MyPaint's) -->\n"
            f'  <rect width="{width}" height="{height}" fill="white"/>\n{paths}\n</svg>\n')
