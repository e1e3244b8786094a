"""The ``vae`` pipeline: one namespace per world, run on small real episodes with SequentialRunner."""

import numpy as np
from kedro.runner import SequentialRunner

from painting_dreams.pipelines.vae import create_pipeline
from painting_dreams.world_model.vae import ConvVAE
from tests.pipelines.world_model_catalog import assert_catalog_declares, tiny_parameters, world_model_catalog


def test_one_vae_per_world(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == set(project_params["worlds"]) >= {"mnist", "color"}
    mnist = pipeline.only_nodes_with_namespaces(["mnist"])
    assert mnist.inputs() == {"mnist.stroke_episodes", "mnist.episode_split", "params:worlds.mnist",
                              "params:world_model", "params:vae"}
    assert mnist.outputs() == {"mnist.vae", "mnist.vae_history"}
    assert_catalog_declares(pipeline)


def test_vae_trains_on_the_training_episodes_and_saves_a_loadable_model(small_episodes, tmp_path):
    catalog = world_model_catalog(tmp_path, small_episodes, tiny_parameters(tmp_path))

    SequentialRunner().run(create_pipeline().only_nodes_with_namespaces(["mnist"]), catalog)

    assert (tmp_path / "06_models" / "mnist_vae.keras").is_file()
    vae = catalog["mnist.vae"].load()
    assert isinstance(vae, ConvVAE) and vae.z_size == 64
    assert vae.reconstruct(np.zeros((2, 64, 64, 4), np.float32)).shape == (2, 64, 64, 4)
    history = catalog["mnist.vae_history"].load()
    assert history["train_episodes"] == 18  # 24 episodes, the last quarter held out
    assert len(history["loss"]) == 1 and np.isfinite(history["loss"]).all() and history["seconds"] > 0
    assert list((tmp_path / "tensorboard" / "mnist" / "vae").glob("events.out.tfevents.*"))
