"""Shared fixtures: the development copies of the datasets live in ../shared/data."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("PAINTING_DREAMS_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real MNIST/KMNIST/CelebA copies; tests that need them fail loudly if absent."""
    assert SHARED_DATA.is_dir(), f"development datasets not found at {SHARED_DATA} (set PAINTING_DREAMS_SHARED_DATA)"
    return SHARED_DATA


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT
