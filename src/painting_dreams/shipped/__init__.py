"""The trained painters that ship with the package: no training, no download, no Kedro project.

Each name (``mnist_8``, ``celeba_50``, ``celeba_50_pen`` ...: ``painting-dreams models`` lists them) stands
for a painter and its stroke count; ``cards/<name>.json`` is its model card: which policy file and stroke
model paint it, the world they were trained in and its MyPaint brush (with the SHA-256 of the brush
file it learned: a painter paints with that brush or not at all), how the dream lays strokes (compositor, two-valued fields, fixed fields), the
dataset and split, recipe, steps, training time and machine, test MSEs, date and licence. Several
names may share one policy (a 50-stroke agent trained with a prefix loss paints 15 and 30 strokes
as its first 15 and 30).

A card is checked against :data:`CARD_SCHEMA` (types, known variants, fixed fields of its layout) and
carries ``files_sha256``, the SHA-256 of each file it describes, checked before the file is loaded.
Models load with Keras ``safe_mode`` (no Lambda layers, no arbitrary code); a missing, corrupt or
substituted file, or a card that does not fit the schema, raises :class:`ShippedPainterError` naming it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _keras_file(value) -> bool:
    return isinstance(value, str) and value.endswith(".keras") and "/" not in value and "\\" not in value


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# What each key of a card must hold: (check, what it means in words).
CARD_SCHEMA = {
    "name": (lambda v: isinstance(v, str) and v != "", "a name"),
    "strokes": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "a whole number of strokes, 1 or more"),
    "variant": (lambda v: v in ("mnist", "color"), "'mnist' or 'color'"),
    "world": (lambda v: isinstance(v, str) and v != "", "the name of the world it was trained in"),
    "brush": (lambda v: isinstance(v, str) and v != "", "the MyPaint brush it paints with, e.g. classic/dry_brush"),
    "brush_sha256": (lambda v: isinstance(v, str) and len(v) == 64, "the SHA-256 of the brush file it learned"),
    "policy": (_keras_file, "a .keras file name beside the cards folder"),
    "stroke_model": (_keras_file, "a .keras file name beside the cards folder"),
    "compositor": (lambda v: v in ("darker_of", "darkness_mask", "alpha_over"), "darker_of, darkness_mask or alpha_over"),
    "discrete_actions": (lambda v: v in ("straight_through", "soft"), "straight_through or soft"),
    "fixed_fields": (lambda v: isinstance(v, dict) and all(_number(x) and 0 <= x <= 1 for x in v.values()),
                     "an object of action fields and values in [0, 1]"),
    "dataset": (lambda v: isinstance(v, str) and v != "", "a dataset name"),
    "targets": (lambda v: isinstance(v, dict) and v.get("kind") in ("digits", "faces"),
                "an image preparation ({'kind': 'digits' or 'faces', ...})"),
    "test_mse": (lambda v: isinstance(v, dict) and _number(v.get("real")), "an object with the test split's 'real' MSE"),
}
CARD_KEYS = tuple(CARD_SCHEMA)


class ShippedPainterError(RuntimeError):
    """A shipped painter is missing, unknown or unreadable."""


def check_card(card: dict, path: Path) -> dict:
    """``card`` if it fits :data:`CARD_SCHEMA` and names only fields of its variant's layout, else a
    :class:`ShippedPainterError` naming the key, its value and what it must be."""
    from painting_dreams.paint.actions import ActionLayout

    for key, (fits, meaning) in CARD_SCHEMA.items():
        if not fits(card[key]):
            raise ShippedPainterError(f"the model card {path} has {key} {card[key]!r}: it must be {meaning}; "
                                      "reinstall painting_dreams")
    fields = ActionLayout(card["variant"], absolute=True).fields
    unknown = sorted(set(card["fixed_fields"]) - set(fields))
    if unknown:
        raise ShippedPainterError(f"the model card {path} fixes {unknown}, not fields of the {card['variant']} "
                                  f"layout ({', '.join(fields)}); reinstall painting_dreams")
    checksums = card.get("files_sha256", {})
    if not isinstance(checksums, dict) or not all(isinstance(v, str) for v in checksums.values()):
        raise ShippedPainterError(f"the model card {path} has files_sha256 {checksums!r}: it must map file names to "
                                  "SHA-256 hex digests; reinstall painting_dreams")
    return card


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        if not isinstance(card, dict):
            raise ShippedPainterError(f"the model card {path} is not a JSON object: reinstall painting_dreams")
        missing = [key for key in CARD_KEYS if key not in card]
        if missing or card.get("name") != path.stem:
            raise ShippedPainterError(f"the model card {path} lacks {missing or ['a name matching its file']}: "
                                      "reinstall painting_dreams")
        out[card["name"]] = check_card(card, path)
    return out


def _load_model(path: Path, checksum: str | None = None):
    import keras

    import painting_dreams.agent.policy  # noqa: F401  registers FixedActionFields
    from painting_dreams.files import UnreadableModelError, check_keras_file
    import painting_dreams.world_model.stroke_model  # noqa: F401  registers StrokeModel

    if not path.is_file():
        raise ShippedPainterError(f"the shipped model {path} is missing: reinstall painting_dreams (pip install .)")
    try:
        check_keras_file(str(path), fix="reinstall painting_dreams")  # a cut-short file says so, before its checksum
    except UnreadableModelError as exc:
        raise ShippedPainterError(f"the shipped model {exc}") from exc
    if checksum is not None and sha256_of(path) != checksum:
        raise ShippedPainterError(f"the shipped model {path} is not the file its card describes (its SHA-256 differs: "
                                  "replaced or damaged): reinstall painting_dreams")
    try:
        return keras.models.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # a corrupt zip, a wrong file, an unsafe layer: all mean the same to a user
        raise ShippedPainterError(f"the shipped model {path} cannot be loaded ({type(exc).__name__}: {exc}): "
                                  "reinstall painting_dreams") from exc


def check_brush(card: dict) -> str:
    """The card's brush, if the installed brush file of that name is the one the painter learned (its SHA-256),
    else a :class:`ShippedPainterError` saying which file differs and what to do."""
    from painting_dreams.paint.libmypaint import MyPaintNotFoundError, brush_digest, find_brush

    try:
        found = find_brush(card["brush"])
    except (MyPaintNotFoundError, ValueError) as exc:
        raise ShippedPainterError(f"the shipped painter {card['name']} paints with the MyPaint brush {card['brush']!r}, "
                                  f"which is not installed ({exc})") from exc
    if brush_digest(card["brush"]) != card["brush_sha256"]:
        raise ShippedPainterError(f"the shipped painter {card['name']} learned the MyPaint brush {card['brush']!r}, but "
                                  f"{found} is another brush file (its SHA-256 differs from the card's): unset "
                                  "PAINTING_DREAMS_BRUSH_DIR, or reinstall the mypaint-brushes package whose brush it learned (2.0)")
    return card["brush"]


def load(name: str, folder: Path = HERE) -> ShippedPainter:
    """The shipped painter ``name``: its policy, its dream painter and its card."""
    from painting_dreams.agent import stroke_model_painter

    known = cards(folder)
    if name not in known:
        raise ShippedPainterError(f"no shipped painter {name!r}: the shipped ones are {', '.join(known) or 'none'}")
    card = known[name]
    brush = check_brush(card)
    checksums = card.get("files_sha256", {})
    policy = _load_model(folder / card["policy"], checksums.get(card["policy"]))
    stroke_model = _load_model(folder / card["stroke_model"], checksums.get(card["stroke_model"]))
    try:
        painter = stroke_model_painter(stroke_model, card["variant"], card["compositor"], card["discrete_actions"],
                                       brush=brush)
    except (ValueError, AttributeError, TypeError) as exc:  # another painter's model under the stroke model's name
        raise ShippedPainterError(f"the shipped painter {name} cannot paint with {folder / card['stroke_model']} "
                                  f"({exc}): reinstall painting_dreams") from exc
    return ShippedPainter(name, card["strokes"], card["variant"], policy, painter, card)
