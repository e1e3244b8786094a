"""Does one agent paint every prefix of its strokes well? Real MyPaint MSE of its first S strokes.

A run trained with a prefix loss (``training.prefix_weight``, e.g. celeba_50) is asked to paint
the test images; its actions are replayed in real MyPaint once, and the canvas after each
requested stroke count S is scored against the target (the agent's first S strokes are exactly
what it paints when asked for S: the policy has no notion of how many strokes remain). Beside it,
the dedicated runs' real MSE from their evaluation summaries (``<run>_summary.csv``), where they
exist.

    python benchmarks/prefix_quality.py --run celeba_50 --prefixes 15,30,50 [--images 780]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="celeba_50", help="the agent run whose prefixes to score")
    parser.add_argument("--prefixes", default="15,30,50", help="stroke counts S to score, comma-separated")
    parser.add_argument("--images", type=int, default=None, help="first N test images (default: all)")
    args = parser.parse_args()

    import painting_dreams.world_model.stroke_model  # noqa: F401  registers the stroke model

    from painting_dreams.agent import paint_targets
    from painting_dreams.agent.runs import AgentRun
    from painting_dreams.config_loader import project_parameters
    from painting_dreams.paint.replay import replay_in_mypaint

    try:
        run = AgentRun.named(project_parameters(ROOT), args.run)
    except ValueError as error:
        raise SystemExit(str(error)) from error
    strokes = run.strokes
    prefixes = sorted({int(p) for p in args.prefixes.split(",")})
    if prefixes[0] < 1 or prefixes[-1] > strokes:
        raise SystemExit(f"--prefixes {args.prefixes}: each must lie in 1..{strokes} (the run paints {strokes})")
    dataset, variant, world = run.dataset, run.variant, run.world
    data = ROOT / "data"
    test = np.load(data / f"03_primary/{dataset}_targets.npz")["test"][: args.images]
    test = test.astype(np.float32) / 255.0 if test.dtype == np.uint8 else test.astype(np.float32)
    policy = keras.models.load_model(ROOT / run.run_dir / "policy.keras", safe_mode=True)
    painter = run.dream_painter(keras.models.load_model(data / f"06_models/{world}_stroke_model.keras"))

    started = time.perf_counter()
    actions, dream = paint_targets(policy, painter, test, prefixes[-1])
    real = replay_in_mypaint(actions, variant, run.brush)
    print(f"{args.run}: {len(test)} test images painted and replayed in {time.perf_counter() - started:.0f} s")
    rows = []
    mse = lambda a, b: np.mean(np.square(a - b), axis=(1, 2, 3))  # noqa: E731
    for s in prefixes:
        real_mse, dream_mse = mse(real[:, s - 1] / 255.0, test), mse(dream[:, s - 1], test)
        dedicated = ROOT / "data/08_reporting/evaluation" / f"{dataset}_{s}_summary.csv"
        own = (pd.read_csv(dedicated)["mse_target_real_mean"].iloc[0]
               if dedicated.exists() and f"{dataset}_{s}" != args.run else None)
        rows.append({"strokes": s, "real": real_mse.mean(), "real_std": real_mse.std(), "dream": dream_mse.mean(),
                     "dream_real": mse(real[:, s - 1] / 255.0, dream[:, s - 1]).mean(),
                     f"{dataset}_<S> dedicated, real": own})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
