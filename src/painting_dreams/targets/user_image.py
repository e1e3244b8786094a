"""Load a person's own picture as a 64x64 RGB painting target in [0, 1]."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MIN_SIDE = 16  # smaller images carry too little to paint from
MAX_PIXELS = 80_000_000  # refuse decompression bombs; a 50-megapixel photo is fine


class UserImageError(ValueError):
    """The file given to paint cannot be used as a target."""


def load_user_image(path: str | Path, size: int = 64) -> np.ndarray:
    """Read any image PIL understands, centre-crop it square and resize to ``(size, size, 3)`` float32.

    The EXIF orientation is applied (a phone photo is painted upright). Grayscale, palette,
    16-bit (scaled by 65535, as viewers do), float (values in [0, 1]) and RGBA images are converted
    to RGB (transparency is put on white). Missing files, non-images, images smaller than 16 px or
    larger than 80 megapixels raise :class:`UserImageError` saying what was wrong.
    """
    path = Path(path)
    if not path.exists():
        raise UserImageError(f"image {str(path)!r} does not exist: check the path")
    if path.is_dir():
        raise UserImageError(f"{str(path)!r} is a folder: give the path of one image file")
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise UserImageError(
                    f"image {str(path)!r} is {width}x{height} ({width * height / 1e6:.0f} megapixels), more than "
                    f"{MAX_PIXELS / 1e6:.0f}: downscale it first"
                )
            if min(width, height) < MIN_SIDE:
                raise UserImageError(
                    f"image {str(path)!r} is only {width}x{height}: it needs at least {MIN_SIDE} px on each side"
                )
            image.draft("RGB", (size * 4, size * 4))  # let JPEG decode at a reduced scale
            rgb = _to_rgb(ImageOps.exif_transpose(image))
    except Image.DecompressionBombError as exc:  # PIL refuses before our size check can run
        raise UserImageError(f"image {str(path)!r} is larger than {MAX_PIXELS / 1e6:.0f} megapixels ({exc}): "
                             "downscale it first") from exc
    except UnidentifiedImageError as exc:
        raise UserImageError(f"{str(path)!r} is not an image PIL can read (PNG, JPEG, GIF, BMP, TIFF, WebP, ...)") from exc
    except OSError as exc:
        raise UserImageError(f"image {str(path)!r} could not be decoded ({exc}): is the file complete?") from exc
    side = min(rgb.size)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    square = rgb.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(square, dtype=np.float32) / 255.0


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit (PIL reads 16-bit PNGs as I;16 or I)
        array = np.asarray(image, dtype=np.float64)
        image = Image.fromarray(np.round(np.clip(array / 65535.0, 0, 1) * 255).astype(np.uint8), "L")
    elif image.mode == "F":  # float: [0, 1] as most float images are; larger values taken as 0-255
        array = np.nan_to_num(np.asarray(image, dtype=np.float64), nan=1.0)
        scale = 255.0 if array.max() <= 1.0 else 1.0
        image = Image.fromarray(np.round(np.clip(array * scale, 0, 255)).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
