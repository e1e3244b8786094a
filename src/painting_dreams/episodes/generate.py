"""Episodes rolled out in parallel over all cores and streamed chunk by chunk.

Reproducibility does not depend on the number of workers: episode ``i`` always gets child ``i``
of ``SeedSequence(seed)`` (see :func:`episode_seeds`), workers only decide *where* an episode
runs, and results are put back in index order. Memory stays bounded: chunks are assembled one
at a time and at most about one chunk of episodes is in flight in the worker pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from painting_dreams.episodes.rollout import EpisodeSpec, episode_seeds, roll_out_episodes
from painting_dreams.paint.libmypaint import brush_digest

logger = logging.getLogger(__name__)

# Work handed to a worker at a time. About 0.1-0.2 s: small enough to keep every core busy to
# the end, large enough that sending the results between processes costs next to nothing.
STROKES_PER_TASK = 200


@dataclass(frozen=True)
class EpisodeStream:
    """Random-action episodes of ``spec``, generated only when iterated.

    Iterating yields chunks: dicts of arrays with ``chunk_size`` episodes each (the last may be
    shorter), keys and shapes as in :func:`roll_out_episode` with a leading episode axis.
    :attr:`manifest` says what the chunks will hold before any is made, so a writer can stream
    them to disk and write the manifest last (see :class:`EpisodesDataset`).

    Example:

    .. code-block:: python

        stream = EpisodeStream(EpisodeSpec("mnist", stroke_mode=True, steps=20, brush="classic/dry_brush"), episodes=100, seed=1)
        for chunk in stream:
            print(chunk["strokes"].shape)  # (100, 20, 64, 64, 4)
    """

    spec: EpisodeSpec
    episodes: int
    seed: int
    chunk_size: int = 500
    workers: int | None = None
    progress: bool = True

    def __post_init__(self):
        if int(self.episodes) < 1:
            raise ValueError(f"episodes is {self.episodes}: generate at least one episode")
        if int(self.chunk_size) < 1:
            raise ValueError(f"chunk_size is {self.chunk_size}: a chunk holds at least one episode")
        if not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ValueError(f"seed is {self.seed!r}: use a non-negative integer")
        resolve_workers(self.workers)

    @property
    def manifest(self) -> dict:
        """What the stream holds; the number of workers is left out because it changes nothing."""
        return {
            "variant": self.spec.variant,
            "stroke_mode": self.spec.stroke_mode,
            "steps": int(self.spec.steps),
            "episodes": int(self.episodes),
            "seed": int(self.seed),
            "width": int(self.spec.width),
            "height": int(self.spec.height),
            "brush": self.spec.brush,
            "brush_sha256": brush_digest(self.spec.brush),
            "action_fields": list(self.spec.layout.fields),
            "chunk_size": int(self.chunk_size),
        }

    def __iter__(self) -> Iterator[dict[str, np.ndarray]]:
        return generate_chunks(self.spec, self.episodes, self.seed, self.chunk_size, self.workers, self.progress)


def resolve_workers(workers: int | None) -> int:
    """``None`` or 0 means every core this process may run on."""
    if workers is None or workers == 0:
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1
    if int(workers) < 0:
        raise ValueError(f"workers is {workers}: use a positive number, or null/0 for every core")
    return int(workers)


def generate_chunks(spec: EpisodeSpec, episodes: int, seed: int, chunk_size: int = 500,
                    workers: int | None = None, progress: bool = True) -> Iterator[dict[str, np.ndarray]]:
    """Yield chunks of ``chunk_size`` episodes in index order, rolled out by ``workers`` processes."""
    seeds = episode_seeds(seed, episodes)
    workers = resolve_workers(workers)
    per_task = max(1, min(STROKES_PER_TASK // spec.steps, -(-episodes // (4 * workers))))
    chunks = [(first, min(first + chunk_size, episodes)) for first in range(0, episodes, chunk_size)]
    # Tasks never straddle a chunk, so a chunk is complete as soon as its own tasks are.
    tasks = [(first, min(first + per_task, stop)) for start, stop in chunks for first in range(start, stop, per_task)]
    workers = min(workers, len(tasks))
    in_flight = max(2 * workers, -(-min(chunk_size, episodes) // per_task))
    layout = spec.array_layout()

    started, consumer_seconds = time.perf_counter(), 0.0
    bar = tqdm(total=episodes * spec.steps, unit="stroke", unit_scale=True, mininterval=1.0, disable=not progress,
               desc=f"{spec.variant} {spec.mode} episodes ({workers} worker{'s' if workers > 1 else ''})")
    batches = _roll_out_batches(spec, seeds, tasks, workers, in_flight)
    with bar, closing(batches):
        for start, stop in chunks:
            chunk = {key: np.empty((stop - start, *shape), dtype) for key, (shape, dtype) in layout.items()}
            filled = start
            while filled < stop:
                batch = next(batches)
                count = len(batch["seeds"])
                for key, array in batch.items():
                    chunk[key][filled - start:filled - start + count] = array
                filled += count
                bar.update(count * spec.steps)
            handed_over = time.perf_counter()
            yield chunk
            consumer_seconds += time.perf_counter() - handed_over
    elapsed = time.perf_counter() - started
    logger.info("Rolled out %d %s %s episodes (%d strokes) in %.1f s with %d workers: %.0f strokes/s "
                "(%.1f s of it waiting for the consumer, e.g. writing chunks)", episodes, spec.variant, spec.mode,
                episodes * spec.steps, elapsed, workers, episodes * spec.steps / elapsed, consumer_seconds)


def _roll_out_batches(spec: EpisodeSpec, seeds: np.ndarray, tasks: list[tuple[int, int]], workers: int,
                      in_flight: int) -> Iterator[dict[str, np.ndarray]]:
    """Stacked episodes of each ``(first, stop)`` task, in task order."""
    if workers == 1:
        env = spec.make_env()
        try:
            for first, stop in tasks:
                yield roll_out_episodes(env, seeds[first:stop], spec.steps)
        finally:
            env.close()
        return

    queue = iter(tasks)
    # Leaving the ``with`` (end, error or the consumer stopping early) terminates the workers.
    with _process_context().Pool(workers, initializer=_start_worker, initargs=(spec,)) as pool:
        pending = deque()

        def submit_next() -> None:
            task = next(queue, None)
            if task is not None:
                pending.append(pool.apply_async(_roll_out_in_worker, (seeds[task[0]:task[1]],)))

        for _ in range(in_flight):
            submit_next()
        while pending:
            batch = pending.popleft().get()
            submit_next()
            yield batch


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork server where available: no fork of a process that may hold threads (Kedro, tqdm).

    The server imports this module (numpy, gymnasium, the env) once, so workers forked from it
    start in a fraction of a second.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


_worker_spec: EpisodeSpec | None = None
_worker_env = None


def _start_worker(spec: EpisodeSpec) -> None:
    global _worker_spec
    _worker_spec = spec
    # libmypaint printf()s "Time is running backwards!" when its own float rounding makes a dab's
    # time step negative (it clamps it and paints on); a worker's C stdout carries nothing else.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _roll_out_in_worker(seeds: np.ndarray) -> dict[str, np.ndarray]:
    global _worker_env
    if _worker_env is None:
        # Built here, not in the pool initializer: an initializer that raises (say, libmypaint
        # missing) makes the pool restart workers forever, while a task's error reaches the caller.
        _worker_env = _worker_spec.make_env()
    return roll_out_episodes(_worker_env, seeds, _worker_spec.steps)
