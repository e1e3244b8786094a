"""Write OpenRaster (``.ora``) files, MyPaint's native format.

An OpenRaster file is a zip whose first member is an uncompressed ``mimetype`` holding
``image/openraster``, with a ``stack.xml`` describing the layers, one PNG per layer, a
``mergedimage.png`` and a thumbnail no larger than 256 px.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from PIL import Image

from painting_dreams.files import atomic_target

MIMETYPE = "image/openraster"


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_openraster(path: str | Path, layers: list[tuple[str, np.ndarray]], background: bool = True) -> Path:
    """Write ``layers`` (name, ``(H, W, 4)`` straight-alpha RGBA uint8; bottom first) as an ``.ora`` file.

    With ``background`` a white opaque layer named "background" sits under them. The file is
    written to a temporary name and renamed, so a failure leaves no half-written ``.ora``.
    """
    if not layers:
        raise ValueError("an OpenRaster file needs at least one layer")
    height, width = layers[0][1].shape[:2]
    for name, pixels in layers:
        if pixels.shape != (height, width, 4) or pixels.dtype != np.uint8:
            raise ValueError(f"layer {name!r} is {pixels.dtype} {pixels.shape}: expected uint8 ({height}, {width}, 4)")
    stack = [("background", np.full((height, width, 4), 255, np.uint8))] if background else []
    stack += layers

    merged = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for _, pixels in stack:
        merged = Image.alpha_composite(merged, Image.fromarray(pixels, "RGBA"))
    thumbnail = merged.copy()
    thumbnail.thumbnail((256, 256))

    # stack.xml lists the top layer first.
    entries = "\n".join(
        f'    <layer name={quoteattr(name)} src="data/layer{i}.png" x="0" y="0" opacity="1.0" visibility="visible"/>'
        for i, (name, _) in reversed(list(enumerate(stack)))
    )
    stack_xml = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<image version="0.0.3" w="{width}" h="{height}">\n  <stack>\n{entries}\n  </stack>\n</image>\n'
    )

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(path) as tmp, open(tmp, "wb") as raw, zipfile.ZipFile(raw, "w") as ora:
        ora.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        ora.writestr("stack.xml", stack_xml, compress_type=zipfile.ZIP_DEFLATED)
        for i, (_, pixels) in enumerate(stack):
            ora.writestr(f"data/layer{i}.png", _png_bytes(Image.fromarray(pixels, "RGBA")))
        ora.writestr("mergedimage.png", _png_bytes(merged))
        ora.writestr("Thumbnails/thumbnail.png", _png_bytes(thumbnail))
    return path
