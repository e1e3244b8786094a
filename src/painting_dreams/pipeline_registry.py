"""Project pipelines."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

from painting_dreams.pipelines import evaluation

# The main job (`kedro run`, `make run`) paints MNIST, the one dataset bundled with the project:
# for each stage, the namespaces it needs. `kedro run --pipeline all` runs every dataset.
MAIN_JOB = {
    "data_prep": ["mnist"],
    "episodes": ["mnist"],
    "vae": ["mnist"],
    "rnn": ["mnist"],
    "stroke_model": ["mnist"],
    "blending": ["mnist"],
    "agent": ["mnist_8"],
}
MAIN_JOB_RUNS = ["mnist_8"]  # agent runs the main job evaluates in real MyPaint


def register_pipelines() -> dict[str, Pipeline]:
    """Every stage as its own pipeline, ``all`` of them, and the MNIST main job as ``__default__``."""
    pipelines = find_pipelines(raise_errors=True)
    pipelines["all"] = sum(pipelines.values(), Pipeline([]))
    main_job = sum(
        (pipelines[stage].only_nodes_with_namespaces(namespaces) for stage, namespaces in MAIN_JOB.items()
         if stage in pipelines),
        Pipeline([]),
    )
    # The evaluation ends in one table of all its runs, outside any namespace: build it for the main job's runs.
    pipelines["__default__"] = main_job + evaluation.create_pipeline(runs=MAIN_JOB_RUNS)
    return pipelines
