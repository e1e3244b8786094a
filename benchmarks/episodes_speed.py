"""Episode generation speed: one worker against every core, on the same workload, in one run.

Prints strokes/s of the episode generator (rollouts and chunk assembly, no disk writes) with 1
worker (in-process, no pool) and with N workers (pool start-up included), the scaling ratio
parallel / (N x single) that the spec asks to be >= 0.8, and the time this extrapolates to for
the full set of 10,000 x 20-step stroke episodes. Also checks both runs gave identical arrays.

    .venv/bin/python benchmarks/episodes_speed.py                 # mnist stroke episodes
    .venv/bin/python benchmarks/episodes_speed.py --variant color --episodes 300
    .venv/bin/python benchmarks/episodes_speed.py --repeat 3     # best of 3 each, on a busy machine
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time

import numpy as np

from painting_dreams.episodes import EpisodeSpec, EpisodeStream, resolve_workers

FULL_EPISODES, FULL_STEPS = 10_000, 20  # the stroke episodes of conf/base/parameters_episodes.yml


def timed_run(stream: EpisodeStream) -> tuple[float, float, str]:
    """Wall seconds to generate every chunk of ``stream``, CPU seconds of this (parent) process, a digest.

    The digest covers every action but only every 25th episode's strokes, so that it costs the
    parent process next to nothing (the tests compare all bytes).
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    digest = hashlib.blake2b()
    for chunk in stream:
        digest.update(chunk["actions"].tobytes())
        digest.update(np.ascontiguousarray(chunk["strokes"][::25]).tobytes())
    return time.perf_counter() - started, time.process_time() - cpu_started, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="mnist", choices=("mnist", "color"))
    parser.add_argument("--brush", default="classic/dry_brush", help="MyPaint brush (`painting-dreams brushes`)")
    parser.add_argument("--episodes", type=int, default=600, help="stroke episodes per run (default 600)")
    parser.add_argument("--steps", type=int, default=20, help="steps per episode (default 20)")
    parser.add_argument("--workers", type=int, default=0, help="parallel workers; 0 = every core (default)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate the two runs this many times and keep the fastest of each (on a busy machine)")
    args = parser.parse_args()

    workers = resolve_workers(args.workers)
    spec = EpisodeSpec(args.variant, stroke_mode=True, steps=args.steps, brush=args.brush)
    strokes = args.episodes * args.steps
    print(f"workload: {args.episodes} {args.variant} stroke episodes x {args.steps} steps = {strokes} strokes; "
          f"{workers} workers; load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")

    def stream(n_workers: int) -> EpisodeStream:
        return EpisodeStream(spec, episodes=args.episodes, seed=args.seed, chunk_size=500, workers=n_workers,
                             progress=False)

    singles, parallels = [], []
    for _ in range(max(1, args.repeat)):
        singles.append(timed_run(stream(1)))
        parallels.append(timed_run(stream(workers)))
    single_seconds = min(singles)[0]
    parallel_seconds, parent_cpu, _ = min(parallels)
    single_rate, parallel_rate = strokes / single_seconds, strokes / parallel_seconds
    print(f"1 worker:  {single_seconds:6.2f} s  {single_rate:8.0f} strokes/s  (in-process, no pool)")
    print(f"{workers} workers: {parallel_seconds:6.2f} s  {parallel_rate:8.0f} strokes/s  (pool start-up included; "
          f"parent process used {parent_cpu:.2f} s of CPU)")

    ratio = parallel_rate / (workers * single_rate)
    full_seconds = FULL_EPISODES * FULL_STEPS / parallel_rate
    print(f"scaling ratio: {ratio:.2f} of linear (parallel / ({workers} x single); target >= 0.80)")
    print(f"extrapolated: {FULL_EPISODES:,} x {FULL_STEPS} stroke episodes in {full_seconds / 60:.1f} min "
          f"with {workers} workers (generation only)")
    digests = {digest for _, _, digest in singles + parallels}
    print(f"identical output: {len(digests) == 1}; load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
