"""Where a training step's time goes, for the old recipe (the seed's) and the new one (agent.defaults).

For one agent run (default ``celeba_15``) and each recipe it times ``DreamTrainer``'s training step
(median of ``--steps`` after two warm-up steps) with parts swapped for trivial stand-ins:

* ``full``: the step as training runs it;
* ``no stroke model``: the painter replaced by a cheap differentiable function of the action (a
  uniform wash of its colour), so the difference is the stroke model's forward + backward;
* ``no critic``: the adversarial term off (``adversarial_weight`` 0), so the difference is the
  critic's update and its term in the policy loss;
* ``tiny policy``: also the policy shrunk to 4 filters, no residual block, 8 dense and LSTM units:
  what is left is compositing and the fixed cost of a step; the difference from the line above
  is the policy.

Untrained weights at the configured sizes, random targets. ``--architecture`` names the stroke-model
architectures to time (comma-separated, ``stroke_model.training``'s settings of conf): each gets its own
``full`` step, beside the same stand-in steps. Speed does not depend on the weights, except that
``reach_mlp``'s skipped pixels follow its reach settings in conf and the strokes the untrained policy asks for.

    python benchmarks/step_breakdown.py [--run celeba_15] [--steps 8] [--threads N] [--architecture curve_mlp,reach_mlp]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
TINY_POLICY = {"filters": 4, "residual_blocks": 0, "action_embedding": 8, "dense_units": 8, "lstm_units": 8}


def step_seconds(params: dict, painter, targets: np.ndarray, steps: int, policy_overrides=None, **training) -> float:
    """Median seconds of a training step of ``params`` with ``training`` overrides."""
    from painting_dreams.agent import DreamTrainer, TrainingConfig, build_critic, build_policy

    config = TrainingConfig.from_params({**params["training"], **training})
    keras.utils.set_random_seed(0)
    policy = build_policy(params["layout"], params["fixed_fields"], **{**params["policy"], **(policy_overrides or {})})
    critic = build_critic(**params["critic"])
    with tempfile.TemporaryDirectory() as run_dir:
        trainer = DreamTrainer(policy, critic, painter, targets, config, run_dir, name="breakdown")
        times = []
        for step in range(steps + 2):
            batch = trainer._batch(step + 1)
            start = time.perf_counter()
            float(trainer._train_step(*batch)["mse"])
            times.append(time.perf_counter() - start)
    return float(np.median(times[2:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="celeba_15", help="agent run whose sizes to use (conf/base)")
    parser.add_argument("--steps", type=int, default=8, help="timed steps per measurement (median counts)")
    parser.add_argument("--threads", type=int, default=None, help="TensorFlow threads (default: every core)")
    parser.add_argument("--architecture", default="curve_mlp",
                        help="stroke-model architectures to time, comma-separated (world_model.architectures)")
    args = parser.parse_args()
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    from painting_dreams.agent.dream_painter import DreamPainter
    from painting_dreams.agent.runs import AgentRun
    from painting_dreams.config_loader import project_parameters
    from painting_dreams.world_model.architectures import build_stroke_model

    parameters = project_parameters(PROJECT)
    targets = np.random.default_rng(0).uniform(size=(256, 64, 64, 3)).astype(np.float32)
    print(f"step time of {args.run}, seconds (median of {args.steps}), {args.threads or len(os.sched_getaffinity(0))} threads")
    architectures = args.architecture.split(",")
    rows = {}
    for name, recipe in (("old (seed)", "seed"), ("new", None)):
        run = AgentRun.from_params(parameters["agent"]["defaults"], {**parameters["runs"][args.run], "recipe": recipe})
        params, variant = run.params, run.variant
        painters = {architecture: run.dream_painter(build_stroke_model(architecture, variant, None, None,
                                                                       parameters["stroke_model"]["training"]))
                    for architecture in architectures}
        colour = slice(-3, None) if variant == "color" else slice(-1, None)

        def wash(actions):  # a uniform half-opaque wash of the action's colour: cheap and differentiable
            rgb = tf.reshape(tf.reduce_mean(actions[:, colour], -1, keepdims=True) * tf.ones((1, 3)), (-1, 1, 1, 3))
            return tf.concat([tf.broadcast_to(rgb * 0.5, (tf.shape(actions)[0], 64, 64, 3)),
                              tf.fill((tf.shape(actions)[0], 64, 64, 1), 0.5)], -1)

        cheap = DreamPainter.from_function(wash, variant, params["compositor"], "soft")
        adversarial = params["training"]["adversarial_weight"]
        full = {architecture: step_seconds(params, painter, targets, args.steps) for architecture, painter in painters.items()}
        no_painter = step_seconds(params, cheap, targets, args.steps)
        no_critic = step_seconds(params, cheap, targets, args.steps, adversarial_weight=0.0) if adversarial else no_painter
        tiny = step_seconds(params, cheap, targets, args.steps, TINY_POLICY, adversarial_weight=0.0)
        rows[name] = {"full step": full[architectures[0]], "stroke model (fwd + bwd)": full[architectures[0]] - no_painter,
                      "critic": no_painter - no_critic, "policy": no_critic - tiny,
                      "compositing + fixed cost": tiny}
        for architecture in architectures[1:]:
            rows[name][f"full step, {architecture}"] = full[architecture]
            rows[name][f"stroke model, {architecture}"] = full[architecture] - no_painter
        p, t = params["policy"], params["training"]
        print(f"  {name}: {t['strokes']} strokes, batch {t['batch_size']}, {p['strokes_per_step']} strokes per policy "
              f"step, canvas at {p['canvas_resolution']} px, {p['encoder']} encoder, adversarial weight {adversarial}")
    names = list(rows)
    print(f"\nstroke model: {architectures[0]} (in the first rows)")
    print(f"{'part':34s}" + "".join(f"{n:>14s}" for n in names) + f"{'new / old':>11s}")
    for part in rows[names[0]]:
        old, new = rows[names[0]][part], rows[names[1]][part]
        ratio = f"{new / old:11.2f}" if old > 0.005 else f"{'-':>11s}"
        print(f"{part:34s}{old:14.3f}{new:14.3f}{ratio}")
    for architecture in architectures[1:]:
        for part in ("full step", "stroke model"):
            key = "stroke model (fwd + bwd)" if part == "stroke model" else part
            print(f"{part}, {architecture} / {architectures[0]}: " + ", ".join(
                f"{n} {rows[n][f'{part}, {architecture}'] / rows[n][key]:.2f}" for n in names))


if __name__ == "__main__":
    main()
