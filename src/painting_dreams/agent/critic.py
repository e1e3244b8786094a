"""The conditional WGAN-GP critic and its losses (Gulrajani et al., 2017).

The critic sees the target and an image stacked as 6 channels: a real pair is (target, target),
a fake pair is (target, painting), so it judges how well a painting matches *its* target, not
only whether it looks painted (the conditioning the seed took from conditional GANs).
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops


def build_critic(filters: int) -> keras.Model:
    """``(B, 64, 64, 6)`` (target, image) -> ``(B, 1)`` score; no normalisation (it would break the penalty).
    ``filters``: channels of the first convolution (``agent.defaults.critic`` in conf)."""
    pair = keras.Input((64, 64, 6), name="target_and_image")
    x = pair * 2.0 - 1.0
    for multiple in (1, 2, 4, 4):  # 32, 16, 8, 4
        x = layers.Conv2D(filters * multiple, 4, strides=2, padding="same")(x)
        # Leaky ReLU written as an op: TF's grappler fails to fuse conv + LeakyRelu under the penalty's
        # double backprop and logs an error at every trace.
        x = ops.maximum(x, 0.2 * x)
    score = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(pair, score, name="critic")


def gradient_penalty(critic: keras.Model, real: tf.Tensor, fake: tf.Tensor, epsilon: tf.Tensor) -> tf.Tensor:
    """Mean of ``(||grad critic(x)|| - 1)^2`` at ``x`` between real and fake pairs (``epsilon`` ``(B, 1, 1, 1)``)."""
    mixed = epsilon * real + (1.0 - epsilon) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grads = tape.gradient(scores, mixed)
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


def critic_losses(critic: keras.Model, targets: tf.Tensor, paintings: tf.Tensor, epsilon: tf.Tensor,
                  penalty_weight: float) -> dict[str, tf.Tensor]:
    """WGAN-GP critic loss ``D(fake) - D(real) + lambda * GP``, with its parts."""
    real = tf.concat([targets, targets], axis=-1)
    fake = tf.concat([targets, paintings], axis=-1)
    wasserstein = tf.reduce_mean(critic(fake, training=True)) - tf.reduce_mean(critic(real, training=True))
    penalty = gradient_penalty(critic, real, fake, epsilon)
    return {"critic_loss": wasserstein + penalty_weight * penalty, "gradient_penalty": penalty}


def generator_adversarial_loss(critic: keras.Model, targets: tf.Tensor, paintings: tf.Tensor) -> tf.Tensor:
    """``-D(target, painting)``: the painting should score like the target itself."""
    return -tf.reduce_mean(critic(tf.concat([targets, paintings], axis=-1), training=False))
