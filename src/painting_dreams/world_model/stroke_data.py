"""Stroke episodes as the world models see them.

Stroke episodes (from the episodes stage) hold, for ``N`` episodes of ``T`` steps:

| array | shape, dtype | meaning |
|---|---|---|
| ``strokes`` | ``(N, T, 64, 64, 4)`` uint8 | the step's stroke, premultiplied RGBA on transparent |
| ``actions`` | ``(N, T, A)`` float32 in [0, 1] | the action (non-absolute layout of the variant) |
| ``start`` | ``(N, T, 2)`` float32 in [0, 1] | where the stroke started (the previous end point) |
| ``painted`` | ``(N, T)`` bool | whether the env painted (not the first move, not a jump) |

Models work on float32 premultiplied RGBA in [0, 1].
"""

from __future__ import annotations

import numpy as np

from painting_dreams.paint.actions import ActionLayout


def unit_rgba(strokes) -> np.ndarray:
    """uint8 strokes (0-255) as float32 in [0, 1]; float input is returned as float32 unchanged."""
    array = np.asarray(strokes)
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0
    return array.astype(np.float32, copy=False)


def drawable_mask(actions: np.ndarray, painted: np.ndarray, variant: str) -> np.ndarray:
    """``(N, T)`` True where the stroke is a function of its own action and start point.

    That is every step but the first move of an episode, which only places the brush whatever
    its action. A jump (``mnist``) paints nothing because of its action, so it is kept (even as
    a first move): the world model must learn to paint nothing when asked to jump.
    """
    layout = ActionLayout(variant)
    actions = np.asarray(actions)
    if actions.shape[-1] != layout.size:
        raise ValueError(
            f"actions have {actions.shape[-1]} fields, but the {variant!r} variant has {layout.size} "
            f"({', '.join(layout.fields)}): pass the variant the episodes were generated with"
        )
    mask = np.asarray(painted, dtype=bool).copy()
    if variant == "mnist":
        mask |= actions[..., layout.index("jump")] >= 0.5
    return mask


def stroke_examples(strokes, actions, starts, painted, variant: str) -> dict[str, np.ndarray]:
    """The drawable strokes of ``(N, T, ...)`` episodes as flat examples for the stroke model.

    Returns ``{"starts": (M, 2), "actions": (M, A), "strokes": (M, 64, 64, 4)}`` (strokes keep
    their dtype, so uint8 episodes stay small in memory).
    """
    mask = drawable_mask(actions, painted, variant)
    return {
        "starts": np.asarray(starts, dtype=np.float32)[mask],
        "actions": np.asarray(actions, dtype=np.float32)[mask],
        "strokes": np.asarray(strokes)[mask],
    }
