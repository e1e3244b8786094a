"""``blending``: the world-model report and the blending calibration of each world.

Two parts, each with its own tag, so either can run alone (``kedro run --pipeline blending --tags
world_model_report`` or ``--tags blending_calibration``): the **world-model report** scores the VAE
and both painters against MyPaint's strokes and picks the default painter; the **blending
calibration** composites MyPaint's own single strokes (and the default painter's) with each
compositor against MyPaint's canvases. One namespace per world of the inventory (``mnist``, ``color``...). In: ``<world>.stroke_episodes``,
``<world>.canvas_episodes``, their ``<world>.episode_split`` (scores and calibration use its
held-out episodes), ``<world>.vae``, ``<world>.mdn_rnn``, ``<world>.stroke_model``.
Out: ``world_model_scores`` (held-out MSE of the VAE and both painters vs blank),
``default_painter`` (the painter with the lowest ratio), ``stroke_rows_figure``,
``sweep_figures``, ``blending_scores`` (per source of strokes and compositor) and ``blending_figure``.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.blending.nodes import (
    choose_default_painter,
    paint_world_model_strokes,
    plot_blending,
    plot_stroke_rows,
    plot_sweeps,
    replay_held_out_canvas_episodes,
    score_blending,
    score_world_models,
)

MODELS = ["vae", "mdn_rnn", "stroke_model"]


def create_pipeline(**kwargs) -> Pipeline:
    """One namespace per world of the inventory (conf's inventory.yml)."""
    worlds = project_inventory()["worlds"]
    return sum((_world_pipeline(name, world["layout"]) for name, world in worlds.items()), Pipeline([]))


def _world_pipeline(world: str, layout: str) -> Pipeline:
    report = [
        Node(func=score_world_models,
             inputs=["stroke_episodes", "episode_split", *MODELS, "params:world_model", "params:world_model_report"],
             outputs="world_model_scores", name="score_world_models"),
        Node(func=choose_default_painter, inputs=["world_model_scores", "params:world_model_report"],
             outputs="default_painter", name="choose_default_painter"),
        Node(func=plot_stroke_rows,
             inputs=["stroke_episodes", "episode_split", *MODELS, "params:world_model_report"],
             outputs="stroke_rows_figure", name="plot_stroke_rows"),
        Node(func=plot_sweeps, inputs=[*MODELS, "default_painter", "params:sweeps"],
             outputs="sweep_figures", name="plot_sweeps"),
    ]
    calibration = [
        Node(func=replay_held_out_canvas_episodes,
             inputs=["canvas_episodes", "episode_split", "params:blending"],
             outputs="held_out_canvas_episodes", name="replay_held_out_canvas_episodes"),
        Node(func=paint_world_model_strokes,
             inputs=["held_out_canvas_episodes", "default_painter", *MODELS, "params:blending"],
             outputs="world_model_strokes", name="paint_world_model_strokes"),
        Node(func=score_blending, inputs=["held_out_canvas_episodes", "world_model_strokes", "default_painter"],
             outputs="blending_scores", name="score_blending"),
        Node(func=plot_blending,
             inputs=["held_out_canvas_episodes", "world_model_strokes", "default_painter", "params:blending"],
             outputs="blending_figure", name="plot_blending"),
    ]
    return Pipeline(
        Pipeline(report, tags="world_model_report") + Pipeline(calibration, tags="blending_calibration"),
        namespace=world,
        parameters={
            "params:world_model": "params:world_model",
            "params:world_model_report": "params:world_model_report",
            "params:sweeps": f"params:world_model_report.sweeps.{layout}",  # one sweep per action layout
            "params:blending": "params:blending",
        },
    )
