"""Render scaling: an agent's 64x64 strokes painted by real MyPaint at S x S, box-downsampled to 64x64,
against real MyPaint's 64x64 painting of the same strokes (MSE on [0, 1] RGB).

For each colour painter that ships (celeba_15, celeba_30, celeba_50) it paints ``--images`` CelebA
test faces open loop in the dream and prints, averaged over the images:

* MSE(dream, real) at 64x64: how far the world model already is from MyPaint (the aim's bound);
* MSE(box-down(real at S), real at 64): what painting at S adds (aim: at most the line above);
* seconds per painting at S.

    python benchmarks/render_scaling.py [--size 512] [--images 100] [--split test]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from painting_dreams import shipped  # noqa: E402
from painting_dreams.agent.inference import paint_targets  # noqa: E402
from painting_dreams.evaluation.image_sets import load_image_set  # noqa: E402
from painting_dreams.image_grid import box_downsample  # noqa: E402
from painting_dreams.paint.replay import play  # noqa: E402

CELEBA = Path(__file__).resolve().parents[1] / "data" / "01_raw" / "celeba" / "img_align_celeba"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--split", default="test")
    parser.add_argument("--celeba", type=Path, default=CELEBA)
    args = parser.parse_args()
    if args.size % 64:
        raise SystemExit(f"--size {args.size}: use a multiple of 64 (the box downsampling needs whole blocks)")
    factor = args.size // 64
    print(f"{args.images} CelebA {args.split} faces per painter, open loop; real MyPaint at 64 and at {args.size} "
          f"(brush_scale {factor}), box-downsampled")
    print(f"{'painter':<10} {'strokes':>7} {'MSE(dream, real) 64':>20} {'MSE(down(S), 64)':>17} {'ratio':>6} "
          f"{'s/painting at S':>15}  aim")
    for name in ("celeba_15", "celeba_30", "celeba_50"):
        painter = shipped.load(name)
        images = load_image_set(args.celeba, painter.card["targets"], limit=args.images, split=args.split)
        actions, dream = paint_targets(painter.policy, painter.painter, images.targets, painter.strokes,
                                       every_stroke=False)
        small = play(actions, "color", final_only=True).canvases[:, 0] / 255.0
        started = time.perf_counter()
        large = play(actions, "color", width=args.size, height=args.size, brush_scale=factor,
                     final_only=True).canvases[:, 0]
        seconds = (time.perf_counter() - started) / len(actions)
        dream_real = float(np.mean((dream - small) ** 2))
        scaling = float(np.mean((box_downsample(large, factor) / 255.0 - small) ** 2))
        verdict = "met" if scaling <= dream_real else f"not met (+{100 * (scaling / dream_real - 1):.0f} %)"
        print(f"{name:<10} {painter.strokes:>7} {dream_real:>20.5f} {scaling:>17.5f} {scaling / dream_real:>6.2f} "
              f"{seconds:>15.3f}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
