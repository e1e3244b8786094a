"""Shared fixtures: the development copies of the datasets live in ../shared/data."""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BRUSH = "classic/dry_brush"  # the MyPaint brush every real painting in the tests is painted with (the bundled worlds')
SHARED_DATA = Path(os.environ.get("PAINTING_DREAMS_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def use_project_inventory(env: str | None = None) -> dict:
    """The project's parameters in ``env`` (conf/base + conf/local by default), with its inventory, read through a
    new config loader. The pipelines are built from the inventory of the latest loader made in this process
    (:func:`painting_dreams.config_loader.project_inventory`), so this also decides what ``create_pipeline()``
    builds, whatever loader an earlier test (or an in-process command) made."""
    from painting_dreams.config_loader import InventoryConfigLoader

    return InventoryConfigLoader(str(PROJECT_ROOT / "conf"), env=env, base_env="base",
                                 default_run_env="local")["parameters"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real MNIST/KMNIST/CelebA copies; tests that need them fail loudly if absent."""
    assert SHARED_DATA.is_dir(), f"development datasets not found at {SHARED_DATA} (set PAINTING_DREAMS_SHARED_DATA)"
    return SHARED_DATA


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture()
def blocks(tmp_path, monkeypatch) -> Path:
    """``blocks.png``: a 64x64 picture of 4x4 random colour blocks, in a folder outside the project (made the
    working directory, so the commands use the shipped painters)."""
    monkeypatch.chdir(tmp_path)
    Image.fromarray(np.kron(np.random.default_rng(0).integers(0, 256, (4, 4, 3)), np.ones((16, 16, 1))).astype(np.uint8)
                    ).save(tmp_path / "blocks.png")
    return tmp_path / "blocks.png"
