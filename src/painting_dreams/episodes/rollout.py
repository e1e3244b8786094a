"""Random-action rollouts of the real MyPaint env, one episode at a time.

An episode is a pure function of its seed: the seed makes the actions (uniform in [0, 1] per
field) and each ``reset`` restarts the brush, so ``roll_out_episode(env, seeds[i])`` replays
episode ``i`` of any stored set of episodes exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from painting_dreams.paint import ActionLayout, MyPaintEnv
from painting_dreams.paint.replay import play_episode


@dataclass(frozen=True)
class EpisodeSpec:
    """What one episode is: the env variant and brush, canvas or stroke mode, its length and canvas size."""

    variant: str = "mnist"
    stroke_mode: bool = False
    steps: int = 10
    width: int = 64
    height: int = 64
    brush: str = field(kw_only=True)  # the world's MyPaint brush

    def __post_init__(self):
        if int(self.steps) < 1:
            raise ValueError(f"steps is {self.steps}: an episode needs at least one step")
        ActionLayout(self.variant)  # raises on an unknown variant, naming the valid ones

    @property
    def layout(self) -> ActionLayout:
        return ActionLayout(self.variant)

    @property
    def mode(self) -> str:
        return "stroke" if self.stroke_mode else "canvas"

    def make_env(self) -> MyPaintEnv:
        return MyPaintEnv(variant=self.variant, stroke_mode=self.stroke_mode, width=self.width,
                          height=self.height, max_steps=self.steps, brush=self.brush)

    def array_layout(self) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
        """Shape (without the leading episode axis) and dtype of every stored array."""
        t, a, h, w = self.steps, self.layout.size, self.height, self.width
        layout = {
            "actions": ((t, a), np.dtype(np.float32)),
            "actions_env": ((t, a), np.dtype(np.float32)),
            "start": ((t, 2), np.dtype(np.float32)),
            "painted": ((t,), np.dtype(bool)),
            "canvases": ((t, h, w, 3), np.dtype(np.uint8)),
            "seeds": ((), np.dtype(np.uint64)),
        }
        if self.stroke_mode:
            layout["strokes"] = ((t, h, w, 4), np.dtype(np.uint8))
        return layout


def episode_seeds(seed: int, episodes: int) -> np.ndarray:
    """One uint64 seed per episode, spawned from ``SeedSequence(seed)``: episode ``i`` gets child ``i``."""
    if episodes < 0:
        raise ValueError(f"episodes is {episodes}: ask for zero or more episodes")
    children = np.random.SeedSequence(seed).spawn(episodes)
    return np.array([child.generate_state(1, np.uint64)[0] for child in children], dtype=np.uint64)


def random_actions(seed: int, steps: int, layout: ActionLayout) -> np.ndarray:
    """``(steps, fields)`` float32 actions, uniform in [0, 1) per field, from the episode's own generator."""
    return np.random.default_rng(int(seed)).random((steps, layout.size), dtype=np.float32)


def roll_out_episode(env: MyPaintEnv, seed: int, steps: int | None = None) -> dict[str, np.ndarray]:
    """Reset ``env`` and play ``steps`` (default: its ``max_steps``) random actions made from ``seed``.

    Keys and shapes (``T`` = steps, ``A`` = action fields): ``actions`` (T, A) float32 in [0, 1];
    ``actions_env`` (T, A) float32 in env units; ``start`` (T, 2) float32 start of each step's
    stroke, normalised by the canvas size; ``painted`` (T,) bool; ``canvases`` (T, H, W, 3) uint8
    on white (stroke mode: the step's stroke on white); ``strokes`` (T, H, W, 4) uint8
    premultiplied RGBA (stroke mode only); ``seeds`` () uint64.
    """
    steps = env.max_steps if steps is None else int(steps)
    actions = random_actions(seed, steps, env.layout)
    played = play_episode(env, actions, int(seed))
    episode = {
        "actions": actions,
        "actions_env": env.layout.to_env_units(actions, env.width, env.height),
        "start": played["start"],
        "painted": played["painted"],
        "canvases": played["canvases"],
        "seeds": np.uint64(seed),
    }
    if "strokes" in played:
        episode["strokes"] = played["strokes"]
    return episode


def roll_out_episodes(env: MyPaintEnv, seeds: np.ndarray, steps: int | None = None) -> dict[str, np.ndarray]:
    """Roll out one episode per seed and stack them: every array gains a leading episode axis."""
    episodes = [roll_out_episode(env, seed, steps) for seed in seeds]
    return {key: np.stack([episode[key] for episode in episodes]) for key in episodes[0]}
