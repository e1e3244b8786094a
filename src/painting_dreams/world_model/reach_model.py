"""The stroke model that paints only where a stroke can reach: architecture ``reach_mlp``.

It is :class:`~painting_dreams.world_model.stroke_model.StrokeModel` (the same curve features, hypernetwork and
per-pixel MLP, the same weights) with one difference: the per-pixel MLP runs only on the pixels whose distance to
the stroke's curve is at most its reach,

    reach = reach_pixels_base + reach_pixels_per_size * size   (pixels; ``size`` the action's normalised field)

and every other pixel is exactly transparent (0, 0, 0, 0). A stroke covers a small part of the 64x64 canvas, so
most of the per-pixel MLP's work (70 % of the stroke model's) is skipped. Both reach settings are measured from a
world's real strokes (docs/decisions.md): MyPaint paints essentially nothing outside them.

The reachable (stroke, pixel) pairs are gathered with ``tf.where`` on the mask, run through the MLP, and scattered
back; their number changes from batch to batch, which is fine outside XLA (only the curve features are compiled).
The gradient reaches every action field as in ``curve_mlp``, through the features and the first layer the brush
makes; the reach itself (which pixels are painted at all) carries none.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from painting_dreams.world_model.stroke_model import DISTANCE_SCALE, IMAGE_SIZE, StrokeModel


@keras.saving.register_keras_serializable(package="painting_dreams")
class ReachModel(StrokeModel):
    """``(starts (B, 2), actions (B, A))`` normalised -> stroke ``(B, 64, 64, 4)``, painted only within reach.

    ``reach_pixels_base`` and ``reach_pixels_per_size`` set the reach (pixels from the curve) as a linear function
    of the action's size field in [0, 1]; the other arguments are :class:`StrokeModel`'s.
    """

    architecture = "reach_mlp"

    def __init__(self, variant: str = "mnist", curve_points: int = 17, brush_units: int = 64, pixel_units: int = 16,
                 reach_pixels_base: float = 64.0, reach_pixels_per_size: float = 0.0, brush: str | None = None,
                 brush_sha256: str | None = None, **kwargs):
        super().__init__(variant, curve_points, brush_units, pixel_units, brush, brush_sha256, **kwargs)
        self.reach_pixels_base, self.reach_pixels_per_size = float(reach_pixels_base), float(reach_pixels_per_size)
        if self.reach_pixels_base < 0 or self.reach_pixels_base + self.reach_pixels_per_size < 0:
            raise ValueError(f"reach_pixels_base {reach_pixels_base} and reach_pixels_per_size {reach_pixels_per_size} "
                             "give a negative reach: a stroke's reach is a distance in pixels, >= 0 at every size")
        self.size_field = self.layout.index("size")

    def reach(self, actions):
        """``(B,)`` the reach in pixels of each stroke: the distance from its curve beyond which it paints nothing."""
        return self.reach_pixels_base + self.reach_pixels_per_size * actions[:, self.size_field]

    def call(self, inputs):
        starts, actions = inputs
        features, weights = self.pixel_features(starts, actions)  # (B, P, F), (B, F, U)
        within = features[..., 0] * DISTANCE_SCALE <= self.reach(actions)[:, None]  # (B, P)
        reachable = tf.where(within)  # (N, 2): stroke, pixel
        first = ops.einsum("nf,nfu->nu", tf.gather_nd(features, reachable), tf.gather(weights, reachable[:, 0]))
        shape = tf.concat([tf.shape(within, out_type=tf.int64), [4]], axis=0)
        rgba = tf.scatter_nd(reachable, self.pixel_rgba(first), shape)  # (B, P, 4), zero beyond reach
        return ops.reshape(rgba, (-1, IMAGE_SIZE, IMAGE_SIZE, 4))

    def get_config(self):
        return {**super().get_config(), "reach_pixels_base": self.reach_pixels_base,
                "reach_pixels_per_size": self.reach_pixels_per_size}
