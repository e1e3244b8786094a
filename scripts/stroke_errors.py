"""Which strokes does the stroke model paint wrong? Per-stroke error of the world model against MyPaint.

Refinement from a grid start can push the dream's MSE down while real MyPaint's goes up: the
optimiser finds strokes the world model paints wrong. This script renders strokes one by one in
real MyPaint (``stroke_mode``: each stroke alone, premultiplied RGBA) and with the stroke model, and
compares the per-stroke error of

* ``random``: uniform actions, as the episodes the stroke model was trained on;
* ``grid refined``: the strokes of grid starts refined ``--steps`` steps on training faces
  (the optimiser's choices).

It prints the error of each set and, for the refined strokes, the mean error binned by each
stroke property (length, size, pressure, colour value, how far the curve bends), beside the same
bins of the random strokes: where the refined strokes' error is high and random strokes of the
same kind are rare, the model was never taught those strokes.

    python scripts/stroke_errors.py [--images 64] [--strokes 15] [--steps 500] [--lr 0.03]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def stroke_features(actions: np.ndarray, layout) -> pd.DataFrame:
    """Per stroke: length (start to end, canvas units), bend (control point's distance from the chord's middle),
    size, pressure, and the colour's value."""
    a = {f: actions[:, layout.index(f)] for f in layout.fields}
    start, end = np.stack([a["start_x"], a["start_y"]], 1), np.stack([a["end_x"], a["end_y"]], 1)
    control = np.stack([a["control_x"], a["control_y"]], 1)
    return pd.DataFrame({"length": np.linalg.norm(end - start, axis=1),
                         "bend": np.linalg.norm(control - (start + end) / 2, axis=1),
                         "size": a["size"], "pressure": a["pressure"],
                         "value": np.max(np.stack([a["red"], a["green"], a["blue"]], 1), axis=1)})


def real_strokes(actions: np.ndarray, brush: str) -> np.ndarray:
    """Each action's stroke alone, rendered by MyPaint: ``(N, 64, 64, 4)`` premultiplied RGBA in [0, 1]."""
    from painting_dreams.paint import MyPaintEnv

    env = MyPaintEnv(variant="color", stroke_mode=True, absolute=True, max_steps=len(actions), brush=brush)
    env.reset(seed=0)
    out = np.stack([env.step(np.clip(a, 0, 1))[0]["stroke"] for a in actions]).astype(np.float32) / 255.0
    env.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=64, help="training faces refined from grid starts")
    parser.add_argument("--strokes", type=int, default=15)
    parser.add_argument("--steps", type=int, default=500, help="refinement steps")
    parser.add_argument("--lr", type=float, default=0.03, help="refinement learning rate")
    parser.add_argument("--brush", default="classic/dry_brush", help="the brush the color stroke model learned")
    args = parser.parse_args()

    import painting_dreams.world_model.stroke_model  # noqa: F401
    from painting_dreams.agent import stroke_model_painter
    from painting_dreams.paint.actions import ActionLayout
    from painting_dreams.refine import dream_paint, grid_start, keep_better, refine

    layout = ActionLayout("color", absolute=True)
    model = keras.models.load_model(ROOT / "data/06_models/color_stroke_model.keras")
    painter = stroke_model_painter(model, "color", brush=args.brush)
    brush = painter.real_brush()
    train = np.load(ROOT / "data/03_primary/celeba_targets.npz")["train"][-args.images:]  # the last training faces
    targets = train.astype(np.float32) / 255.0 if train.dtype == np.uint8 else train

    start = grid_start(targets, args.strokes)
    result = refine(painter, targets, start, steps=args.steps, learning_rate=args.lr, batch_size=64)
    kept = keep_better(targets, [start, result.actions], "color", brush)
    dream = dream_paint(painter, result.actions)
    real = keep_better(targets, [result.actions], "color", brush, progress=False).real / 255.0
    print(f"grid start refined {args.steps} steps on {args.images} training faces: dream {result.dream_mse.mean():.4f}, "
          f"real {kept.real_mse[:, 1].mean():.4f} (start: real {kept.real_mse[:, 0].mean():.4f}), "
          f"MSE(dream, real) {np.mean(np.square(dream - real)):.4f}")

    rng = np.random.default_rng(0)
    sets = {"random": rng.uniform(size=(2000, layout.size)).astype(np.float32),
            "grid refined": result.actions.reshape(-1, layout.size)}
    tables = {}
    for name, actions in sets.items():
        predicted = np.concatenate([model((actions[i:i + 256, :2], actions[i:i + 256, 2:])).numpy()
                                    for i in range(0, len(actions), 256)])
        error = np.mean(np.square(predicted - real_strokes(actions, brush)), axis=(1, 2, 3))
        tables[name] = stroke_features(actions, layout).assign(error=error)
        print(f"{name:>12}: {len(actions)} strokes, per-stroke RGBA MSE mean {error.mean():.5f}, "
              f"90th percentile {np.quantile(error, 0.9):.5f}")
    for feature in ("length", "bend", "size", "pressure", "value"):
        edges = np.quantile(tables["random"][feature], [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
        edges[0], edges[-1] = -np.inf, np.inf
        rows = []
        for name, table in tables.items():
            binned = table.groupby(pd.cut(table[feature], np.unique(edges)), observed=False)["error"]
            rows.append(binned.mean().rename(f"{name} error"))
            rows.append((binned.size() / len(table)).rename(f"{name} share"))
        print(f"\nby {feature} (bins: deciles/quartiles of the random strokes)")
        print(pd.concat(rows, axis=1).to_string(float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
