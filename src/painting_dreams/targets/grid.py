"""Image grids for looking at many targets at once."""

from __future__ import annotations

import numpy as np


def tile_images(images: np.ndarray, *, columns: int, padding: int = 2, scale: int = 1,
                background: float = 0.5) -> np.ndarray:
    """Tile float RGB images (N, H, W, 3) in [0, 1] into one uint8 grid, row by row, on a grey background."""
    if len(images) == 0 or columns < 1 or padding < 0 or scale < 1:
        raise ValueError(f"need at least one image, columns ≥ 1, padding ≥ 0 and scale ≥ 1; got {len(images)} "
                         f"images, columns={columns}, padding={padding}, scale={scale}")
    images = np.repeat(np.repeat(np.asarray(images), scale, axis=1), scale, axis=2)
    count, height, width = images.shape[:3]
    rows = -(-count // columns)
    grid = np.full((padding + rows * (height + padding), padding + columns * (width + padding), 3), background,
                   dtype=np.float32)
    for i, image in enumerate(images):
        top = padding + (i // columns) * (height + padding)
        left = padding + (i % columns) * (width + padding)
        grid[top:top + height, left:left + width] = image
    return np.rint(np.clip(grid, 0.0, 1.0) * 255).astype(np.uint8)
