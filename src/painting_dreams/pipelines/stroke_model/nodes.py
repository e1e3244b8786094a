"""Nodes of the ``stroke_model`` pipeline: thin calls into :mod:`painting_dreams.world_model.training`."""

from __future__ import annotations

from typing import Any

import numpy as np

from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.paint.libmypaint import brush_digest, find_brush
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.training import train_stroke_model


def train_episode_stroke_model(stroke_episodes: Episodes, episode_split: dict, world: dict[str, Any],
                               world_model: dict[str, Any], parameters: dict[str, Any]) -> tuple[StrokeModel, dict]:
    """Train the stroke model on the drawable strokes of the training episodes; the model and its history.

    ``world["stroke_model"]`` (the world's optional block in the inventory) overrides ``parameters["training"]``
    key by key: two worlds with the same brush and seed paint the same episodes and can train two architectures
    side by side. The model records the layout and the brush its strokes were painted with (from the episodes' manifest), so
    every painter made from it paints in real MyPaint with that brush."""
    split = saved_split(episode_split, len(stroke_episodes), "stroke", max_train=parameters["max_episodes"])
    arrays = stroke_episodes.arrays(["strokes", "actions", "start", "painted"], episodes=split.train)
    manifest = stroke_episodes.manifest
    if manifest.get("brush") != world["brush"]:
        raise ValueError(f"the {world['name']} episodes were painted with {manifest.get('brush')!r} but the world's brush "
                         f"is {world['brush']!r}: rerun the episodes pipeline (kedro run --pipeline episodes "
                         f"--namespaces {world['name']})")
    recorded, installed = manifest.get("brush_sha256"), brush_digest(world["brush"])
    if recorded is not None and recorded != installed:
        raise ValueError(f"the {world['name']} episodes were painted with another {world['brush']!r} brush file than "
                         f"{find_brush(world['brush'])} (SHA-256 {recorded[:12]}... against {installed[:12]}...): "
                         f"repaint them (kedro run --pipeline episodes --namespaces {world['name']}, or "
                         f"dvc repro -f episodes@{world['name']})")
    if not np.any(arrays["strokes"][..., 3]):
        strokes = int(np.prod(arrays["strokes"].shape[:2]))
        raise ValueError(f"the {world['name']} world's brush {world['brush']!r} painted nothing in {strokes} random strokes "
                         "on a white canvas (every stroke's alpha is 0): it moves paint that is already there, as "
                         "smudging brushes do, so a stroke-by-stroke world model cannot describe it; choose a brush "
                         "that lays paint (`painting-dreams brushes`; README, 'Media')")
    painted_with = {"variant": manifest["variant"], "brush": manifest["brush"],
                    "brush_sha256": manifest.get("brush_sha256")}
    training = {**parameters["training"], **world.get("stroke_model", {})}  # the world may choose its own architecture
    model, history = train_stroke_model(arrays["strokes"], arrays["actions"], arrays["start"], arrays["painted"],
                                        {**training, **painted_with},
                                        log_dir=f"{world_model['tensorboard_dir']}/{world['name']}/stroke_model",
                                        progress=world_model["progress"])
    return model, {**history, "train_episodes": split.train_episodes}
