"""Image grids: sample grids row by row, panels in rows with gaps, one way for every figure."""

import numpy as np
import pytest

from painting_dreams.image_grid import box_downsample, tile, tile_images, to_uint8, upscale


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


def test_panels_are_tiled_in_rows_with_gaps_and_an_optional_border():
    panels = np.zeros((2, 3, 4, 5, 3), np.uint8)
    panels[1, 2] = 7
    grid = tile(panels, gap=2, colour=200)
    assert grid.shape == (2 * 4 + 2, 3 * 5 + 2 * 2, 3)
    assert (grid[6:10, 14:19] == 7).all() and (grid[4:6] == 200).all() and (grid[:4, 5:7] == 200).all()
    bordered = tile(panels, gap=1, colour=9, border=True, scale=2)
    assert bordered.shape == (2 + 2 * 8 + 1, 2 + 3 * 10 + 2, 3) and (bordered[0] == 9).all()
    assert (bordered[1 + 8 + 1:1 + 16 + 1, 1 + 2 * 11:1 + 2 * 11 + 10] == 7).all()


def test_float_panels_are_rounded_and_small_images_upscaled():
    assert to_uint8(np.array([0.0, 0.5, 1.2, -1.0, 0.998])).tolist() == [0, 128, 255, 0, 254]
    np.testing.assert_array_equal(upscale(np.arange(4).reshape(2, 2), 2),
                                  [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]])
    with pytest.raises(ValueError, match=r"panels have shape \(2, 4, 4, 3\)"):
        tile(np.zeros((2, 4, 4, 3)))


def test_box_downsampling_averages_blocks_and_undoes_upscaling():
    image = np.arange(2 * 4 * 6 * 3, dtype=np.uint8).reshape(2, 4, 6, 3)
    np.testing.assert_array_equal(box_downsample(np.stack([upscale(i, 3) for i in image]), 3), image)
    assert box_downsample(np.array([[[[0], [2]], [[4], [6]]]]), 2).tolist() == [[[[3.0]]]]
    with pytest.raises(ValueError, match=r"images of 6x4 do not split into 4x4 blocks"):
        box_downsample(image, 4)
