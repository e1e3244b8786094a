"""``rnn``: the MDN-RNN of each action variant, on the VAE latents of its stroke episodes.

One namespace per variant (``mnist``, ``color``): ``<variant>.stroke_episodes``, their
``<variant>.episode_split`` and ``<variant>.vae`` in; ``<variant>.stroke_latents``, ``<variant>.mdn_rnn`` and
``<variant>.mdn_rnn_history`` out.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.paint.actions import VARIANTS
from painting_dreams.pipelines.rnn.nodes import encode_stroke_episodes, train_latent_mdn_rnn



def create_pipeline(**kwargs) -> Pipeline:
    return sum((_variant_pipeline(variant) for variant in VARIANTS), Pipeline([]))


def _variant_pipeline(variant: str) -> Pipeline:
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
                inputs=["stroke_latents", "stroke_episodes", "episode_split", "params:world_model", "params:rnn"],
                outputs=["mdn_rnn", "mdn_rnn_history"],
                name="train_mdn_rnn",
            ),
        ],
        namespace=variant,
        parameters={"params:world_model": "params:world_model", "params:rnn": "params:rnn"},
    )
