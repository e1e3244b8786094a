"""The inventory: the worlds, datasets, runs and rounds a project declares in ``conf/<env>/inventory.yml``.

* a **world** is a medium the world models learn: an action layout (``mnist`` or ``color``, see
  :mod:`painting_dreams.paint.actions`), a MyPaint brush (an installed name or a ``.myb`` path), a
  canvas size and the root seed of its random episodes;
* a **dataset** is an image set: a reader kind (:data:`READERS`), its preparation (how an image becomes
  a target: ``digits``, ``faces`` or ``pictures``, stored with every painter so that ``evaluate`` and
  ``paint`` prepare images as training did) and caps on its splits;
* a **run** is a painter: a dataset painted in a world, with its own settings over ``agent.defaults``;
* a **round** is a world-model round (:mod:`painting_dreams.rounds`): a world's stroke model (``start``: the
  world's, or an earlier round's) taught the strokes its shipped ``painters`` paint. A run's world may be
  a round: it trains with the round's stroke model and paints with the round's world's layout and brush.

Each entry's key is its name. :func:`complete_inventory` checks the four sections and fills in what
follows from them, so that every node sees a whole entry: each entry's ``name``; a run's ``run_dir``
(``<out>/06_models/agent/<name>`` unless given) and, from its world and dataset, ``layout``, ``brush``
and ``preparation``; a round's ``layout`` and ``brush``. Plain Python, no Kedro: :class:`painting_dreams.config_loader.InventoryConfigLoader`
calls it when Kedro loads the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from painting_dreams.paint.actions import VARIANTS

SECTIONS = ("worlds", "datasets", "runs", "rounds")
READERS = {  # reader kind -> the preparations it can feed
    "idx": ("digits",),            # IDX image files (MNIST's), gzipped or not
    "glyph_npz": ("digits",),      # .npz files with one uint8 array (N, H, W) under arr_0 (KMNIST's)
    "celeba": ("faces",),          # CelebA's img_align_celeba folder or zip, split by the official partition
    "image_folder": ("pictures",),  # any folder of PNG/JPEG/WebP/... images (subfolders too), split by file name
}
PREPARATION_KEYS = {"digits": ("image_size",), "faces": ("image_size", "crop_size", "crop_centre"),
                    "pictures": ("image_size",)}
WORLD_KEYS = ("layout", "brush", "canvas_size", "seed")
WORLD_OPTIONAL = ("stroke_model",)  # overrides of stroke_model.training for this world (architecture and its settings)
DATASET_KEYS = ("reader", "preparation", "max_train", "max_test", "licence")
DATASET_OPTIONAL = ("test_fraction",)   # image_folder: the share of images held out for the test split
DERIVED_RUN_KEYS = ("name", "layout", "brush", "preparation")  # filled in here, never written by hand
ROUND_KEYS = ("world", "start", "painters")
ROUND_OPTIONAL = ("images", "held_out_images", "refine", "seed", "training", "score_images", "max_random_episodes")  # over round_defaults
CANVAS_SIZE = 64  # what the stroke model paints


class InventoryError(ValueError):
    """The inventory in conf is incomplete or inconsistent."""


def _keys(block: Any, where: str, needed: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(block, Mapping):
        raise InventoryError(f"{where} is {block!r}: it must be a block of settings ({', '.join(needed)})")
    unknown = sorted(set(block) - set(needed) - set(optional) - {"name"})
    if unknown:
        raise InventoryError(f"{where} has unknown keys {unknown}: known ones are {', '.join(needed + optional)}")
    missing = [key for key in needed if key not in block]
    if missing:
        raise InventoryError(f"{where} lacks {missing}: every entry states {', '.join(needed)}")
    return dict(block)


def check_world(name: str, block: Any) -> dict:
    """A world's block, checked, with its ``name``."""
    where = f"worlds.{name} in conf's inventory.yml"
    world = _keys(block, where, WORLD_KEYS, WORLD_OPTIONAL)
    overrides = world.setdefault("stroke_model", {})
    if not isinstance(overrides, Mapping):
        raise InventoryError(f"{where}: stroke_model is {overrides!r}; give a block of stroke_model.training settings "
                             "to override for this world, e.g. {architecture: curve_mlp, pixel_units: 32}")
    world["stroke_model"] = dict(overrides)
    if world["layout"] not in VARIANTS:
        raise InventoryError(f"{where}: layout is {world['layout']!r}; choose one of {', '.join(VARIANTS)}")
    if not isinstance(world["brush"], str) or not world["brush"].strip():
        raise InventoryError(f"{where}: brush is {world['brush']!r}; give an installed brush name such as "
                             "classic/charcoal (`painting-dreams brushes` lists them) or a path to a .myb file")
    if world["canvas_size"] != CANVAS_SIZE:
        raise InventoryError(f"{where}: canvas_size is {world['canvas_size']!r}; the stroke model paints "
                             f"{CANVAS_SIZE}x{CANVAS_SIZE} canvases (paint --size renders any size from them)")
    if isinstance(world["seed"], bool) or not isinstance(world["seed"], int) or world["seed"] < 0:
        raise InventoryError(f"{where}: seed is {world['seed']!r}; give a whole number, 0 or more")
    return {**world, "name": name}


def check_preparation(preparation: Any, where: str) -> dict:
    """A preparation block (``{"kind": ..., "image_size": ...}``), checked."""
    if not isinstance(preparation, Mapping) or preparation.get("kind") not in PREPARATION_KEYS:
        kind = preparation.get("kind") if isinstance(preparation, Mapping) else preparation
        raise InventoryError(f"{where}: preparation kind is {kind!r}; choose one of {', '.join(PREPARATION_KEYS)}")
    return {"kind": preparation["kind"], **_keys({k: v for k, v in preparation.items() if k != "kind"},
                                                 f"{where}'s preparation", PREPARATION_KEYS[preparation["kind"]])}


def check_dataset(name: str, block: Any) -> dict:
    """A dataset's block, checked, with its ``name``."""
    where = f"datasets.{name} in conf's inventory.yml"
    dataset = _keys(block, where, DATASET_KEYS, DATASET_OPTIONAL)
    reader = dataset["reader"]
    if reader not in READERS:
        raise InventoryError(f"{where}: reader is {reader!r}; choose one of {', '.join(READERS)}")
    preparation = check_preparation(dataset["preparation"], where)
    if preparation["kind"] not in READERS[reader]:
        raise InventoryError(f"{where}: the {reader} reader feeds the {' or '.join(READERS[reader])} preparation, "
                             f"not {preparation['kind']!r}")
    if preparation["image_size"] != CANVAS_SIZE:
        raise InventoryError(f"{where}: image_size is {preparation['image_size']!r}; targets must match the "
                             f"{CANVAS_SIZE}x{CANVAS_SIZE} painting canvas")
    for cap in ("max_train", "max_test"):
        value = dataset[cap]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise InventoryError(f"{where}: {cap} is {value!r}; give a whole number of images, 1 or more, or null")
    fraction = dataset.get("test_fraction")
    if reader == "image_folder":
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
            raise InventoryError(f"{where}: test_fraction is {fraction!r}; an image_folder dataset holds out this "
                                 "share of its images for the test split: give a number between 0 and 1 (e.g. 0.1)")
    elif fraction is not None:
        raise InventoryError(f"{where}: test_fraction is for image_folder datasets; the {reader} reader has its own "
                             "split")
    return {**dataset, "preparation": preparation, "name": name}


def check_round(name: str, block: Any, worlds: Mapping[str, dict], rounds: Mapping[str, Any]) -> dict:
    """A world-model round's block with its ``name`` and its world's ``layout`` and ``brush`` (see
    :mod:`painting_dreams.rounds`). Its painters are shipped painters' names, checked when it runs."""
    where = f"rounds.{name} in conf's inventory.yml"
    entry = _keys(block, where, ROUND_KEYS, ROUND_OPTIONAL)
    if name in worlds:
        raise InventoryError(f"{where}: {name!r} is also a world; a round's name must differ from every world's")
    if entry["world"] not in worlds:
        raise InventoryError(f"{where}: world is {entry['world']!r}, which is not in worlds "
                             f"({', '.join(worlds) or 'none declared'}): its brush paints the round's strokes")
    start = entry["start"]
    start_world = start if start in worlds else (rounds[start]["world"] if isinstance(rounds.get(start), Mapping)
                                                 and start != name else None)
    if start_world is None:
        raise InventoryError(f"{where}: start is {start!r}; give the world whose stroke model it goes on training "
                             f"({entry['world']}) or an earlier round of that world")
    if start_world != entry["world"]:
        raise InventoryError(f"{where}: start {start!r} is a stroke model of the {start_world} world, not of "
                             f"{entry['world']!r}: a round goes on training a stroke model of its own world")
    painters = entry["painters"]
    if (not isinstance(painters, list) or not painters
            or not all(isinstance(p, str) and p for p in painters) or len(set(painters)) != len(painters)):
        raise InventoryError(f"{where}: painters is {painters!r}; give a list of shipped painters' names "
                             "(`painting-dreams models`), each once, that paint in this world")
    world = worlds[entry["world"]]
    return {**entry, "name": name, "layout": world["layout"], "brush": world["brush"]}


def check_run(name: str, block: Any, worlds: Mapping[str, dict], datasets: Mapping[str, dict], out: str,
              rounds: Mapping[str, dict] | None = None) -> dict:
    """A run's block with its ``name``, ``run_dir``, and its world's ``layout`` and ``brush`` and its dataset's
    ``preparation`` filled in. Its ``world`` may also be a round (its stroke model is the round's, its layout and
    brush the round's world's). Its agent settings are checked by :class:`~painting_dreams.agent.runs.AgentRun`."""
    where = f"runs.{name} in conf's inventory.yml"
    if not isinstance(block, Mapping):
        raise InventoryError(f"{where} is {block!r}: it must be a block naming its dataset and world")
    derived = sorted(set(block) & set(DERIVED_RUN_KEYS))
    if derived:
        raise InventoryError(f"{where} sets {derived}: these follow from its world and dataset; remove them")
    in_worlds = "worlds or rounds" if rounds else "worlds"
    worlds = {**worlds, **(rounds or {})}
    for section, key, known in (("datasets", "dataset", datasets), (in_worlds, "world", worlds)):
        if key not in block:
            raise InventoryError(f"{where} lacks {key!r}: every run names one of the {section} "
                                 f"({', '.join(known) or 'none declared'})")
        if block[key] not in known:
            raise InventoryError(f"{where}: {key} is {block[key]!r}, which is not in {section} "
                                 f"({', '.join(known) or 'none declared'}): declare it there or choose one of those")
    world, dataset = worlds[block["world"]], datasets[block["dataset"]]
    return {"run_dir": f"{out}/06_models/agent/{name}", **block, "name": name, "layout": world["layout"],
            "brush": world["brush"], "preparation": dataset["preparation"]}


def complete_inventory(inventory: Mapping[str, Any], out: str) -> dict[str, dict]:
    """The three sections of ``inventory`` checked and completed (see the module docstring); ``out`` is the
    environment's output root (``globals.out``)."""
    unknown = sorted(set(inventory) - set(SECTIONS))
    if unknown:
        raise InventoryError(f"conf's inventory.yml has unknown sections {unknown}: it holds {', '.join(SECTIONS)}")
    sections = {}
    for section in SECTIONS:
        entries = inventory.get(section) or {}
        if not isinstance(entries, Mapping):
            raise InventoryError(f"{section} in conf's inventory.yml is {entries!r}: it must map names to blocks")
        sections[section] = dict(entries)
    worlds = {name: check_world(name, block) for name, block in sections["worlds"].items()}
    datasets = {name: check_dataset(name, block) for name, block in sections["datasets"].items()}
    rounds = {name: check_round(name, block, worlds, sections["rounds"]) for name, block in sections["rounds"].items()}
    runs = {name: check_run(name, block, worlds, datasets, out, rounds) for name, block in sections["runs"].items()}
    return {"worlds": worlds, "datasets": datasets, "runs": runs, "rounds": rounds}


def world_of(name: str, inventory: Mapping[str, Any]) -> str:
    """The world whose brush and random episodes ``name`` (a world or a round) paints with."""
    rounds = inventory.get("rounds") or {}
    return rounds[name]["world"] if name in rounds else name
