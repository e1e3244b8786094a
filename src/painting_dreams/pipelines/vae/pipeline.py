"""``vae``: the ConvVAE of each action variant, trained on its stroke episodes.

One namespace per variant (``mnist``, ``color``): ``<variant>.stroke_episodes`` and their
``<variant>.episode_split`` in, ``<variant>.vae`` and ``<variant>.vae_history`` out.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.paint.actions import VARIANTS
from painting_dreams.pipelines.vae.nodes import train_stroke_vae



def create_pipeline(**kwargs) -> Pipeline:
    return sum((_variant_pipeline(variant) for variant in VARIANTS), Pipeline([]))


def _variant_pipeline(variant: str) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=train_stroke_vae,
                inputs=["stroke_episodes", "episode_split", "params:world_model", "params:vae"],
                outputs=["vae", "vae_history"],
                name="train_vae",
            ),
        ],
        namespace=variant,
        parameters={"params:world_model": "params:world_model", "params:vae": "params:vae"},
    )
