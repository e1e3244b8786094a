"""``stroke_model``: the non-recurrent stroke model of each world, trained on its stroke episodes.

One namespace per world of the inventory (``mnist``, ``color``...): ``<world>.stroke_episodes``,
``<world>.canvas_episodes`` and their ``<world>.episode_split`` in; first ``<world>.compositing_check`` (can
alpha-over compositing of single strokes describe this brush's canvases? a brush that smears the paint
beneath is refused here, before any training), then ``<world>.stroke_model`` (the painter the agent trains
with) and ``<world>.stroke_model_history`` out.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.stroke_model.nodes import check_compositing, train_episode_stroke_model



def create_pipeline(**kwargs) -> Pipeline:
    """One namespace per world of the inventory (conf's inventory.yml)."""
    return sum((_world_pipeline(world) for world in project_inventory()["worlds"]), Pipeline([]))


def _world_pipeline(world: str) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=check_compositing,
                inputs=["canvas_episodes", "episode_split", "params:world", "params:stroke_model"],
                outputs="compositing_check",
                name="check_compositing",
            ),
            Node(
                func=train_episode_stroke_model,
                inputs=["stroke_episodes", "episode_split", "params:world", "params:world_model", "params:stroke_model",
                        "compositing_check"],
                outputs=["stroke_model", "stroke_model_history"],
                name="train_stroke_model",
            ),
        ],
        namespace=world,
        parameters={"params:world": f"params:worlds.{world}", "params:world_model": "params:world_model",
                    "params:stroke_model": "params:stroke_model"},
    )
