"""The ``rnn`` pipeline: encode strokes with the VAE, train the MDN-RNN, on small real episodes."""

import numpy as np
import pytest
from kedro.runner import SequentialRunner

from painting_dreams.pipelines.rnn import create_pipeline
from painting_dreams.pipelines.rnn.nodes import train_latent_mdn_rnn
from painting_dreams.world_model.mdn_rnn import MDNRNN
from painting_dreams.world_model.vae import ConvVAE
from tests.pipelines.world_model_catalog import assert_catalog_declares, tiny_parameters, world_model_catalog


def test_one_mdn_rnn_per_world(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == set(project_params["worlds"]) >= {"mnist", "color"}
    color = pipeline.only_nodes_with_namespaces(["color"])
    assert color.inputs() == {"color.stroke_episodes", "color.episode_split", "color.vae", "params:worlds.color",
                              "params:world_model", "params:rnn"}
    assert color.outputs() == {"color.mdn_rnn", "color.mdn_rnn_history"}
    assert_catalog_declares(pipeline)


def test_mdn_rnn_trains_on_vae_latents_and_saves_a_loadable_model(small_episodes, tmp_path):
    parameters = tiny_parameters(tmp_path)
    catalog = world_model_catalog(tmp_path, small_episodes, parameters)
    catalog["color.vae"].save(ConvVAE(z_size=64, seed=0))  # untrained: the RNN's plumbing does not care

    SequentialRunner().run(create_pipeline().only_nodes_with_namespaces(["color"]), catalog)

    latents = catalog["color.stroke_latents"].load()
    assert latents["mu"].shape == latents["logvar"].shape == (18, 20, 64)
    rnn = catalog["color.mdn_rnn"].load()
    assert isinstance(rnn, MDNRNN)
    assert (rnn.z_size, rnn.action_size, rnn.units, rnn.mixtures) == (64, 9, 32, 2)
    history = catalog["color.mdn_rnn_history"].load()
    assert history["train_episodes"] == 18 and len(history["loss"]) == 2 and np.isfinite(history["loss"]).all()


def test_stale_latents_are_refused(small_episodes, tmp_path):
    catalog = world_model_catalog(tmp_path, small_episodes, {})
    latents = {"mu": np.zeros((5, 20, 64), np.float32), "logvar": np.zeros((5, 20, 64), np.float32)}
    parameters = tiny_parameters(tmp_path)
    with pytest.raises(ValueError, match=r"stroke_latents hold \(5, 20\).*\(18, 20\).*rerun"):
        train_latent_mdn_rnn(latents, catalog["mnist.stroke_episodes"].load(), catalog["mnist.episode_split"].load(),
                             parameters["worlds"]["mnist"], parameters["world_model"], parameters["rnn"])
