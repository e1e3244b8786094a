"""The painting policy: SPIRAL's (Figure 12, as the seed adapted it) and a cheaper variant of it.

One step of the policy sees the target, the current canvas and its previous action(s), and emits
``strokes_per_step`` whole actions at once:

    target --strided convs--> (8, 8, C) --+
    canvas --strided convs--> (8, 8, C) --+--> residual blocks --> dense --> LSTM --> dense, sigmoid --> k actions
    previous actions --MLP--> (C,) broadcast --+

The LSTM state is carried over the steps of an episode. There is no autoregressive decoder:
the head emits all fields at once, as the seed did. Fields listed in ``fixed_fields`` (the seed
fixes ``jump`` to 0 for MNIST) are overwritten inside the model, so a saved policy keeps them.

What a step costs is set by three choices (the seed's policy is ``strokes_per_step=1``,
``canvas_resolution=64``, ``encoder="separate"``):

* ``strokes_per_step`` k: one policy step emits k strokes, painted one after another before the
  policy looks at the canvas again (Learning to Paint paints 5 per step). The canvas encoder and
  the LSTM run S / k times per painting instead of S times.
* ``canvas_resolution``: the canvas (and, for ``joint``, the target) is average-pooled to 64, 32
  or 16 pixels before its encoder; each halving drops one strided convolution and ~3/4 of the
  encoder's cost.
* ``encoder``: ``separate`` encodes the target once per painting and the canvas every step
  (SPIRAL); ``joint`` runs one encoder every step over target and canvas stacked as 6 channels,
  so the first convolution already sees where they differ.

The saved policy is one functional Keras model ``[target, canvas, previous_actions, h, c] ->
[actions (B, k, A), h, c]`` made of two nested models: ``target_encoder`` (run once per episode
by :func:`rollout`) and ``step`` (run once per policy step).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from painting_dreams.paint.actions import ActionLayout

IMAGE_SHAPE = (64, 64, 3)


@keras.saving.register_keras_serializable(package="painting_dreams")
class FixedActionFields(layers.Layer):
    """Overwrite some action fields with constants: ``action * (1 - mask) + mask * values``."""

    def __init__(self, mask, values, **kwargs):
        super().__init__(**kwargs)
        self.mask = [float(v) for v in mask]
        self.values = [float(v) for v in values]

    def call(self, actions):
        mask = tf.constant(self.mask, actions.dtype)
        return actions * (1.0 - mask) + mask * tf.constant(self.values, actions.dtype)

    def get_config(self):
        return {**super().get_config(), "mask": self.mask, "values": self.values}


def fixed_field_arrays(layout: ActionLayout, fixed_fields: dict[str, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """``(mask, values)`` over ``layout.fields`` for the fields fixed to constants (e.g. ``{"jump": 0.0}``)."""
    fixed_fields = dict(fixed_fields or {})
    unknown = sorted(set(fixed_fields) - set(layout.fields))
    if unknown:
        raise ValueError(f"fixed_fields {unknown} are not fields of the {layout.name!r} layout: {', '.join(layout.fields)}")
    for field, value in fixed_fields.items():
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"fixed field {field!r} is {value}: actions are normalised, use a value in [0, 1]")
    mask = np.array([float(f in fixed_fields) for f in layout.fields], np.float32)
    values = np.array([float(fixed_fields.get(f, 0.0)) for f in layout.fields], np.float32)
    return mask, values


ENCODERS = ("separate", "joint")
CANVAS_RESOLUTIONS = (64, 32, 16)


def _pool(image, resolution: int):
    """Average-pool a 64x64 image to ``resolution`` pixels (nothing at 64)."""
    factor = IMAGE_SHAPE[0] // resolution
    return layers.AveragePooling2D(factor)(image) if factor > 1 else image


def _image_encoder(filters: int, name: str, resolution: int = 64, channels: int = 3) -> keras.Model:
    """``resolution`` x ``resolution`` image(s) in [0, 1] -> (8, 8, filters) features by strided convolutions.

    Three convolutions at 64 pixels (5x5, 4x4, 4x4, as SPIRAL), one fewer per halving.
    """
    image = keras.Input((resolution, resolution, channels))
    kernels = {64: (5, 4, 4), 32: (5, 4), 16: (4,)}[resolution]
    x = image * 2.0 - 1.0
    for i, kernel in enumerate(kernels):
        last = i == len(kernels) - 1
        x = layers.Conv2D(filters, kernel, strides=2, padding="same", activation=None if last else "relu")(x)
    return keras.Model(image, x, name=name)


def _residual_block(x, filters: int):
    """ResNet's basic block, activation after the sum."""
    y = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    return layers.ReLU()(layers.Add()([x, y]))


def build_policy(variant: str, fixed_fields: dict[str, float] | None = None, filters: int = 32,
                 residual_blocks: int = 2, action_embedding: int = 64, dense_units: int = 256,
                 lstm_units: int = 256, strokes_per_step: int = 1, canvas_resolution: int = 64,
                 encoder: str = "separate") -> keras.Model:
    """The policy for ``variant``'s absolute action layout (see the module docstring). The keyword defaults are
    the seed's policy (conf's ``recipes.seed``); a run's sizes come from ``agent.defaults.policy`` in conf."""
    layout = ActionLayout(variant, absolute=True)
    mask, values = fixed_field_arrays(layout, fixed_fields)
    if isinstance(strokes_per_step, bool) or not isinstance(strokes_per_step, int) or strokes_per_step < 1:
        raise ValueError(f"strokes_per_step is {strokes_per_step!r}: use a whole number of strokes, at least 1")
    if canvas_resolution not in CANVAS_RESOLUTIONS:
        raise ValueError(f"canvas_resolution is {canvas_resolution!r}: choose one of "
                         f"{', '.join(map(str, CANVAS_RESOLUTIONS))} (pixels the canvas is pooled to)")
    if encoder not in ENCODERS:
        raise ValueError(f"encoder is {encoder!r}: choose one of {', '.join(ENCODERS)}")
    k, size = strokes_per_step, layout.size

    target = keras.Input(IMAGE_SHAPE, name="target")
    if encoder == "separate":
        target_encoder = _image_encoder(filters, "target_encoder")
        code_shape = (8, 8, filters)
    else:  # the target only gets pooled here; the step's encoder reads it beside the canvas
        target_encoder = keras.Model(target, _pool(target, canvas_resolution), name="target_encoder")
        code_shape = (canvas_resolution, canvas_resolution, 3)
    canvas_encoder = _image_encoder(filters, "canvas_encoder", canvas_resolution, 3 if encoder == "separate" else 6)

    target_code = keras.Input(code_shape, name="target_code")
    canvas = keras.Input(IMAGE_SHAPE, name="canvas")
    previous_action = keras.Input((k, size) if k > 1 else (size,), name="previous_action")
    h = keras.Input((lstm_units,), name="h")
    c = keras.Input((lstm_units,), name="c")

    embedding = layers.Dense(action_embedding, activation="relu")(
        layers.Flatten()(previous_action) if k > 1 else previous_action)
    embedding = layers.Reshape((1, 1, filters))(layers.Dense(filters)(embedding))
    pooled_canvas = _pool(canvas, canvas_resolution)
    if encoder == "separate":
        features = layers.Add()([target_code, canvas_encoder(pooled_canvas)])
    else:
        features = canvas_encoder(layers.Concatenate()([target_code, pooled_canvas]))
    x = layers.ReLU()(layers.Add()([features, embedding]))  # broadcast over 8x8
    for _ in range(residual_blocks):
        x = _residual_block(x, filters)
    x = layers.Dense(dense_units, activation="relu")(layers.Flatten()(x))
    x, (h_next, c_next) = layers.LSTMCell(lstm_units, name="lstm")(x, [h, c])
    action = layers.Dense(k * size, activation="sigmoid", name="action_head")(x)
    if k > 1:
        action = layers.Reshape((k, size))(action)
    action = FixedActionFields(mask, values, name="fixed_fields")(action)
    step = keras.Model([target_code, canvas, previous_action, h, c], [action, h_next, c_next], name="step")

    outer = [target, keras.Input(IMAGE_SHAPE, name="canvas"), keras.Input(previous_action.shape[1:], name="previous_action"),
             keras.Input((lstm_units,), name="h"), keras.Input((lstm_units,), name="c")]
    return keras.Model(outer, step([target_encoder(target), *outer[1:]]), name=f"spiral_policy_{variant}")


def action_size(policy: keras.Model) -> int:
    """Fields of one action."""
    return int(policy.get_layer("step").output[0].shape[-1])


def strokes_per_step(policy: keras.Model) -> int:
    """Strokes one policy step emits (1 for the seed's policy, whose actions are ``(B, A)``)."""
    shape = policy.get_layer("step").output[0].shape
    return int(shape[1]) if len(shape) == 3 else 1


def lstm_size(policy: keras.Model) -> int:
    return int(policy.get_layer("step").output[1].shape[-1])


def policy_steps(policy: keras.Model, strokes: int) -> int:
    """Policy steps that paint ``strokes`` strokes (the last step may use only some of its strokes)."""
    return -(-int(strokes) // strokes_per_step(policy))


def _first_state(policy: keras.Model, painter, targets: tf.Tensor, training: bool, canvases: tf.Tensor | None = None):
    """``(target code, state)`` before the first policy step: white canvases (or ``canvases``, a painting to
    go on with), no previous action, a zero LSTM state and the painter's initial state,
    ``state = (canvas, action, h, c, painter_state)``."""
    batch = tf.shape(targets)[0]
    k, size = strokes_per_step(policy), action_size(policy)
    target_code = policy.get_layer("target_encoder")(targets, training=training)
    h = c = tf.zeros((batch, lstm_size(policy)))
    action = tf.zeros((batch, k, size) if k > 1 else (batch, size))
    canvas = tf.ones_like(targets) if canvases is None else tf.convert_to_tensor(canvases, tf.float32)
    return target_code, (canvas, action, h, c, painter.initial_state(batch))


def _policy_step(policy: keras.Model, painter, target_code, state, count: int, keep_canvases: bool, training: bool):
    """One policy step: its actions, the first ``count`` of them painted. ``(state, emitted (B, count, A), the
    canvas after each painted stroke (a list, if keep_canvases))``."""
    canvas, action, h, c, painter_state = state
    action, h, c = policy.get_layer("step")([target_code, canvas, action, h, c], training=training)
    emitted = (action if strokes_per_step(policy) > 1 else action[:, None])[:, :count]
    canvas, painter_state, painted = painter.paint_many(canvas, emitted, painter_state, keep_canvases)
    return (canvas, action, h, c, painter_state), emitted, painted


def paint_steps(policy: keras.Model, painter, targets: tf.Tensor, strokes: int, keep_canvases: bool = False,
                training: bool = False):
    """Paint ``targets`` ``(B, 64, 64, 3)`` with ``strokes`` strokes on white, in the dream, step by step.

    Returns ``(actions (B, S, A), step_canvases, stroke_canvases)``: the canvas after each policy
    step (a list of ``(B, 64, 64, 3)``, the last one the painting) and, if ``keep_canvases``, the
    canvas after every stroke (a list of S), else ``None``. Differentiable in the policy's weights
    through ``painter``.
    """
    targets = tf.convert_to_tensor(targets, tf.float32)
    k = strokes_per_step(policy)
    target_code, state = _first_state(policy, painter, targets, training)
    actions, step_canvases, stroke_canvases = [], [], [] if keep_canvases else None
    for t in range(policy_steps(policy, strokes)):  # unrolled: S is small and static, simple to differentiate
        state, emitted, painted = _policy_step(policy, painter, target_code, state, min(k, strokes - t * k),
                                               keep_canvases, training)
        actions.append(emitted)
        step_canvases.append(state[0])
        if keep_canvases:
            stroke_canvases.extend(painted)
    return tf.concat(actions, axis=1), step_canvases, stroke_canvases


def rollout(policy: keras.Model, painter, targets: tf.Tensor, strokes: int, keep_canvases: bool = False,
            training: bool = False, start: tf.Tensor | None = None):
    """Paint ``targets`` ``(B, 64, 64, 3)`` with ``strokes`` strokes on white (or on ``start`` ``(B, 64, 64, 3)``,
    going on with a painting: the policy sees them as it sees its own canvas), in the dream.

    Returns ``(actions (B, S, A), canvases)`` where ``canvases`` is the final canvas
    ``(B, 64, 64, 3)``, or every stroke's canvas ``(B, S, 64, 64, 3)`` if ``keep_canvases``.
    The same painting as :func:`paint_steps`, but its policy steps run in one symbolic loop
    (``tf.while_loop``) instead of unrolled: traced, the graph holds one policy step whatever S is,
    so a 500-stroke painting traces as fast and in as little memory as an 8-stroke one.
    Differentiable in the policy's weights through ``painter``.
    """
    targets = tf.convert_to_tensor(targets, tf.float32)
    batch = tf.shape(targets)[0]
    k, size = strokes_per_step(policy), action_size(policy)
    target_code, state = _first_state(policy, painter, targets, training, start)

    def one_step(state, count: int):
        state, emitted, painted = _policy_step(policy, painter, target_code, state, count, keep_canvases, training)
        return state, emitted, tf.stack(painted, axis=1) if keep_canvases else ()

    full, tail = divmod(int(strokes), k)  # policy steps of k strokes, then one of the rest
    actions = tf.TensorArray(tf.float32, size=full, element_shape=(None, k, size))
    painted = tf.TensorArray(tf.float32, size=full, element_shape=(None, k, *IMAGE_SHAPE)) if keep_canvases else ()

    def body(t, state, actions, painted):
        state, emitted, strokes_painted = one_step(state, k)
        if keep_canvases:
            painted = painted.write(t, strokes_painted)
        return t + 1, state, actions.write(t, emitted), painted

    _, state, actions, painted = tf.while_loop(lambda t, *_: t < full, body, (tf.constant(0), state, actions, painted))
    # (steps, B, k, ...) -> (B, steps * k, ...)
    merge = lambda stacked: tf.reshape(  # noqa: E731
        tf.transpose(stacked, [1, 0, *range(2, len(stacked.shape))]),
        tf.concat([[batch, full * k], tf.shape(stacked)[3:]], 0))
    if full:
        actions, canvases = merge(actions.stack()), merge(painted.stack()) if keep_canvases else None
    else:  # fewer strokes than one policy step paints: only the tail step below
        actions, canvases = tf.zeros((batch, 0, size)), tf.zeros((batch, 0, *IMAGE_SHAPE))
    if tail:
        state, emitted, strokes_painted = one_step(state, tail)
        actions = tf.concat([actions, emitted], axis=1)
        if keep_canvases:
            canvases = tf.concat([canvases, strokes_painted], axis=1)
    return actions, (canvases if keep_canvases else state[0])
