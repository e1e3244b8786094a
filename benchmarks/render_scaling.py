"""Render scaling: an agent's 64x64 strokes painted by real MyPaint at S x S, box-downsampled to 64x64,
against real MyPaint's 64x64 painting of the same strokes (MSE on [0, 1] RGB).

For each colour painter that ships (celeba_15, celeba_30, celeba_50; ``--painters`` may add mnist_8
and kmnist_15, on their test files) it paints ``--images`` CelebA test faces open loop in the dream
and prints, averaged over the images:

* MSE(dream, real) at 64x64: how far the world model already is from MyPaint (the aim's bound);
* MSE(box-down(real at S), real at 64): what painting at S adds (aim: at most the line above);
* seconds per painting at S.

With ``--vs-src OLD/src`` the same strokes are also painted at S by another checkout's package (e.g.
the commit before a change), in a subprocess of the same run, and its MSE(down(S), 64) is printed beside.

    python benchmarks/render_scaling.py [--size 512] [--images 100] [--split test] [--vs-src OLD/src]
                                        [--painters celeba_15 celeba_30 celeba_50 mnist_8 kmnist_15]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
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
RAW = Path(__file__).resolve().parents[1] / "data" / "01_raw"
DIGITS = {"mnist_8": RAW / "mnist" / "t10k-images-idx3-ubyte.gz", "kmnist_15": RAW / "kmnist" / "kmnist-test-imgs.npz"}
PLAY_LARGE = ("import inspect, sys, numpy as np; from painting_dreams.paint.replay import play; s = int(sys.argv[3]); "
              "brush = {'brush': sys.argv[5]} if 'brush' in inspect.signature(play).parameters else {}; "
              "np.save(sys.argv[2], play(np.load(sys.argv[1]), sys.argv[4], width=s, height=s, brush_scale=s / 64, "
              "final_only=True, **brush).canvases[:, 0])")


def play_large_with(src: str, actions: np.ndarray, variant: str, brush: str, size: int) -> np.ndarray:
    """The final canvases of ``actions`` painted at ``size`` by the package under ``src`` (another checkout)."""
    with tempfile.TemporaryDirectory() as folder:
        np.save(Path(folder) / "actions.npy", actions)
        subprocess.run([sys.executable, "-c", PLAY_LARGE, str(Path(folder) / "actions.npy"),
                        str(Path(folder) / "large.npy"), str(size), variant, brush],
                       env={**os.environ, "PYTHONPATH": src}, check=True)
        return np.load(Path(folder) / "large.npy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--split", default="test")
    parser.add_argument("--celeba", type=Path, default=CELEBA)
    parser.add_argument("--vs-src", default=None, help="another checkout's src folder, measured in the same run")
    parser.add_argument("--painters", nargs="+", default=["celeba_15", "celeba_30", "celeba_50"],
                        choices=["celeba_15", "celeba_30", "celeba_50", *DIGITS])
    args = parser.parse_args()
    if args.size % 64:
        raise SystemExit(f"--size {args.size}: use a multiple of 64 (the box downsampling needs whole blocks)")
    factor = args.size // 64
    print(f"{args.images} CelebA {args.split} faces (digit painters: their test files) per painter, open loop; "
          f"real MyPaint at 64 and at {args.size} (brush_scale {factor}), box-downsampled")
    vs = f" {'--vs-src':>9}" if args.vs_src else ""
    print(f"{'painter':<10} {'strokes':>7} {'MSE(dream, real) 64':>20} {'MSE(down(S), 64)':>17} {'ratio':>6} "
          f"{'s/painting at S':>15}{vs}  aim")
    for name in args.painters:
        painter = shipped.load(name)
        source, split = (DIGITS[name], "all") if name in DIGITS else (args.celeba, args.split)
        images = load_image_set(source, painter.card["targets"], limit=args.images, split=split)
        actions, dream = paint_targets(painter.policy, painter.painter, images.targets, painter.strokes,
                                       every_stroke=False)
        brush = painter.painter.real_brush()
        small = play(actions, painter.variant, brush=brush, final_only=True).canvases[:, 0] / 255.0
        started = time.perf_counter()
        large = play(actions, painter.variant, brush=brush, width=args.size, height=args.size, brush_scale=factor,
                     final_only=True).canvases[:, 0]
        seconds = (time.perf_counter() - started) / len(actions)
        dream_real = float(np.mean((dream - small) ** 2))
        scaling = float(np.mean((box_downsample(large, factor) / 255.0 - small) ** 2))
        verdict = "met" if scaling <= dream_real else f"not met (+{100 * (scaling / dream_real - 1):.0f} %)"
        if args.vs_src:
            old = box_downsample(play_large_with(args.vs_src, actions, painter.variant, brush, args.size), factor) / 255.0
            vs = f" {float(np.mean((old - small) ** 2)):>9.6f}"
        print(f"{name:<10} {painter.strokes:>7} {dream_real:>20.6f} {scaling:>17.6f} {scaling / dream_real:>6.3f} "
              f"{seconds:>15.3f}{vs}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
