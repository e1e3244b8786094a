"""Image sets for `evaluate`: IDX, KMNIST .npz and image folders, prepared as data_prep prepares targets."""

import gzip
import os
import shutil
import zlib

import numpy as np
import pytest
from PIL import Image

from painting_dreams.evaluation.image_sets import ImageSetError, load_image_set
from painting_dreams.targets.celeba import face_target
from painting_dreams.targets.digits import digit_targets
from painting_dreams.targets.idx import parse_idx

DIGITS = {"kind": "digits", "image_size": 64}
FACES = {"kind": "faces", "image_size": 64, "crop_size": 178, "crop_centre": [89, 121]}


def _mnist(shared_data, count):
    raw = (shared_data / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes()
    return parse_idx(raw, source="t10k")[:count]


def test_an_idx_gz_is_read_as_data_prep_makes_digit_targets(shared_data):
    images = load_image_set(shared_data / "mnist" / "t10k-images-idx3-ubyte.gz", DIGITS, limit=5)
    assert images.targets.shape == (5, 64, 64, 3) and images.names[0] == "t10k-images-idx3-ubyte.gz[0]"
    np.testing.assert_array_equal(images.targets, digit_targets(_mnist(shared_data, 5), image_size=64))
    assert images.targets[:, 0, 0].min() == 1.0  # white paper, black ink


def test_an_uncompressed_idx_and_a_kmnist_npz_are_read_too(shared_data, tmp_path):
    digits = _mnist(shared_data, 3)
    header = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in digits.shape)
    (tmp_path / "digits-idx3-ubyte").write_bytes(header + digits.tobytes())
    assert load_image_set(tmp_path / "digits-idx3-ubyte", DIGITS).targets.shape == (3, 64, 64, 3)
    kmnist = load_image_set(shared_data / "kmnist" / "kmnist-test-imgs-first5000.npz", DIGITS, limit=4)
    with np.load(shared_data / "kmnist" / "kmnist-test-imgs-first5000.npz") as arrays:
        np.testing.assert_array_equal(kmnist.targets, digit_targets(arrays["arr_0"][:4], image_size=64))


def test_a_celeba_folder_is_cropped_as_data_prep_and_split_by_partition(shared_data, tmp_path):
    source = shared_data / "celeba" / "img_align_celeba"
    for name in ("000002.jpg", "000058.jpg"):  # train partition
        shutil.copy(source / name, tmp_path / name)
    validation = sorted(p.name for p in source.iterdir() if 162771 <= int(p.stem) <= 182637)[:2]
    for name in validation:
        shutil.copy(source / name, tmp_path / name)
    everything = load_image_set(tmp_path, FACES)
    assert everything.names == ["000002.jpg", "000058.jpg", *validation]
    expected = face_target(np.asarray(Image.open(source / "000002.jpg").convert("RGB")), crop_size=178,
                           crop_centre=[89, 121], image_size=64, source="x") / np.float32(255)
    np.testing.assert_allclose(everything.targets[0], expected, atol=1e-7)
    test = load_image_set(tmp_path, FACES, split="test")  # no test files: validation stands in, as in data_prep
    assert test.names == validation and "CelebA faces" in test.prepared
    assert load_image_set(tmp_path, FACES, split="train", limit=1).names == ["000002.jpg"]


def test_any_other_folder_is_read_as_the_paint_command_reads_a_picture(tmp_path):
    Image.new("RGB", (120, 80), (255, 0, 0)).save(tmp_path / "red.png")
    Image.new("L", (40, 40), 0).save(tmp_path / "black.jpg")
    (tmp_path / "notes.txt").write_text("not an image")
    images = load_image_set(tmp_path, FACES)
    assert images.names == ["black.jpg", "red.png"] and "as paint" in images.prepared
    np.testing.assert_allclose(images.targets[1], np.broadcast_to([1.0, 0.0, 0.0], (64, 64, 3)), atol=1e-6)
    assert images.targets[0].max() < 0.02


def _labels(folder):
    path = folder / "labels.gz"
    path.write_bytes(gzip.compress((2049).to_bytes(4, "big") + (1).to_bytes(4, "big") + b"\0"))
    return path


def _npz(folder, **arrays):
    path = folder / "arrays.npz"
    np.savez(path, **arrays)
    return path


def _empty(folder):
    (folder / "empty").mkdir()
    return folder / "empty"


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing.gz", "missing.gz' does not exist"),
    (_labels, "labels.gz.*IDX label file"),
    (lambda p: _npz(p, images=np.zeros((2, 8, 8), np.uint8)), "arrays.npz.*key 'arr_0'"),
    (lambda p: _npz(p, arr_0=np.array([{"a": 1}], dtype=object)), "arrays.npz.*pickled objects are never loaded"),
    (_empty, "empty holds no images"),
])
def test_bad_image_sets_get_errors_naming_the_file(tmp_path, make, message):
    with pytest.raises(ImageSetError, match=message):
        load_image_set(make(tmp_path), DIGITS)


def test_a_split_needs_a_celeba_folder_and_a_limit_must_be_positive(tmp_path, shared_data):
    Image.new("RGB", (40, 40)).save(tmp_path / "me.png")
    with pytest.raises(ImageSetError, match="CelebA-style file names.*me.png"):
        load_image_set(tmp_path, FACES, split="test")
    with pytest.raises(ImageSetError, match="limit is 0"):
        load_image_set(tmp_path, FACES, limit=0)
    with pytest.raises(ImageSetError, match="one file"):
        load_image_set(shared_data / "mnist" / "t10k-images-idx3-ubyte.gz", DIGITS, split="test")


def _idx(shape, values: bytes = b"") -> bytes:
    return (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in shape) + values


def test_a_damaged_jpeg_in_a_celeba_folder_is_one_error_naming_it(tmp_path, shared_data):
    face = (shared_data / "celeba" / "img_align_celeba" / "000002.jpg").read_bytes()
    for name, data in (("000003.jpg", face[:300]), ("000004.jpg", b"")):  # truncated, empty
        folder = tmp_path / name
        folder.mkdir()
        (folder / "000002.jpg").write_bytes(face)
        (folder / name).write_bytes(data)
        with pytest.raises(ImageSetError, match=rf"expected a CelebA JPEG at .*{name}, but it cannot be decoded"):
            load_image_set(folder, FACES)


def test_images_without_pixels_or_under_16_px_are_refused_as_paint_refuses_them(tmp_path):
    (tmp_path / "empty-idx3-ubyte").write_bytes(_idx((5, 0, 0)))
    with pytest.raises(ImageSetError, match=r"empty-idx3-ubyte holds 5 images of 0x0 pixels: each needs at least 16 px"):
        load_image_set(tmp_path / "empty-idx3-ubyte", DIGITS)
    (tmp_path / "tiny-idx3-ubyte").write_bytes(_idx((2, 1, 1), b"\0\0"))
    with pytest.raises(ImageSetError, match=r"holds 2 images of 1x1 pixels"):
        load_image_set(tmp_path / "tiny-idx3-ubyte", DIGITS)
    np.savez(tmp_path / "flat.npz", arr_0=np.zeros((3, 0, 28), np.uint8))
    with pytest.raises(ImageSetError, match=r"flat.npz holds 3 images of 28x0 pixels"):
        load_image_set(tmp_path / "flat.npz", DIGITS)


def test_a_gzip_bomb_idx_is_read_no_further_than_its_header_claims(tmp_path):
    import resource

    packer = zlib.compressobj(9, wbits=31)  # gzip: one digit, then 0.5 GB of zeros (0.5 MB compressed)
    bomb = packer.compress(_idx((1, 28, 28), bytes(784))) + b"".join(packer.compress(bytes(1 << 20)) for _ in range(500))
    (tmp_path / "bomb-idx3-ubyte.gz").write_bytes(bomb + packer.flush())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImageSetError, match=r"shape \(1, 28, 28\) at .*bomb-idx3-ubyte.gz: 800 bytes, found more "
                                            r"\(longer than its header says\)"):
        load_image_set(tmp_path / "bomb-idx3-ubyte.gz", DIGITS)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: never the 0.5 GB


def test_an_upper_case_npz_is_read_as_npz_and_a_fifo_is_refused(tmp_path):
    with open(tmp_path / "UPPER.NPZ", "wb") as file:  # np.savez would add ".npz" to the name
        np.savez(file, arr_0=np.zeros((2, 28, 28), np.uint8))
    assert load_image_set(tmp_path / "UPPER.NPZ", DIGITS).names == ["UPPER.NPZ[0]", "UPPER.NPZ[1]"]
    os.mkfifo(tmp_path / "pipe-idx3-ubyte")
    with pytest.raises(ImageSetError, match=r"'.*pipe-idx3-ubyte' is a FIFO, not a regular file"):
        load_image_set(tmp_path / "pipe-idx3-ubyte", DIGITS)


def test_the_projects_own_outputs_and_resource_forks_in_a_folder_are_skipped(tmp_path):
    Image.new("RGB", (40, 40), (255, 0, 0)).save(tmp_path / "red.png")
    Image.new("RGB", (400, 300)).save(tmp_path / "grid.png")  # evaluate's, beside its scores and summary
    (tmp_path / "scores.csv").write_text("image\n")
    (tmp_path / "summary.json").write_text("{}")
    Image.new("RGB", (40, 40), (0, 0, 255)).save(tmp_path / "red.gif")  # a picture of the user's
    Image.new("RGB", (64, 64)).save(tmp_path / "painted.png")  # paint's, beside its JSON and .ora
    (tmp_path / "painted.json").write_text("{}")
    (tmp_path / "painted.ora").write_bytes(b"PK")
    (tmp_path / "._red.png").write_bytes(b"\0\5\26\7 resource fork")
    images = load_image_set(tmp_path, FACES)
    assert images.names == ["red.gif", "red.png"]
    assert images.skipped == ("._red.png", "grid.png", "painted.png")
