"""Draw a painting's SVG in headless Chromium and compare it with real MyPaint's PNG of the same strokes.

    python scripts/check_svg.py out/photo.svg [--png out/photo.png] [--save drawn.png]

Serves the SVG's folder over HTTP, takes Chromium's screenshot at the SVG's size, and prints the
mean absolute difference to the PNG (0-255 per channel) and the same for a blank white page, for
scale. Fails unless Chromium drew something (the drawing must differ from white). The SVG is an
approximation of MyPaint's dry brush (``painting_dreams.export.svg``): the difference measures how close.
Needs ``apt-get install -y chromium``.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import numpy as np
from PIL import Image

from check_viz import _QuietHandler, chromium


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", type=Path)
    parser.add_argument("--png", type=Path, default=None, help="MyPaint's PNG (default: the SVG's name with .png)")
    parser.add_argument("--save", type=Path, default=None, help="save Chromium's drawing here")
    args = parser.parse_args()
    png = args.png or args.svg.with_suffix(".png")
    if not args.svg.is_file() or not png.is_file():
        sys.exit(f"need both {args.svg} and {png}: paint with `painting-dreams paint ... --svg`")
    width, height = (int(v) for v in re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', args.svg.read_text()).groups())
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(args.svg.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as profile:
            shot = Path(profile) / "shot.png"
            chromium([f"--screenshot={shot}", f"--window-size={width},{height}",
                      f"http://127.0.0.1:{server.server_address[1]}/{args.svg.name}"], Path(profile) / "p")
            if not shot.is_file():
                sys.exit("Chromium wrote no screenshot")
            drawn = np.asarray(Image.open(shot).convert("RGB"), np.float64)
    finally:
        server.shutdown()
    painted = np.asarray(Image.open(png).convert("RGB"), np.float64)
    if drawn.shape != painted.shape:
        sys.exit(f"Chromium drew {drawn.shape[1]}x{drawn.shape[0]}, the PNG is {painted.shape[1]}x{painted.shape[0]}")
    if args.save:
        Image.fromarray(drawn.astype(np.uint8)).save(args.save)
    difference, blank = np.abs(drawn - painted).mean(), np.abs(255.0 - painted).mean()
    print(f"{args.svg}: Chromium drew {width}x{height}; mean absolute difference to MyPaint's PNG {difference:.1f} "
          f"(a white page: {blank:.1f}) on 0-255")
    if np.abs(drawn - 255.0).mean() < 1.0:
        sys.exit("Chromium drew a blank page: the SVG did not render")
    return 0


if __name__ == "__main__":
    sys.exit(main())
