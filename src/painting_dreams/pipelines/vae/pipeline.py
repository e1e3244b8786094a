"""``vae``: the ConvVAE of each world, trained on its stroke episodes.

One namespace per world of the inventory (``mnist``, ``color``...): ``<world>.stroke_episodes`` and their
``<world>.episode_split`` in, ``<world>.vae`` and ``<world>.vae_history`` out.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.vae.nodes import train_stroke_vae



def create_pipeline(**kwargs) -> Pipeline:
    """One namespace per world of the inventory (conf's inventory.yml)."""
    return sum((_world_pipeline(world) for world in project_inventory()["worlds"]), Pipeline([]))


def _world_pipeline(world: str) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=train_stroke_vae,
                inputs=["stroke_episodes", "episode_split", "params:world", "params:world_model", "params:vae"],
                outputs=["vae", "vae_history"],
                name="train_vae",
            ),
        ],
        namespace=world,
        parameters={"params:world": f"params:worlds.{world}", "params:world_model": "params:world_model",
                    "params:vae": "params:vae"},
    )
