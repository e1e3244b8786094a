"""Turning paintings into files people open: OpenRaster for MyPaint, and loading users' images."""

from painting_dreams.export.openraster import write_openraster
from painting_dreams.export.painting import Painting, paint_image, paint_with_mypaint, write_painting
from painting_dreams.export.user_image import UserImageError, load_user_image

__all__ = ["Painting", "UserImageError", "load_user_image", "paint_image", "paint_with_mypaint", "write_openraster", "write_painting"]
