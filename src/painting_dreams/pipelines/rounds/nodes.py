"""Nodes of the ``rounds`` pipeline: thin calls into :mod:`painting_dreams.rounds`."""

from __future__ import annotations

from typing import Any

import numpy as np

from painting_dreams import rounds
from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.parameters import checked_block

SETTINGS = ("images", "held_out_images", "refine", "seed", "training", "score_images", "max_random_episodes")
TRAINING = ("epochs", "batch_size", "learning_rate", "painted_copies", "alpha_weight", "log_every_steps", "seed")


def painter_datasets(painters: list[str]) -> list[str]:
    """The dataset each shipped painter was trained on (its card's), in order; an unknown name refused."""
    from painting_dreams import shipped

    cards = shipped.cards()
    unknown = [name for name in painters if name not in cards]
    if unknown:
        raise ValueError(f"a round names painters {unknown} that are not shipped: choose from {', '.join(cards)} "
                         "(`painting-dreams models`; ship a round's agents with scripts/ship_painters.py first)")
    return [cards[name]["dataset"] for name in painters]


def round_settings(entry: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The round's settings: ``round_defaults`` (parameters_rounds.yml) with its own block over them, checked."""
    settings = {**defaults, **{k: v for k, v in entry.items() if k in defaults}}
    settings["training"] = {**defaults["training"], **entry.get("training", {})}
    settings["refine"] = {**defaults["refine"], **entry.get("refine", {})}
    checked_block(settings, SETTINGS, "round settings", "round_defaults in conf/base/parameters_rounds.yml")
    checked_block(settings["training"], TRAINING, "round training settings",
                  "round_defaults.training in conf/base/parameters_rounds.yml")
    if settings["held_out_images"] >= settings["images"]:
        raise ValueError(f"round {entry['name']}: held_out_images {settings['held_out_images']} leaves none of its "
                         f"{settings['images']} images per painter to train on: lower it or raise images")
    return settings


def _painters(entry: dict[str, Any]) -> dict[str, Any]:
    from painting_dreams import shipped

    loaded = {name: shipped.load(name) for name in entry["painters"]}
    for name, painter in loaded.items():
        if painter.card["brush"] != entry["brush"] or painter.variant != entry["layout"]:
            raise ValueError(f"round {entry['name']}: painter {name} paints {painter.card['brush']!r} in the "
                             f"{painter.variant!r} layout, the round's world {entry['world']} {entry['brush']!r} in "
                             f"{entry['layout']!r}: name painters of this world")
    return loaded


def collect_round_strokes(entry: dict[str, Any], defaults: dict[str, Any], *targets: dict) -> dict[str, np.ndarray]:
    """The round's painters' strokes on their training images, each replayed alone in MyPaint."""
    settings = round_settings(entry, defaults)
    train = {name: t["train"] for name, t in zip(entry["painters"], targets)}
    return rounds.collect_painted_strokes(_painters(entry), train, settings, entry["brush"], entry["layout"])


def _random_examples(stroke_episodes: Episodes, episode_split: dict, variant: str, held_out: bool,
                     max_episodes: int | None) -> dict[str, np.ndarray]:
    from painting_dreams.world_model.stroke_data import stroke_examples

    if held_out:
        split = saved_split(episode_split, len(stroke_episodes), "stroke", max_held_out=max_episodes)
        chosen = split.held_out
    else:
        split = saved_split(episode_split, len(stroke_episodes), "stroke", max_train=max_episodes)
        chosen = split.train
    arrays = stroke_episodes.arrays(["strokes", "actions", "start", "painted"], episodes=chosen)
    return stroke_examples(arrays["strokes"], arrays["actions"], arrays["start"], arrays["painted"], variant)


def train_round(start_model, stroke_episodes: Episodes, episode_split: dict, painted: dict, entry: dict[str, Any],
                defaults: dict[str, Any], world_model: dict[str, Any]) -> tuple[Any, dict]:
    """The start stroke model trained further on its world's random strokes and the painted ones; it and its history."""
    settings = round_settings(entry, defaults)
    random = _random_examples(stroke_episodes, episode_split, entry["layout"], False, settings["max_random_episodes"])
    history = rounds.train_round_stroke_model(
        start_model, random, painted, settings["training"],
        log_dir=f"{world_model['tensorboard_dir']}/{entry['name']}/stroke_model", progress=world_model["progress"])
    return start_model, {**history, "start": entry["start"], "painters": list(entry["painters"])}


def score_round_models(start_model, round_model, stroke_episodes: Episodes, episode_split: dict, painted: dict,
                       entry: dict[str, Any], defaults: dict[str, Any], world_model: dict[str, Any], *targets: dict):
    """The round's report (a table): dream against MyPaint on each painter's test paintings, and both models on
    held-out random and painted strokes."""
    import pandas as pd

    settings = round_settings(entry, defaults)
    held_out = _random_examples(stroke_episodes, episode_split, entry["layout"], True,
                                world_model["max_held_out_episodes"])
    test = {name: t["test"] for name, t in zip(entry["painters"], targets)}
    rows = rounds.score_round(start_model, round_model, _painters(entry), test, held_out, painted, entry["brush"],
                              entry["layout"], settings["score_images"], progress=world_model["progress"])
    return pd.DataFrame(rows)
