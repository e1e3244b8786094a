"""The MDN-RNN of World Models: an LSTM whose output is a Gaussian mixture over the next latent.

For strokes the formulation is World Models' ``(z_t, a_t) -> z_{t+1}`` with the observation
*after* action ``a_t`` being the stroke that action painted:

* input at step ``t``: the VAE latent of the previous step's stroke (zeros before the first
  action) concatenated with the action ``a_t`` (non-absolute layout: no start point; where the
  brush is comes from the earlier actions, which the LSTM state remembers);
* output at step ``t``: for each of the ``z_size`` latent dimensions, ``mixtures`` (5) Gaussians
  (log-weight, mean, log-std) over the latent of the stroke painted by ``a_t``.

Training is teacher-forced on VAE latents (sampled from the stored mean and log-variance, as
World Models does). In the dream the previous latent is the model's own prediction: the mixture
mean, a deterministic and differentiable function of the actions, so gradients flow from the
decoded pixels back to every action field.
"""

from __future__ import annotations

import math

import keras
from keras import layers, ops

LOG_SQRT_TWO_PI = 0.5 * math.log(2.0 * math.pi)


@keras.saving.register_keras_serializable(package="painting_dreams")
class MDNRNN(keras.Model):
    """``(z_prev (B, T, z), actions (B, T, A))`` -> mixture parameters ``(B, T, z * mixtures * 3)``."""

    def __init__(self, z_size: int = 64, action_size: int = 7, units: int = 256, mixtures: int = 5, **kwargs):
        super().__init__(**kwargs)
        self.z_size, self.action_size = int(z_size), int(action_size)
        self.units, self.mixtures = int(units), int(mixtures)
        self.lstm = layers.LSTM(self.units, return_sequences=True, return_state=True, name="lstm")
        self.mdn = layers.Dense(self.z_size * self.mixtures * 3, name="mdn")
        self.lstm.build((None, None, self.z_size + self.action_size))
        self.mdn.build((None, None, self.units))
        self.built = True  # every weight exists now: saving and loading need no sample call

    def call(self, inputs, initial_state=None, training=False):
        z_prev, actions = inputs
        x = ops.concatenate([z_prev, actions], axis=-1)
        hidden, _, _ = self.lstm(x, initial_state=initial_state, training=training)
        return self.mdn(hidden)

    def initial_state(self, batch_size: int) -> list:
        """Zero LSTM state ``[h, c]``, each ``(batch_size, units)``."""
        return [ops.zeros((batch_size, self.units)), ops.zeros((batch_size, self.units))]

    def step(self, z_prev, actions, state):
        """One step: ``(B, z)``, ``(B, A)``, ``[h, c]`` -> mixture parameters ``(B, z * mixtures * 3)``, new state."""
        x = ops.concatenate([z_prev, actions], axis=-1)
        hidden, state = self.lstm.cell(x, state)
        return self.mdn(hidden), state

    def get_config(self):
        return {
            **super().get_config(),
            "z_size": self.z_size,
            "action_size": self.action_size,
            "units": self.units,
            "mixtures": self.mixtures,
        }


def split_mixture(params, mixtures: int):
    """Mixture parameters ``(..., z * mixtures * 3)`` -> log-weights, means, log-stds, each ``(..., z, mixtures)``."""
    shape = ops.shape(params)
    params = ops.reshape(params, (*shape[:-1], shape[-1] // (3 * mixtures), 3 * mixtures))
    logits, means, log_stds = ops.split(params, 3, axis=-1)
    return ops.log_softmax(logits, axis=-1), means, log_stds


def mixture_mean(params, mixtures: int):
    """The mixture's mean per latent dimension ``(..., z)``: deterministic and differentiable."""
    log_weights, means, _ = split_mixture(params, mixtures)
    return ops.sum(ops.exp(log_weights) * means, axis=-1)


def sample_mixture(params, mixtures: int, temperature: float = 1.0, seed=None):
    """A sample ``(..., z)``: pick a component per dimension, then a reparameterised Gaussian draw.

    ``temperature`` sharpens (< 1) or flattens (> 1) the weights and scales the variance, as in
    World Models. The component choice is not differentiable; use :func:`mixture_mean` for
    gradients.
    """
    log_weights, means, log_stds = split_mixture(params, mixtures)
    shape = ops.shape(means)
    flat_logits = ops.reshape(log_weights / temperature, (-1, mixtures))
    component = keras.random.categorical(flat_logits, 1, seed=seed)
    choice = ops.reshape(ops.one_hot(component[:, 0], mixtures), shape)
    mean = ops.sum(choice * means, axis=-1)
    std = ops.sum(choice * ops.exp(log_stds), axis=-1) * math.sqrt(temperature)
    return mean + std * keras.random.normal(shape[:-1], seed=seed)


def mdn_nll(params, targets, mixtures: int):
    """Mean negative log-likelihood of ``targets`` ``(..., z)`` under the mixtures."""
    log_weights, means, log_stds = split_mixture(params, mixtures)
    standardised = (targets[..., None] - means) / ops.exp(log_stds)
    log_probs = -0.5 * ops.square(standardised) - log_stds - LOG_SQRT_TWO_PI
    return -ops.mean(ops.logsumexp(log_weights + log_probs, axis=-1))


def previous_latents(z):
    """Teacher-forcing inputs: ``z`` ``(B, T, z)`` shifted one step later, zeros at ``t = 0``."""
    return ops.concatenate([ops.zeros_like(z[:, :1]), z[:, :-1]], axis=1)


def mdn_rnn_loss(rnn: MDNRNN, z, actions, training: bool = True) -> dict:
    """Teacher-forced MDN loss on latent sequences ``z`` ``(B, T, z)`` of the strokes of ``actions``."""
    params = rnn((previous_latents(z), actions), training=training)
    return {"loss": mdn_nll(params, z, rnn.mixtures)}
