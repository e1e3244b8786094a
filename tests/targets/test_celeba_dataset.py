"""``CelebADataset`` reads the folder and the official zip alike, and explains missing or broken files."""

import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from kedro.io import DatasetError

from painting_dreams.datasets import CelebADataset
from painting_dreams.targets import celeba_partition

SAMPLE = ["000002.jpg", "000058.jpg", "162862.jpg", "182637.jpg"]


@pytest.fixture
def celeba_zip(celeba_dir: Path, tmp_path: Path) -> Path:
    """A small img_align_celeba.zip laid out like the official one, plus a file that is not a face."""
    path = tmp_path / "img_align_celeba.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in SAMPLE:
            archive.write(celeba_dir / name, f"img_align_celeba/{name}")
        archive.writestr("img_align_celeba/README.txt", "not a face")
    return path


def test_the_shared_folder_lists_every_face_by_number_without_decoding(celeba_dir: Path):
    faces = CelebADataset(path=str(celeba_dir)).load()
    assert len(faces) == 5340
    assert list(faces)[:3] == [2, 58, 86] and max(faces) == 182637
    partitions = [celeba_partition(n) for n in faces]
    assert partitions.count("train") == 4560 and partitions.count("val") == 780
    image = faces[2]()
    assert image.shape == (218, 178, 3) and image.dtype == np.uint8


def test_the_zip_gives_the_same_images_as_the_folder(celeba_dir: Path, celeba_zip: Path):
    from_folder = CelebADataset(path=str(celeba_dir)).load()
    from_zip = CelebADataset(path=str(celeba_zip)).load()
    assert sorted(from_zip) == [2, 58, 162862, 182637]
    for number, load in from_zip.items():
        assert np.array_equal(load(), from_folder[number]())


def test_missing_folder_and_zip_say_what_to_download(tmp_path: Path):
    folder = tmp_path / "img_align_celeba"
    with pytest.raises(DatasetError, match=rf"expected the aligned CelebA faces.* at {folder}, but there is no such "
                                           rf"folder; download img_align_celeba\.zip from https://example\.org/celeba"):
        CelebADataset(path=str(folder), source_url="https://example.org/celeba").load()
    with pytest.raises(DatasetError, match=rf"at {tmp_path}/img_align_celeba\.zip, but there is no such file; .*"
                                           rf"put it at {tmp_path}/img_align_celeba\.zip"):
        CelebADataset(path=str(tmp_path / "img_align_celeba.zip")).load()


def test_an_empty_folder_and_a_broken_zip_are_reported(tmp_path: Path, celeba_zip: Path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match=r"empty, but it holds no JPEG named like 000001\.jpg"):
        CelebADataset(path=str(tmp_path / "empty")).load()
    broken = tmp_path / "broken" / "img_align_celeba.zip"
    broken.parent.mkdir()
    broken.write_bytes(celeba_zip.read_bytes()[:-200])  # the central directory is at the end
    with pytest.raises(DatasetError, match=rf"at {broken}, but it is not a valid zip file"):
        CelebADataset(path=str(broken)).load()


def test_a_truncated_jpeg_is_reported_when_it_is_decoded(celeba_dir: Path, tmp_path: Path):
    folder = tmp_path / "img_align_celeba"
    folder.mkdir()
    shutil.copy(celeba_dir / "000002.jpg", folder)
    (folder / "000058.jpg").write_bytes((celeba_dir / "000058.jpg").read_bytes()[:500])
    faces = CelebADataset(path=str(folder)).load()
    assert faces[2]().shape == (218, 178, 3)
    with pytest.raises(ValueError, match=rf"expected a CelebA JPEG at {folder}/000058\.jpg, but it cannot be decoded"):
        faces[58]()


def test_the_dataset_is_read_only(celeba_dir: Path):
    with pytest.raises(DatasetError, match="read-only"):
        CelebADataset(path=str(celeba_dir)).save({})
