"""Nodes of the ``rnn`` pipeline: thin calls into :mod:`painting_dreams.world_model.training`."""

from __future__ import annotations

from typing import Any

import numpy as np

from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.world_model.mdn_rnn import MDNRNN
from painting_dreams.world_model.training import encode_strokes, train_mdn_rnn
from painting_dreams.world_model.vae import ConvVAE


def _training_episodes(stroke_episodes: Episodes, episode_split: dict, parameters: dict[str, Any]) -> slice:
    return saved_split(episode_split, len(stroke_episodes), "stroke", max_train=parameters["max_episodes"]).train


def encode_stroke_episodes(stroke_episodes: Episodes, episode_split: dict, vae: ConvVAE,
                           parameters: dict[str, Any]) -> dict[str, np.ndarray]:
    """VAE posteriors ``mu``, ``logvar`` ``(N, T, z)`` of the strokes of the training episodes."""
    episodes = _training_episodes(stroke_episodes, episode_split, parameters)
    strokes = stroke_episodes.arrays(["strokes"], episodes=episodes)["strokes"]
    mu, logvar = encode_strokes(vae, strokes, batch_size=parameters["encode_batch_size"])
    return {"mu": mu, "logvar": logvar}


def train_latent_mdn_rnn(stroke_latents: dict[str, np.ndarray], stroke_episodes: Episodes, episode_split: dict,
                         world: dict[str, Any], world_model: dict[str, Any],
                         parameters: dict[str, Any]) -> tuple[MDNRNN, dict]:
    """Train the MDN-RNN to predict each stroke's latent from the previous one and the action."""
    episodes = _training_episodes(stroke_episodes, episode_split, parameters)
    actions = stroke_episodes.arrays(["actions"], episodes=episodes)["actions"]
    if stroke_latents["mu"].shape[:2] != actions.shape[:2]:
        raise ValueError(
            f"stroke_latents hold {stroke_latents['mu'].shape[:2]} (episodes, steps) but the training episodes are "
            f"{actions.shape[:2]}: the latents are stale, rerun the encode_stroke_episodes node"
        )
    log_dir = f"{world_model['tensorboard_dir']}/{world['name']}/mdn_rnn"
    rnn, history = train_mdn_rnn(stroke_latents["mu"], stroke_latents["logvar"], actions, parameters["training"],
                                 log_dir=log_dir, progress=world_model["progress"])
    return rnn, {**history, "train_episodes": len(actions)}
