"""The stroke-model architectures a world may choose (``stroke_model.training.architecture`` in conf).

Each entry maps a name to a builder ``(variant, brush, brush_sha256, **settings) -> keras.Model`` of the
``(starts, actions) -> RGBA`` contract of :class:`~painting_dreams.world_model.stroke_model.StrokeModel`,
and names the settings it reads from the ``training`` block. The block holds the settings of every architecture
(so a world chooses one with ``stroke_model: {architecture: reach_mlp}`` alone); the chosen one's builder gets its
own. Add an architecture by adding an entry here (a model class registered with Keras, so its ``.keras`` file
loads: importing :mod:`painting_dreams.world_model` registers every one), its settings to the training block, and
choosing it in conf.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras

from painting_dreams.world_model.reach_model import ReachModel
from painting_dreams.world_model.stroke_model import StrokeModel


@dataclass(frozen=True)
class Architecture:
    build: Callable[..., keras.Model]
    settings: tuple[str, ...]  # the keys of the training block it takes
    description: str


ARCHITECTURES = {
    "curve_mlp": Architecture(StrokeModel, ("curve_points", "brush_units", "pixel_units"),
                              "the curve's per-pixel features (distance, pressure ramp, speed) through a per-pixel MLP "
                              "whose first layer the brush fields make"),
    "reach_mlp": Architecture(ReachModel, ("curve_points", "brush_units", "pixel_units", "reach_pixels_base",
                                           "reach_pixels_per_size"),
                              "curve_mlp's model run only on the pixels within the stroke's reach (a distance from the "
                              "curve growing with its size field); every other pixel is transparent"),
}

# Every architecture's settings: the keys of the training block that belong to some architecture.
ARCHITECTURE_SETTINGS = tuple(dict.fromkeys(key for chosen in ARCHITECTURES.values() for key in chosen.settings))


def architecture(name: str) -> Architecture:
    """The architecture ``name``, or a ``ValueError`` naming the known ones."""
    if name not in ARCHITECTURES:
        raise ValueError(f"unknown stroke-model architecture {name!r}: choose one of {', '.join(ARCHITECTURES)} "
                         "(painting_dreams.world_model.architectures)")
    return ARCHITECTURES[name]


def build_stroke_model(name: str, variant: str, brush: str | None, brush_sha256: str | None,
                       settings: dict) -> keras.Model:
    """An untrained stroke model of architecture ``name`` for ``variant``'s layout, learning ``brush``."""
    chosen = architecture(name)
    return chosen.build(variant=variant, brush=brush, brush_sha256=brush_sha256,
                        **{key: settings[key] for key in chosen.settings})
