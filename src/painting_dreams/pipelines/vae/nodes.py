"""Nodes of the ``vae`` pipeline: thin calls into :mod:`painting_dreams.world_model.training`."""

from __future__ import annotations

from typing import Any

from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.world_model.training import train_vae
from painting_dreams.world_model.vae import ConvVAE


def train_stroke_vae(stroke_episodes: Episodes, episode_split: dict, world: dict[str, Any], world_model: dict[str, Any],
                     parameters: dict[str, Any]) -> tuple[ConvVAE, dict]:
    """Train the ConvVAE on every stroke (RGBA) of the training episodes; the model and its history."""
    split = saved_split(episode_split, len(stroke_episodes), "stroke", max_train=parameters["max_episodes"])
    strokes = stroke_episodes.arrays(["strokes"], episodes=split.train)["strokes"]
    log_dir = f"{world_model['tensorboard_dir']}/{world['name']}/vae"
    vae, history = train_vae(strokes, parameters["training"], log_dir=log_dir, progress=world_model["progress"])
    return vae, {**history, "train_episodes": split.train_episodes}
