"""``episodes``: canvas and stroke episodes, their strips and their split, for each world.

One namespace per world of the inventory (``mnist``, ``color``...) holding ``canvas_episodes``,
``stroke_episodes``, their ``*_figure`` strips and ``episode_split``: which episodes the world
models train on and which are held out (the last ``episodes.held_out_fraction``), read by the
``vae``, ``rnn``, ``stroke_model`` and ``blending`` pipelines.
"""

from kedro.pipeline import Node, Pipeline, pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.episodes.nodes import generate_episodes, plot_episodes, split_stroke_episodes

KINDS = ("canvas", "stroke")


def create_pipeline(**kwargs) -> Pipeline:
    """One namespace per world of the inventory (conf's inventory.yml)."""
    return sum((_world_pipeline(world) for world in project_inventory()["worlds"]), Pipeline([]))


def _world_pipeline(world: str) -> Pipeline:
    nodes = []
    for kind in KINDS:
        nodes += [
            Node(
                func=generate_episodes,
                inputs=["params:world", f"params:{kind}", "params:settings"],
                outputs=f"{kind}_episodes",
                name=f"generate_{kind}_episodes",
            ),
            Node(
                func=plot_episodes,
                inputs=[f"{kind}_episodes", "params:settings"],
                outputs=f"{kind}_episodes_figure",
                name=f"plot_{kind}_episodes",
            ),
        ]
    nodes.append(Node(func=split_stroke_episodes, inputs=["stroke_episodes", "params:settings"],
                      outputs="episode_split", name="split_stroke_episodes"))
    return pipeline(
        Pipeline(nodes),
        namespace=world,
        parameters={
            "params:world": f"params:worlds.{world}",
            "params:canvas": "params:episodes.canvas",
            "params:stroke": "params:episodes.stroke",
            "params:settings": "params:episodes",
        },
    )
