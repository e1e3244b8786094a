"""Load a person's own picture as a 64x64 RGB painting target in [0, 1]."""

from __future__ import annotations

import io
import logging
import os
import stat
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MIN_SIDE = 16  # smaller images carry too little to paint from
MAX_PIXELS = 80_000_000  # refuse decompression bombs; a 50-megapixel photo is fine
FLOAT_0_255_SHARE = 0.01  # a float image is 0-255 data if more than this share of its pixels is above 1

logger = logging.getLogger(__name__)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class UserImageError(ValueError):
    """The file given to paint cannot be used as a target."""


def load_user_image(path: str | Path, size: int = 64, square: bool = True) -> np.ndarray:
    """Read any image PIL understands, centre-crop it square and resize to ``(size, size, 3)`` float32; with
    ``square=False`` keep the whole picture, resized so that its long side is ``size``: ``(H, W, 3)``.

    The EXIF orientation is applied (a phone photo is painted upright) and an embedded ICC profile is
    converted to sRGB (colours as a colour-managed viewer shows them). Grayscale, palette, 16-bit
    (scaled by 65535, as viewers do), float (:func:`float_range`) and RGBA images are converted to RGB
    (transparency is put on white). Missing files, files that are not regular files (a FIFO, a device),
    non-images, damaged images, images smaller than 16 px or larger than 80 megapixels and float images
    with NaN or infinite pixels raise :class:`UserImageError` saying what was wrong.
    """
    path = Path(path)
    check_image_file(path)
    try:
        with warnings.catch_warnings():  # PIL's own warnings (DecompressionBombWarning, corrupt EXIF): ours say more
            warnings.simplefilter("ignore")
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
                rgb = _to_rgb(ImageOps.exif_transpose(image), str(path))
    except UserImageError:
        raise
    except Image.DecompressionBombError as exc:  # PIL refuses before our size check can run
        raise UserImageError(f"image {str(path)!r} is larger than {MAX_PIXELS / 1e6:.0f} megapixels ({exc}): "
                             "downscale it first") from exc
    except UnidentifiedImageError as exc:
        raise UserImageError(f"{str(path)!r} is not an image PIL can read (PNG, JPEG, GIF, BMP, TIFF, WebP, ...)") from exc
    except Exception as exc:  # PIL's decoders raise OSError, ValueError, SyntaxError, struct.error ... on damaged files
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise UserImageError(f"image {str(path)!r} could not be decoded ({reason}): the file is damaged or "
                             "incomplete; export it again") from exc
    if not square:
        scale = size / max(rgb.size)
        width, height = max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))
        if min(width, height) < MIN_SIDE:
            raise UserImageError(f"image {str(path)!r} is {rgb.width}x{rgb.height}: with its long side at {size} px its "
                                 f"short side would be {min(width, height)} px, under {MIN_SIDE}; give a larger "
                                 "--size, or --square to paint its centre square")
        return np.asarray(rgb.resize((width, height), Image.Resampling.LANCZOS), dtype=np.float32) / 255.0
    side = min(rgb.size)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    cropped = rgb.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(cropped, dtype=np.float32) / 255.0


def check_image_file(path: Path) -> None:
    """Raise :class:`UserImageError` unless ``path`` is a regular file (not missing, a folder, a FIFO or a device)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UserImageError(f"image {str(path)!r} does not exist: check the path") from None
    except OSError as exc:
        raise UserImageError(f"image {str(path)!r} cannot be read ({exc.strerror}): check the path") from exc
    if stat.S_ISDIR(mode):
        raise UserImageError(f"{str(path)!r} is a folder: give the path of one image file")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise UserImageError(f"{str(path)!r} is {kind}, not a regular file: give the path of one image file")


def float_range(array: np.ndarray, source: str) -> float:
    """The value that stands for white in a float image: 1.0 ([0, 1] data, as most float images are) unless more
    than 1% of its pixels are above 1 (then 255: 0-255 data). NaN or infinite pixels raise :class:`UserImageError`;
    pixels outside the range are clipped, with a warning saying how many."""
    finite = np.isfinite(array)
    if not finite.all():
        raise UserImageError(f"image {source!r} has {int((~finite).sum()):,} NaN or infinite pixels: a float image "
                             "needs finite values (0 to 1, or 0 to 255); fix or export it again")
    white = 255.0 if np.mean(array > 1.0) > FLOAT_0_255_SHARE else 1.0
    outside = int(np.count_nonzero((array < 0) | (array > white)))
    if outside:
        logger.warning("image %r: %s of its %s float pixels are outside [0, %g] and were clipped to it", source,
                       f"{outside:,}", f"{array.size:,}", white)
    return white


def _to_srgb(image: Image.Image, source: str) -> Image.Image:
    """``image`` converted from its embedded ICC profile to sRGB (RGB or RGBA), or as it is if it has none."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError) as exc:
        logger.warning("image %r: its colour profile cannot be used (%s): colours read as sRGB", source, exc)
        return image


def _to_rgb(image: Image.Image, source: str) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit (PIL reads 16-bit PNGs as I;16 or I)
        array = np.asarray(image, dtype=np.float64)
        image = Image.fromarray(np.round(np.clip(array / 65535.0, 0, 1) * 255).astype(np.uint8), "L")
    elif image.mode == "F":
        array = np.asarray(image, dtype=np.float64)
        white = float_range(array, source)
        image = Image.fromarray(np.round(np.clip(array * (255.0 / white), 0, 255)).astype(np.uint8), "L")
    image = _to_srgb(image, source)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")
