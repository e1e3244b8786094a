"""The ConvVAE: shapes, the free-bits KL floor, training on real strokes, saving."""

import keras
import numpy as np
import pytest

from painting_dreams.world_model.stroke_data import unit_rgba
from painting_dreams.world_model.training import encode_strokes, train_vae
from painting_dreams.world_model.vae import ConvVAE, vae_loss
from tests.world_model.conftest import training_params


@pytest.fixture(scope="module")
def trained(mnist_episodes):
    strokes = mnist_episodes["strokes"][:10]  # 200 strokes
    return train_vae(strokes, training_params("vae", epochs=3, batch_size=40, learning_rate=1e-3), progress=False)


def test_shapes(mnist_episodes):
    vae = ConvVAE(z_size=16)
    strokes = unit_rgba(mnist_episodes["strokes"][0, :5])
    mu, logvar = vae.encode(strokes)
    assert mu.shape == logvar.shape == (5, 16)
    assert vae.decode(mu).shape == vae.reconstruct(strokes).shape == vae(strokes).shape == (5, 64, 64, 4)


def test_kl_is_floored_at_the_free_bits(mnist_episodes):
    vae = ConvVAE(z_size=64, kl_tolerance=0.5)
    losses = vae_loss(vae, unit_rgba(mnist_episodes["strokes"][0]))
    assert float(losses["kl"]) >= 0.5 * 64 - 1e-4
    assert float(losses["loss"]) == pytest.approx(float(losses["reconstruction"] + losses["kl"]), rel=1e-6)


def test_training_lowers_the_loss(trained):
    _, history = trained
    assert history["reconstruction"][-1] < 0.8 * history["reconstruction"][0], history["reconstruction"]


def test_encode_strokes_keeps_episode_shape(trained, mnist_episodes):
    vae, _ = trained
    mu, logvar = encode_strokes(vae, mnist_episodes["strokes"][:2], batch_size=16)
    assert mu.shape == logvar.shape == (2, 20, 64)
    np.testing.assert_allclose(mu[1, 3], vae.encode(unit_rgba(mnist_episodes["strokes"][1, 3:4]))[0][0], atol=1e-5)


def test_save_and_load_give_identical_reconstructions(trained, mnist_episodes, tmp_path):
    vae, _ = trained
    strokes = unit_rgba(mnist_episodes["strokes"][2, :4])
    vae.save(tmp_path / "vae.keras")
    loaded = keras.saving.load_model(tmp_path / "vae.keras")
    assert loaded.get_config() == vae.get_config()
    np.testing.assert_array_equal(loaded.reconstruct(strokes), vae.reconstruct(strokes))
