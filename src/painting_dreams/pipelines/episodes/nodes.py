"""Nodes of the ``episodes`` pipeline: thin calls into :mod:`painting_dreams.episodes`."""

from __future__ import annotations

from matplotlib.figure import Figure

from painting_dreams.episodes import EpisodeSpec, Episodes, EpisodeStream
from painting_dreams.episodes.figures import plot_episode_strips
from painting_dreams.episodes.split import split_episodes


def generate_episodes(world: dict, kind: dict, settings: dict) -> EpisodeStream:
    """Random-action episodes of one world (its layout, brush, canvas and seed) and kind, rolled out as the catalog
    writes them."""
    spec = EpisodeSpec(variant=world["layout"], stroke_mode=kind["stroke_mode"], steps=kind["steps"],
                       width=world["canvas_size"], height=world["canvas_size"], brush=world["brush"])
    return EpisodeStream(spec, episodes=kind["episodes"], seed=world["seed"], chunk_size=settings["chunk_size"],
                         workers=settings["workers"], progress=settings["progress"])


def split_stroke_episodes(stroke_episodes: Episodes, settings: dict) -> dict:
    """The world's one split: the episodes every world model trains on and those held out to score them."""
    split = split_episodes(len(stroke_episodes), settings["held_out_fraction"])
    return {"held_out_fraction": settings["held_out_fraction"], **split.to_dict()}


def plot_episodes(episodes: Episodes, settings: dict) -> Figure:
    """Episode strips of the first few stored episodes."""
    count = min(settings["figure_episodes"], len(episodes))
    arrays = episodes.arrays(["canvases", "painted"], episodes=slice(0, count))
    m = episodes.manifest
    title = (f"{m['variant']} {'stroke' if m['stroke_mode'] else 'canvas'} episodes "
             f"({m['episodes']} x {m['steps']} steps, seed {m['seed']})")
    return plot_episode_strips(arrays["canvases"], arrays["painted"], title=title)
