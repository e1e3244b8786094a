"""Collapse detection: training that falls back to the quality of an untrained agent.

The seed's 50-stroke CelebA agent "collapsed" now and then, its MSE jumping back to that of an
untrained agent, and had to be rolled back by hand. :class:`CollapseWatch` keeps the mean MSE of
the last ``window`` steps and calls it a collapse when, after the agent has once been *trained*
(recent MSE below ``trained_fraction`` x the untrained MSE), the recent MSE climbs back above
``collapse_fraction`` x the untrained MSE.
"""

from __future__ import annotations

from collections import deque

import numpy as np


class CollapseWatch:
    def __init__(self, untrained_mse: float, window: int = 50, trained_fraction: float = 0.5,
                 collapse_fraction: float = 0.9, trained: bool = False):
        if not 0.0 < trained_fraction < collapse_fraction:
            raise ValueError(
                f"trained_fraction ({trained_fraction}) must be above 0 and below collapse_fraction "
                f"({collapse_fraction}): a collapse is the MSE climbing back from the first to the second"
            )
        if window < 1:
            raise ValueError(f"collapse window is {window}: average over at least one step")
        self.untrained_mse = float(untrained_mse)
        self.trained_fraction, self.collapse_fraction = float(trained_fraction), float(collapse_fraction)
        self.trained = bool(trained)
        self._recent: deque[float] = deque(maxlen=int(window))

    @property
    def recent_mse(self) -> float:
        return float(np.mean(self._recent)) if self._recent else float("nan")

    def update(self, mse: float) -> bool:
        """Record one step's MSE; return True if training has collapsed."""
        self._recent.append(float(mse))
        if len(self._recent) < self._recent.maxlen:
            return False
        recent = self.recent_mse
        if recent < self.trained_fraction * self.untrained_mse:
            self.trained = True
        return self.trained and recent > self.collapse_fraction * self.untrained_mse

    def reset(self, trained: bool) -> None:
        """Forget the recent steps (after a rollback or a resume)."""
        self._recent.clear()
        self.trained = bool(trained)
