"""The world-model measurements use the world-model tests' small stroke episodes."""

from tests.world_model.conftest import color_episodes, mnist_episodes  # noqa: F401  (fixtures)
