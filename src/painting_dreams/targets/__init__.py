"""Target images the agent learns to paint: MNIST, KMNIST and CelebA read from their official files, or
any folder of pictures (:mod:`~painting_dreams.targets.pictures`).

Plain NumPy and Pillow, no Kedro: usable from a notebook as well as from the ``data_prep`` pipeline.
:mod:`~painting_dreams.targets.user_image` reads any picture a person gives as a 64x64 target.
"""

from painting_dreams.targets.celeba import celeba_file_number, celeba_partition, decode_jpeg, face_targets
from painting_dreams.targets.digits import digit_targets, images_from_npz
from painting_dreams.targets.pictures import picture_targets, split_by_name
from painting_dreams.targets.idx import IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parse_idx
from painting_dreams.targets.splits import cap_split

__all__ = [
    "IDX_IMAGES_MAGIC",
    "IDX_LABELS_MAGIC",
    "cap_split",
    "celeba_file_number",
    "celeba_partition",
    "decode_jpeg",
    "digit_targets",
    "face_targets",
    "images_from_npz",
    "parse_idx",
    "picture_targets",
    "split_by_name",
]
