"""A small ``ctypes`` binding to libmypaint 1.5, MyPaint's brush engine.

Only what the painting environment needs: load a ``.myb`` brush, set its base values, make a
fixed-size tiled surface, clear it, paint ``stroke_to`` events inside an atomic section and read
the pixels back as fix15 premultiplied RGBA (``1 << 15`` is 1.0). A closed brush or surface raises
``RuntimeError`` instead of handing libmypaint freed memory.

**View zoom.** libmypaint measures a brush's speed inputs in screen pixels per second, times the
canvas's view zoom, while every other distance (dab spacing, jitter) is in brush radii. A stroke made
for a 64x64 canvas and painted s times larger therefore moves s times faster in pixels, and a brush
whose size or opacity depends on speed (the dry brush's radius shrinks with ``speed2``) paints it
thinner. Painting at zoom 1/s gives the brush the speeds it had at 64x64. The public
``mypaint_brush_stroke_to`` always paints at zoom 1: it is ``mypaint_brush_stroke_to_internal`` with
zoom 1, no rotation, legacy dab counting and sRGB colour dynamics. :meth:`Surface.stroke` calls that
function itself, with the same arguments and the zoom it is given (libmypaint 1.6, the Debian package
``libmypaint-1.5-1``; zoom 1 still goes through ``mypaint_brush_stroke_to``). The function is exported
but not in the public header: the header's zoomed call, ``mypaint_brush_stroke_to_2``, needs a
``MyPaintSurface2`` and counts dabs the non-legacy way, which would change every painting the world
model learned from. ``tests/paint/test_env.py`` checks that at zoom 1 both calls paint the same pixels.

No GTK, no GObject, no build step: the Debian package ``libmypaint-1.5-1`` is enough.
"""

from __future__ import annotations

import ctypes
import hashlib
import ctypes.util
import math
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

FIX15_ONE = 1 << 15
TILE_SIZE = 64  # MYPAINT_TILE_SIZE in mypaint-config.h

LIBRARY_NAMES = ("libmypaint-1.5.so.1", "libmypaint-1.5.so", "libmypaint.so")
BRUSH_DIRS = (
    "/usr/share/mypaint-data/1.0/brushes",
    "/usr/local/share/mypaint-data/1.0/brushes",
    "/usr/share/mypaint-data/2.0/brushes",
)
INSTALL_HINT = "sudo apt-get install -y libmypaint-1.5-1 mypaint-brushes"


class MyPaintNotFoundError(RuntimeError):
    """libmypaint or a MyPaint brush is not installed on this machine."""


class _TileRequest(ctypes.Structure):
    _fields_ = [
        ("tx", ctypes.c_int),
        ("ty", ctypes.c_int),
        ("readonly", ctypes.c_int),
        ("buffer", ctypes.POINTER(ctypes.c_uint16)),
        ("context", ctypes.c_void_p),
        ("thread_id", ctypes.c_int),
        ("mipmap_level", ctypes.c_int),
    ]


class _Rectangle(ctypes.Structure):
    _fields_ = [(name, ctypes.c_int) for name in ("x", "y", "width", "height")]


_lib: ctypes.CDLL | None = None


def load_library() -> ctypes.CDLL:
    """Load libmypaint once per process and declare the signatures we call."""
    global _lib
    if _lib is not None:
        return _lib
    candidates = [os.environ.get("PAINTING_DREAMS_LIBMYPAINT"), *LIBRARY_NAMES, ctypes.util.find_library("mypaint-1.5")]
    errors = []
    for name in filter(None, candidates):
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    else:
        raise MyPaintNotFoundError(
            "Could not load libmypaint 1.5 (MyPaint's brush engine). Install it with:\n"
            f"    {INSTALL_HINT}\n"
            "or point PAINTING_DREAMS_LIBMYPAINT at the .so file. Tried: " + "; ".join(errors)
        )
    vp, f, i = ctypes.c_void_p, ctypes.c_float, ctypes.c_int
    signatures = {
        "mypaint_brush_new": ([], vp),
        "mypaint_brush_unref": ([vp], None),
        "mypaint_brush_from_string": ([vp, ctypes.c_char_p], i),
        "mypaint_brush_reset": ([vp], None),
        "mypaint_brush_new_stroke": ([vp], None),
        "mypaint_brush_set_base_value": ([vp, i, f], None),
        "mypaint_brush_get_base_value": ([vp, i], f),
        "mypaint_brush_setting_from_cname": ([ctypes.c_char_p], i),
        "mypaint_brush_stroke_to": ([vp, vp, f, f, f, f, f, ctypes.c_double], i),
        "mypaint_fixed_tiled_surface_new": ([i, i], vp),
        "mypaint_surface_unref": ([vp], None),
        "mypaint_surface_begin_atomic": ([vp], None),
        "mypaint_surface_end_atomic": ([vp, ctypes.POINTER(_Rectangle)], None),
        "mypaint_tile_request_init": ([ctypes.POINTER(_TileRequest), i, i, i, i], None),
        "mypaint_tiled_surface_tile_request_start": ([vp, ctypes.POINTER(_TileRequest)], None),
        "mypaint_tiled_surface_tile_request_end": ([vp, ctypes.POINTER(_TileRequest)], None),
    }
    for name, (argtypes, restype) in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = argtypes, restype
    if has_view_zoom(lib):
        # (brush, surface, x, y, pressure, xtilt, ytilt, dtime, viewzoom, viewrotation, barrel_rotation, legacy, linear)
        lib.mypaint_brush_stroke_to_internal.argtypes = [vp, vp, f, f, f, f, f, ctypes.c_double, f, f, f, i, i]
        lib.mypaint_brush_stroke_to_internal.restype = i
    _lib = lib
    return lib


def has_view_zoom(lib: ctypes.CDLL) -> bool:
    """Whether ``lib`` is libmypaint 1.6 or later, whose stroke function takes a view zoom (see the module
    docstring): its ``mypaint_brush_stroke_to_2_linearsRGB`` came with that signature."""
    return all(hasattr(lib, name) for name in ("mypaint_brush_stroke_to_internal",
                                               "mypaint_brush_stroke_to_2_linearsRGB"))


def find_brush(name: str) -> Path:
    """Return the path of an installed MyPaint brush such as ``classic/charcoal``, or of a ``.myb`` file."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"brush is {name!r}: give an installed MyPaint brush name such as classic/charcoal "
                         "(`painting-dreams brushes` lists them) or a path to a .myb file")
    path = Path(name)
    if path.suffix == ".myb" and path.is_file():
        return path
    dirs = [os.environ.get("PAINTING_DREAMS_BRUSH_DIR"), *BRUSH_DIRS]
    for directory in filter(None, dirs):
        candidate = Path(directory) / f"{name}.myb"
        if candidate.is_file():
            return candidate
    raise MyPaintNotFoundError(
        f"MyPaint brush {name!r} not found in {', '.join(d for d in dirs if d)}. Install the brushes with:\n"
        f"    {INSTALL_HINT}\n"
        "or set PAINTING_DREAMS_BRUSH_DIR to a folder holding <name>.myb files."
    )


def medium_of(brush: str) -> str:
    """The medium a brush paints in, as commands name it: its file's stem (``classic/pen`` -> ``pen``,
    ``classic/dry_brush`` -> ``dry_brush``, ``/my/brushes/ink.myb`` -> ``ink``)."""
    return Path(str(brush)).stem


def installed_brushes() -> dict[str, Path]:
    """Every brush :func:`find_brush` can find by name (``classic/charcoal``...), sorted, each the file it
    resolves to (a name in ``PAINTING_DREAMS_BRUSH_DIR`` hides the same name in the system folders)."""
    found: dict[str, Path] = {}
    for directory in filter(None, [os.environ.get("PAINTING_DREAMS_BRUSH_DIR"), *BRUSH_DIRS]):
        root = Path(directory)
        if root.is_dir():
            for path in sorted(root.rglob("*.myb")):
                found.setdefault(path.relative_to(root).with_suffix("").as_posix(), path)
    return dict(sorted(found.items()))


def brush_digest(name: str) -> str:
    """The SHA-256 of the brush file ``name`` resolves to: what a world model learned is this file's brush."""
    return hashlib.sha256(find_brush(name).read_bytes()).hexdigest()


class Brush:
    """A libmypaint brush loaded from a ``.myb`` file; a fresh one restarts the brush's jitter RNG."""

    def __init__(self, brush_json: bytes):
        self._lib = load_library()
        self._json = brush_json
        self.handle = self._lib.mypaint_brush_new()
        if not self._lib.mypaint_brush_from_string(self.handle, brush_json):
            self._lib.mypaint_brush_unref(self.handle)
            self.handle = None
            raise ValueError("libmypaint could not parse the brush file (is it a MyPaint .myb JSON file?)")
        self._setting_ids: dict[str, int] = {}

    @classmethod
    def from_name(cls, name: str) -> Brush:
        """Load an installed brush by name (``classic/charcoal``) or from a ``.myb`` path."""
        return cls(find_brush(name).read_bytes())

    def fresh(self) -> Brush:
        """A new brush with the same settings and a restarted jitter RNG (for reproducible strokes)."""
        return Brush(self._json)

    def _open_handle(self):
        """The brush's C handle; after :meth:`close` a ``RuntimeError`` (libmypaint would read freed memory)."""
        if not getattr(self, "handle", None):
            raise RuntimeError("this brush is closed: make a new one (Brush.from_name or brush.fresh())")
        return self.handle

    def setting_id(self, cname: str) -> int:
        if cname not in self._setting_ids:
            sid = self._lib.mypaint_brush_setting_from_cname(cname.encode())
            if sid < 0:
                raise ValueError(f"unknown MyPaint brush setting {cname!r}")
            self._setting_ids[cname] = sid
        return self._setting_ids[cname]

    def set_base_value(self, cname: str, value: float) -> None:
        self._lib.mypaint_brush_set_base_value(self._open_handle(), self.setting_id(cname), float(value))

    def get_base_value(self, cname: str) -> float:
        return self._lib.mypaint_brush_get_base_value(self._open_handle(), self.setting_id(cname))

    def begin_stroke(self) -> None:
        """Forget the previous stroke's state (position, smoothing) and start a new stroke."""
        self._lib.mypaint_brush_reset(self._open_handle())
        self._lib.mypaint_brush_new_stroke(self.handle)

    def close(self) -> None:
        if getattr(self, "handle", None):
            self._lib.mypaint_brush_unref(self.handle)
            self.handle = None

    def __del__(self):
        self.close()


MAX_SIDE = 8192  # the largest canvas side: libmypaint sizes its buffers in C ints (8 bytes a pixel)


def check_canvas_size(width, height) -> None:
    """Refuse canvas sizes libmypaint cannot hold: whole numbers from 1 to :data:`MAX_SIDE`, not bools or text."""
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"canvas {name} is {value!r} ({type(value).__name__}): give a whole number of pixels, "
                             f"1 to {MAX_SIDE}")
        if not 1 <= value <= MAX_SIDE:
            raise ValueError(f"canvas {name} is {value}: it must be 1 to {MAX_SIDE} pixels (the largest side "
                             "libmypaint's buffers allow here)")


class Surface:
    """A fixed-size libmypaint tiled surface whose pixels are visible as a NumPy view.

    libmypaint allocates a fixed surface as 0xFFFF in every channel, which is not a valid
    fix15 colour: ``clear`` must be called before painting.
    """

    def __init__(self, width: int, height: int):
        self.handle = None  # set first: a constructor that raises leaves nothing for __del__ to trip on
        check_canvas_size(width, height)
        self._lib = load_library()
        self.width, self.height = int(width), int(height)
        self.handle = self._lib.mypaint_fixed_tiled_surface_new(self.width, self.height)
        if not self.handle:
            raise MemoryError(f"libmypaint could not allocate a {width}x{height} surface")
        self._rect = _Rectangle()
        self._view_zoom = has_view_zoom(self._lib)  # probed once, not on every stroke
        # The fixed surface owns one buffer per tile for its whole life: map each once.
        self._tiles = []
        for ty in range(-(-self.height // TILE_SIZE)):
            for tx in range(-(-self.width // TILE_SIZE)):
                request = _TileRequest()
                self._lib.mypaint_tile_request_init(ctypes.byref(request), 0, tx, ty, 0)
                self._lib.mypaint_tiled_surface_tile_request_start(self.handle, ctypes.byref(request))
                view = np.ctypeslib.as_array(request.buffer, shape=(TILE_SIZE, TILE_SIZE, 4))
                self._lib.mypaint_tiled_surface_tile_request_end(self.handle, ctypes.byref(request))
                self._tiles.append((ty * TILE_SIZE, tx * TILE_SIZE, view))
        self._single = self._tiles[0][2] if len(self._tiles) == 1 else None

    def _open_handle(self):
        """The surface's C handle; after :meth:`close` a ``RuntimeError`` (its pixels are freed memory)."""
        if not getattr(self, "handle", None):
            raise RuntimeError(f"this {self.width}x{self.height} surface is closed: make a new Surface")
        return self.handle

    def clear(self, transparent: bool = False) -> None:
        """Fill with opaque white (fix15 1.0 in all channels) or with fully transparent pixels."""
        self._open_handle()
        value = 0 if transparent else FIX15_ONE
        for _, _, view in self._tiles:
            view.fill(value)

    def stroke(self, brush: Brush, events: Iterable[tuple[float, float, float]], dtime: float,
               viewzoom: float = 1.0) -> None:
        """Paint ``(x, y, pressure)`` events with ``brush`` inside one atomic section, the brush's speed
        inputs seen at ``viewzoom`` (see the module docstring; 1/s for strokes made for a canvas s times
        smaller)."""
        lib, b, s = self._lib, brush._open_handle(), self._open_handle()
        viewzoom = float(viewzoom)
        if not (math.isfinite(viewzoom) and viewzoom > 0):
            raise ValueError(f"viewzoom is {viewzoom!r}: use a finite number > 0 (1 paints as MyPaint at 100 %)")
        if viewzoom != 1.0 and not self._view_zoom:
            raise MyPaintNotFoundError(
                f"this libmypaint has no view zoom (it is older than 1.6), so it cannot paint at zoom {viewzoom:g}: "
                f"install libmypaint 1.6 ({INSTALL_HINT}) to paint larger than the strokes' own canvas")
        lib.mypaint_surface_begin_atomic(s)
        if viewzoom == 1.0:
            stroke_to = lib.mypaint_brush_stroke_to
            for x, y, pressure in events:
                stroke_to(b, s, x, y, pressure, 0.0, 0.0, dtime)
        else:
            stroke_to = lib.mypaint_brush_stroke_to_internal
            for x, y, pressure in events:
                stroke_to(b, s, x, y, pressure, 0.0, 0.0, dtime, viewzoom, 0.0, 0.0, 1, 0)
        lib.mypaint_surface_end_atomic(s, ctypes.byref(self._rect))

    def pixels(self) -> np.ndarray:
        """A copy of the surface as ``(height, width, 4)`` fix15 premultiplied RGBA (uint16)."""
        self._open_handle()
        if self._single is not None:
            return self._single[: self.height, : self.width].copy()
        out = np.empty((self.height, self.width, 4), np.uint16)
        for y0, x0, view in self._tiles:
            h, w = min(TILE_SIZE, self.height - y0), min(TILE_SIZE, self.width - x0)
            if h > 0 and w > 0:
                out[y0 : y0 + h, x0 : x0 + w] = view[:h, :w]
        return out

    def close(self) -> None:
        if getattr(self, "handle", None):
            self._tiles, self._single = [], None
            self._lib.mypaint_surface_unref(self.handle)
            self.handle = None

    def __del__(self):
        self.close()


@contextmanager
def c_stdout_to_stderr() -> Iterator[None]:
    """While painting, send what C code writes to stdout to stderr instead: libmypaint prints notes such as
    "Time is running backwards!" with ``printf``, and a command's stdout is for its own lines."""
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        libc.fflush(None)  # C's buffered stdout goes where it was written, before fd 1 is given back
        os.dup2(saved, 1)
        os.close(saved)


# fix15 value -> uint8, rounded; one table lookup is several times faster than the arithmetic.
_FIX15_TO_UINT8 = np.round(np.arange(FIX15_ONE + 1) * (255.0 / FIX15_ONE)).astype(np.uint8)


def fix15_to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Convert fix15 values (``1 << 15`` = 1.0) to uint8 with rounding, clipping above 1.0."""
    return _FIX15_TO_UINT8[np.minimum(pixels, FIX15_ONE)]
