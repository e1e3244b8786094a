"""Nodes of the ``blending`` pipeline: thin calls into :mod:`painting_dreams.world_model`.

Two parts. The world-model report scores the VAE and both painters (VAE + MDN-RNN, stroke
model) on held-out stroke episodes, picks the default painter and draws the seed's figures.
The blending calibration composites single strokes (MyPaint's own, then the default painter's)
onto held-out canvas episodes with each compositor and compares with MyPaint's own canvases.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from painting_dreams.episodes import Episodes
from painting_dreams.episodes.split import saved_split
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.replay import stroke_renderer
from painting_dreams.evaluation.blending import (
    blending_errors,
    blending_figure,
    composite_episodes,
    mypaint_strokes,
    paint_episode_strokes,
)
from painting_dreams.world_model.compositors import COMPOSITORS
from painting_dreams.evaluation.world_models import (
    evaluate_painter,
    evaluate_vae,
    stroke_rows_figure,
    sweep_figure,
)
from painting_dreams.world_model.mdn_rnn import MDNRNN
from painting_dreams.world_model.stroke_renderers import Painter, StrokeModelPainter, WorldModelsPainter
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.vae import ConvVAE

logger = logging.getLogger(__name__)

# The painters an agent can train with (name in the tables -> label in the figures).
PAINTERS = {"vae_rnn": "VAE + MDN-RNN", "stroke_model": "stroke model"}


def build_painter(name: str, vae: ConvVAE, mdn_rnn: MDNRNN, stroke_model: StrokeModel) -> Painter:
    """The painter called ``name`` in :data:`PAINTERS`, made of the trained models."""
    if name == "vae_rnn":
        return WorldModelsPainter(vae, mdn_rnn)
    if name == "stroke_model":
        return StrokeModelPainter(stroke_model)
    raise ValueError(f"unknown painter {name!r}: choose one of {', '.join(PAINTERS)}")


def _held_out(episodes: Episodes, episode_split: dict, keys: list[str], limit: int | None) -> dict:
    kind = "stroke" if episodes.manifest["stroke_mode"] else "canvas"
    split = saved_split(episode_split, len(episodes), kind, max_held_out=limit)
    return episodes.arrays(keys, episodes=split.held_out)


def score_world_models(stroke_episodes: Episodes, episode_split: dict, vae: ConvVAE, mdn_rnn: MDNRNN,
                       stroke_model: StrokeModel, world_model: dict[str, Any], report: dict[str, Any]) -> pd.DataFrame:
    """Held-out MSE of a blank canvas, the VAE's reconstructions and each painter, each with its ratio to blank."""
    e = _held_out(stroke_episodes, episode_split, ["strokes", "actions", "start", "painted"],
                  world_model["max_held_out_episodes"])
    variant, batch_size = stroke_episodes.manifest["variant"], report["batch_size"]
    vae_scores = evaluate_vae(vae, e["strokes"], e["actions"], e["painted"], variant, batch_size)
    blank = {"mse": vae_scores["blank_mse"], "blank_mse": vae_scores["blank_mse"], "ratio": 1.0,
             "strokes": vae_scores["strokes"]}
    rows = [{"model": "blank", "paints_from_actions": False, **blank},
            {"model": "vae", "paints_from_actions": False, **vae_scores}]
    for name in PAINTERS:
        painter = build_painter(name, vae, mdn_rnn, stroke_model)
        rows.append({"model": name, "paints_from_actions": True,
                     **evaluate_painter(painter, e["strokes"], e["actions"], e["start"], e["painted"], variant,
                                        batch_size)})
    return pd.DataFrame(rows).assign(episodes=len(e["strokes"]))


def choose_default_painter(world_model_scores: pd.DataFrame, report: dict[str, Any]) -> dict[str, Any]:
    """The painter with the lowest held-out MSE relative to blank, and whether it meets the target ratio."""
    painters = world_model_scores[world_model_scores["paints_from_actions"] & world_model_scores["ratio"].notna()]
    if painters.empty:
        raise ValueError("no painter has a held-out score: the held-out strokes are all blank or missing; "
                         "check the stroke episodes and held_out_fraction")
    best = painters.loc[painters["ratio"].idxmin()]
    choice = {"painter": str(best["model"]), "mse": float(best["mse"]), "blank_mse": float(best["blank_mse"]),
              "ratio": float(best["ratio"]), "target_ratio": float(report["target_ratio"]),
              "meets_target": bool(best["ratio"] <= report["target_ratio"])}
    if not choice["meets_target"]:
        logger.warning("The best painter, %s, reaches %.3f of the blank MSE, above the target %.2f: train it longer "
                       "or on more episodes", choice["painter"], choice["ratio"], choice["target_ratio"])
    return choice


def plot_stroke_rows(stroke_episodes: Episodes, episode_split: dict, vae: ConvVAE, mdn_rnn: MDNRNN,
                     stroke_model: StrokeModel, report: dict[str, Any]) -> Figure:
    """The seed's rows for the first held-out episodes: real strokes, VAE, VAE + MDN-RNN, stroke model."""
    e = _held_out(stroke_episodes, episode_split, ["strokes", "actions", "start"], report["rows_episodes"])
    painters = {PAINTERS[name]: build_painter(name, vae, mdn_rnn, stroke_model) for name in PAINTERS}
    return stroke_rows_figure(e["strokes"], e["actions"], e["start"], vae=vae, painters=painters,
                              episodes=range(len(e["strokes"])))


def plot_sweeps(vae: ConvVAE, mdn_rnn: MDNRNN, stroke_model: StrokeModel, default_painter: dict[str, Any],
                sweeps: dict[str, Any]) -> dict[str, Figure]:
    """One action field swept from 0 to 1 per figure (``<field>.png``): real env above (the brush the stroke model
    learned), default painter below."""
    variant = stroke_model.variant
    layout = ActionLayout(variant)
    missing = sorted(set(layout.fields) - set(sweeps["action"]))
    if missing:
        raise ValueError(f"the sweep action lacks {missing}: give every field of the {variant!r} variant "
                         f"({', '.join(layout.fields)})")
    action = np.array([sweeps["action"][field] for field in layout.fields], np.float32)
    painter = build_painter(default_painter["painter"], vae, mdn_rnn, stroke_model)
    if stroke_model.painted_with is None:
        raise ValueError("the stroke model records no brush (it was trained before brushes were recorded): retrain it "
                         "(kedro run --pipeline stroke_model)")
    render_real = stroke_renderer(variant, stroke_model.painted_with)
    values = np.linspace(0.0, 1.0, sweeps["steps"])
    figures = {}
    for field in sweeps["fields"]:
        figure = sweep_figure(render_real, painter, action, np.asarray(sweeps["start"], np.float32), field, values,
                              variant)
        figure.suptitle(f"{variant}: {field} from 0 to 1, MyPaint above, {PAINTERS[default_painter['painter']]} "
                        "(default painter) below", fontsize=8)
        figures[f"{field}.png"] = figure
    render_real.close()
    return figures


def replay_held_out_canvas_episodes(canvas_episodes: Episodes, episode_split: dict,
                                    blending: dict[str, Any]) -> dict[str, Any]:
    """Held-out canvas episodes with MyPaint's own single strokes of each step, replayed in stroke mode."""
    e = _held_out(canvas_episodes, episode_split, ["actions", "start", "painted", "canvases"], blending["max_episodes"])
    m = canvas_episodes.manifest
    return {**e, "strokes": mypaint_strokes(e["actions"], m), "variant": m["variant"]}


def paint_world_model_strokes(held_out_canvas_episodes: dict[str, Any], default_painter: dict[str, Any],
                              vae: ConvVAE, mdn_rnn: MDNRNN, stroke_model: StrokeModel,
                              blending: dict[str, Any]) -> np.ndarray:
    """The default painter's strokes for the actions of the held-out canvas episodes."""
    e = held_out_canvas_episodes
    painter = build_painter(default_painter["painter"], vae, mdn_rnn, stroke_model)
    return paint_episode_strokes(painter, e["actions"], e["start"], e["painted"], e["variant"], blending["batch_size"])


def score_blending(held_out_canvas_episodes: dict[str, Any], world_model_strokes: np.ndarray,
                   default_painter: dict[str, Any]) -> pd.DataFrame:
    """Per compositor, how far canvases composited from single strokes are from MyPaint's own canvases."""
    e = held_out_canvas_episodes
    sources = {"mypaint strokes": ("mypaint", e["strokes"]), "world model": (default_painter["painter"],
                                                                             world_model_strokes)}
    rows = [{"source": source, "painter": painter, "compositor": method,
             **blending_errors(composite_episodes(strokes, e["actions"], e["variant"], method), e["canvases"])}
            for source, (painter, strokes) in sources.items() for method in COMPOSITORS]
    return pd.DataFrame(rows).assign(episodes=len(e["actions"]))


def plot_blending(held_out_canvas_episodes: dict[str, Any], world_model_strokes: np.ndarray,
                  default_painter: dict[str, Any], blending: dict[str, Any]) -> Figure:
    """The seed's blending figure for one held-out episode: MyPaint's canvases, then ours per source and compositor."""
    e = held_out_canvas_episodes
    episode = blending["figure_episode"]
    if not 0 <= episode < len(e["actions"]):
        raise ValueError(f"figure_episode is {episode}, but only {len(e['actions'])} held-out canvas episodes are "
                         f"composited: use 0 to {len(e['actions']) - 1}")
    i = slice(episode, episode + 1)
    painter = PAINTERS[default_painter["painter"]]
    rows = {}
    for label, strokes in (("MyPaint strokes", e["strokes"]), (painter, world_model_strokes)):
        for method in COMPOSITORS:
            rows[f"{label}\n{method}"] = composite_episodes(strokes[i], e["actions"][i], e["variant"], method)[0]
    return blending_figure(e["canvases"][i][0], rows,
                           title=f"{e['variant']}: MyPaint's canvas (top) vs single strokes composited by us")
