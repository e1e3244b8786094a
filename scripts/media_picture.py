"""The README's picture of the idea: one picture painted in every shipped medium, side by side.

Row: the target, then the shipped 50-stroke CelebA painter of each medium (dry brush, pen, charcoal, ...),
each refined K steps with real MyPaint in the loop (``paint --refine K``) and painted by MyPaint at SIZE x SIZE.
The default picture is made here (a house, a tree, a sun and a hill under a sky: no dataset image), so the
figure can ship; ``--images`` paints your own pictures too, one row each (for your own checks: CelebA
faces may not be published). Prints each painting's real MSE against its 64x64 target.

    .venv/bin/python scripts/media_picture.py --out docs/media_paintings.png
    .venv/bin/python scripts/media_picture.py --images face1.jpg photo.png --out /tmp/media_faces.png
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def made_picture(side: int = 256) -> np.ndarray:
    """``(64, 64, 3)`` float32: a made landscape (sky, sun, hill, house with a red roof, a tree)."""
    image = Image.new("RGB", (side, side))
    draw = ImageDraw.Draw(image)
    for y in range(side):  # sky: light blue at the horizon to deep blue on top
        t = y / side
        draw.line([(0, y), (side, y)], fill=(int(40 + 150 * t), int(90 + 130 * t), int(200 + 40 * t)))
    s = side / 256
    draw.ellipse([180 * s, 24 * s, 232 * s, 76 * s], fill=(255, 205, 40))
    draw.ellipse([-80 * s, 150 * s, 340 * s, 420 * s], fill=(70, 150, 60))
    draw.rectangle([70 * s, 130 * s, 150 * s, 200 * s], fill=(235, 225, 200))
    draw.polygon([(60 * s, 132 * s), (110 * s, 88 * s), (160 * s, 132 * s)], fill=(190, 40, 35))
    draw.rectangle([100 * s, 160 * s, 120 * s, 200 * s], fill=(110, 70, 40))
    draw.rectangle([190 * s, 140 * s, 202 * s, 210 * s], fill=(100, 65, 35))
    draw.ellipse([165 * s, 95 * s, 228 * s, 160 * s], fill=(35, 110, 45))
    return np.asarray(image.resize((64, 64), Image.LANCZOS), np.float32) / 255.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", nargs="*", default=[], type=Path, help="also paint these pictures, a row each")
    parser.add_argument("--no-made", action="store_true", help="leave out the made picture")
    parser.add_argument("--refine", type=int, default=100, help="refinement steps per painting (paint --refine)")
    parser.add_argument("--size", type=int, default=192, help="side MyPaint paints each painting at")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/media_paintings.png")
    args = parser.parse_args()

    from painting_dreams import shipped
    from painting_dreams.export import paint_image
    from painting_dreams.image_grid import tile
    from painting_dreams.paint.libmypaint import medium_of
    from painting_dreams.targets.user_image import load_user_image

    cards = shipped.cards()
    painters = {}
    for name, card in cards.items():  # one per medium: the CelebA painter with the most strokes
        if card["dataset"] == "celeba" and card["variant"] == "color":
            medium = medium_of(card["brush"])
            if medium not in painters or card["strokes"] > cards[painters[medium]]["strokes"]:
                painters[medium] = name
    media = sorted(painters, key=lambda m: (m != "dry_brush", m))
    targets = ([] if args.no_made else [("made picture", made_picture())]) + [
        (path.name, load_user_image(path, 64)) for path in args.images]
    rows = []
    for label, target in targets:
        row = [np.asarray(Image.fromarray((target * 255).round().astype(np.uint8)).resize((args.size, args.size),
                                                                                          Image.NEAREST))]
        for medium in media:
            painter = shipped.load(painters[medium])
            started = time.perf_counter()
            painting = paint_image(painter.policy, painter.painter, painter.variant, target, painter.strokes,
                                   refine_steps=args.refine, fixed_fields=painter.card["fixed_fields"], size=args.size)
            mse = float(((painting.real_steps[-1] / 255.0 - target) ** 2).mean())
            print(f"{label}: {medium} ({painters[medium]}) real MSE {mse:.4f} ({time.perf_counter() - started:.0f} s)")
            row.append(painting.real_large)
        rows.append(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(tile(np.asarray(rows), gap=4)).save(args.out)
    print(f"columns: target, {', '.join(media)}; wrote {args.out}")


if __name__ == "__main__":
    main()
