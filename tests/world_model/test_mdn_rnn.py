"""The MDN-RNN: mixture maths, step == sequence, training, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from painting_dreams.world_model.mdn_rnn import (
    MDNRNN,
    mdn_nll,
    mixture_mean,
    previous_latents,
    sample_mixture,
    split_mixture,
)
from painting_dreams.world_model.training import encode_strokes, train_mdn_rnn
from painting_dreams.world_model.vae import ConvVAE
from tests.world_model.conftest import training_params

RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def latents(mnist_episodes):
    """Latents of the real strokes under an (untrained, seeded) VAE encoder."""
    keras.utils.set_random_seed(0)
    return encode_strokes(ConvVAE(z_size=8), mnist_episodes["strokes"])


@pytest.fixture(scope="module")
def trained(latents, mnist_episodes):
    mu, _ = latents
    logvar = np.full_like(mu, -8.0)  # near-deterministic latents: the untrained encoder's are all noise
    params = training_params("rnn", epochs=6, batch_size=10, units=32, learning_rate=3e-3)
    return train_mdn_rnn(mu, logvar, mnist_episodes["actions"], params, progress=False)


def test_mixture_mean_and_nll_match_numpy():
    params = RNG.normal(size=(3, 2, 4 * 5 * 3)).astype(np.float32)  # batch 3, 2 steps, z 4, 5 mixtures
    targets = RNG.normal(size=(3, 2, 4)).astype(np.float32)
    log_weights, means, log_stds = (np.asarray(p) for p in split_mixture(params, 5))
    assert log_weights.shape == (3, 2, 4, 5)
    weights, stds = np.exp(log_weights), np.exp(log_stds)
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(mixture_mean(params, 5), (weights * means).sum(-1), rtol=1e-5, atol=1e-6)
    gaussians = np.exp(-0.5 * ((targets[..., None] - means) / stds) ** 2) / (stds * np.sqrt(2 * np.pi))
    density = (weights * gaussians).sum(-1)
    assert float(mdn_nll(params, targets, 5)) == pytest.approx(-np.log(density).mean(), rel=1e-4)


def test_cold_sample_is_the_dominant_component_mean():
    params = np.zeros((1, 2, 3 * 3), np.float32)  # z 2, 3 mixtures: logits, means, log-stds per dim
    params[0, :, 0:3] = [0.0, 5.0, 0.0]
    params[0, :, 3:6] = [-1.0, 2.0, 7.0]
    params[0, :, 6:9] = -3.0
    sample = sample_mixture(params, 3, temperature=1e-3, seed=1)
    np.testing.assert_allclose(sample, 2.0, atol=0.01)


def test_step_by_step_equals_the_sequence_call():
    rnn = MDNRNN(z_size=6, action_size=7, units=16, mixtures=3)
    z = RNG.normal(size=(2, 5, 6)).astype(np.float32)
    actions = RNG.random((2, 5, 7)).astype(np.float32)
    sequence = rnn((previous_latents(z), actions))
    state = rnn.initial_state(2)
    for t in range(5):
        params, state = rnn.step(previous_latents(z)[:, t], actions[:, t], state)
        np.testing.assert_allclose(params, sequence[:, t], atol=1e-5)


def test_previous_latents_shift_with_zeros_first():
    z = tf.reshape(tf.range(6, dtype=tf.float32), (1, 3, 2))
    np.testing.assert_array_equal(previous_latents(z)[0], [[0, 0], [0, 1], [2, 3]])


def test_training_lowers_the_loss(trained):
    _, history = trained
    assert history["loss"][-1] < history["loss"][0] - 0.5, history["loss"]


def test_save_and_load_give_identical_mixtures(trained, latents, mnist_episodes, tmp_path):
    rnn, _ = trained
    inputs = (previous_latents(latents[0][:3]), mnist_episodes["actions"][:3])
    rnn.save(tmp_path / "mdn_rnn.keras")
    loaded = keras.saving.load_model(tmp_path / "mdn_rnn.keras")
    assert loaded.get_config() == rnn.get_config()
    np.testing.assert_array_equal(loaded(inputs), rnn(inputs))
