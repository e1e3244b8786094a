"""A user's own image becomes a 64x64 RGB target, or a clear error."""

import numpy as np
import pytest
from PIL import Image

from painting_dreams.targets.user_image import UserImageError, load_user_image


def test_colour_photo_is_centre_cropped_and_resized(tmp_path):
    image = np.zeros((100, 300, 3), np.uint8)
    image[:, :100] = (255, 0, 0)  # left third red, middle green, right blue
    image[:, 100:200] = (0, 255, 0)
    image[:, 200:] = (0, 0, 255)
    Image.fromarray(image).save(tmp_path / "wide.png")
    target = load_user_image(tmp_path / "wide.png")
    assert target.shape == (64, 64, 3) and target.dtype == np.float32
    np.testing.assert_allclose(target[32, 32], [0, 1, 0], atol=0.02)  # the middle square is green


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "I;16"])
def test_other_modes_are_converted(tmp_path, mode):
    gray = np.tile(np.linspace(0, 255, 64, dtype=np.uint8), (64, 1))
    if mode == "I;16":
        image = Image.fromarray(gray.astype(np.uint16) * 257)  # 16-bit grayscale
    elif mode == "RGBA":
        rgba = np.dstack([gray, gray, gray, np.full_like(gray, 255)])
        rgba[:, :8, 3] = 0  # transparent strip goes on white
        image = Image.fromarray(rgba, "RGBA")
    else:
        image = Image.fromarray(gray, "L").convert(mode)
    image.save(tmp_path / "img.png")
    target = load_user_image(tmp_path / "img.png")
    assert target.shape == (64, 64, 3)
    np.testing.assert_allclose(target[:, :, 0], target[:, :, 2], atol=0.01)  # still gray
    assert target[10, 60, 0] > 0.8
    if mode == "RGBA":
        assert target[10, 1].min() > 0.98
    else:
        assert target[10, 1, 0] < 0.1


def test_bad_inputs_have_clear_errors(tmp_path):
    with pytest.raises(UserImageError, match="does not exist"):
        load_user_image(tmp_path / "missing.jpg")
    with pytest.raises(UserImageError, match="is a folder"):
        load_user_image(tmp_path)
    (tmp_path / "notes.jpg").write_text("not a picture")
    with pytest.raises(UserImageError, match="not an image PIL can read"):
        load_user_image(tmp_path / "notes.jpg")
    Image.new("RGB", (10, 40)).save(tmp_path / "tiny.png")
    with pytest.raises(UserImageError, match=r"only 10x40: it needs at least 16 px"):
        load_user_image(tmp_path / "tiny.png")
    Image.new("RGB", (200, 200), (9, 9, 9)).save(tmp_path / "cut.jpg")
    data = (tmp_path / "cut.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 3])
    with pytest.raises(UserImageError, match="could not be decoded"):
        load_user_image(tmp_path / "cut.jpg")


def test_huge_images_are_refused_before_decoding(tmp_path, monkeypatch):
    from painting_dreams.targets import user_image

    Image.new("RGB", (400, 300)).save(tmp_path / "big.png")
    monkeypatch.setattr(user_image, "MAX_PIXELS", 100_000)
    with pytest.raises(UserImageError, match=r"400x300 .* downscale it first"):
        load_user_image(tmp_path / "big.png")


# Issue 14, items 4-7: user images read as a viewer shows them, and huge ones refused with our message.
def test_exif_orientation_is_applied(tmp_path):
    from painting_dreams.targets.user_image import load_user_image

    image = Image.new("RGB", (80, 40), (255, 0, 0))
    image.paste((0, 0, 255), (40, 0, 80, 40))  # stored: red left half, blue right half
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation 6: a viewer rotates it 90 degrees clockwise (a phone held upright)
    image.save(tmp_path / "phone.jpg", exif=exif.tobytes(), quality=95)
    target = load_user_image(tmp_path / "phone.jpg", size=64)  # upright: 40x80, red on top, blue below
    assert target[5, 32, 0] > 0.9 and target[5, 32, 2] < 0.1
    assert target[58, 32, 2] > 0.9 and target[58, 32, 0] < 0.1


def test_16_bit_and_float_images_keep_their_brightness(tmp_path):
    from painting_dreams.targets.user_image import load_user_image

    grey = np.full((40, 40), round(0.12 * 65535), np.uint16)
    Image.fromarray(grey).save(tmp_path / "grey16.png")
    np.testing.assert_allclose(load_user_image(tmp_path / "grey16.png"), 0.12, atol=0.005)  # was pure white
    Image.fromarray(np.full((40, 40), 0.5, np.float32), "F").save(tmp_path / "half.tiff")
    np.testing.assert_allclose(load_user_image(tmp_path / "half.tiff"), 0.5, atol=0.005)  # was black


def test_a_decompression_bomb_gets_the_projects_message(tmp_path):
    import struct
    import zlib

    from painting_dreams.targets.user_image import UserImageError, load_user_image

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)  # a 30000x30000 grey PNG, header only
    (tmp_path / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    with pytest.raises(UserImageError, match=r"huge.png' is larger than 80 megapixels .*downscale it first"):
        load_user_image(tmp_path / "huge.png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _damaged_pictures(folder):
    """PNGs PIL fails on with ValueError, not OSError: their names (written into ``folder``)."""
    import io
    import zlib

    from PIL import PngImagePlugin

    png = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 10, 10)).save(png, "PNG")
    png = png.getvalue()
    text = zlib.compress(b"a" * (PngImagePlugin.MAX_TEXT_CHUNK + 10))
    files = {"text.png": png[:33] + _chunk(b"zTXt", b"comment\0\0" + text) + png[33:],  # oversized compressed text
             "ihdr.png": b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", b"\0\0\0\x28\0\0")}  # truncated IHDR
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return list(files)


def test_damaged_pictures_get_one_error_naming_the_file_whatever_pil_raises(tmp_path):
    for name in _damaged_pictures(tmp_path):
        with pytest.raises(UserImageError, match=rf"image '.*{name}' could not be decoded \(.+\): the file is damaged"):
            load_user_image(tmp_path / name)


def test_a_fifo_or_a_device_is_refused_without_reading_it(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.png")  # opening it to read would wait for a writer forever
    with pytest.raises(UserImageError, match=r"'.*pipe.png' is a FIFO, not a regular file: give the path of one image"):
        load_user_image(tmp_path / "pipe.png")
    with pytest.raises(UserImageError, match=r"'/dev/null' is a device, not a regular file"):
        load_user_image("/dev/null")


def test_a_float_image_keeps_its_range_whatever_a_stray_pixel_says(tmp_path, caplog):
    grey = np.full((40, 40), 0.46, np.float32)
    grey[3, 3] = 1.0001  # one pixel a little over 1 does not make the image 0-255 data
    Image.fromarray(grey, "F").save(tmp_path / "stray.tiff")
    with caplog.at_level("WARNING"):
        np.testing.assert_allclose(load_user_image(tmp_path / "stray.tiff").mean(), 0.46, atol=0.005)
    assert "1 of its 1,600 float pixels are outside [0, 1] and were clipped to it" in caplog.text
    Image.fromarray(np.full((40, 40), 117.3, np.float32), "F").save(tmp_path / "bytes.tiff")  # 0-255 data
    np.testing.assert_allclose(load_user_image(tmp_path / "bytes.tiff"), 117.3 / 255, atol=0.003)
    for value, name in ((np.inf, "inf"), (np.nan, "nan")):
        grey[3, 3] = value
        Image.fromarray(grey, "F").save(tmp_path / f"{name}.tiff")
        with pytest.raises(UserImageError, match=rf"{name}.tiff' has 1 NaN or infinite pixels: a float image needs"):
            load_user_image(tmp_path / f"{name}.tiff")


def _swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB profile whose red primary is sRGB's blue and whose blue is sRGB's red (linear curves)."""
    import struct

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + b"".join(struct.pack(">i", round(v * 65536)) for v in (x, y, z))

    curve = b"curv\0\0\0\0" + struct.pack(">I", 0)  # identity
    description = b"desc\0\0\0\0" + struct.pack(">I", 5) + b"swap\0" + bytes(12) + bytes(67)
    tags = [(b"desc", description), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)), (b"bXYZ", xyz(0.4361, 0.2225, 0.0139)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve), (b"cprt", b"text\0\0\0\0none\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + bytes(4) + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + bytes(12) + b"acsp"
              + bytes(24) + bytes(4) + xyz(0.9642, 1.0, 0.8249)[8:] + bytes(4) + bytes(16) + bytes(28))
    return header + struct.pack(">I", len(tags)) + table + data


def test_an_embedded_colour_profile_is_converted_to_srgb(tmp_path):
    profile = _swapped_primaries_profile()
    Image.new("RGB", (40, 40), (255, 0, 0)).save(tmp_path / "swapped.jpg", icc_profile=profile, quality=95)
    target = load_user_image(tmp_path / "swapped.jpg")  # stored red, shown blue by a colour-managed viewer
    assert target[32, 32, 2] > 0.9 and target[32, 32, 0] < 0.1
    Image.new("RGB", (40, 40), (255, 0, 0)).save(tmp_path / "plain.png", icc_profile=b"not a profile")
    np.testing.assert_allclose(load_user_image(tmp_path / "plain.png")[32, 32], [1, 0, 0], atol=0.01)  # read as sRGB


def test_pils_own_bomb_warning_does_not_precede_the_projects_message(tmp_path):
    import struct
    import warnings

    header = struct.pack(">IIBBBBB", 10000, 10000, 8, 0, 0, 0, 0)  # 100 MP: PIL warns, and does not refuse
    (tmp_path / "large.png").write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b""))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserImageError, match=r"large.png' is 10000x10000 \(100 megapixels\), more than 80"):
            load_user_image(tmp_path / "large.png")
