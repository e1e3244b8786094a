"""The trained painters that ship with the package: no training, no download, no Kedro project.

Each name (``mnist_8``, ``kmnist_15``, ``celeba_15``, ``celeba_30``, ``celeba_50``) stands for a
painter and its stroke count; ``cards/<name>.json`` is its model card: which policy file and stroke
model paint it, how the dream lays strokes (compositor, two-valued fields, fixed fields), the
dataset and split, recipe, steps, training time and machine, test MSEs, date and licence. Several
names may share one policy (a 50-stroke agent trained with a prefix loss paints 15 and 30 strokes
as its first 15 and 30).

Models load with Keras ``safe_mode`` (no Lambda layers, no arbitrary code); a missing or corrupt
file raises :class:`ShippedPainterError` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CARD_KEYS = ("name", "strokes", "variant", "policy", "stroke_model", "compositor", "discrete_actions", "fixed_fields",
             "dataset", "targets", "test_mse")


class ShippedPainterError(RuntimeError):
    """A shipped painter is missing, unknown or unreadable."""


@dataclass
class ShippedPainter:
    name: str
    strokes: int
    variant: str
    policy: object        # keras.Model
    painter: object       # painting_dreams.agent.DreamPainter
    card: dict


def cards(folder: Path = HERE) -> dict[str, dict]:
    """Every shipped painter's card, by name (empty if none ships)."""
    out = {}
    for path in sorted((folder / "cards").glob("*.json")):
        try:
            card = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise ShippedPainterError(f"the model card {path} is unreadable ({exc}): reinstall painting_dreams") from exc
        missing = [key for key in CARD_KEYS if key not in card]
        if missing or card.get("name") != path.stem:
            raise ShippedPainterError(f"the model card {path} lacks {missing or ['a name matching its file']}: "
                                      "reinstall painting_dreams")
        out[card["name"]] = card
    return out


def _load_model(path: Path):
    import keras

    import painting_dreams.agent.policy  # noqa: F401  registers FixedActionFields
    from painting_dreams.files import UnreadableModelError, check_keras_file
    import painting_dreams.world_model.stroke_model  # noqa: F401  registers StrokeModel

    if not path.is_file():
        raise ShippedPainterError(f"the shipped model {path} is missing: reinstall painting_dreams (pip install .)")
    try:
        check_keras_file(str(path), fix="reinstall painting_dreams")
        return keras.models.load_model(path, safe_mode=True, compile=False)
    except UnreadableModelError as exc:
        raise ShippedPainterError(f"the shipped model {exc}") from exc
    except Exception as exc:  # a corrupt zip, a wrong file, an unsafe layer: all mean the same to a user
        raise ShippedPainterError(f"the shipped model {path} cannot be loaded ({type(exc).__name__}: {exc}): "
                                  "reinstall painting_dreams") from exc


def load(name: str, folder: Path = HERE) -> ShippedPainter:
    """The shipped painter ``name``: its policy, its dream painter and its card."""
    from painting_dreams.agent import stroke_model_painter

    known = cards(folder)
    if name not in known:
        raise ShippedPainterError(f"no shipped painter {name!r}: the shipped ones are {', '.join(known) or 'none'}")
    card = known[name]
    policy = _load_model(folder / card["policy"])
    painter = stroke_model_painter(_load_model(folder / card["stroke_model"]), card["variant"], card["compositor"],
                                   card["discrete_actions"])
    return ShippedPainter(name, int(card["strokes"]), card["variant"], policy, painter, card)
