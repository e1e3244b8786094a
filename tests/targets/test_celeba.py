"""CelebA: official partitions by file number, the face crop, and decoding errors."""

import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from painting_dreams.targets import celeba_file_number, celeba_partition, decode_jpeg, face_targets
from painting_dreams.targets.celeba import crop_square, face_target

CROP = {"image_size": 64, "crop_size": 178, "crop_centre": (89, 121)}


def _flat_faces(numbers):
    """Fake aligned 218x178 images whose grey level encodes the file number (number mod 256)."""
    return {n: (lambda n=n: np.full((218, 178, 3), n % 256, np.uint8)) for n in numbers}


def test_file_numbers_come_from_official_names():
    assert celeba_file_number("000001.jpg") == 1
    assert celeba_file_number("img_align_celeba/182637.jpg") == 182637
    assert celeba_file_number("/data/celeba/202599.jpg") == 202599
    assert celeba_file_number("list_eval_partition.txt") is None
    assert celeba_file_number("__MACOSX/img_align_celeba/._x000001.jpg") is None


def test_partitions_follow_the_official_boundaries():
    assert [celeba_partition(n) for n in (1, 162770, 162771, 182637, 182638, 202599)] == \
        ["train", "train", "val", "val", "test", "test"]


def test_validation_is_the_test_split_when_there_is_no_test_partition(caplog):
    with caplog.at_level(logging.INFO, logger="painting_dreams.targets.celeba"):
        targets = face_targets(_flat_faces([162771, 3, 1, 162770, 182637]), max_train=None, max_test=None, **CROP)
    assert "using the 2 validation-partition images (162771–182637) as the test split" in caplog.text
    # train in file order 1, 3, 162770; test 162771, 182637 (grey level = number mod 256)
    assert targets["train"][:, 0, 0, 0] * 255 == pytest.approx([n % 256 for n in (1, 3, 162770)])
    assert targets["test"][:, 0, 0, 0] * 255 == pytest.approx([n % 256 for n in (162771, 182637)])
    assert targets["train"].shape == (3, 64, 64, 3) and targets["train"].dtype == np.float32


def test_the_test_partition_is_used_when_present_and_caps_keep_the_first_files(caplog):
    with caplog.at_level(logging.INFO, logger="painting_dreams.targets.celeba"):
        targets = face_targets(_flat_faces([5, 2, 9, 170000, 190000, 200000]), max_train=2, max_test=1, **CROP)
    assert "validation" not in caplog.text
    assert targets["train"][:, 0, 0, 0] * 255 == pytest.approx([2, 5])
    assert targets["test"][:, 0, 0, 0] * 255 == pytest.approx([190000 % 256])


def test_missing_splits_and_bad_caps_are_errors():
    with pytest.raises(ValueError, match=r"no CelebA train-partition images \(files 000001\.jpg … 162770\.jpg\)"):
        face_targets(_flat_faces([170000]), max_train=None, max_test=None, **CROP)
    with pytest.raises(ValueError, match="no CelebA validation or test images"):
        face_targets(_flat_faces([1, 2]), max_train=None, max_test=None, **CROP)
    with pytest.raises(ValueError, match=r"max_test must be a whole number of images \(1 or more\) or null.*got 0"):
        face_targets(_flat_faces([1, 170000]), max_train=None, max_test=0, **CROP)


def test_the_crop_must_fit_inside_the_image():
    with pytest.raises(ValueError, match=r"a 178-pixel square centred at \(x, y\) = \(89, 121\) does not fit "
                                         r"inside 000007\.jpg \(100x100\)"):
        crop_square(np.zeros((100, 100, 3), np.uint8), crop_size=178, centre=(89, 121), source="000007.jpg")


def test_a_real_face_is_cropped_around_the_face_and_resized(celeba_dir: Path):
    path = celeba_dir / "000002.jpg"
    image = decode_jpeg(path.read_bytes(), source=str(path))
    assert image.shape == (218, 178, 3) and image.dtype == np.uint8
    with Image.open(path) as pil:  # independently: rows 32..210 of the full width, then 64x64
        expected = np.asarray(pil.convert("RGB").crop((0, 32, 178, 210)).resize((64, 64), Image.Resampling.BILINEAR))
    target = face_target(image, source=path.name, **CROP)
    assert target.shape == (64, 64, 3)
    assert np.array_equal(target, expected)


def test_a_truncated_jpeg_names_the_file(celeba_dir: Path):
    data = (celeba_dir / "000002.jpg").read_bytes()
    with pytest.raises(ValueError, match=r"expected a CelebA JPEG at cut/000002\.jpg, but it cannot be decoded"):
        decode_jpeg(data[: len(data) // 2], source="cut/000002.jpg")
    with pytest.raises(ValueError, match=r"at empty\.jpg, but it cannot be decoded"):
        decode_jpeg(b"", source="empty.jpg")


def test_a_decompression_bomb_in_celeba_names_the_file(monkeypatch):
    import io

    from PIL import Image

    from painting_dreams.targets.celeba import decode_jpeg

    buffer = io.BytesIO()
    Image.new("RGB", (178, 218)).save(buffer, format="JPEG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # as if the file claimed 400 megapixels
    with pytest.raises(ValueError, match=r"000042.jpg is far larger than a CelebA image"):
        decode_jpeg(buffer.getvalue(), source="000042.jpg")
