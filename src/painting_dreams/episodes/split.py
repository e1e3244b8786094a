"""Which stored episodes a model trains on and which are held out to score it.

The split is by episode index: the last ``held_out_fraction`` of the episodes are held out, the
rest are for training. Episode ``i`` is a pure function of child ``i`` of the set's seed, so
the split depends only on the number of episodes, never on how they were generated; and with
one seed per variant, canvas episode ``i`` and stroke episode ``i`` share their first actions,
so the held-out canvas episodes of a set as large as the stroke set replay no trained-on action.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EpisodeSplit:
    """``train`` and ``held_out``: slices of episode indices, disjoint, train first."""

    train: slice
    held_out: slice

    @property
    def train_episodes(self) -> int:
        return self.train.stop - self.train.start

    @property
    def held_out_episodes(self) -> int:
        return self.held_out.stop - self.held_out.start


def split_episodes(episodes: int, held_out_fraction: float, max_train: int | None = None,
                   max_held_out: int | None = None) -> EpisodeSplit:
    """Hold out the last ``held_out_fraction`` of ``episodes`` (at least one); train on the rest.

    ``max_train`` keeps only the first episodes of the training part and ``max_held_out`` only
    the first of the held-out part (``None``: all of them). Capping either never moves the
    boundary between the two, so a small run is scored on the same episodes as a full one.
    """
    if not 0.0 < float(held_out_fraction) < 1.0:
        raise ValueError(f"held_out_fraction is {held_out_fraction}: use a fraction strictly between 0 and 1, "
                         "e.g. 0.1 to hold out the last tenth of the episodes")
    for name, cap in (("max_train", max_train), ("max_held_out", max_held_out)):
        if cap is not None and int(cap) < 1:
            raise ValueError(f"{name} is {cap}: use a positive number of episodes, or null for all of them")
    held_out = max(1, round(episodes * float(held_out_fraction)))
    boundary = episodes - held_out
    if boundary < 1:
        raise ValueError(f"only {episodes} episode(s): holding out {held_out} leaves none to train on; "
                         "generate more episodes or lower held_out_fraction")
    train_stop = boundary if max_train is None else min(boundary, int(max_train))
    held_out_stop = episodes if max_held_out is None else min(episodes, boundary + int(max_held_out))
    return EpisodeSplit(train=slice(0, train_stop), held_out=slice(boundary, held_out_stop))
