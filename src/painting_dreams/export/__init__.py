"""Turning paintings into files people open: OpenRaster for MyPaint, and loading users' images."""

from painting_dreams.export.openraster import write_openraster
from painting_dreams.export.user_image import UserImageError, load_user_image

__all__ = ["UserImageError", "load_user_image", "write_openraster"]
