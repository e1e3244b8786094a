"""Kedro's config loader, plus the project's inventory (``conf/<env>/inventory.yml``) in its parameters.

:class:`InventoryConfigLoader` is ``settings.CONFIG_LOADER_CLASS``: every Kedro session, ``kedro viz``
and the ``painting-dreams`` commands load configuration through it. It reads ``inventory*`` files as
their own configuration type, merged **key by key** across environments (``conf/local/inventory.yml``
may add a world, a dataset or a run without restating the others), checks and completes them
(:func:`painting_dreams.inventory.complete_inventory`) and returns them in the parameters as the
top-level ``worlds``, ``datasets`` and ``runs``.

The pipelines are built from the inventory (their namespaces are its names). Kedro builds them after
the session has made its config loader, so :func:`project_inventory` reads the inventory through the
latest loader made in this process (the session's: same environment, same ``conf/local``); outside a
session it makes one for the working directory's project. A second loader is never made beside a
session's: OmegaConf keeps the ``globals`` resolver process-wide, and a loader of another environment
would change what the session's catalog resolves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro.config import OmegaConfigLoader
from omegaconf import OmegaConf

from painting_dreams.inventory import SECTIONS, complete_inventory

INVENTORY_PATTERNS = ["inventory*", "inventory*/**"]
_latest: list[InventoryConfigLoader] = []


class InventoryConfigLoader(OmegaConfigLoader):
    """An ``OmegaConfigLoader`` whose ``parameters`` also hold the checked inventory (``worlds``,
    ``datasets``, ``runs``)."""

    def __init__(self, conf_source: str | Path, env: str | None = None, runtime_params: dict[str, Any] | None = None,
                 **kwargs):
        patterns = {"inventory": INVENTORY_PATTERNS, **(kwargs.pop("config_patterns", None) or {})}
        merge_strategy = {"inventory": "soft", **(kwargs.pop("merge_strategy", None) or {})}
        super().__init__(conf_source, env, runtime_params, config_patterns=patterns, merge_strategy=merge_strategy,
                         **kwargs)
        _latest[:] = [self]

    def __getitem__(self, key: str) -> dict[str, Any]:
        config = super().__getitem__(key)
        if key != "parameters":
            return config
        clash = sorted(set(config) & set(SECTIONS) - set(self.runtime_params or {}))
        if clash:
            raise ValueError(f"the parameters define {clash}, which belong to conf's inventory.yml: move them there")
        return {**config, **self.inventory()}

    def inventory(self) -> dict[str, dict]:
        """The worlds, datasets and runs of this environment, checked and completed; ``--params`` on a section
        (``kedro run --params runs.mnist_8.training.steps=100``) overrides it key by key."""
        raw = super().__getitem__("inventory")
        runtime = {k: v for k, v in (self.runtime_params or {}).items() if k in SECTIONS}
        if runtime:
            raw = OmegaConf.to_container(OmegaConf.merge(raw, runtime))
        return complete_inventory(raw, str(self._globals.get("out", "data")))


def project_inventory() -> dict[str, dict]:
    """The inventory of the current Kedro session's environment, or of the working directory's project
    in its default environment when no session has made a loader in this process."""
    if not _latest:
        from kedro.framework.project import settings
        from kedro.utils import find_kedro_project

        project = find_kedro_project(Path.cwd())
        if project is None:
            raise RuntimeError(f"no Kedro project at or above {Path.cwd()}: the pipelines are built from the "
                               "inventory in its conf/; build them inside a painting_dreams project")
        settings.CONFIG_LOADER_CLASS(str(project / settings.CONF_SOURCE), **settings.CONFIG_LOADER_ARGS)
    return _latest[0].inventory()


def project_parameters(project: str | Path, env: str | None = None) -> dict[str, Any]:
    """The parameters of the project at ``project`` in ``env`` (``conf/base`` + ``conf/local`` by default), with
    its inventory: for scripts and benchmarks that run outside a Kedro session."""
    return InventoryConfigLoader(str(Path(project) / "conf"), env=env, base_env="base",
                                 default_run_env="local")["parameters"]
