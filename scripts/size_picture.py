"""The README's picture of ``paint --size``: a made picture of 4x4 colour blocks, the shipped celeba_50's
strokes painted by MyPaint at 64x64 (drawn 5x), the same strokes at 512x512 (shown at 320), and the SVG
as headless Chromium draws it (``scripts/check_svg.py``; needs ``apt-get install -y chromium``).

    python scripts/size_picture.py docs/size_blocks.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from painting_dreams.image_grid import tile, upscale

ROOT = Path(__file__).resolve().parents[1]
COMMAND = Path(sys.executable).with_name("painting-dreams")
SIDE = 320


def main() -> int:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    target = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        blocks = np.kron(np.random.default_rng(0).integers(0, 256, (4, 4, 3)), np.ones((16, 16, 1))).astype(np.uint8)
        Image.fromarray(blocks).save(folder / "blocks.png")
        for size, out in ((None, "small"), (512, "large")):
            extra = ["--size", str(size), "--svg"] if size else []
            subprocess.run([str(COMMAND), "paint", str(folder / "blocks.png"), "--shipped", "--agent", "celeba_50",
                            *extra, "--out", str(folder / out)], check=True, cwd=folder)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "check_svg.py"), str(folder / "large" / "blocks.svg"),
                        "--save", str(folder / "drawn.png")], check=True)
        shown = lambda path: np.asarray(Image.open(path).convert("RGB").resize((SIDE, SIDE), Image.BOX))  # noqa: E731
        panels = [upscale(blocks, SIDE // 64), upscale(np.asarray(Image.open(folder / "small" / "blocks.png")), SIDE // 64),
                  shown(folder / "large" / "blocks.png"), shown(folder / "drawn.png")]
        Image.fromarray(tile(np.stack(panels)[None], gap=4)).save(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
