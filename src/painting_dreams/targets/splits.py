"""Caps on how many images a split keeps."""

from __future__ import annotations

from typing import Sequence, TypeVar

Items = TypeVar("Items", bound=Sequence)


def cap_split(items: Items, limit: int | None, *, name: str) -> Items:
    """Keep the first `limit` items (all of them if `limit` is None); `name` is the parameter, for errors."""
    if limit is None:
        return items
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"{name} must be a whole number of images (1 or more) or null for all, got {limit!r}")
    return items[:limit]
