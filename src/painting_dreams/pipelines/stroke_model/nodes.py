"""Nodes of the ``stroke_model`` pipeline: thin calls into :mod:`painting_dreams.world_model.training`."""

from __future__ import annotations

from typing import Any

from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.training import train_stroke_model


def train_episode_stroke_model(stroke_episodes: Episodes, episode_split: dict, world_model: dict[str, Any],
                               parameters: dict[str, Any]) -> tuple[StrokeModel, dict]:
    """Train the stroke model on the drawable strokes of the training episodes; the model and its history."""
    split = saved_split(episode_split, len(stroke_episodes), "stroke", max_train=parameters["max_episodes"])
    arrays = stroke_episodes.arrays(["strokes", "actions", "start", "painted"], episodes=split.train)
    variant = stroke_episodes.manifest["variant"]
    model, history = train_stroke_model(arrays["strokes"], arrays["actions"], arrays["start"], arrays["painted"],
                                        {**parameters["training"], "variant": variant},
                                        log_dir=f"{world_model['tensorboard_dir']}/{variant}/stroke_model",
                                        progress=world_model["progress"])
    return model, {**history, "train_episodes": split.train_episodes}
