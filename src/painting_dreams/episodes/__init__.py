"""Random-action episodes of the real MyPaint env: rollouts, parallel generation, chunked storage, and
:mod:`~painting_dreams.episodes.split`, the one split per world of the episodes the world models
train on and those held out to score them.

``figures`` (episode strips) is imported on its own, so that using episodes does not load matplotlib.
"""

from painting_dreams.episodes.generate import EpisodeStream, generate_chunks, resolve_workers
from painting_dreams.episodes.rollout import EpisodeSpec, episode_seeds, random_actions, roll_out_episode, roll_out_episodes
from painting_dreams.episodes.store import Episodes, write_episodes

__all__ = [
    "EpisodeSpec",
    "EpisodeStream",
    "Episodes",
    "episode_seeds",
    "generate_chunks",
    "random_actions",
    "resolve_workers",
    "roll_out_episode",
    "roll_out_episodes",
    "write_episodes",
]
