"""A catalog for the world-model pipelines, as conf/ declares it, rooted in a temporary folder.

The entries of ``conf/base/catalog_world_model.yml`` (dataset factories, ``{world}.vae``...) with
``${globals:out}`` pointing to the test's folder, the episodes written by the ``small_episodes`` fixture
with their split as the episodes pipeline makes it (the last quarter held out), and the quick parameters
shrunk to a few seconds of training, with the quick inventory's ``worlds`` (``params:worlds.<world>``).
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset

from painting_dreams.config_loader import project_parameters
from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.pipelines.episodes.nodes import split_stroke_episodes

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Seconds, not minutes: every key of conf/quick is kept, only sizes shrink.
HELD_OUT_FRACTION = 0.25  # of the small episodes' 24, the last 6
TINY = {
    "world_model": {"progress": False},
    "vae": {"training": {"epochs": 1, "batch_size": 40}},
    "rnn": {"training": {"epochs": 2, "batch_size": 6, "units": 32, "mixtures": 2}},
    "stroke_model": {"training": {"epochs": 8, "batch_size": 32}},
    "world_model_report": {"batch_size": 4, "rows_episodes": 1},
    "blending": {"max_episodes": 4, "batch_size": 4},
}


def _merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) else value
    return merged


def tiny_parameters(tmp_path: Path) -> dict:
    """The quick parameters of the world-model pipelines, shrunk (TensorBoard logs under ``tmp_path``), and the
    quick inventory's worlds."""
    parameters = project_parameters(PROJECT_ROOT, "quick")
    tiny = {name: _merge(parameters[name], TINY[name]) for name in TINY}
    tiny["worlds"] = parameters["worlds"]
    tiny["world_model"]["tensorboard_dir"] = str(tmp_path / "tensorboard")
    for sweep in tiny["world_model_report"]["sweeps"].values():
        sweep["steps"] = 3
    return tiny


def parameter_datasets(name: str, value) -> dict:
    """``params:a``, ``params:a.b``, ... as Kedro's context would add them."""
    datasets = {f"params:{name}": MemoryDataset(value)}
    if isinstance(value, dict):
        for key, inner in value.items():
            datasets.update(parameter_datasets(f"{name}.{key}", inner))
    return datasets


def world_model_catalog(tmp_path: Path, episodes: dict[str, dict[str, Path]], parameters: dict) -> DataCatalog:
    """The world-model catalog entries under ``tmp_path``, the given episode folders and parameters."""
    text = (PROJECT_ROOT / "conf" / "base" / "catalog_world_model.yml").read_text()
    catalog = DataCatalog.from_config(yaml.safe_load(text.replace("${globals:out}", str(tmp_path))))
    for world, kinds in episodes.items():
        for kind, path in kinds.items():
            catalog[f"{world}.{kind}_episodes"] = EpisodesDataset(filepath=str(path))
        split = split_stroke_episodes(catalog[f"{world}.stroke_episodes"].load(),
                                      {"held_out_fraction": HELD_OUT_FRACTION})
        catalog[f"{world}.episode_split"] = MemoryDataset(split)
    for name, value in parameters.items():
        for key, dataset in parameter_datasets(name, value).items():
            catalog[key] = dataset
    return catalog


def assert_catalog_declares(pipeline, in_memory: frozenset[str] = frozenset()) -> None:
    """Every dataset of ``pipeline`` but parameters and ``in_memory`` ones is in conf's catalog, base and quick."""
    for env in ("base", "quick"):
        config = OmegaConfigLoader(conf_source=str(PROJECT_ROOT / "conf"), base_env="base", default_run_env=env)
        catalog = DataCatalog.from_config(config["catalog"])  # instantiates lazily, reads nothing
        out = config["globals"]["out"]
        for name in pipeline.datasets():
            if name.startswith("params:") or name.split(".", 1)[1] in in_memory:
                continue
            assert name in catalog, f"{name} has no catalog entry ({env})"
            assert str(catalog[name]._describe()["filepath"]).startswith(out), f"{name} is not under {out} ({env})"
