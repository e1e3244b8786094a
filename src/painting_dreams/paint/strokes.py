"""Stroke geometry of the SPIRAL painting environment, as the seed used it.

A stroke is a quadratic Bezier curve from the brush position to an end point, bent so that it
passes *through* the control point at its middle, sampled at a fixed number of points, with the
pressure ramped in over the first quarter and out over the last quarter.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

RAMP_FRACTION = 0.25  # pressure ramps in over the first and out over the last quarter


@lru_cache(maxsize=8)
def _bezier_basis(samples: int) -> np.ndarray:
    """Bernstein weights ``(samples, 3)`` of start, Bezier control and end at evenly spaced t."""
    t = np.linspace(0.0, 1.0, samples)
    basis = np.stack([(1 - t) ** 2, 2 * (1 - t) * t, t**2], axis=1)
    basis.setflags(write=False)
    return basis


def quadratic_curve(start: np.ndarray, end: np.ndarray, control: np.ndarray, samples: int = 100) -> np.ndarray:
    """Points ``(samples, 2)`` of the curve start -> end that passes through ``control`` at t = 1/2.

    The Bezier control point is ``mid + 2 (control - mid)`` with ``mid`` the chord's middle, so
    that B(1/2) = mid/2 + control'/2 = control.
    """
    start, end, control = (np.asarray(p, dtype=np.float64) for p in (start, end, control))
    bezier_control = 2.0 * control - (start + end) / 2.0  # = mid + 2 (control - mid)
    return _bezier_basis(samples) @ np.stack([start, bezier_control, end])


@lru_cache(maxsize=8)
def pressure_ramp(samples: int = 100) -> np.ndarray:
    """Pressure multiplier per sample: 0 -> 1 over the first quarter, 1 -> 0 over the last."""
    t = np.linspace(0.0, 1.0, samples)
    ramp = np.clip(np.minimum(t, 1.0 - t) / RAMP_FRACTION, 0.0, 1.0)
    ramp.setflags(write=False)
    return ramp


def stroke_events(
    start: np.ndarray, end: np.ndarray, control: np.ndarray, pressure: float, samples: int = 100
) -> list[tuple[float, float, float]]:
    """``(x, y, pressure)`` events for libmypaint's ``stroke_to``, in pixel units."""
    events = np.empty((samples, 3))
    events[:, :2] = quadratic_curve(start, end, control, samples)
    events[:, 2] = pressure * pressure_ramp(samples)
    return events.tolist()
