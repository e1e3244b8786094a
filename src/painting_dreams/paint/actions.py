"""Action layouts of the painting environment's variants.

Every action is a ``float32`` vector in [0, 1]; :class:`ActionLayout` names its fields and turns
it into env units (pixels, pressure, brush size, RGB). The ``mnist`` variant snaps pressure, size
and jump to the discrete values of the seed's environment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VARIANTS = ("mnist", "color")
MNIST_PRESSURES = (0.5, 0.8)
MNIST_SIZES = (0.2, 0.7)
COLOR_MAX_PRESSURE = 0.8
COLOR_MAX_SIZE = 2.0


@dataclass(frozen=True)
class Stroke:
    """One decoded action in env units."""

    start: np.ndarray | None  # (2,) pixels, only for absolute layouts
    end: np.ndarray  # (2,) pixels
    control: np.ndarray  # (2,) pixels
    pressure: float
    size: float  # MyPaint's radius_logarithmic base value
    jump: bool
    rgb: tuple[int, int, int]

    def as_dict(self) -> dict:
        """JSON-friendly form, as written to stroke lists."""
        return {
            "start": None if self.start is None else [float(v) for v in self.start],
            "end": [float(v) for v in self.end],
            "control": [float(v) for v in self.control],
            "pressure": float(self.pressure),
            "size": float(self.size),
            "jump": bool(self.jump),
            "rgb": list(self.rgb),
        }


def real_numbers(value, what: str, meaning: str) -> np.ndarray:
    """``value`` as a NumPy array if it holds real numbers (bools, integers, floats), else a ``ValueError``
    "``<what>`` dtype D ('k' kind): ``<meaning>``". Complex numbers (whose imaginary part a cast to float
    drops) and strings (which it parses) are refused: one check for single actions, arrays of them and
    refinement inputs."""
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{what} dtype {array.dtype} ({array.dtype.kind!r} kind): {meaning}")
    return array


@dataclass(frozen=True)
class ActionLayout:
    """Field layout of a variant's normalised action vector."""

    variant: str = "mnist"
    absolute: bool = False

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant {self.variant!r}: choose one of {', '.join(VARIANTS)}")

    @property
    def fields(self) -> tuple[str, ...]:
        start = ("start_x", "start_y") if self.absolute else ()
        tail = ("jump",) if self.variant == "mnist" else ("red", "green", "blue")
        return (*start, "end_x", "end_y", "control_x", "control_y", "pressure", "size", *tail)

    @property
    def size(self) -> int:
        return len(self.fields)

    @property
    def two_valued_fields(self) -> tuple[str, ...]:
        """Fields the env snaps to one of two values (below 0.5: the first, else the second)."""
        return ("pressure", "size", "jump") if self.variant == "mnist" else ()

    def index(self, field: str) -> int:
        return self.fields.index(field)

    def validate(self, action) -> np.ndarray:
        """Return ``action`` as float64 or raise ``ValueError`` naming the bad field and value.

        Only real numbers are actions: complex numbers (whose imaginary part NumPy would drop) and
        strings (which it would parse) are refused. Values are printed with every digit that tells
        them apart (``1.0000001``, not ``1``).
        """
        array = real_numbers(action, "action has", f"an action is {self.size} real numbers in [0, 1], the fields "
                             f"{', '.join(self.fields)}").astype(np.float64)
        if array.shape != (self.size,):
            raise ValueError(
                f"action has shape {array.shape}, expected ({self.size},) for the {self.name!r} layout "
                f"with fields {', '.join(self.fields)}"
            )
        if not ((array >= 0.0) & (array <= 1.0)).all():  # also false for NaN
            for field, value in zip(self.fields, array):
                if not np.isfinite(value):
                    raise ValueError(f"action field {field!r} is {value}: every field must be a finite number in [0, 1]")
                if not 0.0 <= value <= 1.0:
                    raise ValueError(f"action field {field!r} is {float(value)!r}, outside [0, 1]: clip or rescale the action")
        return array

    @property
    def name(self) -> str:
        return f"{self.variant}_absolute" if self.absolute else self.variant

    def decode(self, action, width: int, height: int) -> Stroke:
        """Validate a normalised action and turn it into env units for a ``width`` x ``height`` canvas."""
        a = dict(zip(self.fields, self.validate(action)))
        scale = np.array([width, height], dtype=np.float64)
        start = np.array([a["start_x"], a["start_y"]]) * scale if self.absolute else None
        end = np.array([a["end_x"], a["end_y"]]) * scale
        control = np.array([a["control_x"], a["control_y"]]) * scale
        if self.variant == "mnist":
            pressure = MNIST_PRESSURES[int(a["pressure"] >= 0.5)]
            size = MNIST_SIZES[int(a["size"] >= 0.5)]
            return Stroke(start, end, control, pressure, size, bool(a["jump"] >= 0.5), (0, 0, 0))
        rgb = tuple(int(round(a[c] * 255)) for c in ("red", "green", "blue"))
        return Stroke(start, end, control, a["pressure"] * COLOR_MAX_PRESSURE, a["size"] * COLOR_MAX_SIZE, False, rgb)

    def to_env_units(self, actions: np.ndarray, width: int, height: int) -> np.ndarray:
        """Vectorised decode of ``(..., size)`` actions to env units, same field order (no validation)."""
        out = np.array(actions, dtype=np.float32, copy=True)
        coords = [f for f in self.fields if f.endswith("_x") or f.endswith("_y")]
        for field in coords:
            out[..., self.index(field)] *= width if field.endswith("_x") else height
        p, s = self.index("pressure"), self.index("size")
        if self.variant == "mnist":
            out[..., p] = np.where(out[..., p] >= 0.5, MNIST_PRESSURES[1], MNIST_PRESSURES[0])
            out[..., s] = np.where(out[..., s] >= 0.5, MNIST_SIZES[1], MNIST_SIZES[0])
            out[..., self.index("jump")] = out[..., self.index("jump")] >= 0.5
        else:
            out[..., p] *= COLOR_MAX_PRESSURE
            out[..., s] *= COLOR_MAX_SIZE
            for c in ("red", "green", "blue"):
                out[..., self.index(c)] = np.round(out[..., self.index(c)] * 255)
        return out
