"""How far from its curve does MyPaint paint a stroke? The reach settings of ``reach_mlp``, measured.

For the drawable strokes of a world's first ``--episodes`` training (or ``--held-out``) episodes it measures every pixel's
distance to the stroke's curve (the stroke model's polyline of ``--curve-points`` points, as the model sees
it) and where the real stroke's paint lies: per bin of the size field, the farthest painted pixel; the
line ``reach = base + per_size * size`` of least mean reach that leaves at most ``--max-outside`` of the
strokes' alpha outside; and, for that line and any given with ``--base``/``--per-size``, the share of the
real strokes' alpha and of their pixels with alpha > 1/255 outside the reach (upper bounds: distances are
binned by 0.1 px, and the bin holding the reach counts as outside).

    python scripts/stroke_reach.py [--world color] [--episodes 1500] [--max-outside 1e-5] [--base B --per-size K]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = 0.1  # pixels per distance bin
BINS = 1000  # up to 100 px, beyond the canvas diagonal (90.5 px)


def distance_histograms(strokes, actions, starts, curve_points: int, batch: int = 256):
    """Per stroke, the alpha and the count of pixels with alpha > 1/255 in each distance bin: ``(M, BINS)`` twice."""
    import tensorflow as tf

    from painting_dreams.world_model.stroke_model import IMAGE_SIZE, nearest_on_polyline, pixel_centres, quadratic_curve_points

    pixels = pixel_centres(IMAGE_SIZE)
    distance_of = tf.function(lambda s, e, c: nearest_on_polyline(
        pixels, quadratic_curve_points(s * IMAGE_SIZE, e * IMAGE_SIZE, c * IMAGE_SIZE, curve_points))[0])
    alpha_sums, counts = [], []
    for begin in range(0, len(strokes), batch):
        part = slice(begin, begin + batch)
        distance = distance_of(starts[part], actions[part, 0:2], actions[part, 2:4]).numpy()  # (b, P)
        alpha = strokes[part, ..., 3].reshape(len(distance), -1).astype(np.float64) / 255.0
        bins = np.minimum((distance / BIN).astype(np.int64), BINS - 1) + BINS * np.arange(len(distance))[:, None]
        length = BINS * len(distance)
        alpha_sums.append(np.bincount(bins.ravel(), alpha.ravel(), length).reshape(-1, BINS).astype(np.float32))
        counts.append(np.bincount(bins.ravel(), (alpha > 1 / 255).ravel(), length).reshape(-1, BINS).astype(np.float32))
    return np.concatenate(alpha_sums), np.concatenate(counts)


def tails(histogram: np.ndarray) -> np.ndarray:
    """``(M, BINS)``: per stroke, the share of ``histogram``'s total in bin ``j`` and beyond."""
    return np.cumsum(histogram[:, ::-1], axis=1, dtype=np.float64)[:, ::-1] / histogram.sum()


def outside(tail: np.ndarray, reach: np.ndarray) -> float:
    """The share of the paint of ``tail`` (:func:`tails`) in the bins reaching beyond each stroke's ``reach``
    (pixels): an upper bound, as the bin holding the reach counts as outside."""
    first_outside = np.clip(np.floor(reach / BIN).astype(np.int64), 0, BINS - 1)  # bin i holds [i, i + 1) * BIN
    return float(tail[np.arange(len(tail)), first_outside].sum())


def farthest(histogram: np.ndarray) -> np.ndarray:
    """Per stroke, the upper edge of the farthest bin holding any of ``histogram`` (pixels; 0 if none)."""
    held = histogram > 0
    last = BINS - 1 - np.argmax(held[:, ::-1], axis=1)
    return np.where(held.any(1), (last + 1) * BIN, 0.0)


def smallest_line(tail: np.ndarray, size: np.ndarray, max_outside: float) -> tuple[float, float]:
    """``(base, per_size)`` of the line of least mean reach leaving at most ``max_outside`` of the paint outside
    (per_size on a 0.25 px grid, base found by bisection to 0.01 px)."""
    best = None
    for per_size in np.arange(0.0, 60.0 + 1e-9, 0.25):
        low, high = 0.0, float(BINS * BIN)
        while high - low > 0.01:
            middle = (low + high) / 2
            low, high = (low, middle) if outside(tail, middle + per_size * size) <= max_outside else (middle, high)
        mean = high + per_size * size.mean()
        if best is None or mean < best[0]:
            best = (mean, round(high, 2), float(per_size))
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", default="color", help="world whose stroke episodes to read (data/02_intermediate)")
    parser.add_argument("--episodes", type=int, default=1500, help="the first N training episodes")
    parser.add_argument("--held-out", action="store_true", help="the first N held-out episodes instead (to check a reach)")
    parser.add_argument("--curve-points", type=int, default=17, help="polyline points (stroke_model.training)")
    parser.add_argument("--size-bins", type=int, default=10, help="bins of the size field for the envelope")
    parser.add_argument("--max-outside", type=float, default=1e-5, help="share of the alpha the fitted reach may miss")
    parser.add_argument("--base", type=float, default=None, help="reach_pixels_base to score")
    parser.add_argument("--per-size", type=float, default=None, help="reach_pixels_per_size to score")
    parser.add_argument("--data", default=str(ROOT / "data"), help="the project's data folder")
    args = parser.parse_args()

    from painting_dreams.episodes import Episodes
    from painting_dreams.episodes.split import saved_split
    from painting_dreams.paint.actions import ActionLayout
    from painting_dreams.world_model.stroke_data import stroke_examples

    folder = Path(args.data) / "02_intermediate/episodes" / args.world
    episodes = Episodes(str(folder / "stroke"))
    split = saved_split(json.loads((folder / "split.json").read_text()), len(episodes), "stroke",
                        max_train=args.episodes, max_held_out=args.episodes)
    part, episode_count = (split.held_out, split.held_out_episodes) if args.held_out else (split.train, split.train_episodes)
    variant = episodes.manifest["variant"]
    e = episodes.arrays(["strokes", "actions", "start", "painted"], episodes=part)
    examples = stroke_examples(e["strokes"], e["actions"], e["start"], e["painted"], variant)
    painted_any = examples["strokes"][..., 3].reshape(len(examples["strokes"]), -1).max(1) > 0
    examples = {key: value[painted_any] for key, value in examples.items()}  # a jump paints nothing: no reach
    size = examples["actions"][:, ActionLayout(variant).index("size")]
    alpha, count = distance_histograms(examples["strokes"], examples["actions"], examples["starts"], args.curve_points)
    far_alpha, far_pixel = farthest(alpha), farthest(count)
    print(f"{args.world} ({episodes.manifest['brush']}): {len(size)} painted strokes of {episode_count} "
          f"{'held-out' if args.held_out else 'training'} episodes, distances to a {args.curve_points}-point polyline")
    print(f"{'size bin':>12s}{'strokes':>9s}{'farthest alpha > 0':>20s}{'farthest > 1/255':>18s}"
          f"{'99.9 % of strokes':>19s}")
    edges = np.linspace(0.0, 1.0, args.size_bins + 1)
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (size >= low) & (size <= high)
        if not inside.any():
            continue
        print(f"{low:5.2f}-{high:4.2f}{inside.sum():9d}{far_alpha[inside].max():20.2f}{far_pixel[inside].max():18.2f}"
              f"{np.quantile(far_alpha[inside], 0.999):19.2f}")
    alpha_tail, count_tail = tails(alpha), tails(count)
    candidates = {f"least mean reach, alpha outside <= {args.max_outside:g}":
                  smallest_line(alpha_tail, size, args.max_outside),
                  "least mean reach, no alpha outside": smallest_line(alpha_tail, size, 0.0)}
    if args.base is not None and args.per_size is not None:
        candidates["given"] = (args.base, args.per_size)
    for name, (b, k) in candidates.items():
        reach = b + k * size
        print(f"{name}: reach = {b:.2f} + {k:.2f} x size px: alpha outside {outside(alpha_tail, reach):.2e}, pixels "
              f"with alpha > 1/255 outside {outside(count_tail, reach):.2e}, strokes with paint outside "
              f"{np.mean(far_alpha > reach):.2e}, mean reach {reach.mean():.1f} px")


if __name__ == "__main__":
    main()
