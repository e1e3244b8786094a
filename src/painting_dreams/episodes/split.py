"""Which stored episodes a model trains on and which are held out to score them.

The split is by episode index: the last ``held_out_fraction`` of the episodes are held out, the
rest are for training. Episode ``i`` is a pure function of child ``i`` of the set's seed, so
the split depends only on the number of episodes, never on how they were generated; and with
one seed per variant, canvas episode ``i`` and stroke episode ``i`` share their first actions,
so the held-out canvas episodes of a set as large as the stroke set replay no trained-on action.

The ``episodes`` pipeline splits each variant's stroke episodes once (``<variant>.episode_split``,
:meth:`EpisodeSplit.to_dict`); every world-model pipeline reads that split (:func:`saved_split`)
for the stroke and the canvas episodes alike.
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

    def capped(self, max_train: int | None = None, max_held_out: int | None = None) -> EpisodeSplit:
        """Only the first ``max_train`` training and ``max_held_out`` held-out episodes (``None``: all of them);
        the boundary between the two never moves, so a small run is scored on the same episodes as a full one."""
        for name, cap in (("max_train", max_train), ("max_held_out", max_held_out)):
            if cap is not None and int(cap) < 1:
                raise ValueError(f"{name} is {cap}: use a positive number of episodes, or null for all of them")
        train_stop = self.train.stop if max_train is None else min(self.train.stop, self.train.start + int(max_train))
        held_out_stop = (self.held_out.stop if max_held_out is None
                         else min(self.held_out.stop, self.held_out.start + int(max_held_out)))
        return EpisodeSplit(train=slice(self.train.start, train_stop),
                            held_out=slice(self.held_out.start, held_out_stop))

    def to_dict(self) -> dict[str, list[int]]:
        """``{"train": [start, stop], "held_out": [start, stop]}``, as the catalog stores it (JSON)."""
        return {"train": [self.train.start, self.train.stop], "held_out": [self.held_out.start, self.held_out.stop]}

    @classmethod
    def from_dict(cls, saved: dict) -> EpisodeSplit:
        return cls(train=slice(*saved["train"]), held_out=slice(*saved["held_out"]))


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
    held_out = max(1, round(episodes * float(held_out_fraction)))
    boundary = episodes - held_out
    if boundary < 1:
        raise ValueError(f"only {episodes} episode(s): holding out {held_out} leaves none to train on; "
                         "generate more episodes or lower held_out_fraction")
    split = EpisodeSplit(train=slice(0, boundary), held_out=slice(boundary, episodes))
    return split.capped(max_train, max_held_out)


def saved_split(saved: dict, episodes: int, kind: str, max_train: int | None = None,
                max_held_out: int | None = None) -> EpisodeSplit:
    """The variant's split (``<variant>.episode_split``) for a set of ``episodes`` ``kind`` episodes, capped."""
    split = EpisodeSplit.from_dict(saved)
    if episodes < split.held_out.stop:
        raise ValueError(f"the {kind} episodes hold {episodes} episodes but the episode split covers "
                         f"{split.held_out.stop}: rerun the episodes pipeline (it writes both)")
    return split.capped(max_train, max_held_out)
