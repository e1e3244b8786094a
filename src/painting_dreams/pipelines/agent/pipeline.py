"""The ``agent`` pipeline: one namespace per training run (dataset x stroke count).

``kedro run --pipeline agent --namespaces mnist_8`` trains only the 8-stroke MNIST agent.
A run reads ``<dataset>.targets`` and the painter ``<variant>.stroke_model``, and writes
``<run>.agent_policy``, ``<run>.agent_history``, ``<run>.agent_mse_plot``, ``<run>.cma_history``
and ``<run>.agent_scores``; its parameters are ``agent.runs.<run>`` over ``agent.defaults``.

Which runs exist and which dataset and variant each reads are wiring, needed when the pipeline is
built, before Kedro has chosen an environment: :func:`configured_runs` reads them from
``conf/base/parameters_agent.yml``, the file that declares the runs (``dvc.yaml`` reads the same).
It parses the YAML itself: a second Kedro config loader would replace the session's ``globals``
and ``runtime_params`` resolvers, which OmegaConf keeps process-wide. An environment such as
``quick`` may change a run's settings, not add a run or change its dataset or variant (a test
holds it to that).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from kedro.framework.project import settings
from kedro.pipeline import Node, Pipeline
from kedro.utils import find_kedro_project

from painting_dreams.agent.runs import AgentRun, all_runs
from painting_dreams.pipelines.agent.nodes import plot_training_curve, score_agents, train_agent, train_cma_baseline

RUN_PARAMS = ["params:agent_defaults", "params:agent_run"]  # a run's node inputs: agent.defaults, agent.runs.<run>


def configured_runs() -> dict[str, AgentRun]:
    """The agent runs of the working directory's project, by name, as ``conf/base`` declares them."""
    project = find_kedro_project(Path.cwd())
    if project is None:
        raise RuntimeError(f"no Kedro project at or above {Path.cwd()}: the agent and evaluation pipelines read "
                           "their runs from its conf/; build them inside the painting_dreams project")
    path = project / settings.CONF_SOURCE / "base" / "parameters_agent.yml"
    return all_runs(yaml.safe_load(path.read_text())["agent"])


def chosen_runs(runs: Iterable[str] | None) -> list[AgentRun]:
    """The configured runs named in ``runs`` (all of them by default), unknown names refused."""
    configured = configured_runs()
    names = list(configured) if runs is None else list(runs)
    unknown = sorted(set(names) - set(configured))
    if unknown:
        raise ValueError(f"unknown agent runs {unknown}: choose from {', '.join(configured)} (agent.runs in conf)")
    return [configured[name] for name in names]


def create_pipeline(runs: Iterable[str] | None = None, **kwargs) -> Pipeline:
    """The agent runs named in ``runs`` (all of conf's by default)."""
    return sum((run_pipeline(run) for run in chosen_runs(runs)), Pipeline([]))


def in_run_namespace(nodes: list[Node], run: AgentRun, parameters: dict[str, str] | None = None) -> Pipeline:
    """``nodes`` in namespace ``run.name``, reading the run's ``<dataset>.targets``, ``<variant>.stroke_model`` and
    its parameters (:data:`RUN_PARAMS`), plus ``parameters`` (shared, outside the namespace)."""
    return Pipeline(
        nodes,
        namespace=run.name,
        inputs={"targets": f"{run.dataset}.targets", "stroke_model": f"{run.variant}.stroke_model"},
        parameters={"params:agent_defaults": "params:agent.defaults",
                    "params:agent_run": f"params:agent.runs.{run.name}", **(parameters or {})},
    )


def run_pipeline(run: AgentRun) -> Pipeline:
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
