"""Custom Kedro datasets of the project."""

from painting_dreams.datasets.numpy_dataset import NumpyDataset

__all__ = ["NumpyDataset"]
