"""The stroke model that paints only where a stroke can reach: architecture ``reach_mlp``.

It is :class:`~painting_dreams.world_model.stroke_model.StrokeModel` (the same curve features, hypernetwork and
per-pixel MLP, the same weights) with one difference: only the pixels whose distance to the stroke's curve is at
most its reach,

    reach = reach_pixels_base + reach_pixels_per_size * size   (pixels; ``size`` the action's field in [0, 1])

are painted; every other pixel is exactly transparent (0, 0, 0, 0). Both settings are measured from a world's
real strokes (``scripts/stroke_reach.py``, docs/decisions.md): MyPaint paints essentially nothing beyond them.

The canvas is cut into tiles of ``TILE`` x ``TILE`` pixels. A tile whose centre is farther from the curve than
the reach plus the tile's half-diagonal holds no pixel within reach; the other (stroke, tile) pairs are gathered
with ``tf.where``, and the curve features, the per-pixel MLP and the reach mask run on their pixels only, as one
XLA computation (each tile sees its curve moved by the tile's corner, so all tiles share one grid of pixels),
then the tiles are scattered back into the images. Their number changes from batch to batch: it is padded up to
a multiple of 1/32 of all the batch's tiles, so XLA compiles for at most 32 sizes per batch size.

The gradient reaches every action field as in ``curve_mlp``, through the features and the first layer the brush
makes; the reach itself (which pixels are painted at all) carries none.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from painting_dreams.world_model.stroke_model import (
    DISTANCE_SCALE,
    IMAGE_SIZE,
    StrokeModel,
    curve_features,
    nearest_on_polyline,
    pixel_centres,
)

TILE = 8  # pixels per side of the tiles tested against the reach (4 was no faster at an agent step's batch)
TILES = IMAGE_SIZE // TILE  # tiles per side
TILE_REACH = (2 * ((TILE - 1) / 2) ** 2) ** 0.5  # farthest a tile's pixel centre lies from the tile's centre
PADDING_STEPS = 32  # the gathered tiles are padded to a multiple of (B * TILES^2) / PADDING_STEPS


def tile_pixel_centres():
    """``(TILES^2, TILE^2, 2)`` the (x, y) pixel centres of each tile, tiles and pixels row-major."""
    grid = ops.reshape(pixel_centres(IMAGE_SIZE), (TILES, TILE, TILES, TILE, 2))
    return ops.reshape(ops.transpose(grid, (0, 2, 1, 3, 4)), (TILES * TILES, TILE * TILE, 2))


@tf.function(jit_compile=True)
def tile_distances(tile_centres, curve):
    """``(B, TILES^2)`` the distance of each tile's centre to the curve ``(B, K, 2)``, without gradient."""
    return nearest_on_polyline(tile_centres, tf.stop_gradient(curve))[0]


def scatter_tiles(pairs, rgba, batch):
    """``(B, 64, 64, 4)`` images holding the tiles ``rgba`` ``(T, TILE^2, 4)`` of the ``(stroke, tile)`` ``pairs``
    ``(T, 2)`` and zeros elsewhere: each tile's rows go to their place as slices, no transpose of the images."""
    rows = tf.range(TILE, dtype=tf.int64)[None, :]
    image_rows = (pairs[:, 1:] // TILES) * TILE + rows  # (T, TILE)
    index = tf.stack([tf.broadcast_to(pairs[:, :1], tf.shape(image_rows)), image_rows,
                      tf.broadcast_to(pairs[:, 1:] % TILES, tf.shape(image_rows))], axis=-1)  # (T, TILE, 3)
    slices = tf.reshape(rgba, (-1, TILE, TILE * 4))  # a tile's row: TILE pixels x RGBA, contiguous in the image
    images = tf.scatter_nd(index, slices, tf.stack([batch, IMAGE_SIZE, TILES, TILE * 4]))
    return tf.reshape(images, (-1, IMAGE_SIZE, IMAGE_SIZE, 4))


@keras.saving.register_keras_serializable(package="painting_dreams")
class ReachModel(StrokeModel):
    """``(starts (B, 2), actions (B, A))`` normalised -> stroke ``(B, 64, 64, 4)``, painted only within reach.

    ``reach_pixels_base`` and ``reach_pixels_per_size`` set the reach (pixels from the curve) as a linear function
    of the action's size field in [0, 1]; the other arguments are :class:`StrokeModel`'s. The first call with a
    new number of reachable tiles compiles the features and MLP for it (see the module's docstring).
    """

    architecture = "reach_mlp"

    def __init__(self, variant: str = "mnist", curve_points: int = 17, brush_units: int = 64, pixel_units: int = 16,
                 reach_pixels_base: float = 5.0, reach_pixels_per_size: float = 26.0, brush: str | None = None,
                 brush_sha256: str | None = None, **kwargs):
        super().__init__(variant, curve_points, brush_units, pixel_units, brush, brush_sha256, **kwargs)
        self.reach_pixels_base, self.reach_pixels_per_size = float(reach_pixels_base), float(reach_pixels_per_size)
        if self.reach_pixels_base < 0 or self.reach_pixels_base + self.reach_pixels_per_size < 0:
            raise ValueError(f"reach_pixels_base {reach_pixels_base} and reach_pixels_per_size {reach_pixels_per_size} "
                             "give a negative reach: a stroke's reach is a distance in pixels, >= 0 at every size")
        self.size_field = self.layout.index("size")
        tile_pixels = tile_pixel_centres()
        self.tile_corners = tile_pixels[:, 0] - 0.5  # (TILES^2, 2)
        self.tile_centres = ops.mean(tile_pixels, axis=1)
        self.local_pixels = pixel_centres(TILE)  # (TILE^2, 2) the centres of a tile's pixels from its corner

    def reach(self, actions):
        """``(B,)`` the reach in pixels of each stroke: the distance from its curve beyond which it paints nothing."""
        return self.reach_pixels_base + self.reach_pixels_per_size * actions[:, self.size_field]

    def call(self, inputs):
        starts, actions = inputs
        curve, weights = self.curve_and_first_layer(starts, actions)  # (B, K, 2), (B, F, U)
        reach = self.reach(actions)
        pairs = tf.where(tile_distances(self.tile_centres, curve) <= reach[:, None] + TILE_REACH)  # (T, 2)

        # Pad the pairs (with copies of the first) so XLA sees few distinct sizes, and drop the copies after.
        count, batch = tf.shape(pairs, out_type=tf.int64)[0], tf.shape(actions, out_type=tf.int64)[0]
        step = tf.maximum((batch * TILES * TILES) // PADDING_STEPS, 1)
        padded = tf.concat([pairs, tf.zeros([(-count) % step, 2], tf.int64)], axis=0)
        stroke = padded[:, 0]
        # Each tile sees its stroke's curve moved by the tile's corner, so every tile has the same pixels.
        curves = tf.gather(curve, stroke) - tf.gather(self.tile_corners, padded[:, 1])[:, None, :]
        rgba = self.tiles_rgba(curves, tf.gather(weights, stroke), tf.gather(reach, stroke))
        return scatter_tiles(pairs, rgba[:count], batch)

    @tf.function(jit_compile=True)
    def tiles_rgba(self, curves, weights, reach):
        """``(T, TILE^2, 4)`` the RGBA of a tile's pixels for curves ``(T, K, 2)`` relative to the tiles' corners,
        their strokes' first layers ``(T, F, U)`` and reaches ``(T,)``, zero beyond the reach. Features and MLP are
        one XLA computation: faster forward and backward than the MLP outside XLA (docs/decisions.md)."""
        features = curve_features(self.local_pixels, curves)  # (T, TILE^2, F)
        first = ops.einsum("tpf,tfu->tpu", features, weights)
        rgba = self.pixel_rgba(first)
        return tf.where(features[..., :1] * DISTANCE_SCALE <= reach[:, None, None], rgba, 0.0)

    def get_config(self):
        return {**super().get_config(), "reach_pixels_base": self.reach_pixels_base,
                "reach_pixels_per_size": self.reach_pixels_per_size}
