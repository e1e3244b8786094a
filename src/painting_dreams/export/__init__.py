"""Painting people's pictures and writing files they open.

* :mod:`~painting_dreams.export.user_image`: any picture file read as a 64x64 target.
* :mod:`~painting_dreams.export.picture`: one picture painted by an agent (``painting-dreams paint``)
  and its PNG, GIF, JSON and OpenRaster files, written as a set.
* :mod:`~painting_dreams.export.openraster`: the OpenRaster (``.ora``) writer, MyPaint's own format.
* :mod:`~painting_dreams.export.files`: files written whole or not at all; output folders checked first.
"""

from painting_dreams.export.openraster import write_openraster
from painting_dreams.export.picture import Painting, paint_image, paint_with_mypaint, write_painting
from painting_dreams.export.user_image import UserImageError, load_user_image

__all__ = ["Painting", "UserImageError", "load_user_image", "paint_image", "paint_with_mypaint", "write_openraster", "write_painting"]
