"""``rounds``: one namespace per round of the inventory (``rounds:`` in conf's inventory.yml).

A round ``<round>`` of world ``<world>`` starting from ``<start>`` (the world or an earlier round) reads the
shipped painters it names, their datasets' ``<dataset>.targets``, ``<world>.stroke_episodes`` with its
``<world>.episode_split`` and ``<start>.stroke_model``; it writes ``<round>.painted_strokes`` (the painters'
strokes on training images, replayed alone in MyPaint), ``<round>.stroke_model`` (the start model trained on
on those and the random strokes) with ``<round>.stroke_model_history``, and ``<round>.round_scores`` (dream
against MyPaint on each painter's test paintings, old and new model). A run whose ``world`` is the round
trains its agent in the round's dream: the loop shows in kedro-viz and DVC as world -> agent -> round -> agent.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.rounds.nodes import collect_round_strokes, painter_datasets, score_round_models, train_round


def create_pipeline(**kwargs) -> Pipeline:
    """One namespace per round of the inventory."""
    return sum((_round_pipeline(name, entry) for name, entry in project_inventory()["rounds"].items()), Pipeline([]))


def _round_pipeline(name: str, entry: dict) -> Pipeline:
    targets = [f"{dataset}.targets" for dataset in painter_datasets(entry["painters"])]
    world = entry["world"]
    params = ["params:round", "params:round_defaults"]
    return Pipeline(
        [
            Node(func=collect_round_strokes, inputs=[*params, *targets], outputs="painted_strokes",
                 name="collect_painted_strokes"),
            Node(func=train_round,
                 inputs=["start_stroke_model", "stroke_episodes", "episode_split", "painted_strokes", *params,
                         "params:world_model"],
                 outputs=["stroke_model", "stroke_model_history"], name="train_stroke_model"),
            Node(func=score_round_models,
                 inputs=["start_stroke_model", "stroke_model", "stroke_episodes", "episode_split", "painted_strokes",
                         *params, "params:world_model", *targets],
                 outputs="round_scores", name="score_round"),
        ],
        namespace=name,
        inputs={"start_stroke_model": f"{entry['start']}.stroke_model",
                "stroke_episodes": f"{world}.stroke_episodes", "episode_split": f"{world}.episode_split",
                **{t: t for t in targets}},
        parameters={"params:round": f"params:rounds.{name}", "params:round_defaults": "params:round_defaults",
                    "params:world_model": "params:world_model"},
    )
