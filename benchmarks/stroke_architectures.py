"""Stroke-model architectures side by side: held-out fidelity and time per stroke, in one run.

Each architecture of ``--architectures`` is trained with the same recipe (``stroke_model.training`` of conf,
``--epochs`` passes) on the first ``--train-episodes`` training episodes of a world, and scored as the shipped
painters' cards score theirs (``scripts/ship_painters.py``: held-out MSE over white and its ratio to a blank
prediction's, on the first ``--held-out`` held-out episodes). Then the trained models are timed at a batch of
``--batch`` held-out strokes (an agent step paints 1,600: 64 paintings x 25 strokes), forward and forward +
backward to the actions (the agent's gradient), median of ``--repeats`` calls after two warm-up calls.

    python benchmarks/stroke_architectures.py [--world color] [--train-episodes 1500] [--epochs 2] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]


def seconds_per_call(fn, repeats: int) -> float:
    """Median seconds of ``fn()`` over ``repeats`` calls, after two warm-up calls."""
    fn()
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def timings(model, starts: np.ndarray, actions: np.ndarray, repeats: int) -> tuple[float, float]:
    """Seconds per stroke of ``model``'s forward and forward + backward (to the actions) on one batch."""
    starts, actions = tf.constant(starts), tf.constant(actions)

    @tf.function
    def forward():
        return tf.reduce_sum(model((starts, actions)))

    @tf.function
    def forward_backward():
        with tf.GradientTape() as tape:
            tape.watch(actions)
            loss = tf.reduce_mean(tf.square(model((starts, actions)) - 0.5))
        return tape.gradient(loss, actions)

    count = len(actions.numpy())
    return (seconds_per_call(lambda: forward().numpy(), repeats) / count,
            seconds_per_call(lambda: forward_backward().numpy(), repeats) / count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", default="color", help="world whose stroke episodes to read")
    parser.add_argument("--architectures", default="curve_mlp,reach_mlp",
                        help="comma-separated ARCHITECTURES names, each with optional settings: "
                             "reach_mlp+pixel_units=32+curve_points=25")
    parser.add_argument("--train-episodes", type=int, default=1500, help="the first N training episodes")
    parser.add_argument("--held-out", type=int, default=300, help="the first N held-out episodes")
    parser.add_argument("--epochs", type=int, default=2, help="passes over the training strokes")
    parser.add_argument("--batch", type=int, default=1600, help="strokes per timed call")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per measurement (median counts)")
    parser.add_argument("--threads", type=int, default=None, help="TensorFlow threads (default: every core)")
    parser.add_argument("--data", default=str(PROJECT / "data"), help="the project's data folder")
    parser.add_argument("--out", default=None, help="write the figures here as JSON")
    args = parser.parse_args()
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    from painting_dreams.config_loader import project_parameters
    from painting_dreams.episodes import Episodes
    from painting_dreams.episodes.split import saved_split
    from painting_dreams.evaluation.world_models import evaluate_painter
    from painting_dreams.world_model.stroke_data import stroke_examples
    from painting_dreams.world_model.stroke_renderers import StrokeModelPainter
    from painting_dreams.world_model.training import train_stroke_model

    folder = Path(args.data) / "02_intermediate/episodes" / args.world
    episodes = Episodes(str(folder / "stroke"))
    manifest = episodes.manifest
    split = saved_split(json.loads((folder / "split.json").read_text()), len(episodes), "stroke",
                        max_train=args.train_episodes, max_held_out=args.held_out)
    keys = ["strokes", "actions", "start", "painted"]
    train, held_out = episodes.arrays(keys, episodes=split.train), episodes.arrays(keys, episodes=split.held_out)
    timed = stroke_examples(*(held_out[key] for key in keys), variant=manifest["variant"])
    timed_starts, timed_actions = (np.resize(timed[key], (args.batch, timed[key].shape[1])) for key in ("starts", "actions"))
    training = project_parameters(PROJECT)["stroke_model"]["training"]
    threads = args.threads or len(os.sched_getaffinity(0))
    print(f"{args.world} ({manifest['brush']}): trained on {split.train_episodes} episodes x {args.epochs} epochs, "
          f"scored on {split.held_out_episodes} held-out episodes, timed at batch {args.batch}, {threads} thread(s)")
    results = {}
    for name in args.architectures.split(","):
        architecture, *settings = name.split("+")
        changed = {}
        for setting in settings:
            key, _, value = setting.partition("=")
            if key not in training or not value:
                raise SystemExit(f"--architectures {name!r}: {setting!r} is not KEY=VALUE of stroke_model.training "
                                 f"({', '.join(training)})")
            changed[key] = json.loads(value)
        params = {**training, **changed, "architecture": architecture, "epochs": args.epochs,
                  "variant": manifest["variant"], "brush": manifest["brush"], "brush_sha256": manifest.get("brush_sha256")}
        model, history = train_stroke_model(train["strokes"], train["actions"], train["start"], train["painted"], params,
                                            progress=False)
        scores = evaluate_painter(StrokeModelPainter(model), held_out["strokes"], held_out["actions"], held_out["start"],
                                  held_out["painted"], manifest["variant"])
        forward, backward = timings(model, timed_starts, timed_actions, args.repeats)
        results[name] = {**scores, "train_seconds": history["seconds"], "train_loss": history["loss"][-1],
                         "forward_ms_per_stroke": 1e3 * forward, "forward_backward_ms_per_stroke": 1e3 * backward}
        print(f"  {name}: held-out MSE {scores['mse']:.5f} (blank {scores['blank_mse']:.5f}, ratio {scores['ratio']:.4f}) "
              f"on {scores['strokes']} strokes; trained in {history['seconds']:.0f} s; forward {1e3 * forward:.3f} ms, "
              f"forward + backward {1e3 * backward:.3f} ms per stroke")
    names = list(results)
    for other in names[1:]:
        a, b = results[names[0]], results[other]
        print(f"{other} / {names[0]}: MSE {b['mse'] / a['mse']:.3f}, forward {b['forward_ms_per_stroke'] / a['forward_ms_per_stroke']:.3f}, "
              f"forward + backward {b['forward_backward_ms_per_stroke'] / a['forward_backward_ms_per_stroke']:.3f}, "
              f"training {b['train_seconds'] / a['train_seconds']:.3f}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
