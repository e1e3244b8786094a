"""Strokes per second of each world-model painter beside the real MyPaint env, in one run.

At the agent's batch size (64), for

* the VAE decoder alone, from a latent (the cost of decoding in the VAE + RNN painter),
* the VAE + MDN-RNN painter, one ``step`` (LSTM cell, mixture mean, decoder),
* the stroke model painter, one ``step``,

forward only, and forward + backward to the actions (what agent training does: the world model
is frozen, the gradient goes to the actions; to ``z`` for the decoder alone). Models are
untrained: speed does not depend on the weights. The env paints stroke-mode steps on one core;
TensorFlow uses its default threads (all cores).

    python benchmarks/world_model_speed.py [--variant mnist] [--batch 64] [--seconds 3]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from painting_dreams.paint import MyPaintEnv  # noqa: E402
from painting_dreams.world_model.mdn_rnn import MDNRNN  # noqa: E402
from painting_dreams.world_model.stroke_renderers import StrokeModelPainter, WorldModelsPainter  # noqa: E402
from painting_dreams.world_model.stroke_model import StrokeModel  # noqa: E402
from painting_dreams.world_model.vae import ConvVAE  # noqa: E402


def rate(fn, items_per_call: int, seconds: float) -> float:
    """Items per second of ``fn()`` over at least ``seconds``, after two warm-up calls."""
    fn()
    fn()
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return calls * items_per_call / (time.perf_counter() - start)


def env_rate(variant: str, brush: str, seconds: float, seed: int = 0) -> float:
    """Stroke-mode steps per second of the real env (20-step episodes, random actions)."""
    env = MyPaintEnv(variant=variant, stroke_mode=True, max_steps=20, brush=brush)
    actions = np.random.default_rng(seed).random((1000, env.layout.size)).astype(np.float32)
    step = 0

    def run_episode():
        nonlocal step
        env.reset()
        for _ in range(20):
            env.step(actions[step % len(actions)])
            step += 1

    return rate(run_episode, 20, seconds)


def painter_functions(painter, actions, starts):
    """Compiled forward and forward+backward (to the actions) of one painter step."""
    state = painter.initial_state(actions.shape[0])

    @tf.function
    def forward():
        return painter.step(actions, starts, state)[0]

    @tf.function
    def forward_backward():
        with tf.GradientTape() as tape:
            tape.watch(actions)
            loss = tf.reduce_mean(tf.square(painter.step(actions, starts, state)[0] - 0.5))
        return tape.gradient(loss, actions)

    return forward, forward_backward


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="mnist", choices=("mnist", "color"))
    parser.add_argument("--brush", default="classic/dry_brush", help="MyPaint brush (`painting-dreams brushes`)")
    parser.add_argument("--batch", type=int, default=64, help="strokes per call (the agent's batch size)")
    parser.add_argument("--seconds", type=float, default=3.0, help="timing per measurement")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    size = 7 if args.variant == "mnist" else 9
    actions = tf.constant(rng.random((args.batch, size)).astype(np.float32))
    starts = tf.constant(rng.random((args.batch, 2)).astype(np.float32))
    z = tf.constant(rng.normal(size=(args.batch, 64)).astype(np.float32))
    vae, rnn = ConvVAE(), MDNRNN(action_size=size)

    @tf.function
    def decode():
        return vae.decode(z)

    @tf.function
    def decode_backward():
        with tf.GradientTape() as tape:
            tape.watch(z)
            loss = tf.reduce_mean(tf.square(vae.decode(z) - 0.5))
        return tape.gradient(loss, z)

    rows = {"VAE decoder (from z)": (decode, decode_backward)}
    rows["VAE + MDN-RNN painter"] = painter_functions(WorldModelsPainter(vae, rnn), actions, starts)
    rows["stroke model painter"] = painter_functions(StrokeModelPainter(StrokeModel(args.variant)), actions, starts)

    real = env_rate(args.variant, args.brush, args.seconds)
    threads = tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()
    print(f"variant {args.variant}, batch {args.batch}, TensorFlow threads {threads}, {os.cpu_count()} cores")
    print(f"{'painter':<24} {'forward/s':>10} {'x env':>7} {'fwd+bwd/s':>10} {'x env':>7}")
    print(f"{'MyPaint env (1 core)':<24} {real:>10,.0f} {1:>7.2f} {'-':>10} {'-':>7}")
    for name, (forward, backward) in rows.items():
        f, b = rate(forward, args.batch, args.seconds), rate(backward, args.batch, args.seconds)
        print(f"{name:<24} {f:>10,.0f} {f / real:>7.2f} {b:>10,.0f} {b / real:>7.2f}")


if __name__ == "__main__":
    main()
