"""A whole photo painted coarse to fine: the whole picture, then finer and finer tiles over it.

The painters paint 64x64 pictures. A W x H photo is painted in levels:

* level 0 paints the whole picture (a landscape or portrait photo: the few squares of its short side
  that cover it), level ``l`` tiles of ``short side / 2**l`` (widened by :data:`OVERLAP` so that
  neighbours overlap), centred on a grid of cells that covers the canvas;
* every tile's painter **goes on with the canvas painted so far**: it sees real MyPaint's crop of the
  canvas under its tile (shrunk to 64x64), the dream paints its strokes over that crop, and its
  strokes are refined with MyPaint in the loop against the tile of the target, MyPaint painting them
  over the same crop (:func:`~painting_dreams.evaluation.paint_and_score.paint_and_score` with a start
  canvas). So a tile paints what is still missing, with strokes that shrink as the tiles do;
* the tiles of a level are painted in four phases (every other row and column), so tiles that overlap
  are never painted from the same canvas: the later one sees what the earlier one painted;
* a tile whose canvas is already within :data:`STOP_MSE` of the target is not painted (no strokes on
  flat sky), and a tile's strokes are kept only where MyPaint's painting of them is closer to the
  target than the canvas was;
* real MyPaint paints each kept tile's strokes at the tile's own size (brushes ``side / 64`` times
  wider, the view zoom of any size), on a transparent layer laid over the canvas.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from painting_dreams.export.tiled import into_box, shrink
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.replay import play

OVERLAP = 0.25        # a tile reaches this share of a cell into each neighbour
MIN_TILE = 16         # pixels: the finest tile a level may have
MAX_LEVELS = 6
STOP_MSE = 0.002      # a tile whose canvas is this close to the target (MSE at 64x64) is left as it is


def level_side(width: int, height: int, level: int, overlap: float = OVERLAP) -> tuple[float, int]:
    """``(cell, side)``: the grid step and the tile side (pixels) of ``level`` on a ``width`` x ``height`` canvas."""
    short = min(width, height)
    if level == 0:
        return float(short), short
    cell = short / 2 ** level
    return cell, min(short, int(round(cell * (1.0 + overlap))))


def max_levels(width: int, height: int) -> int:
    """How many levels fit: the finest tile at least :data:`MIN_TILE` pixels, at most :data:`MAX_LEVELS`."""
    levels = 1
    while levels < MAX_LEVELS and level_side(width, height, levels)[1] >= MIN_TILE:
        levels += 1
    return levels


def level_boxes(width: int, height: int, level: int, overlap: float = OVERLAP) -> np.ndarray:
    """``(n, 5)`` int tiles of ``level``, row by row: ``x0, y0, side, row, column``. The tiles are squares of
    :func:`level_side`, their centres spread evenly over the canvas from edge to edge, one per cell of a grid
    of ``ceil(width / cell) x ceil(height / cell)`` cells, so together they cover every pixel."""
    if isinstance(level, bool) or int(level) != level or level < 0:
        raise ValueError(f"level is {level!r}: a whole number >= 0")
    cell, side = level_side(width, height, level, overlap)
    columns, rows = math.ceil(width / cell - 1e-9), math.ceil(height / cell - 1e-9)

    def starts(count: int, length: int) -> list[int]:
        if count == 1:
            return [int(round((length - side) / 2))]
        return [int(round(i * (length - side) / (count - 1))) for i in range(count)]

    return np.array([(x0, y0, side, r, c) for r, y0 in enumerate(starts(rows, height))
                     for c, x0 in enumerate(starts(columns, width))], np.int64)


@dataclass
class Tile:
    """One painted tile: where it is, its level, its strokes (absolute layout, normalised to the tile)."""

    level: int
    box: tuple[int, int, int]   # x0, y0, side in the canvas's pixels
    actions: np.ndarray         # (strokes, A)
    mse_before: float           # the tile's canvas against the target, at 64x64, before it was painted
    mse_after: float            # after (MyPaint's painting of its strokes over that canvas)


@dataclass
class PhotoPainting:
    """A whole photo painted coarse to fine (see the module docstring)."""

    target: np.ndarray          # (H, W, 3) float32 in [0, 1]
    variant: str
    brush: str
    strokes_per_tile: int
    canvas: np.ndarray          # (H, W, 3) uint8: real MyPaint's painting
    layer: np.ndarray           # (H, W, 4) uint8 straight alpha: every stroke on transparent
    tiles: list[Tile]           # the tiles whose strokes were kept, in painting order
    levels: list[dict]          # per level: tiles, painted, kept, skipped (already close), strokes
    frames: list[np.ndarray] = field(default_factory=list)  # (H, W, 3) uint8: the canvas after each kept tile
    seconds: float = 0.0

    @property
    def mse(self) -> float:
        """MSE of the painting against the photo, at the painting's size ([0, 1] RGB)."""
        return float(np.mean((self.canvas / 255.0 - self.target) ** 2))

    @property
    def strokes(self) -> int:
        return sum(len(t.actions) for t in self.tiles)

    def canvas_actions(self) -> tuple[np.ndarray, np.ndarray]:
        """Every kept stroke in the W x H canvas's units: ``(actions (n, A) normalised by W and H, brush scales (n,))``."""
        height, width = self.canvas.shape[:2]
        layout = ActionLayout(self.variant, absolute=True)
        if not self.tiles:
            return np.zeros((0, layout.size), np.float32), np.zeros(0)
        return (np.concatenate([into_box(t.actions, layout, t.box, width, height) for t in self.tiles]),
                np.concatenate([np.full(len(t.actions), t.box[2] / 64.0) for t in self.tiles]))


def paint_photo(policy, painter, target: np.ndarray, strokes: int, levels: int, refine_steps: int = 25,
                stop_mse: float = STOP_MSE, fixed_fields: dict | None = None, learning_rate: float | None = None,
                batch_size: int = 64, keep_frames: bool = True,
                on_tiles: Callable[[int, int, int], None] | None = None) -> PhotoPainting:
    """Paint ``target`` ``(H, W, 3)`` (float RGB in [0, 1]) in ``levels`` levels of tiles, ``strokes`` strokes per
    tile, each tile's strokes refined ``refine_steps`` steps with MyPaint in the loop. ``on_tiles(done, total,
    strokes)`` is called as tiles are painted (a progress bar); the total counts the tiles of every level,
    including those that turn out close enough to skip."""
    from painting_dreams.evaluation.paint_and_score import paint_and_score  # TensorFlow

    target = np.asarray(target, np.float32)
    if target.ndim != 3 or target.shape[2] != 3 or min(target.shape[:2]) < MIN_TILE:
        raise ValueError(f"target has shape {target.shape}: expected an (H, W, 3) picture at least {MIN_TILE} px a side")
    height, width = target.shape[:2]
    most = max_levels(width, height)
    if isinstance(levels, bool) or int(levels) != levels or not 1 <= levels <= most:
        raise ValueError(f"levels is {levels!r}: a {width}x{height} canvas has room for 1 to {most} levels "
                         f"(the finest tiles at least {MIN_TILE} px)")
    layout, brush = painter.layout, painter.real_brush()
    started = time.perf_counter()
    paint = np.zeros((height, width, 3), np.float32)   # premultiplied colour of the layer of all strokes
    alpha = np.zeros((height, width, 1), np.float32)   # its alpha: the canvas is that layer over white

    def canvas() -> np.ndarray:
        return paint + (1.0 - alpha)

    plan = [level_boxes(width, height, level) for level in range(levels)]
    total, done, painted_strokes = sum(len(b) for b in plan), 0, 0
    tiles, summary, frames = [], [], []
    for level, boxes in enumerate(plan):
        counts = {"level": level, "tile_side": int(boxes[0, 2]), "tiles": len(boxes), "painted": 0, "kept": 0,
                  "skipped": 0, "strokes": 0}
        for phase in ((0, 0), (0, 1), (1, 0), (1, 1)):  # tiles of one phase never overlap
            chosen = boxes[(boxes[:, 3] % 2 == phase[0]) & (boxes[:, 4] % 2 == phase[1])]
            if not len(chosen):
                continue
            now = canvas()
            targets = np.stack([shrink(target, box[:3]) for box in chosen])
            starts = np.stack([shrink(now, box[:3]) for box in chosen])
            before = np.mean((starts - targets) ** 2, axis=(1, 2, 3))
            todo = before > stop_mse if level else np.ones(len(chosen), bool)
            counts["skipped"] += int((~todo).sum())
            if todo.any():
                scored = paint_and_score(policy, painter, targets[todo], strokes, refine_steps=refine_steps,
                                         learning_rate=learning_rate, fixed_fields=fixed_fields, batch_size=batch_size,
                                         progress=False, start=starts[todo])
                after = scored.scores["mse_target_real"].to_numpy()
                counts["painted"] += int(todo.sum())
                kept = after < before[todo]  # else MyPaint's painting of the strokes is no closer: leave the canvas
                side = int(chosen[0, 2])
                layers = _tile_layers(scored.actions[kept], layout, brush, side)
                for box, actions, b, a, layer in zip(chosen[todo][kept], scored.actions[kept], before[todo][kept],
                                                     after[kept], layers):
                    x0, y0 = int(box[0]), int(box[1])
                    window = np.s_[y0:y0 + side, x0:x0 + side]
                    a_tile = layer[..., 3:] * _feather((x0, y0, side), width, height)
                    paint[window] = paint[window] * (1.0 - a_tile) + layer[..., :3] * a_tile
                    alpha[window] = alpha[window] * (1.0 - a_tile) + a_tile
                    tiles.append(Tile(level, (x0, y0, side), actions, float(b), float(a)))
                    counts["kept"] += 1
                    counts["strokes"] += len(actions)
                    painted_strokes += len(actions)
                    if keep_frames:
                        frames.append(np.round(canvas() * 255.0).astype(np.uint8))
            done += len(chosen)
            if on_tiles is not None:
                on_tiles(done, total, painted_strokes)
        summary.append(counts)
    straight = np.where(alpha > 0, paint / np.maximum(alpha, 1e-6), 0.0)
    layer = np.round(np.concatenate([straight, alpha], axis=-1).clip(0, 1) * 255.0).astype(np.uint8)
    return PhotoPainting(target, layout.variant, brush, int(strokes), np.round(canvas() * 255.0).astype(np.uint8),
                         layer, tiles, summary, frames, time.perf_counter() - started)


FEATHER = 0.1  # a tile's layer fades in over this share of its side, along the edges that lie inside the canvas


def _feather(box: tuple[int, int, int], width: int, height: int) -> np.ndarray:
    """``(side, side, 1)`` weights that fade a tile's layer in from 0 at its edges inside the canvas to 1 at
    :data:`FEATHER` of its side (a layer mask: neighbouring tiles blend across their overlap, no straight seam)."""
    x0, y0, side = box
    ramp = max(1.0, FEATHER * side)
    position = np.arange(side, dtype=np.float32) + 0.5

    def along(start: int, length: int) -> np.ndarray:
        weight = np.ones(side, np.float32)
        if start > 0:
            weight = np.minimum(weight, position / ramp)
        if start + side < length:
            weight = np.minimum(weight, (side - position) / ramp)
        return np.clip(weight, 0.0, 1.0)

    return (along(y0, height)[:, None] * along(x0, width)[None, :])[..., None]


def _tile_layers(actions: np.ndarray, layout: ActionLayout, brush: str, side: int) -> np.ndarray:
    """Real MyPaint's layer of each tile's strokes ``(n, strokes, A)`` at the tiles' size ``side``, brushes
    ``side / 64`` wider, each from a fresh brush (reset with seed 0, as a tile painted alone): ``(n, side, side, 4)``
    float straight alpha in [0, 1]."""
    if not len(actions):
        return np.zeros((0, side, side, 4), np.float32)
    return play(np.asarray(actions, np.float32), layout.variant, brush=brush, layer=True, width=side, height=side,
                brush_scale=side / 64.0, final_only=True, seeds=np.zeros(len(actions), int)).layers / np.float32(255.0)


def mosaic(image: np.ndarray, cells: int) -> np.ndarray:
    """The flat-colour mosaic of ``image`` ``(H, W, 3)`` with ``cells`` cells along its long side (each cell the
    mean colour under it; cells square but for the last row and column), at the image's size: the baseline a
    painting must beat."""
    height, width = image.shape[:2]
    step = max(height, width) / cells
    out = np.empty_like(image)
    ys = np.unique(np.round(np.arange(0, height + step, step)).clip(0, height).astype(int))
    xs = np.unique(np.round(np.arange(0, width + step, step)).clip(0, width).astype(int))
    for y0, y1 in zip(ys[:-1], ys[1:]):
        for x0, x1 in zip(xs[:-1], xs[1:]):
            out[y0:y1, x0:x1] = image[y0:y1, x0:x1].mean(axis=(0, 1))
    return out


def border_mask(width: int, height: int, boxes, band: int = 2, shift: int = 0) -> np.ndarray:
    """``(height, width)`` bool: ``band`` pixels either side of every edge of ``boxes`` ``(x0, y0, side, ...)`` that
    lies inside the canvas (a tile's border with what is around it); with ``shift``, of the same lines moved
    ``shift`` pixels into each tile (lines through the tiles' insides, for comparison)."""
    mask = np.zeros((height, width), bool)
    for box in boxes:
        x0, y0, side = (int(v) for v in box[:3])
        for x in (x0 + shift, x0 + side - shift):
            if 0 < x < width:
                mask[y0:y0 + side, max(0, x - band):x + band] = True
        for y in (y0 + shift, y0 + side - shift):
            if 0 < y < height:
                mask[max(0, y - band):y + band, x0:x0 + side] = True
    return mask


def seam_ratio(canvas: np.ndarray, target: np.ndarray, level: int, band: int = 2) -> float:
    """How much worse a painting is along its tile borders: its error in bands of ``band`` pixels either side of
    the inner borders of ``level``'s tiles, over its error in the same bands moved a quarter of a tile into each
    tile (the same amount of picture, sampled the same way, away from any border of that level). 1: no seam."""
    height, width = target.shape[:2]
    error = np.mean((canvas / 255.0 - target) ** 2, axis=-1)
    boxes = level_boxes(width, height, level)
    borders = border_mask(width, height, boxes, band)
    inside = border_mask(width, height, boxes, band, shift=int(boxes[0, 2]) // 4) & ~borders
    if not borders.any() or not inside.any():
        return 1.0
    return float(error[borders].mean() / max(error[inside].mean(), 1e-12))


GIF_LONG_SIDE = 512   # the time-lapse GIF's long side at most (the PNG keeps the painting's size)
GIF_MAX_FRAMES = 60
GIF_FRAME_MS = 120


def time_lapse(painting: PhotoPainting, frames: int = GIF_MAX_FRAMES, long_side: int | None = None) -> list[np.ndarray]:
    """The painting tile by tile (at most ``frames`` frames, evenly spaced, ending with the painting), each frame
    resized so its long side is at most ``long_side``: uint8 RGB."""
    shown = painting.frames or [painting.canvas]
    if len(shown) > frames:
        shown = [shown[i] for i in np.unique(np.round(np.linspace(0, len(shown) - 1, frames)).astype(int))]
    height, width = painting.canvas.shape[:2]
    scale = 1.0 if long_side is None else min(1.0, long_side / max(height, width))
    if scale == 1.0:
        return list(shown)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return [np.asarray(Image.fromarray(f).resize(size, Image.Resampling.BOX)) for f in shown]


def write_photo(painting: PhotoPainting, out_dir, name: str, svg: bool = False, source: str | None = None,
                video: bool = True) -> dict:
    """Write ``<name>.png`` (real MyPaint at W x H), ``<name>.gif`` (the time-lapse, tile by tile), ``<name>.json``
    (the levels, the tiles and every stroke in the W x H canvas's units), ``<name>.ora`` (with ``svg``
    ``<name>.svg``; with ``video`` ``<name>.mp4``, the time-lapse at the painting's size) as a set."""
    from painting_dreams.export.picture import strokes_on_canvas, write_files

    height, width = painting.canvas.shape[:2]
    actions, scales = painting.canvas_actions()
    layout = ActionLayout(painting.variant, absolute=True)
    record = {"variant": painting.variant, "canvas": [width, height], "brush": painting.brush,
              "layout": list(layout.fields), "mode": "coarse_to_fine", "strokes_per_tile": painting.strokes_per_tile,
              "levels": painting.levels, "mse": round(painting.mse, 6),
              "tiles": [{"level": t.level, "box": list(t.box), "strokes": len(t.actions),
                         "mse_before": round(t.mse_before, 6), "mse_after": round(t.mse_after, 6)}
                        for t in painting.tiles],
              "brush_scales": np.round(scales, 4).tolist(), "actions": np.round(actions.astype(float), 6).tolist(),
              "strokes": strokes_on_canvas(actions, painting.variant, width, scales, height)}
    gif = [Image.fromarray(f) for f in time_lapse(painting, long_side=GIF_LONG_SIDE)]
    movie = time_lapse(painting, frames=len(painting.frames) or 1) if video else None
    return write_files(out_dir, name, painting.canvas, gif + [gif[-1]] * 8, GIF_FRAME_MS, record, painting.layer, svg,
                       source, video=movie)
