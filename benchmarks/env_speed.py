"""Strokes per second of MyPaintEnv against a bare libmypaint loop doing the same stroke_to calls.

Both run in this process on one core, on the same random strokes, interleaved over several
rounds (best round of each counts). The bare loop only sets the brush, resets it and calls
``stroke_to`` along precomputed curves; the env also validates and decodes each action, computes
the curve and reads the canvas back into NumPy.

    python benchmarks/env_speed.py [--strokes 2000] [--rounds 3] [--variant color] [--brush classic/dry_brush]

Aim (the project's): env >= 0.8 of bare, and >= 1,000 strokes/s per core.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from painting_dreams.paint import MyPaintEnv
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.libmypaint import Brush, Surface
from painting_dreams.paint.mypaint_canvas import MOVE_DTIME, rgb_to_mypaint_hsv
from painting_dreams.paint.strokes import stroke_events

STEPS_PER_EPISODE = 10


def env_loop(actions: np.ndarray, variant: str, brush: str) -> float:
    """Seconds for the env to paint every action (absolute layout: every action paints)."""
    env = MyPaintEnv(variant=variant, absolute=True, max_steps=STEPS_PER_EPISODE, brush=brush)
    start = time.perf_counter()
    for i, action in enumerate(actions):
        if i % STEPS_PER_EPISODE == 0:
            env.reset()
        env.step(action)
    elapsed = time.perf_counter() - start
    env.close()
    return elapsed


def bare_loop(strokes: list, events: list, brush_name: str, dtime: float = 0.1) -> float:
    """Seconds for raw libmypaint calls painting the same precomputed strokes."""
    template = Brush.from_name(brush_name)
    surface = Surface(64, 64)
    start = time.perf_counter()
    for i, (stroke, curve) in enumerate(zip(strokes, events)):
        if i % STEPS_PER_EPISODE == 0:
            brush = template.fresh()
            surface.clear()
        for name, value in zip(("color_h", "color_s", "color_v"), rgb_to_mypaint_hsv(stroke.rgb)):
            brush.set_base_value(name, value)
        brush.set_base_value("radius_logarithmic", stroke.size)
        brush.begin_stroke()
        surface.stroke(brush, [(curve[0][0], curve[0][1], 0.0)], MOVE_DTIME)
        surface.stroke(brush, curve, dtime)
    elapsed = time.perf_counter() - start
    surface.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=2000, help="strokes per round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each counts")
    parser.add_argument("--variant", default="color", choices=("mnist", "color"))
    parser.add_argument("--brush", default="classic/dry_brush", help="MyPaint brush (`painting-dreams brushes`)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    layout = ActionLayout(args.variant, absolute=True)
    actions = np.random.default_rng(args.seed).random((args.strokes, layout.size)).astype(np.float32)
    if args.variant == "mnist":
        actions[:, layout.index("jump")] = 0.0  # every stroke paints, as in the color variant
    strokes = [layout.decode(a, 64, 64) for a in actions]
    events = [stroke_events(s.start, s.end, s.control, s.pressure) for s in strokes]

    env_times, bare_times = [], []
    for _ in range(args.rounds):
        bare_times.append(bare_loop(strokes, events, args.brush))
        env_times.append(env_loop(actions, args.variant, args.brush))
    env_rate, bare_rate = args.strokes / min(env_times), args.strokes / min(bare_times)
    print(f"variant={args.variant} strokes/round={args.strokes} rounds={args.rounds} (best round, one core)")
    print(f"bare libmypaint loop : {bare_rate:8.0f} strokes/s")
    print(f"MyPaintEnv.step      : {env_rate:8.0f} strokes/s")
    print(f"env / bare ratio     : {env_rate / bare_rate:8.3f}   (aim >= 0.8)")
    print(f"env strokes/s/core   : {env_rate:8.0f}   (aim >= 1000)")


if __name__ == "__main__":
    main()
