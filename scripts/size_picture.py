"""The README's pictures of large paintings, in panels 320 pixels wide.

``blocks OUT``: a made picture of 4x4 colour blocks, the shipped celeba_50's strokes painted by MyPaint at
64x64 (drawn 5x), the same strokes at 512x512, and the SVG as headless Chromium draws it
(``scripts/check_svg.py``; needs ``apt-get install -y chromium``).

``tiled DIR OUT``: the picture and its K = 1, 2, 4 paintings that ``benchmarks/paint_tiled.py --pictures DIR``
saved.

    python scripts/size_picture.py blocks docs/size_blocks.png
    python scripts/size_picture.py tiled pictures/ docs/tiled_shapes.png
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


def shown(path: Path) -> np.ndarray:
    """The picture at ``path`` shrunk (block averages) to a SIDE x SIDE panel."""
    return np.asarray(Image.open(path).convert("RGB").resize((SIDE, SIDE), Image.BOX))


def tiled(folder: Path, target: Path) -> None:
    panels = [shown(folder / name) for name in ("tiled_picture.png", *(f"tiled_grid{k}.png" for k in (1, 2, 4)))]
    Image.fromarray(tile(np.stack(panels)[None], gap=4)).save(target)


def blocks_picture(target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        blocks = np.kron(np.random.default_rng(0).integers(0, 256, (4, 4, 3)), np.ones((16, 16, 1))).astype(np.uint8)
        Image.fromarray(blocks).save(folder / "blocks.png")
        for size, out in ((None, "small"), (512, "large")):
            extra = ["--size", str(size), "--svg"] if size else []
            subprocess.run([str(COMMAND), "paint", str(folder / "blocks.png"), "--detail", "0", "--shipped", "--agent", "celeba_50",
                            *extra, "--out", str(folder / out)], check=True, cwd=folder)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "check_svg.py"), str(folder / "large" / "blocks.svg"),
                        "--save", str(folder / "drawn.png")], check=True)
        panels = [upscale(blocks, SIDE // 64), upscale(np.asarray(Image.open(folder / "small" / "blocks.png")), SIDE // 64),
                  shown(folder / "large" / "blocks.png"), shown(folder / "drawn.png")]
        Image.fromarray(tile(np.stack(panels)[None], gap=4)).save(target)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "blocks":
        blocks_picture(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "tiled":
        tiled(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(__doc__)
    print(f"wrote {sys.argv[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
