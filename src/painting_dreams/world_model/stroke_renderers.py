"""Stroke renderers ("painters"): the world models behind one interface, so the agent can paint with either.

A painter turns normalised actions (non-absolute layout of the variant) and the normalised
start point of each stroke into strokes, premultiplied RGBA in [0, 1]:

* ``paint_strokes(actions (B, T, A), starts (B, T, 2)) -> (B, T, 64, 64, 4)``: whole episodes;
* ``initial_state(batch_size)`` and ``step(actions (B, A), starts (B, 2), state) -> (rgba, state)``:
  one stroke per agent step, carrying whatever the painter remembers between strokes.

Both are differentiable in the actions. :class:`StrokeModelPainter` uses ``starts`` and keeps
no state; :class:`WorldModelsPainter` ignores ``starts`` (the brush position is in its LSTM
state) and carries ``(h, c, z)`` across the episode. Trained on non-absolute episodes, it
assumes each stroke starts where the previous one ended and, like the env, paints nothing for
an episode's first action; the stroke model paints every action from the start it is given.
"""

from __future__ import annotations

from typing import Any, Protocol

from keras import ops

from painting_dreams.world_model.mdn_rnn import MDNRNN, mixture_mean
from painting_dreams.world_model.stroke_model import StrokeModel
from painting_dreams.world_model.vae import ConvVAE


class Painter(Protocol):
    """What the agent needs from a world model."""

    action_size: int

    def initial_state(self, batch_size: int) -> Any: ...

    def step(self, actions, starts, state) -> tuple[Any, Any]: ...

    def paint_strokes(self, actions, starts): ...


class StrokeModelPainter:
    """The non-recurrent stroke model: each stroke from its own action and start point."""

    def __init__(self, model: StrokeModel):
        self.model = model
        self.action_size = model.layout.size

    def initial_state(self, batch_size: int) -> tuple:
        return ()

    def step(self, actions, starts, state=()):
        return self.model((starts, actions)), state

    def paint_strokes(self, actions, starts):
        shape = ops.shape(actions)
        flat = self.model((ops.reshape(starts, (-1, 2)), ops.reshape(actions, (-1, shape[-1]))))
        return ops.reshape(flat, (shape[0], shape[1], *flat.shape[1:]))


class WorldModelsPainter:
    """The seed's recurrent painter: MDN-RNN mixture mean -> VAE decoder.

    State ``(h, c, z)``: the LSTM state (``h`` is the "RNN hidden state" the seed's agent read)
    and the latent of the previous predicted stroke.
    """

    def __init__(self, vae: ConvVAE, rnn: MDNRNN):
        if vae.z_size != rnn.z_size:
            raise ValueError(
                f"the VAE has z_size {vae.z_size} but the MDN-RNN expects {rnn.z_size}: train them together"
            )
        self.vae, self.rnn = vae, rnn
        self.action_size = rnn.action_size

    def initial_state(self, batch_size: int) -> tuple:
        h, c = self.rnn.initial_state(batch_size)
        return h, c, ops.zeros((batch_size, self.rnn.z_size))

    def step(self, actions, starts, state):
        h, c, z_prev = state
        params, (h, c) = self.rnn.step(z_prev, actions, [h, c])
        z = mixture_mean(params, self.rnn.mixtures)
        return self.vae.decode(z), (h, c, z)

    def paint_strokes(self, actions, starts=None):
        batch, steps = ops.shape(actions)[0], actions.shape[1]
        h, c, z = self.initial_state(batch)
        latents = []
        for t in range(steps):
            params, (h, c) = self.rnn.step(z, actions[:, t], [h, c])
            z = mixture_mean(params, self.rnn.mixtures)
            latents.append(z)
        # One decoder call for the whole episode: same strokes as step() by step, faster.
        strokes = self.vae.decode(ops.reshape(ops.stack(latents, axis=1), (-1, self.rnn.z_size)))
        return ops.reshape(strokes, (batch, steps, *strokes.shape[1:]))
