"""Pixel conversions shared by the target builders: resizing and uint8 → float RGB in [0, 1]."""

from __future__ import annotations

import numpy as np
from PIL import Image


def resize_square(image: np.ndarray, size: int) -> np.ndarray:
    """Resize a uint8 grey (H, W) or RGB (H, W, 3) image to (size, size) with antialiased bilinear filtering."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"image_size must be a whole number of pixels (1 or more), got {size!r}")
    resized = Image.fromarray(image).resize((size, size), Image.Resampling.BILINEAR)
    return np.asarray(resized)


def to_unit_rgb(images: np.ndarray, *, grey: bool) -> np.ndarray:
    """Turn uint8 images, grey (..., H, W) or RGB (..., H, W, 3), into float32 RGB (..., H, W, 3) in [0, 1]."""
    rgb = np.empty(images.shape + (3,) if grey else images.shape, dtype=np.float32)
    np.divide(images[..., None] if grey else images, np.float32(255), out=rgb)
    return rgb
