"""Blocks of parameters from ``conf/``, checked against the keys the code reads (no Kedro here).

Conf is the one place a setting gets its value: code that takes a block (``agent.defaults.training``,
``vae.training``...) names the keys it reads and has no defaults for them. :func:`checked_block`
refuses a block with a key it does not know (a typo) or without one it needs, naming the conf
block that sets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def checked_block(params: Mapping[str, Any], keys: Iterable[str], what: str, source: str) -> dict[str, Any]:
    """``params`` as a dict if it holds exactly ``keys``; ``what`` names them in errors (``training parameters``)
    and ``source`` is the conf block that sets them all (``vae.training in conf/base/parameters_vae.yml``)."""
    keys = list(keys)
    unknown = sorted(set(params) - set(keys))
    if unknown:
        raise ValueError(f"unknown {what} {unknown}: known ones are {', '.join(sorted(keys))}")
    missing = [key for key in keys if key not in params]
    if missing:
        raise ValueError(f"{what} {missing} are missing: {source} sets every one")
    return dict(params)
