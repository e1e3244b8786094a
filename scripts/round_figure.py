"""The world-model rounds at a glance: MSE(dream, real) of each painter's test paintings in the start and the
round's dream, and both stroke models' error on held-out random and painted strokes, from the rounds' reports
(``<out>/08_reporting/world_model/<round>_round_scores.csv``). Prints the table and saves a PNG.

    python scripts/round_figure.py [color_r1 mnist_r1] [--out docs/rounds.png] [--data data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="*", default=["color_r1", "mnist_r1"])
    parser.add_argument("--out", default="docs/rounds.png")
    parser.add_argument("--data", default="data", help="the outputs' root (globals.out)")
    args = parser.parse_args()
    tables = {name: pd.read_csv(ROOT / args.data / f"08_reporting/world_model/{name}_round_scores.csv")
              for name in args.rounds}
    figure, axes = plt.subplots(1, 2, figsize=(11, 4))
    labels, start, after = [], [], []
    for name, table in tables.items():
        paintings = table[table["row"] == "test paintings"]
        for painter in paintings["painter"].unique():
            rows = paintings[paintings["painter"] == painter].set_index("model")
            labels.append(f"{painter}\n({name})")
            start.append(rows.loc["start", "dream_real"])
            after.append(rows.loc["round", "dream_real"])
            print(f"{name} {painter}: MSE(dream, real) {start[-1]:.5f} -> {after[-1]:.5f} ({after[-1] / start[-1]:.2f} x); "
                  f"real {rows.loc['start', 'real']:.5f} -> {rows.loc['round', 'real']:.5f} "
                  f"on {int(rows.loc['round', 'count'])} test images")
        for row in ("random strokes (held out)", "painted strokes (held-out images)"):
            strokes = table[table["row"] == row].set_index("model")
            print(f"{name} {row}: stroke MSE {strokes.loc['start', 'mse']:.6f} -> {strokes.loc['round', 'mse']:.6f} "
                  f"({strokes.loc['round', 'mse'] / strokes.loc['start', 'mse']:.2f} x, {int(strokes.loc['round', 'count'])} strokes)")
    x = np.arange(len(labels))
    axes[0].bar(x - 0.2, start, 0.4, label="start model")
    axes[0].bar(x + 0.2, after, 0.4, label="after the round")
    axes[0].set_xticks(x, labels, fontsize=8)
    axes[0].set_ylabel("MSE(dream, real MyPaint), test paintings")
    axes[0].legend()
    rows = [(name, row) for name in tables for row in ("random strokes (held out)", "painted strokes (held-out images)")]
    x = np.arange(len(rows))
    for offset, model, label in ((-0.2, "start", "start model"), (0.2, "round", "after the round")):
        axes[1].bar(x + offset, [tables[n][(tables[n]["row"] == r) & (tables[n]["model"] == model)]["mse"].iloc[0]
                                 for n, r in rows], 0.4, label=label)
    axes[1].set_xticks(x, [f"{r.split(' (')[0]}\n({n})" for n, r in rows], fontsize=8)
    axes[1].set_ylabel("stroke MSE against MyPaint, per pixel")
    axes[1].legend()
    figure.suptitle("World-model rounds: the stroke model taught the strokes its painters paint")
    figure.tight_layout()
    figure.savefig(ROOT / args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
