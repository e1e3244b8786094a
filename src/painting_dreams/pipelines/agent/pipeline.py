"""The ``agent`` pipeline: one namespace per training run (dataset x stroke count).

``kedro run --pipeline agent --namespaces mnist_8`` trains only the 8-stroke MNIST agent.
A run reads ``<dataset>.targets`` and the painter ``<variant>.stroke_model``, and writes
``<run>.agent_policy``, ``<run>.agent_history``, ``<run>.agent_mse_plot``, ``<run>.cma_history``
and ``<run>.agent_scores``; its parameters are ``agent.runs.<run>`` over ``agent.defaults``.
"""

from __future__ import annotations

from collections.abc import Iterable

from kedro.pipeline import Node, Pipeline

from painting_dreams.pipelines.agent.nodes import plot_training_curve, score_agents, train_agent, train_cma_baseline

# run name -> (target dataset, action variant of its painter); the seed's runs.
RUNS = {
    "mnist_8": ("mnist", "mnist"),
    "kmnist_15": ("kmnist", "color"),
    "celeba_15": ("celeba", "color"),
    "celeba_30": ("celeba", "color"),
    "celeba_50": ("celeba", "color"),
}


def create_pipeline(runs: Iterable[str] | None = None, **kwargs) -> Pipeline:
    """The agent runs named in ``runs`` (all of :data:`RUNS` by default)."""
    runs = list(RUNS) if runs is None else list(runs)
    unknown = sorted(set(runs) - set(RUNS))
    if unknown:
        raise ValueError(f"unknown agent runs {unknown}: choose from {', '.join(RUNS)}")
    return sum((run_pipeline(run) for run in runs), Pipeline([]))


def run_pipeline(run: str) -> Pipeline:
    """One training run, in namespace ``run``."""
    dataset, variant = RUNS[run]
    params = ["params:agent_defaults", "params:agent_run"]
    nodes = [
        Node(func=train_agent, inputs=["targets", "stroke_model", *params],
             outputs=["agent_policy", "agent_history"], name="train_agent"),
        Node(func=plot_training_curve, inputs=["agent_history", *params], outputs="agent_mse_plot",
             name="plot_training_curve"),
        Node(func=train_cma_baseline, inputs=["targets", "stroke_model", *params],
             outputs=["cma_history", "cma_test_mse"], name="train_cma_baseline"),
        Node(func=score_agents, inputs=["agent_policy", "agent_history", "cma_test_mse", "targets", "stroke_model", *params],
             outputs="agent_scores", name="score_agents"),
    ]
    return Pipeline(
        nodes,
        namespace=run,
        inputs={"targets": f"{dataset}.targets", "stroke_model": f"{variant}.stroke_model"},
        parameters={"params:agent_defaults": "params:agent.defaults", "params:agent_run": f"params:agent.runs.{run}"},
    )
