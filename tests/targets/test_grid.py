"""Sample grids tile targets row by row."""

import numpy as np
import pytest

from painting_dreams.targets import tile_images


def test_images_are_tiled_row_by_row_on_grey():
    images = np.stack([np.full((2, 2, 3), v, np.float32) for v in (0.0, 1.0, 0.2)])
    grid = tile_images(images, columns=2, padding=1, scale=2)
    assert grid.shape == (1 + 2 * 5, 1 + 2 * 5, 3) and grid.dtype == np.uint8
    assert grid[1, 1, 0] == 0 and grid[4, 4, 0] == 0           # first image, scaled to 4x4
    assert grid[1, 6, 0] == 255 and grid[4, 9, 0] == 255       # second, to its right
    assert grid[6, 1, 0] == 51                                  # third, next row
    assert grid[0, 0, 0] == 128 and grid[6, 6, 0] == 128       # grey padding and empty cell


def test_bad_grid_arguments_are_errors():
    with pytest.raises(ValueError, match="columns=0"):
        tile_images(np.zeros((1, 2, 2, 3)), columns=0)
