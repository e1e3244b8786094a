"""How wide the SVG draws each medium's strokes, against the width MyPaint paints them.

For each brush, 9 straight horizontal strokes (pressure 0.3 / 0.6 / 0.9 x size action 0.25 / 0.5 / 0.75,
black, 64x64) are painted alone by the real MyPaint; the painted width is the number of pixels above 5 %
alpha in each of the stroke's 24 middle columns, averaged. Printed per brush: the mean and spread of
painted width / SVG width, for the SVG's width (painting_dreams.export.svg.brush_width: the dab's diameter
with the brush's pressure curve, widened by its dabs' scatter) and for the bare dab diameter 2 e^size.
A ratio of 1 draws the stroke as wide as MyPaint paints it.

    .venv/bin/python benchmarks/svg_width.py                     # ~10 s
    .venv/bin/python benchmarks/svg_width.py --brushes classic/pen deevad/chalk
"""

from __future__ import annotations

import argparse
import math

import numpy as np

BRUSHES = ("classic/dry_brush", "classic/pen", "classic/charcoal", "classic/impressionism")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brushes", nargs="+", default=list(BRUSHES))
    args = parser.parse_args()

    from painting_dreams.export.svg import brush_width
    from painting_dreams.paint.actions import ActionLayout
    from painting_dreams.paint.replay import play

    layout = ActionLayout("color", absolute=True)
    print(f"{'brush':<28} {'strokes':>7} {'painted / SVG width':>20} {'painted / dab diameter':>23}")
    for brush in args.brushes:
        width = brush_width(brush)
        ratios, bare = [], []
        for pressure in (0.3, 0.6, 0.9):
            for size in (0.25, 0.5, 0.75):
                action = np.zeros(layout.size, np.float32)
                for field, value in {"start_x": 0.2, "start_y": 0.5, "end_x": 0.8, "end_y": 0.5, "control_x": 0.5,
                                     "control_y": 0.5, "pressure": pressure, "size": size}.items():
                    action[layout.index(field)] = value
                stroke = layout.decode(action, 64, 64)
                alpha = play(action[None, None], "color", absolute=True, stroke_mode=True,
                             brush=brush).strokes[0, 0, :, 20:44, 3] / 255.0
                painted = float((alpha > 0.05).mean(axis=1).sum())
                if painted == 0.0:
                    continue  # too light to paint at this pressure (impressionism below ~0.4)
                ratios.append(painted / width(stroke.size, stroke.pressure))
                bare.append(painted / (2.0 * math.exp(stroke.size)))
        print(f"{brush:<28} {len(ratios):>7} {np.mean(ratios):>12.2f} +- {np.std(ratios):.2f} "
              f"{np.mean(bare):>15.2f} +- {np.std(bare):.2f}")


if __name__ == "__main__":
    main()
