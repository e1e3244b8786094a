"""Image grids: the one way the project tiles images into a picture (sample grids, episode strips,
target | dream | real rows and their GIF frames).

Images are float RGB in [0, 1] or uint8; grids are uint8.
"""

from __future__ import annotations

import numpy as np


def to_uint8(images) -> np.ndarray:
    """Float images in [0, 1] (values outside are clipped) as uint8, rounded to the nearest level."""
    return np.round(np.clip(np.asarray(images), 0.0, 1.0) * 255).astype(np.uint8)


def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Each pixel drawn as a ``factor`` x ``factor`` block (nearest neighbour), for small images."""
    return np.repeat(np.repeat(np.asarray(image), factor, axis=0), factor, axis=1) if factor > 1 else np.asarray(image)


def box_downsample(images: np.ndarray, factor: int) -> np.ndarray:
    """``(N, H, W, C)`` images shrunk ``factor`` times by averaging each ``factor`` x ``factor`` block (float)."""
    n, h, w, c = images.shape
    if h % factor or w % factor:
        raise ValueError(f"images of {w}x{h} do not split into {factor}x{factor} blocks: use a factor of both sides")
    return np.asarray(images, np.float64).reshape(n, h // factor, factor, w // factor, factor, c).mean(axis=(2, 4))


def tile(panels, *, gap: int = 2, colour: int = 255, border: bool = False, scale: int = 1) -> np.ndarray:
    """Tile ``(rows, columns, H, W, 3)`` panels (uint8, or float in [0, 1]) into one uint8 image.

    Panels are upscaled by ``scale`` first; ``gap`` pixels of grey level ``colour`` separate them,
    and surround the grid too if ``border``.
    """
    panels = np.asarray(panels)
    if panels.ndim != 5 or panels.shape[-1] != 3:
        raise ValueError(f"panels have shape {panels.shape}: expected (rows, columns, height, width, 3)")
    if gap < 0 or scale < 1:
        raise ValueError(f"gap is {gap} and scale {scale}: use gap >= 0 and scale >= 1")
    if panels.dtype != np.uint8:
        panels = to_uint8(panels)
    rows, columns, height, width = panels.shape[:4]
    height, width = height * scale, width * scale
    edge = gap if border else 0
    grid = np.full((2 * edge + rows * height + (rows - 1) * gap, 2 * edge + columns * width + (columns - 1) * gap, 3),
                   colour, np.uint8)
    for r in range(rows):
        for c in range(columns):
            top, left = edge + r * (height + gap), edge + c * (width + gap)
            grid[top:top + height, left:left + width] = upscale(panels[r, c], scale)
    return grid


def tile_images(images, *, columns: int, padding: int = 2, scale: int = 1, background: float = 0.5) -> np.ndarray:
    """Tile ``(N, H, W, 3)`` images row by row, ``columns`` per row, on a ``background`` grey (also the
    empty cells of the last row and a ``padding`` border)."""
    images = np.asarray(images)
    if len(images) == 0 or columns < 1 or padding < 0 or scale < 1:
        raise ValueError(f"need at least one image, columns ≥ 1, padding ≥ 0 and scale ≥ 1; got {len(images)} "
                         f"images, columns={columns}, padding={padding}, scale={scale}")
    grey = int(to_uint8(background))
    images = images if images.dtype == np.uint8 else to_uint8(images)
    rows = -(-len(images) // columns)
    cells = np.full((rows * columns, *images.shape[1:]), grey, np.uint8)
    cells[: len(images)] = images
    return tile(cells.reshape(rows, columns, *images.shape[1:]), gap=padding, colour=grey, border=True, scale=scale)
