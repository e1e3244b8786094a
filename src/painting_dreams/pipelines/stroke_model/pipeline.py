"""``stroke_model``: the non-recurrent stroke model of each action variant, trained on its stroke episodes.

One namespace per variant (``mnist``, ``color``): ``<variant>.stroke_episodes`` and their
``<variant>.episode_split`` in, ``<variant>.stroke_model`` (the painter the agent trains with) and
``<variant>.stroke_model_history`` out.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.paint.actions import VARIANTS
from painting_dreams.pipelines.stroke_model.nodes import train_episode_stroke_model



def create_pipeline(**kwargs) -> Pipeline:
    return sum((_variant_pipeline(variant) for variant in VARIANTS), Pipeline([]))


def _variant_pipeline(variant: str) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=train_episode_stroke_model,
                inputs=["stroke_episodes", "episode_split", "params:world_model", "params:stroke_model"],
                outputs=["stroke_model", "stroke_model_history"],
                name="train_stroke_model",
            ),
        ],
        namespace=variant,
        parameters={"params:world_model": "params:world_model", "params:stroke_model": "params:stroke_model"},
    )
