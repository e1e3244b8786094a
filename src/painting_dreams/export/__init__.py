"""Painting people's pictures and writing files they open.

* :mod:`~painting_dreams.export.picture`: one picture painted by an agent (``painting-dreams paint``)
  and its PNG, GIF, JSON and OpenRaster files, written as a set.
* :mod:`~painting_dreams.export.tiled`: large pictures (``paint --grid K --size S``): an underpainting and
  K x K overlapping tiles, every stroke painted by real MyPaint on one S x S canvas.
* :mod:`~painting_dreams.export.openraster`: the OpenRaster (``.ora``) writer, MyPaint's own format.

(Users' pictures are read by :mod:`painting_dreams.targets.user_image`; files are written whole by
:mod:`painting_dreams.files`.)
"""

from painting_dreams.export.openraster import write_openraster
from painting_dreams.export.picture import Painting, paint_image, paint_with_mypaint, write_painting

__all__ = ["Painting", "paint_image", "paint_with_mypaint", "write_openraster", "write_painting"]
