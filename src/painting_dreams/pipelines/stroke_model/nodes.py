"""Nodes of the ``stroke_model`` pipeline: thin calls into :mod:`painting_dreams.world_model.training`."""

from __future__ import annotations

from typing import Any

import numpy as np

from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.evaluation.blending import blending_errors, composite_episodes, mypaint_strokes
from painting_dreams.paint.libmypaint import brush_digest, find_brush
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.training import train_stroke_model


def check_compositing(canvas_episodes: Episodes, episode_split: dict, world: dict[str, Any],
                      parameters: dict[str, Any]) -> dict[str, Any]:
    """Can a stroke-by-stroke world model describe this world's brush? Measured, before any training.

    MyPaint's own single strokes of held-out canvas episodes (replayed in stroke mode) are composited one by
    one with alpha-over, as the agent's dream composites its strokes, and compared with the canvases MyPaint
    itself painted. A brush that lays paint independently of what is beneath composites almost exactly (MSE
    ~1e-6); one whose dabs pick up, smear or tint the paint beneath does not, and no stroke model of single
    strokes on white can then be right about a canvas. Above ``parameters["max_alpha_over_mse"]`` the world
    is refused with the measured error; otherwise the figures are returned (``<world>.compositing_check``)."""
    check = parameters["compositing"]
    limit = float(check["max_alpha_over_mse"])
    split = saved_split(episode_split, len(canvas_episodes), "canvas", max_held_out=check["max_episodes"])
    episodes = canvas_episodes.arrays(["actions", "canvases"], episodes=split.held_out)
    manifest = canvas_episodes.manifest
    if manifest.get("brush") != world["brush"]:
        raise ValueError(f"the {world['name']} canvas episodes were painted with {manifest.get('brush')!r} but the "
                         f"world's brush is {world['brush']!r}: rerun the episodes pipeline (kedro run --pipeline "
                         f"episodes --namespaces {world['name']})")
    strokes = mypaint_strokes(episodes["actions"], manifest)
    errors = blending_errors(composite_episodes(strokes, episodes["actions"], manifest["variant"], "alpha_over"),
                             episodes["canvases"])
    report = {"brush": world["brush"], "episodes": int(len(episodes["actions"])),
              "strokes_per_episode": int(episodes["actions"].shape[1]), "alpha_over_mse": errors["mse"],
              "alpha_over_final_mse": errors["final_mse"], "alpha_over_max_error": errors["max_error"],
              "max_alpha_over_mse": limit}
    if errors["mse"] > limit:
        raise ValueError(
            f"the {world['name']} world's brush {world['brush']!r} paints depending on the paint beneath: MyPaint's own "
            f"single strokes of {report['episodes']} held-out canvas episodes, composited one by one with alpha-over, "
            f"are off MyPaint's canvases by MSE {errors['mse']:.2e} (largest pixel error {errors['max_error']:.2f}), "
            f"above stroke_model.compositing.max_alpha_over_mse = {limit:g}; a stroke-by-stroke world model cannot "
            "describe it. Choose a brush that lays its paint over what is there (`painting-dreams brushes`; README, "
            f"'Media'), or raise max_alpha_over_mse in conf if a dream this far from MyPaint will do")
    return report


def train_episode_stroke_model(stroke_episodes: Episodes, episode_split: dict, world: dict[str, Any],
                               world_model: dict[str, Any], parameters: dict[str, Any],
                               compositing_check: dict[str, Any] | None = None) -> tuple[StrokeModel, dict]:
    """Train the stroke model on the drawable strokes of the training episodes; the model and its history.

    ``world["stroke_model"]`` (the world's optional block in the inventory) overrides ``parameters["training"]``
    key by key: two worlds with the same brush and seed paint the same episodes and can train two architectures
    side by side. The model records the layout and the brush its strokes were painted with (from the episodes' manifest), so
    every painter made from it paints in real MyPaint with that brush. ``compositing_check`` (from
    :func:`check_compositing`, which runs first) is kept in the history."""
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
    extra = {"compositing_check": compositing_check} if compositing_check is not None else {}
    return model, {**history, "train_episodes": split.train_episodes, **extra}
