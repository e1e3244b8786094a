"""Project pipelines."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

# The main job (`kedro run`, `make run`) paints MNIST, the one dataset bundled with the project:
# for each stage, the namespaces it needs. `kedro run --pipeline all` runs every dataset.
MAIN_JOB = {
    "data_prep": ["mnist"],
    "episodes": ["mnist"],
}


def register_pipelines() -> dict[str, Pipeline]:
    """Every stage as its own pipeline, ``all`` of them, and the MNIST main job as ``__default__``."""
    pipelines = find_pipelines(raise_errors=True)
    pipelines["all"] = sum(pipelines.values(), Pipeline([]))
    pipelines["__default__"] = sum(
        (pipelines[stage].only_nodes_with_namespaces(namespaces) for stage, namespaces in MAIN_JOB.items()
         if stage in pipelines),
        Pipeline([]),
    )
    return pipelines
