"""``rnn``: the MDN-RNN of each world, on the VAE latents of its stroke episodes.

One namespace per world of the inventory (``mnist``, ``color``...): ``<world>.stroke_episodes``, their
``<world>.episode_split`` and ``<world>.vae`` in; ``<world>.stroke_latents``, ``<world>.mdn_rnn`` and
``<world>.mdn_rnn_history`` out.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.rnn.nodes import encode_stroke_episodes, train_latent_mdn_rnn



def create_pipeline(**kwargs) -> Pipeline:
    """One namespace per world of the inventory (conf's inventory.yml)."""
    return sum((_world_pipeline(world) for world in project_inventory()["worlds"]), Pipeline([]))


def _world_pipeline(world: str) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=encode_stroke_episodes,
                inputs=["stroke_episodes", "episode_split", "vae", "params:rnn"],
                outputs="stroke_latents",
                name="encode_stroke_episodes",
            ),
            Node(
                func=train_latent_mdn_rnn,
                inputs=["stroke_latents", "stroke_episodes", "episode_split", "params:world", "params:world_model",
                        "params:rnn"],
                outputs=["mdn_rnn", "mdn_rnn_history"],
                name="train_mdn_rnn",
            ),
        ],
        namespace=world,
        parameters={"params:world": f"params:worlds.{world}", "params:world_model": "params:world_model",
                    "params:rnn": "params:rnn"},
    )
