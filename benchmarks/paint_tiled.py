"""Large pictures: `painting-dreams paint --size 1024 --grid K` for K = 1, 2, 4, MSE at 1024x1024 and time.

The picture is made here (seeded): coloured discs, bars and lines on a cream ground, 1024x1024, a
picture no face agent has seen and with more detail than one 64x64 painting holds. Each run is a
whole command in its own process (shipped celeba_50, 50 strokes per painting, ``--refine 25``); it
prints the real MyPaint painting's MSE against the picture at 1024x1024, the command's own
painting seconds (agent / MyPaint), the whole command's seconds and peak memory. ``--pictures DIR``
also saves the picture and each painting there.

    python benchmarks/paint_tiled.py [--grids 1 2 4] [--size 1024] [--pictures docs/]
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from paint_strokes import run_command


def make_picture(size: int, seed: int = 7) -> Image.Image:
    """Discs, bars and lines in random colours on a cream ground, slightly blurred, ``size`` x ``size``."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (1024, 1024), (235, 225, 200))
    draw = ImageDraw.Draw(image)
    colour = lambda: tuple(int(c) for c in rng.integers(0, 256, 3))  # noqa: E731
    for _ in range(60):
        x, y = rng.integers(-100, 1024, 2)
        r = int(rng.integers(30, 220))
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + r, y + r], fill=colour())
        else:
            draw.rectangle([x, y, x + r, y + int(r * rng.uniform(0.3, 1.5))], fill=colour())
    for _ in range(25):
        draw.line([tuple(int(v) for v in rng.integers(0, 1024, 2)) for _ in range(2)], fill=colour(),
                  width=int(rng.integers(6, 30)))
    return image.filter(ImageFilter.GaussianBlur(2)).resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--agent", default="celeba_50")
    parser.add_argument("--pictures", type=Path, default=None, help="folder to save the picture and the paintings in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        picture = Path(folder) / "shapes.png"
        make_picture(args.size).save(picture)
        print(f"painting-dreams paint --size {args.size} --grid K, shipped {args.agent}, --refine 25, a made "
              f"{args.size}x{args.size} picture")
        print(f"{'K':>2} {'strokes':>7} {'MSE at S':>9} {'painting s':>10} {'agent s':>8} {'MyPaint s':>9} "
              f"{'command s':>9} {'peak GB':>7}")
        for grid in args.grids:
            out = Path(folder) / f"grid{grid}"
            output, seconds, peak = run_command(["paint", str(picture), "--shipped", "--agent", args.agent, "--size",
                                                 str(args.size), "--grid", str(grid), "--out", str(out)])
            mse = float(re.search(r"real MyPaint ([0-9.]+)", output).group(1))
            painted, agent, mypaint = (float(v) for v in re.search(
                r"painted in ([0-9.]+) s: agent ([0-9.]+) s, MyPaint ([0-9.]+) s", output).groups())
            strokes = int(re.search(r"\(([0-9]+) strokes\)", output).group(1))
            print(f"{grid:>2} {strokes:>7} {mse:>9.4f} {painted:>10.1f} {agent:>8.1f} {mypaint:>9.1f} {seconds:>9.1f} "
                  f"{peak:>7.2f}", flush=True)
            if args.pictures:
                args.pictures.mkdir(parents=True, exist_ok=True)
                shutil.copy(out / "shapes.png", args.pictures / f"tiled_grid{grid}.png")
        if args.pictures:
            shutil.copy(picture, args.pictures / "tiled_picture.png")


if __name__ == "__main__":
    main()
