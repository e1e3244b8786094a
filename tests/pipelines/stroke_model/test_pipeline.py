"""The ``stroke_model`` pipeline on small real episodes, with SequentialRunner."""

import numpy as np
from kedro.runner import SequentialRunner

from painting_dreams.pipelines.stroke_model import create_pipeline
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.pipelines.world_model_catalog import assert_catalog_declares, tiny_parameters, world_model_catalog


def test_one_stroke_model_per_variant():
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == {"mnist", "color"}
    mnist = pipeline.only_nodes_with_namespaces(["mnist"])
    assert mnist.inputs() == {"mnist.stroke_episodes", "mnist.episode_split", "params:world_model",
                              "params:stroke_model"}
    assert mnist.outputs() == {"mnist.stroke_model", "mnist.stroke_model_history"}
    assert_catalog_declares(pipeline)


def test_stroke_model_learns_and_saves_the_agents_painter(small_episodes, tmp_path):
    catalog = world_model_catalog(tmp_path, small_episodes, tiny_parameters(tmp_path))

    SequentialRunner().run(create_pipeline().only_nodes_with_namespaces(["mnist"]), catalog)

    assert (tmp_path / "06_models" / "mnist_stroke_model.keras").is_file()  # where the agent reads it
    model = catalog["mnist.stroke_model"].load()
    assert isinstance(model, StrokeModel) and model.variant == "mnist"  # the variant comes from the episodes
    strokes = np.asarray(model((np.full((2, 2), 0.3, np.float32), np.full((2, 7), 0.6, np.float32))))
    assert strokes.shape == (2, 64, 64, 4)
    assert strokes.min() >= 0.0 and strokes.max() <= 1.0 and (strokes[..., :3] <= strokes[..., 3:] + 1e-6).all()
    np.testing.assert_array_equal(strokes[0], strokes[1])  # a function of (start, action) only
    history = catalog["mnist.stroke_model_history"].load()
    assert history["train_episodes"] == 18 and len(history["loss"]) == 8
    assert history["loss"][-1] < history["loss"][0]
    assert list((tmp_path / "tensorboard" / "mnist" / "stroke_model").glob("events.out.tfevents.*"))
