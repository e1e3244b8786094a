"""The ConvVAE of World Models (Ha & Schmidhuber, 2018), on single 64x64 RGBA strokes.

Encoder: four 4x4 stride-2 convolutions (32, 64, 128, 256 filters, ReLU) and two dense heads for
the mean and log-variance of a 64-d Gaussian latent. Decoder: a dense layer to a 1x1x1024 map
and four stride-2 transposed convolutions (128, 64, 32 filters with kernels 5, 5, 6, then 4
channels with kernel 6 and a sigmoid) back to 64x64x4. Pixels are premultiplied RGBA in [0, 1].

The loss is the World Models one: the sum of squared errors over each image, plus the KL
divergence floored at ``kl_tolerance * z_size`` nats ("free bits", 0.5 per dimension there).
"""

from __future__ import annotations

import keras
from keras import layers, ops

IMAGE_SHAPE = (64, 64, 4)
# The decoder's sigmoid starts at sigmoid(-3) = 0.05 instead of 0.5: a stroke covers a few percent
# of the canvas, and from 0.5 the first updates saturate the sigmoid at 0 (an empty canvas whose
# gradients vanish); measured on MNIST strokes, the VAE then never left the blank prediction.
OUTPUT_BIAS = -3.0


def build_vae_encoder(z_size: int = 64) -> keras.Model:
    """Strokes ``(B, 64, 64, 4)`` -> ``(mu, logvar)``, each ``(B, z_size)``."""
    images = keras.Input(IMAGE_SHAPE, name="strokes")
    x = images
    for filters in (32, 64, 128, 256):
        x = layers.Conv2D(filters, 4, strides=2, activation="relu")(x)
    x = layers.Flatten()(x)  # 2x2x256
    mu = layers.Dense(z_size, name="mu")(x)
    logvar = layers.Dense(z_size, name="logvar")(x)
    return keras.Model(images, [mu, logvar], name="vae_encoder")


def build_vae_decoder(z_size: int = 64) -> keras.Model:
    """Latents ``(B, z_size)`` -> strokes ``(B, 64, 64, 4)`` in [0, 1]."""
    z = keras.Input((z_size,), name="z")
    x = layers.Dense(1024)(z)
    x = layers.Reshape((1, 1, 1024))(x)
    for filters, kernel in ((128, 5), (64, 5), (32, 6)):
        x = layers.Conv2DTranspose(filters, kernel, strides=2, activation="relu")(x)  # 5, 13, 30
    images = layers.Conv2DTranspose(IMAGE_SHAPE[-1], 6, strides=2, activation="sigmoid",
                                    bias_initializer=keras.initializers.Constant(OUTPUT_BIAS))(x)  # 64
    return keras.Model(z, images, name="vae_decoder")


@keras.saving.register_keras_serializable(package="painting_dreams")
class ConvVAE(keras.Model):
    """World Models' convolutional VAE; ``call`` returns the reconstruction through a sampled z."""

    def __init__(self, z_size: int = 64, kl_tolerance: float = 0.5, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.z_size = int(z_size)
        self.kl_tolerance = float(kl_tolerance)
        self.seed = seed
        self.encoder = build_vae_encoder(self.z_size)
        self.decoder = build_vae_decoder(self.z_size)
        self.noise = keras.random.SeedGenerator(seed)
        self.built = True  # every weight exists now: saving and loading need no sample call

    def call(self, images, training=False):
        mu, logvar = self.encoder(images, training=training)
        z = self.sample(mu, logvar)
        return self.decoder(z, training=training)

    def encode(self, images):
        """``(mu, logvar)`` of the latent posterior."""
        return self.encoder(images)

    def sample(self, mu, logvar):
        """Reparameterised sample ``mu + sigma * eps``."""
        eps = keras.random.normal(ops.shape(mu), seed=self.noise)
        return mu + ops.exp(0.5 * logvar) * eps

    def decode(self, z):
        return self.decoder(z)

    def reconstruct(self, images):
        """Decode the posterior mean: the deterministic reconstruction."""
        mu, _ = self.encoder(images)
        return self.decoder(mu)

    def get_config(self):
        return {**super().get_config(), "z_size": self.z_size, "kl_tolerance": self.kl_tolerance, "seed": self.seed}


def vae_loss(vae: ConvVAE, images, training: bool = True) -> dict:
    """World Models' VAE loss on a batch: ``{"loss", "reconstruction", "kl"}`` (batch means).

    ``reconstruction`` is the per-image sum of squared errors; ``kl`` is the per-image KL
    divergence to N(0, I), floored at ``kl_tolerance * z_size`` so the first nats are free.
    """
    mu, logvar = vae.encoder(images, training=training)
    z = vae.sample(mu, logvar)
    decoded = vae.decoder(z, training=training)
    reconstruction = ops.mean(ops.sum(ops.square(images - decoded), axis=(1, 2, 3)))
    kl = -0.5 * ops.sum(1.0 + logvar - ops.square(mu) - ops.exp(logvar), axis=1)
    kl = ops.mean(ops.maximum(kl, vae.kl_tolerance * vae.z_size))
    return {"loss": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}
