"""Stroke geometry of the SPIRAL painting environment, as the seed used it.

A stroke is a quadratic Bezier curve from the brush position to an end point, bent so that it
passes *through* the control point at its middle, sampled at a fixed number of points, with the
pressure ramped in over the first quarter and out over the last quarter.
"""

from __future__ import annotations

import numpy as np

RAMP_FRACTION = 0.25  # pressure ramps in over the first and out over the last quarter


def quadratic_curve(start: np.ndarray, end: np.ndarray, control: np.ndarray, samples: int = 100) -> np.ndarray:
    """Points ``(samples, 2)`` of the curve start -> end that passes through ``control`` at t = 1/2.

    The Bezier control point is ``mid + 2 (control - mid)`` with ``mid`` the chord's middle, so
    that B(1/2) = mid/2 + control'/2 = control.
    """
    start, end, control = (np.asarray(p, dtype=np.float64) for p in (start, end, control))
    mid = (start + end) / 2.0
    bezier_control = mid + 2.0 * (control - mid)
    t = np.linspace(0.0, 1.0, samples)[:, None]
    return (1 - t) ** 2 * start + 2 * (1 - t) * t * bezier_control + t**2 * end


def pressure_ramp(samples: int = 100) -> np.ndarray:
    """Pressure multiplier per sample: 0 -> 1 over the first quarter, 1 -> 0 over the last."""
    t = np.linspace(0.0, 1.0, samples)
    return np.clip(np.minimum(t, 1.0 - t) / RAMP_FRACTION, 0.0, 1.0)


def stroke_events(
    start: np.ndarray, end: np.ndarray, control: np.ndarray, pressure: float, samples: int = 100
) -> list[tuple[float, float, float]]:
    """``(x, y, pressure)`` events for libmypaint's ``stroke_to``, in pixel units."""
    points = quadratic_curve(start, end, control, samples)
    pressures = pressure * pressure_ramp(samples)
    return list(zip(points[:, 0].tolist(), points[:, 1].tolist(), pressures.tolist()))
