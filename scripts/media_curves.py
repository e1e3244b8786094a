"""Training curves of painters against their training minutes: e.g. a medium fine-tuned from the dry brush's
policy against the same medium trained from scratch.

Reads ``data/07_model_output/agent/<run>_history.csv`` of each run (the agent pipeline writes it: per step
the dream MSE and the seconds it took) and plots the dream MSE on the training images (exponential moving
average, 0.98) against the cumulative training minutes, one line per run; prints each run's minutes, steps
and smoothed MSE at every 10 minutes.

    .venv/bin/python scripts/media_curves.py celeba_50_pen scratch_celeba_50_pen --out docs/media_curves.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--out", type=Path, default=ROOT / "data/08_reporting/agent/media_curves.png")
    parser.add_argument("--history", type=Path, default=ROOT / "data/07_model_output/agent")
    args = parser.parse_args()

    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.6), layout="constrained")
    axes = figure.subplots()
    for run in args.runs:
        history = pd.read_csv(args.history / f"{run}_history.csv")
        minutes = history["seconds"].cumsum() / 60.0
        mse = history["mse"].ewm(alpha=0.02).mean()
        axes.plot(minutes, mse, label=run, linewidth=1.2)
        marks = [f"{m:.0f} min {mse[minutes <= m].iloc[-1]:.4f}" for m in range(10, int(minutes.iloc[-1]) + 1, 10)]
        print(f"{run}: {len(history)} steps in {minutes.iloc[-1]:.1f} min; smoothed dream MSE {mse.iloc[-1]:.4f}"
              + (f" ({'; '.join(marks)})" if marks else ""))
    axes.set_xlabel("training minutes (one core)")
    axes.set_ylabel("dream MSE, training images (EMA)")
    axes.set_yscale("log")  # fine-tuned and from-scratch curves differ by 10x at the start, by 1.4x at the end
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
