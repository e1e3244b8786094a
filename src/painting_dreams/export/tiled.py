"""Large pictures in many strokes: an underpainting of the whole picture, then K x K overlapping tiles.

The agent paints 64x64 pictures. For a large one (``painting-dreams paint photo.jpg --grid K --size S``):

1. it paints the whole picture, shrunk to 64x64: the underpainting;
2. it paints each of K x K tiles as its own 64x64 picture, all tiles in one batch (each refined with
   real MyPaint in the loop, as a single painting is). Tiles overlap by :data:`TILE_OVERLAP` of a
   cell, so no seam shows where two meet;
3. every stroke is mapped into the S x S canvas (a tile's points into its box, its brush scaled by the
   tile's side over 64, the underpainting's by S over 64) and real MyPaint paints them all on one
   canvas, underpainting first, tiles row by row over it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PIL import Image

from painting_dreams.export.picture import strokes_on_canvas, write_files
from painting_dreams.image_grid import tile, to_uint8
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.replay import play

TILE_OVERLAP = 0.25  # each tile reaches this share of a cell into its neighbours
MAX_GRID = 8


def tile_boxes(size: int, grid: int, overlap: float = TILE_OVERLAP) -> np.ndarray:
    """``(grid * grid, 3)`` boxes ``(x0, y0, side)`` in pixels of a ``size`` x ``size`` canvas, row by row:
    square tiles ``(1 + overlap)`` cells wide, centred on their cells and kept inside the canvas."""
    if isinstance(grid, bool) or int(grid) != grid or not 1 <= grid <= MAX_GRID:
        raise ValueError(f"grid is {grid!r}: use a whole number of tiles per side from 1 to {MAX_GRID}")
    cell = size / grid
    side = min(float(size), cell * (1.0 + overlap))
    boxes = []
    for row in range(grid):
        for col in range(grid):
            x0 = min(max(col * cell - (side - cell) / 2, 0.0), size - side)
            y0 = min(max(row * cell - (side - cell) / 2, 0.0), size - side)
            boxes.append((x0, y0, side))
    return np.array(boxes, np.float64)


def shrink(image: np.ndarray, box: tuple[float, float, float] | None = None, to: int = 64) -> np.ndarray:
    """``image`` (float RGB in [0, 1]), or its square ``box`` ``(x0, y0, side)``, resized to ``to`` x ``to`` (area average)."""
    pil = Image.fromarray(np.round(np.clip(image, 0, 1) * 255).astype(np.uint8))
    if box is not None:
        x0, y0, side = box
        pil = pil.crop((x0, y0, x0 + side, y0 + side))
    return np.asarray(pil.resize((to, to), Image.Resampling.BOX), np.float32) / 255.0


def into_box(actions: np.ndarray, layout: ActionLayout, box, size: int, height: int | None = None) -> np.ndarray:
    """Absolute-layout ``actions`` ``(n, A)`` of a 64x64 painting moved into the square ``box`` ``(x0, y0, side)``
    of the ``size`` x ``size`` canvas (``size`` x ``height`` if given)."""
    x0, y0, side = box
    moved = np.array(actions, np.float32, copy=True)
    for i, field in enumerate(layout.fields):
        if field.endswith("_x"):
            moved[:, i] = (x0 + moved[:, i] * side) / size
        elif field.endswith("_y"):
            moved[:, i] = (y0 + moved[:, i] * side) / (size if height is None else height)
    return np.clip(moved, 0.0, 1.0)


@dataclass
class TiledPainting:
    """A large picture painted as an underpainting and tiles (see the module docstring)."""

    target: np.ndarray        # (S, S, 3) float32 in [0, 1]
    variant: str
    brush: str                # the MyPaint brush that painted it (the painter's)
    actions: np.ndarray       # (n, A) absolute layout, normalised to the S x S canvas, in painting order
    brush_scales: np.ndarray  # (n,) each stroke's brush scale (S / 64 for the underpainting, side / 64 for tiles)
    boxes: np.ndarray         # (K * K, 3) the tiles' (x0, y0, side) in pixels
    stages: np.ndarray        # (1 + K * K, S, S, 3) uint8: the canvas after the underpainting and after each tile
    layer: np.ndarray         # (S, S, 4) uint8 straight alpha: every stroke on transparent
    seconds: dict             # wall seconds of "agent" (painting and refining every 64x64 picture) and "mypaint"

    @property
    def real(self) -> np.ndarray:
        return self.stages[-1]

    @property
    def mse(self) -> float:
        """MSE of the real S x S painting against the picture ([0, 1] RGB)."""
        return float(np.mean((self.real / 255.0 - self.target) ** 2))


def paint_tiled(policy, painter, target: np.ndarray, grid: int, strokes: int, refine_steps: int = 0,
                fixed_fields: dict | None = None, learning_rate: float | None = None) -> TiledPainting:
    """Paint ``target`` ``(S, S, 3)`` (float RGB in [0, 1]) with an underpainting and ``grid`` x ``grid`` tiles of
    ``strokes`` strokes each (``strokes * (grid * grid + 1)`` in all), refined ``refine_steps`` steps each."""
    from painting_dreams.evaluation.paint_and_score import paint_and_score  # TensorFlow

    size = int(target.shape[0])
    if target.shape != (size, size, 3):
        raise ValueError(f"target has shape {target.shape}: expected a square (S, S, 3) picture")
    boxes = tile_boxes(size, grid)
    layout = painter.layout
    started = time.perf_counter()
    pictures = np.stack([shrink(target)] + [shrink(target, box) for box in boxes])  # the whole, then each tile
    scored = paint_and_score(policy, painter, pictures, strokes, refine_steps=refine_steps, fixed_fields=fixed_fields,
                             learning_rate=learning_rate, batch_size=len(pictures), progress=False)
    agent_seconds = time.perf_counter() - started
    actions = np.concatenate([into_box(scored.actions[0], layout, (0.0, 0.0, float(size)), size)]
                             + [into_box(a, layout, box, size) for a, box in zip(scored.actions[1:], boxes)])
    scales = np.concatenate([np.full(strokes, size / 64.0)] + [np.full(strokes, box[2] / 64.0) for box in boxes])
    started = time.perf_counter()
    brush = painter.real_brush()
    played = play(actions[None], layout.variant, brush=brush, layer=True, width=size, height=size, brush_scale=scales,
                  keep_steps=[strokes * (i + 1) - 1 for i in range(len(boxes) + 1)])
    return TiledPainting(target, layout.variant, brush, actions, scales, boxes, played.canvases[0], played.layers[0],
                         {"agent": agent_seconds, "mypaint": time.perf_counter() - started})


GIF_SIDE = 256  # each panel of the GIF, in pixels
GIF_FRAME_MS = 500


def write_tiled(painting: TiledPainting, out_dir, name: str, svg: bool = False, source: str | None = None) -> dict:
    """Write ``<name>.png`` (real MyPaint at S x S), ``<name>.gif`` (picture | canvas after the underpainting and
    after each tile), ``<name>.json`` (strokes in the S x S canvas's units, tiles) and ``<name>.ora`` (with ``svg``
    also ``<name>.svg``) as a set."""
    layout = ActionLayout(painting.variant, absolute=True)
    size = painting.real.shape[0]
    strokes = strokes_on_canvas(painting.actions, painting.variant, size, painting.brush_scales)
    record = {"variant": painting.variant, "canvas": [size, size], "brush": painting.brush,
              "layout": list(layout.fields), "tiles": [[round(float(v), 3) for v in box] for box in painting.boxes],
              "tile_overlap": TILE_OVERLAP, "brush_scales": np.round(painting.brush_scales, 4).tolist(),
              "actions": np.round(painting.actions.astype(float), 6).tolist(), "strokes": strokes}
    picture = shrink(painting.target, to=GIF_SIDE)
    frames = [Image.fromarray(tile([[to_uint8(picture), np.asarray(Image.fromarray(stage).resize(
        (GIF_SIDE, GIF_SIDE), Image.Resampling.BOX))]])) for stage in painting.stages]
    return write_files(out_dir, name, painting.real, frames + [frames[-1]] * 3, GIF_FRAME_MS, record, painting.layer, svg,
                       source)
