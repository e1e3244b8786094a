"""The ``evaluation`` pipeline: each agent run's test paintings, replayed in real MyPaint.

One namespace per run of the inventory (``mnist_8``, ``kmnist_15``, ``celeba_15/30/50`` in ``conf/base``), then one table of
all runs (``evaluation_results``) and one of every run's painting modes (``evaluation_modes``:
open loop, closed loop, + K refinement steps, from scratch; node ``<run>.compare_modes``, the slow
one). Test images are painted and scored by the ``evaluate`` command's own function
(:func:`~painting_dreams.evaluation.paint_and_score.paint_and_score`). ``kedro run --pipeline evaluation --namespaces mnist_8`` scores one run.
"""

from __future__ import annotations

from collections.abc import Iterable

from kedro.pipeline import Node, Pipeline

from painting_dreams.pipelines.agent.pipeline import RUN_PARAMS, RunWiring, chosen_runs, in_run_namespace
from painting_dreams.pipelines.evaluation.nodes import (
    animate_strokes,
    collect_results,
    compare_modes,
    paint_and_score_test_images,
    plot_exploitation,
    plot_transfer_grid,
    summarise_run,
)


def create_pipeline(runs: Iterable[str] | None = None, **kwargs) -> Pipeline:
    """The runs named in ``runs`` (all agent runs of conf by default) and the table of their results."""
    runs = chosen_runs(runs)
    per_run = sum((run_pipeline(run) for run in runs), Pipeline([]))
    table = Node(func=collect_results, inputs=[f"{run.name}.transfer_summary" for run in runs],
                 outputs="evaluation_results", name="collect_evaluation_results")
    modes = Node(func=collect_results, inputs=[f"{run.name}.modes" for run in runs], outputs="evaluation_modes",
                 name="collect_evaluation_modes")
    return per_run + Pipeline([table, modes])


def run_pipeline(run: RunWiring) -> Pipeline:
    """One agent run's evaluation, in namespace ``run.name``."""
    nodes = [
        Node(func=paint_and_score_test_images,
             inputs=["agent_policy", "stroke_model", "targets", *RUN_PARAMS, "params:evaluation"],
             outputs=["dream_actions", "transfer_scores", "dream_images", "real_images"], name="paint_and_score_test_images"),
        Node(func=summarise_run, inputs=["transfer_scores", *RUN_PARAMS], outputs="transfer_summary",
             name="summarise_run"),
        Node(func=plot_transfer_grid,
             inputs=["targets", "dream_images", "real_images", "transfer_scores", *RUN_PARAMS, "params:evaluation"],
             outputs="transfer_grid", name="plot_transfer_grid"),
        Node(func=animate_strokes, inputs=["targets", "dream_actions", "stroke_model", *RUN_PARAMS, "params:evaluation"],
             outputs="transfer_gif", name="animate_strokes"),
        Node(func=compare_modes,
             inputs=["agent_policy", "stroke_model", "targets", *RUN_PARAMS, "params:evaluation"],
             outputs=["modes", "modes_per_image", "refinement_curve"], name="compare_modes"),
        Node(func=plot_exploitation,
             inputs=["targets", "dream_images", "real_images", "transfer_scores", "params:evaluation"],
             outputs="exploitation_examples", name="plot_exploitation"),
    ]
    return in_run_namespace(nodes, run, {"params:evaluation": "params:evaluation"})
