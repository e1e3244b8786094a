"""Training steps/s and images painted/s of the dream agent, at the sizes of conf/base.

Untrained models at the configured sizes (the speed does not depend on the weights): the
world model's stroke model as the painter, the policy and critic of ``agent.defaults``. For a
run (default ``mnist_8``) it measures, in this process, interleaved over ``--rounds`` rounds
(best round counts):

* training steps/s (paint a batch with the policy, ``critic_steps`` critic updates, one policy
  update), as ``DreamTrainer`` runs them;
* the same step with the painter alone (random actions, no policy, no critic, fwd + bwd), the
  floor set by the world model: the ratio says what the agent adds on top of it;
* images painted/s by ``paint_targets`` (inference, batch 64).

    python benchmarks/agent_speed.py [--run mnist_8] [--steps 10] [--rounds 3]
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

from painting_dreams.agent import DreamTrainer, TrainingConfig, build_critic, build_policy, paint_targets  # noqa: E402
from painting_dreams.agent.runs import AgentRun  # noqa: E402
from painting_dreams.config_loader import project_parameters  # noqa: E402
from painting_dreams.world_model.stroke_model import StrokeModel  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]


def best_rate(run, count: int, rounds: int) -> float:
    """Best of ``rounds`` rates (``count`` / seconds) of ``run()``; one warm-up call first."""
    run()
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(count):
            run()
        rates.append(count / (time.perf_counter() - start))
    return max(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="mnist_8", help="agent run whose sizes to use (runs in conf's inventory.yml)")
    parser.add_argument("--steps", type=int, default=10, help="training steps per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best counts")
    args = parser.parse_args()

    run = AgentRun.named(project_parameters(PROJECT), args.run)
    params = run.params
    config = TrainingConfig.from_params({**params["training"], "log_every": 10**9, "checkpoint_every": 10**9})
    keras.utils.set_random_seed(0)
    painter = run.dream_painter(StrokeModel(run.variant))
    policy = build_policy(run.variant, params["fixed_fields"], **params["policy"])
    critic = build_critic(**params["critic"])
    rng = np.random.default_rng(0)
    targets = rng.uniform(size=(256, 64, 64, 3)).astype(np.float32)

    with tempfile.TemporaryDirectory() as run_dir:
        trainer = DreamTrainer(policy, critic, painter, targets, config, run_dir, name="benchmark")
        batch = trainer._batch(1)
        train_rate = best_rate(lambda: trainer._train_step(*batch), args.steps, args.rounds)

    actions = tf.constant(rng.uniform(size=(config.strokes, config.batch_size, painter.layout.size)), tf.float32)
    variable = tf.Variable(actions)

    @tf.function
    def painter_only_step():
        with tf.GradientTape() as tape:
            canvas, state = tf.ones((config.batch_size, 64, 64, 3)), painter.initial_state(config.batch_size)
            for t in range(config.strokes):
                canvas, state = painter.paint(canvas, variable[t], state)
            loss = tf.reduce_mean(tf.square(canvas - targets[: config.batch_size]))
        return tape.gradient(loss, variable)

    painter_rate = best_rate(painter_only_step, args.steps, args.rounds)
    images = targets[:64]
    paint_rate = 64 * best_rate(lambda: paint_targets(policy, painter, images, config.strokes), 2, args.rounds)

    print(f"agent run {args.run}: variant {run.variant}, {config.strokes} strokes, batch {config.batch_size}, "
          f"{config.critic_steps} critic steps, policy {policy.count_params():,} weights, "
          f"critic {critic.count_params():,}; {os.cpu_count()} cores, TF {tf.__version__}")
    print(f"  training steps/s:                   {train_rate:8.2f}")
    print(f"  painter-only steps/s (fwd + bwd):   {painter_rate:8.2f}   training / painter-only = "
          f"{train_rate / painter_rate:.2f}")
    print(f"  images painted/s (paint_targets):   {paint_rate:8.1f}   ({paint_rate * config.strokes:.0f} strokes/s)")
    print(f"  -> {config.steps} steps of this run: ~{config.steps / train_rate / 3600:.1f} h on this machine")


if __name__ == "__main__":
    main()
