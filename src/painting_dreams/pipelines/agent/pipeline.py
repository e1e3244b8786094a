"""The ``agent`` pipeline: one namespace per run of the inventory (a dataset painted in a world).

``kedro run --pipeline agent --namespaces mnist_8`` trains only the 8-stroke MNIST agent.
A run reads ``<dataset>.targets`` and the painter ``<world>.stroke_model``, and writes
``<run>.agent_policy``, ``<run>.agent_history``, ``<run>.agent_mse_plot``, ``<run>.cma_history``
and ``<run>.agent_scores``; its parameters are ``runs.<run>`` (the inventory's, completed with its
world's layout and brush and its dataset's preparation) over ``agent.defaults``.

Which runs exist and which dataset and world each reads come from the inventory of the session's
environment (:func:`painting_dreams.config_loader.project_inventory`): a run added in
``conf/local/inventory.yml`` is built like one of ``conf/base``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.agent.nodes import plot_training_curve, score_agents, train_agent, train_cma_baseline

RUN_PARAMS = ["params:agent_defaults", "params:agent_run"]  # a run's node inputs: agent.defaults, runs.<run>


class RunWiring(NamedTuple):
    """What building a run's pipeline needs: its name (the namespace), its dataset and its world."""

    name: str
    dataset: str
    world: str


def configured_runs() -> dict[str, RunWiring]:
    """The runs of the session's inventory (or the working directory's project's), by name."""
    return {name: RunWiring(name, run["dataset"], run["world"]) for name, run in project_inventory()["runs"].items()}


def chosen_runs(runs: Iterable[str] | None) -> list[RunWiring]:
    """The configured runs named in ``runs`` (all of them by default), unknown names refused."""
    configured = configured_runs()
    names = list(configured) if runs is None else list(runs)
    unknown = sorted(set(names) - set(configured))
    if unknown:
        raise ValueError(f"unknown agent runs {unknown}: choose from {', '.join(configured)} (runs in conf's "
                         "inventory.yml)")
    return [configured[name] for name in names]


def create_pipeline(runs: Iterable[str] | None = None, **kwargs) -> Pipeline:
    """The agent runs named in ``runs`` (all of conf's by default)."""
    return sum((run_pipeline(run) for run in chosen_runs(runs)), Pipeline([]))


def in_run_namespace(nodes: list[Node], run: RunWiring, parameters: dict[str, str] | None = None) -> Pipeline:
    """``nodes`` in namespace ``run.name``, reading the run's ``<dataset>.targets``, ``<world>.stroke_model`` and
    its parameters (:data:`RUN_PARAMS`), plus ``parameters`` (shared, outside the namespace)."""
    return Pipeline(
        nodes,
        namespace=run.name,
        inputs={"targets": f"{run.dataset}.targets", "stroke_model": f"{run.world}.stroke_model"},
        parameters={"params:agent_defaults": "params:agent.defaults",
                    "params:agent_run": f"params:runs.{run.name}", **(parameters or {})},
    )


def run_pipeline(run: RunWiring) -> Pipeline:
    """One training run, in namespace ``run.name``."""
    nodes = [
        Node(func=train_agent, inputs=["targets", "stroke_model", *RUN_PARAMS],
             outputs=["agent_policy", "agent_history"], name="train_agent"),
        Node(func=plot_training_curve, inputs=["agent_history", *RUN_PARAMS], outputs="agent_mse_plot",
             name="plot_training_curve"),
        Node(func=train_cma_baseline, inputs=["targets", "stroke_model", *RUN_PARAMS],
             outputs=["cma_history", "cma_test_mse"], name="train_cma_baseline"),
        Node(func=score_agents,
             inputs=["agent_policy", "agent_history", "cma_test_mse", "targets", "stroke_model", *RUN_PARAMS],
             outputs="agent_scores", name="score_agents"),
    ]
    return in_run_namespace(nodes, run)
