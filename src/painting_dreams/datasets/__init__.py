"""Custom Kedro datasets of the project."""

from painting_dreams.datasets.celeba_dataset import CelebADataset
from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.datasets.gif_dataset import GifDataset
from painting_dreams.datasets.idx_dataset import IdxDataset
from painting_dreams.datasets.image_folder_dataset import ImageFolderDataset
from painting_dreams.datasets.keras_model_dataset import KerasModelDataset
from painting_dreams.datasets.numpy_dataset import NumpyDataset

__all__ = ["CelebADataset", "EpisodesDataset", "GifDataset", "IdxDataset", "ImageFolderDataset", "KerasModelDataset", "NumpyDataset"]
