"""Time and memory of `painting-dreams paint` against the stroke count (8, 50, 500) and ``--refine`` K.

Each painting is a whole command in its own process (as a user runs it), on a 256x256 picture of
random colour blocks, with a shipped painter (``celeba_50``) and the default refinement. For each
stroke count and K it prints the painting's own seconds (the command's "painted in"), the whole command's
seconds and its peak memory (max RSS). With ``--vs-src OLD/src`` the same commands also run with
another checkout's package first on ``PYTHONPATH`` (e.g. the commit before a change), interleaved, so
the two are measured in one run on the same machine state.

    python benchmarks/paint_strokes.py [--strokes 8 50 500] [--refine 25] [--vs-src /path/to/old/src]
    python benchmarks/paint_strokes.py --strokes 50 --refine 0 25 50 100      (the README's --refine table)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

COMMAND = Path(sys.executable).with_name("painting-dreams")


def run_command(args: list[str], src: str | None = None) -> tuple[str, float, float]:
    """Run ``painting-dreams ARGS`` in its own process: its output, wall seconds and peak memory (GB)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    if src:
        env["PYTHONPATH"] = src
    started = time.perf_counter()
    process = subprocess.Popen([str(COMMAND), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"painting-dreams {' '.join(args)} failed (src {src or 'this checkout'}):\n{output}")
    return output, seconds, usage.ru_maxrss / 1e6


def run(image: Path, strokes: int, refine: int, agent: str, src: str | None, out: Path) -> dict:
    output, seconds, peak = run_command(["paint", str(image), "--detail", "0", "--shipped", "--agent", agent,
                                         "--strokes", str(strokes), "--refine", str(refine), "--out", str(out)], src)
    painted = re.search(r"painted in ([0-9.]+) s", output)
    mse = re.search(r"real MyPaint ([0-9.]+)", output)
    return {"painting": float(painted.group(1)), "command": seconds, "peak_gb": peak, "mse": float(mse.group(1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, nargs="+", default=[8, 50, 500])
    parser.add_argument("--refine", type=int, nargs="+", default=[25])
    parser.add_argument("--agent", default="celeba_50")
    parser.add_argument("--vs-src", default=None, help="another checkout's src folder, measured in the same run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "blocks.png"
        blocks = np.random.default_rng(0).integers(0, 256, (4, 4, 3))
        Image.fromarray(np.kron(blocks, np.ones((64, 64, 1))).astype(np.uint8)).save(image)
        sources = [("this checkout", None)] + ([("--vs-src", args.vs_src)] if args.vs_src else [])
        print(f"painting-dreams paint, shipped {args.agent}, 256x256 colour blocks")
        print(f"{'code':<14} {'strokes':>7} {'refine':>6} {'painting s':>10} {'command s':>9} {'peak GB':>7} "
              f"{'s/stroke':>8} {'real MSE':>8}")
        results = {}
        for strokes in args.strokes:
            for refine in args.refine:
                for label, src in sources:
                    r = run(image, strokes, refine, args.agent, src, Path(folder) / "out")
                    results[label, strokes, refine] = r
                    print(f"{label:<14} {strokes:>7} {refine:>6} {r['painting']:>10.1f} {r['command']:>9.1f} "
                          f"{r['peak_gb']:>7.2f} {r['painting'] / strokes:>8.3f} {r['mse']:>8.4f}", flush=True)
        first, last = args.strokes[0], args.strokes[-1]
        for refine in args.refine:
            for label, _ in sources if last != first else ():
                a, b = results[label, first, refine], results[label, last, refine]
                print(f"{label}, --refine {refine}: {last} vs {first} strokes: painting x{b['painting'] / a['painting']:.1f}, "
                      f"peak memory x{b['peak_gb'] / a['peak_gb']:.2f} (strokes x{last / first:.1f})")
            for strokes in args.strokes if args.vs_src else ():
                new, old = results["this checkout", strokes, refine], results["--vs-src", strokes, refine]
                print(f"--refine {refine}, {strokes} strokes: painting {old['painting'] / new['painting']:.1f}x faster, "
                      f"peak memory {old['peak_gb'] / new['peak_gb']:.1f}x smaller than --vs-src")


if __name__ == "__main__":
    main()
