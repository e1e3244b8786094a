"""Differentiable compositors: put a predicted stroke onto a canvas.

Canvases are RGB in [0, 1] on white, ``(B, H, W, 3)``; strokes are premultiplied RGBA in [0, 1]
``(B, H, W, 4)`` or, for the seed's two methods, the stroke's RGB on white. Three methods:

* :func:`composite_darker_of`: the seed's method for black paint, keep the darker pixel;
* :func:`composite_darkness_mask`: the seed's method for colour, blend the brush colour in by
  how dark the stroke is relative to its darkest pixel;
* :func:`composite_alpha_over`: Porter-Duff "over" with the stroke's own alpha, what MyPaint
  itself does dab by dab (and what the seed wished it had kept the alpha channel for).
"""

from __future__ import annotations

import tensorflow as tf

COMPOSITORS = ("darker_of", "darkness_mask", "alpha_over")


def premultiplied_over_white(rgba):
    """Premultiplied RGBA ``(..., 4)`` over opaque white -> RGB ``(..., 3)``."""
    return rgba[..., :3] + (1.0 - rgba[..., 3:])


def composite_darker_of(canvas, stroke_rgb):
    """The darker of canvas and stroke (on white), channel by channel: ``min(canvas, stroke)``."""
    return tf.minimum(canvas, stroke_rgb)


def composite_darkness_mask(canvas, stroke_rgb, colour, min_darkness: float = 1e-2):
    """The seed's colour blend: the brush colour, weighted by the stroke's relative darkness.

    ``darkness = 1 - mean_rgb(stroke)``, divided by the stroke's own maximum darkness (per
    stroke, not per batch as in the seed's snippet) so its darkest pixel is fully opaque. The
    divisor is at least ``min_darkness``, so an (almost) white stroke is not stretched to full
    opacity and nothing divides by zero. Non-white stroke pixels are recoloured to ``colour``
    ``(B, 3)`` in [0, 1]; the result is ``mask * recoloured + (1 - mask) * canvas``.
    """
    darkness = 1.0 - tf.reduce_mean(stroke_rgb, axis=-1, keepdims=True)
    strongest = tf.reduce_max(darkness, axis=[1, 2, 3], keepdims=True)
    mask = darkness / tf.maximum(strongest, min_darkness)
    white = tf.reduce_all(stroke_rgb >= 1.0, axis=-1, keepdims=True)
    brush = tf.broadcast_to(tf.reshape(colour, (-1, 1, 1, 3)), tf.shape(stroke_rgb))
    recoloured = tf.where(white, stroke_rgb, brush)
    return mask * recoloured + (1.0 - mask) * canvas


def composite_alpha_over(canvas, stroke_rgba):
    """Premultiplied stroke over the canvas: ``rgb + (1 - alpha) * canvas``."""
    return stroke_rgba[..., :3] + (1.0 - stroke_rgba[..., 3:]) * canvas


def composite(method: str, canvas, stroke_rgba, colour=None):
    """Put premultiplied ``stroke_rgba`` on ``canvas`` with one of :data:`COMPOSITORS`.

    ``colour`` ``(B, 3)`` in [0, 1] is the brush colour, needed by ``darkness_mask`` only.
    """
    if method == "darker_of":
        return composite_darker_of(canvas, premultiplied_over_white(stroke_rgba))
    if method == "darkness_mask":
        if colour is None:
            raise ValueError("the darkness_mask compositor needs the brush colour: pass colour=(B, 3) in [0, 1]")
        return composite_darkness_mask(canvas, premultiplied_over_white(stroke_rgba), colour)
    if method == "alpha_over":
        return composite_alpha_over(canvas, stroke_rgba)
    raise ValueError(f"unknown compositor {method!r}: choose one of {', '.join(COMPOSITORS)}")
