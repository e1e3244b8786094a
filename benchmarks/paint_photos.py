"""Whole photos painted by `painting-dreams paint`: MSE, strokes, seconds and memory, beside flat mosaics and --grid.

For every photo (default: the public-domain and CC0 photographs in ``samples/photos``, landscape, portrait and
square) and every setting, one whole command in its own process, as a user runs it:

* ``paint PHOTO --detail D`` for each D of ``--details`` (the default painter, or each of ``--agents``);
* ``paint PHOTO --grid K --size S`` (an underpainting and K x K tiles of the centre square, no canvas seen);

and, from the same photo read as ``paint`` reads it (long side ``--size``), the flat-colour mosaics of 32 and 64
cells along the long side. MSE is at the painting's size against that photo ([0, 1] RGB); ``--grid`` paints
only the centre square, so its MSE is against the centre square (marked ``sq``). "seam" is the painting's
error in 2-px bands along the finest level's inner tile borders over its error in the same bands moved a
quarter of a tile into each tile (the same amount of picture, away from the borders; 1: no seam).

    python benchmarks/paint_photos.py [--photos a.jpg b.jpg] [--details 1 2 3 4] [--grid 4] [--agents celeba_15 celeba_30]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from paint_strokes import run_command  # painting-dreams in its own process: output, seconds, peak GB

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = [ROOT / "samples/photos" / name for name in
          ("astronaut.webp", "coffee.webp", "chelsea.webp", "rocket.webp", "rocket_portrait.webp")]


def main() -> None:
    from painting_dreams.export.photo import mosaic, seam_ratio
    from painting_dreams.targets.user_image import load_user_image

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, nargs="+", default=PHOTOS)
    parser.add_argument("--details", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--agents", nargs="+", default=[None], help="painters to compare (default: paint's own)")
    parser.add_argument("--grid", type=int, default=4, help="also paint --grid K (0: not)")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--refine", type=int, default=None, help="--refine K (default: paint's own)")
    parser.add_argument("--together", action="store_true",
                        help="also paint every photo in one command (paint's defaults) against one command each")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        print(f"painting-dreams paint, long side {args.size}; MSE at that size ([0, 1] RGB)")
        print(f"{'photo':<20} {'size':>9} {'setting':<26} {'MSE':>7} {'strokes':>7} {'command s':>9} {'peak GB':>7} "
              f"{'seam':>5}")
        for photo in args.photos:
            target = load_user_image(photo, args.size, square=False)
            height, width = target.shape[:2]
            for cells in (32, 64):
                mse = float(np.mean((mosaic(target, cells) - target) ** 2))
                rows.append({"photo": photo.name, "setting": f"mosaic {cells} cells", "mse": mse})
                print(f"{photo.name:<20} {width:>4}x{height:<4} {'mosaic ' + str(cells) + ' cells':<26} {mse:>7.4f}",
                      flush=True)
            settings = [(agent, ["--detail", str(d)]) for agent in args.agents for d in args.details]
            settings += [(agent, ["--grid", str(args.grid)]) for agent in args.agents] if args.grid else []
            for agent, setting in settings:
                command = ["paint", str(photo), "--shipped", "--size", str(args.size), "--out", str(out), *setting]
                command += ["--agent", agent] if agent else []
                command += ["--refine", str(args.refine)] if args.refine is not None else []
                output, seconds, peak = run_command(command)
                record = json.loads((out / f"{photo.stem}.json").read_text())
                painting = np.asarray(Image.open(out / f"{photo.stem}.png").convert("RGB"))
                if "--grid" in setting:
                    reference = load_user_image(photo, args.size)  # the centre square, as --grid paints it
                    strokes, seam, mark = len(record["strokes"]), float("nan"), " sq"
                else:
                    reference, strokes, mark = target, len(record["strokes"]), ""
                    seam = (seam_ratio(painting, reference, max(t["level"] for t in record["tiles"]))
                            if record.get("tiles") else float("nan"))
                mse = float(np.mean((painting / 255.0 - reference) ** 2))
                used = agent or re.search(r"with agent (\S+)", output).group(1)
                label = f"{used} {' '.join(setting)}"
                rows.append({"photo": photo.name, "setting": label, "mse": mse, "strokes": strokes, "seconds": seconds,
                             "peak_gb": peak, "seam": seam})
                print(f"{photo.name:<20} {width:>4}x{height:<4} {label:<26} {mse:>7.4f}{mark} {strokes:>7} "
                      f"{seconds:>9.1f} {peak:>7.2f} {seam:>5.2f}", flush=True)
        if args.together:
            alone = [run_command(["paint", str(p), "--shipped", "--out", str(out / "alone")])[1] for p in args.photos]
            _, together, peak = run_command(["paint", *map(str, args.photos), "--shipped", "--out", str(out / "all")])
            print(f"\nall {len(args.photos)} photos in one command: {together:.1f} s (peak {peak:.2f} GB); one command "
                  f"each: {sum(alone):.1f} s in all; ratio {together / sum(alone):.2f}")
    print("\nmeans over the photos:")
    for setting in dict.fromkeys(r["setting"] for r in rows):
        chosen = [r for r in rows if r["setting"] == setting]
        line = f"  {setting:<26} MSE {np.mean([r['mse'] for r in chosen]):.4f}"
        if "seconds" in chosen[0]:
            line += (f"  strokes {np.mean([r['strokes'] for r in chosen]):.0f}  command {np.mean([r['seconds'] for r in chosen]):.1f} s"
                     f" (max {max(r['seconds'] for r in chosen):.1f})  peak {max(r['peak_gb'] for r in chosen):.2f} GB"
                     f"  seam {np.nanmean([r['seam'] for r in chosen]) if not all(np.isnan(r['seam']) for r in chosen) else float('nan'):.2f}")
        print(line)


if __name__ == "__main__":
    main()
