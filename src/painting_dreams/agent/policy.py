"""The SPIRAL-style painting policy (SPIRAL, Figure 12, as the seed adapted it).

One step of the policy sees the target, the current canvas and its previous action, and emits
one whole action:

    target --strided convs--> (8, 8, C) --+
    canvas --strided convs--> (8, 8, C) --+--> residual blocks --> dense --> LSTM --> dense, sigmoid --> action
    previous action --MLP--> (C,) broadcast --+

The LSTM state is carried over the strokes of an episode. There is no autoregressive decoder:
the head emits all fields at once, as the seed did. Fields listed in ``fixed_fields`` (the seed
fixes ``jump`` to 0 for MNIST) are overwritten inside the model, so a saved policy keeps them.
Every other field stays continuous, also ``pressure`` and ``size`` of the ``mnist`` variant:
the world model interpolates between their two real values, the real env snaps them at 0.5, so
a dream stroke of pressure 0.45 is replayed at MyPaint's lower pressure.

The saved policy is one functional Keras model ``[target, canvas, previous_action, h, c] ->
[action, h, c]`` made of two nested models: ``target_encoder`` (run once per episode by
:func:`rollout`) and ``step`` (run once per stroke).
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


def _image_encoder(filters: int, name: str) -> keras.Model:
    """64x64x3 image -> (8, 8, filters) features by three strided convolutions."""
    image = keras.Input(IMAGE_SHAPE)
    x = layers.Conv2D(filters, 5, strides=2, padding="same", activation="relu")(image * 2.0 - 1.0)
    x = layers.Conv2D(filters, 4, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(filters, 4, strides=2, padding="same")(x)
    return keras.Model(image, x, name=name)


def _residual_block(x, filters: int):
    """ResNet's basic block, activation after the sum."""
    y = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    return layers.ReLU()(layers.Add()([x, y]))


def build_policy(variant: str, fixed_fields: dict[str, float] | None = None, filters: int = 32,
                 residual_blocks: int = 2, action_embedding: int = 64, dense_units: int = 256,
                 lstm_units: int = 256) -> keras.Model:
    """The policy for ``variant``'s absolute action layout (see the module docstring)."""
    layout = ActionLayout(variant, absolute=True)
    mask, values = fixed_field_arrays(layout, fixed_fields)

    target_encoder = _image_encoder(filters, "target_encoder")
    canvas_encoder = _image_encoder(filters, "canvas_encoder")

    target_code = keras.Input((8, 8, filters), name="target_code")
    canvas = keras.Input(IMAGE_SHAPE, name="canvas")
    previous_action = keras.Input((layout.size,), name="previous_action")
    h = keras.Input((lstm_units,), name="h")
    c = keras.Input((lstm_units,), name="c")

    embedding = layers.Dense(action_embedding, activation="relu")(previous_action)
    embedding = layers.Reshape((1, 1, filters))(layers.Dense(filters)(embedding))
    x = layers.ReLU()(layers.Add()([target_code, canvas_encoder(canvas), embedding]))  # broadcast over 8x8
    for _ in range(residual_blocks):
        x = _residual_block(x, filters)
    x = layers.Dense(dense_units, activation="relu")(layers.Flatten()(x))
    x, (h_next, c_next) = layers.LSTMCell(lstm_units, name="lstm")(x, [h, c])
    action = layers.Dense(layout.size, activation="sigmoid", name="action_head")(x)
    action = FixedActionFields(mask, values, name="fixed_fields")(action)
    step = keras.Model([target_code, canvas, previous_action, h, c], [action, h_next, c_next], name="step")

    target = keras.Input(IMAGE_SHAPE, name="target")
    outer = [target, keras.Input(IMAGE_SHAPE, name="canvas"), keras.Input((layout.size,), name="previous_action"),
             keras.Input((lstm_units,), name="h"), keras.Input((lstm_units,), name="c")]
    return keras.Model(outer, step([target_encoder(target), *outer[1:]]), name=f"spiral_policy_{variant}")


def action_size(policy: keras.Model) -> int:
    return int(policy.get_layer("step").output[0].shape[-1])


def lstm_size(policy: keras.Model) -> int:
    return int(policy.get_layer("step").output[1].shape[-1])


def rollout(policy: keras.Model, painter, targets: tf.Tensor, strokes: int, keep_canvases: bool = False,
            training: bool = False):
    """Paint ``targets`` ``(B, 64, 64, 3)`` with ``strokes`` strokes on white, in the dream.

    Returns ``(actions (B, S, A), canvases)`` where ``canvases`` is the final canvas
    ``(B, 64, 64, 3)``, or every stroke's canvas ``(B, S, 64, 64, 3)`` if ``keep_canvases``.
    Differentiable in the policy's weights through ``painter``.
    """
    targets = tf.convert_to_tensor(targets, tf.float32)
    batch = tf.shape(targets)[0]
    step = policy.get_layer("step")
    target_code = policy.get_layer("target_encoder")(targets, training=training)
    canvas = tf.ones_like(targets)
    action = tf.zeros((batch, action_size(policy)))
    h = c = tf.zeros((batch, lstm_size(policy)))
    painter_state = painter.initial_state(batch)
    actions, canvases = [], []
    for _ in range(strokes):  # unrolled: S is small and static, and the graph stays simple to differentiate
        action, h, c = step([target_code, canvas, action, h, c], training=training)
        canvas, painter_state = painter.paint(canvas, action, painter_state)
        actions.append(action)
        if keep_canvases:
            canvases.append(canvas)
    actions = tf.stack(actions, axis=1)
    return actions, (tf.stack(canvases, axis=1) if keep_canvases else canvas)

