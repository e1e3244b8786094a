"""The non-recurrent stroke model the seed proposed: (start point, action) -> stroke RGBA.

It is a coordinate-based decoder with the environment's stroke geometry built in. The curve of
an action is known exactly (``paint/strokes.py``: a quadratic Bezier through the control point,
pressure ramped in and out over the first and last quarter), so it is computed here, in
TensorFlow, as a polyline; what the network learns is how MyPaint's dry brush turns that curve
into paint. For every pixel it measures

* the distance to the curve (pixels),
* the pressure ramp at the nearest point of the curve, and where along the curve it is,
* how fast the pen moved there (MyPaint thins fast strokes),

and a small per-pixel MLP maps these to premultiplied RGBA. The MLP's first layer is made per
stroke from the brush fields of the action (pressure, size, jump or colour) by a hypernetwork,
so one stroke's brush scales its distances, gates it (jump) and colours it.

Every step is differentiable in every action field. Only the choice of the nearest curve segment
is made without gradient; the distance to that segment then carries the gradient, exactly as the
gradient of a minimum does, while keeping the backward pass small (nothing per segment is kept).
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.strokes import RAMP_FRACTION

IMAGE_SIZE = 64
PIXEL_FEATURES = 6  # distance, squared distance, pressure ramp, position along curve, pen speed, 1
DISTANCE_SCALE = 4.0  # pixels per unit of the distance feature (feature 0 is distance / DISTANCE_SCALE)


def quadratic_curve_points(starts, ends, controls, points: int):
    """``(B, points, 2)`` points of the curve that passes through ``controls`` at its middle.

    The TensorFlow twin of :func:`painting_dreams.paint.strokes.quadratic_curve`, batched.
    """
    mid = (starts + ends) / 2.0
    bezier_control = mid + 2.0 * (controls - mid)
    t = ops.reshape(ops.linspace(0.0, 1.0, points), (1, points, 1))
    starts, bezier_control, ends = (ops.expand_dims(p, 1) for p in (starts, bezier_control, ends))
    return (1 - t) ** 2 * starts + 2 * (1 - t) * t * bezier_control + t**2 * ends


def pressure_ramp(u):
    """The env's pressure multiplier at curve position ``u`` in [0, 1]."""
    return ops.clip(ops.minimum(u, 1.0 - u) / RAMP_FRACTION, 0.0, 1.0)


def pixel_centres(size: int = IMAGE_SIZE):
    """``(size * size, 2)`` (x, y) pixel centres in pixel units, row-major like the images."""
    coords = ops.arange(size, dtype="float32") + 0.5
    ys, xs = ops.meshgrid(coords, coords, indexing="ij")
    return ops.stack([ops.reshape(xs, (-1,)), ops.reshape(ys, (-1,))], axis=-1)


def nearest_on_polyline(pixels, curve):
    """Distance from each pixel to a polyline and where on it the nearest point lies.

    ``pixels`` ``(P, 2)`` (or ``(B, P, 2)``: each stroke its own), ``curve`` ``(B, K, 2)`` -> ``distance``
    ``(B, P)`` in pixel units, ``u`` ``(B, P)`` in [0, 1] along the curve and ``segment_length`` ``(B, P)``
    of the nearest segment. The nearest segment is chosen without gradient; the returned values are
    differentiable in the curve.
    """
    segments = ops.shape(curve)[1] - 1
    a, b = curve[:, :-1], curve[:, 1:]  # (B, S, 2)
    pixels = pixels if len(pixels.shape) == 3 else pixels[None]  # (B or 1, P, 2)

    def project(a, b, p):
        ab, ap = b - a, p - a
        t = ops.clip(ops.sum(ap * ab, -1) / (ops.sum(ab * ab, -1) + 1e-6), 0.0, 1.0)
        return t, ops.sum(ops.square(ap - t[..., None] * ab), -1)

    # Which segment is nearest: (B, P, S) without gradient.
    a0, b0 = ops.stop_gradient(a)[:, None], ops.stop_gradient(b)[:, None]
    _, squared = project(a0, b0, pixels[:, :, None, :])
    nearest = tf.argmin(squared, axis=-1, output_type=tf.int32)  # (B, P)

    # Distance to that segment, with gradient: (B, P). A batched gather: its gradient is 2-3x
    # cheaper under XLA than that of ops.take_along_axis.
    a_near, b_near = tf.gather(a, nearest, batch_dims=1), tf.gather(b, nearest, batch_dims=1)
    t, squared = project(a_near, b_near, pixels)
    distance = ops.sqrt(squared + 1e-6)
    u = (ops.cast(nearest, "float32") + t) / ops.cast(segments, "float32")
    segment_length = ops.sqrt(ops.sum(ops.square(b_near - a_near), -1) + 1e-6)
    return distance, u, segment_length


@tf.function(jit_compile=True)
def curve_features(pixels, curve):
    """``(B, P, PIXEL_FEATURES)`` per-pixel features of a curve ``(B, K, 2)`` at ``pixels`` ``(P, 2)`` or ``(B, P, 2)``,
    in pixel units.

    Compiled with XLA: the chain of small elementwise ops over (batch, pixels, segments) is
    memory-bound, and fusing it makes the stroke model ~20x faster on a CPU.
    """
    distance, u, segment_length = nearest_on_polyline(pixels, curve)  # (B, P) each
    speed = segment_length * (ops.shape(curve)[1] - 1) / IMAGE_SIZE  # curve length per unit u / width
    scaled = distance / DISTANCE_SCALE
    return ops.stack([scaled, ops.square(scaled), pressure_ramp(u), u, speed, ops.ones_like(u)], axis=-1)


@keras.saving.register_keras_serializable(package="painting_dreams")
class StrokeModel(keras.Model):
    """``(starts (B, 2), actions (B, A))`` normalised -> stroke ``(B, 64, 64, 4)`` premultiplied RGBA.

    ``actions`` follow the (non-absolute) layout of ``variant``: end, control, pressure, size,
    then jump (``mnist``) or red, green, blue (``color``). The curve features are compiled with
    XLA, so the first call with a new batch size takes a second or two.

    ``brush`` is the MyPaint brush whose strokes it learned (``brush_sha256`` that brush file's digest),
    saved with the model so that every painter made from it paints with that brush in real MyPaint;
    an untrained model has none.
    """

    architecture = "curve_mlp"  # its name in painting_dreams.world_model.architectures

    def __init__(self, variant: str = "mnist", curve_points: int = 17, brush_units: int = 64,
                 pixel_units: int = 16, brush: str | None = None, brush_sha256: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.variant = variant
        self.painted_with = brush  # not ``brush``: that name is the layer reading the brush fields
        self.brush_sha256 = brush_sha256
        self.layout = ActionLayout(variant)
        self.curve_points = int(curve_points)
        self.brush_units, self.pixel_units = int(brush_units), int(pixel_units)
        self.pixels = pixel_centres(IMAGE_SIZE)
        brush_fields = self.layout.size - 4 + 1  # pressure, size, jump | rgb, and the curve length
        self.brush = keras.Sequential(
            [layers.Dense(self.brush_units, activation="relu"), layers.Dense(self.brush_units, activation="relu")],
            name="brush",
        )
        self.first_weights = layers.Dense(PIXEL_FEATURES * self.pixel_units, name="first_weights")
        self.hidden = layers.Dense(self.pixel_units, activation="relu", name="hidden")
        self.rgba = layers.Dense(4, name="rgba")
        self.brush.build((None, brush_fields))
        self.first_weights.build((None, self.brush_units))
        self.hidden.build((None, None, self.pixel_units))
        self.rgba.build((None, None, self.pixel_units))
        self.built = True  # every weight exists now: saving and loading need no sample call

    def call(self, inputs):
        curve, weights = self.curve_and_first_layer(*inputs)
        features = curve_features(self.pixels, curve)  # (B, P, F)
        rgba = self.pixel_rgba(ops.einsum("bpf,bfu->bpu", features, weights))  # (B, P, 4)
        return ops.reshape(rgba, (-1, IMAGE_SIZE, IMAGE_SIZE, 4))

    def curve_and_first_layer(self, starts, actions):
        """The stroke's polyline ``(B, K, 2)`` in pixels and the first layer ``(B, F, U)`` its brush fields make."""
        scale = float(IMAGE_SIZE)
        ends, controls, brush = actions[:, 0:2] * scale, actions[:, 2:4] * scale, actions[:, 4:]
        curve = quadratic_curve_points(starts * scale, ends, controls, self.curve_points)
        length = ops.sum(ops.sqrt(ops.sum(ops.square(curve[:, 1:] - curve[:, :-1]), -1) + 1e-6), -1) / scale
        embedding = self.brush(ops.concatenate([brush, length[:, None]], axis=-1))
        return curve, ops.reshape(self.first_weights(embedding), (-1, PIXEL_FEATURES, self.pixel_units))

    def pixel_rgba(self, first):
        """Premultiplied RGBA ``(..., 4)`` of pixels from their first layer's pre-activations ``(..., U)``."""
        logits = self.rgba(self.hidden(ops.relu(first)))
        alpha = ops.sigmoid(logits[..., :1])
        colour = ops.sigmoid(logits[..., 1:])
        return ops.concatenate([colour * alpha, alpha], axis=-1)

    def get_config(self):
        return {
            **super().get_config(),
            "variant": self.variant,
            "curve_points": self.curve_points,
            "brush_units": self.brush_units,
            "pixel_units": self.pixel_units,
            "brush": self.painted_with,
            "brush_sha256": self.brush_sha256,
        }


def stroke_model_loss(model: StrokeModel, starts, actions, strokes, alpha_weight: float = 0.0) -> dict:
    """Mean squared error on premultiplied RGBA, plus ``alpha_weight`` x the MSE on painted pixels.

    The second term weighs pixels by the real stroke's alpha, so thin strokes that cover little
    of the canvas still pull hard on the model.
    """
    predicted = model((starts, actions))
    squared = ops.square(predicted - strokes)
    mse = ops.mean(squared)
    alpha = strokes[..., 3:]
    painted = ops.sum(squared * alpha) / (4.0 * ops.sum(alpha) + 1e-6)
    return {"loss": mse + alpha_weight * painted, "mse": mse, "painted_mse": painted}
