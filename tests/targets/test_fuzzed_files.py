"""Mutated PNG, JPEG, TIFF, IDX and npz files fed to the readers of ``paint`` and ``evaluate``: each one either
loads as targets in [0, 1] or raises the project's own error, never another exception.

The files are made here from a seeded generator (a few hundred in all, in well under a minute): valid files of
each kind, then damaged the ways downloads and disks damage them (bytes flipped, cut short, bytes inserted,
header fields overwritten with large or zero values, runs zeroed).
"""

import gzip
import io
import struct
import warnings

import numpy as np
import pytest
from PIL import Image

from painting_dreams.evaluation.image_sets import ImageSetError, load_image_set
from painting_dreams.targets.user_image import UserImageError, load_user_image

DIGITS = {"kind": "digits", "image_size": 64}
FACES = {"kind": "faces", "image_size": 64, "crop_size": 32, "crop_centre": [20, 24]}
SEED = 28
PER_KIND = 40  # mutated files per valid file


def _picture(rng, mode: str, size=(40, 48)) -> Image.Image:
    rgb = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    if mode == "I;16":
        return Image.fromarray(rng.integers(0, 65536, (size[1], size[0]), dtype=np.uint16))
    if mode == "F":
        return Image.fromarray(rng.random((size[1], size[0]), dtype=np.float32), "F")
    return Image.fromarray(rgb).convert(mode)


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _valid_files(rng) -> list[tuple[str, bytes]]:
    """(suffix, bytes) of valid files of every kind the readers take."""
    files = [(".png", _encoded(_picture(rng, mode), "PNG")) for mode in ("RGB", "RGBA", "L", "P", "I;16")]
    files += [(".jpg", _encoded(_picture(rng, mode), "JPEG", quality=80)) for mode in ("RGB", "L", "CMYK")]
    files += [(".jpg", _encoded(_picture(rng, "RGB", (178, 218)), "JPEG", quality=80, progressive=True))]
    files += [(".tif", _encoded(_picture(rng, mode), "TIFF", compression=compression))
              for mode, compression in (("RGB", None), ("RGB", "tiff_lzw"), ("F", None), ("I;16", "tiff_adobe_deflate"))]
    digits = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    idx = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in digits.shape) + digits.tobytes()
    files += [("-idx3-ubyte", idx), ("-idx3-ubyte.gz", gzip.compress(idx))]
    npz = io.BytesIO()
    np.savez_compressed(npz, arr_0=digits)
    plain = io.BytesIO()
    np.savez(plain, arr_0=digits)
    return files + [(".npz", npz.getvalue()), (".npz", plain.getvalue())]


def _mutated(rng, data: bytes) -> bytes:
    """``data`` damaged one of the ways files get damaged."""
    data = bytearray(data)
    kind = rng.integers(6)
    if kind == 0:  # bytes flipped anywhere
        for at in rng.integers(0, len(data), rng.integers(1, 12)):
            data[at] ^= 1 << int(rng.integers(8))
    elif kind == 1:  # cut short
        data = data[: int(rng.integers(0, len(data)))]
    elif kind == 2:  # bytes inserted
        at = int(rng.integers(0, len(data)))
        data[at:at] = rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8).tobytes()
    elif kind == 3:  # a header field (a size, a count, an offset) made large, zero or negative
        at = int(rng.integers(0, min(len(data), 64) - 3))
        data[at:at + 4] = struct.pack(">I", int(rng.choice([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF,
                                                            int(rng.integers(0, 1 << 32))])))
    elif kind == 4:  # a run zeroed (a sector lost)
        at = int(rng.integers(0, len(data)))
        data[at:at + int(rng.integers(1, 512))] = bytes(min(len(data) - at, 512))[: len(data[at:at + 512])]
    else:  # the header's bytes flipped (where readers trust most)
        for at in rng.integers(0, min(len(data), 40), rng.integers(1, 4)):
            data[at] ^= 1 << int(rng.integers(8))
    return bytes(data)


def _check_targets(targets: np.ndarray, count: int | None = None) -> None:
    assert targets.dtype == np.float32 and targets.shape[-3:] == (64, 64, 3)
    assert count is None or len(targets) == count
    assert np.isfinite(targets).all() and targets.min() >= 0.0 and targets.max() <= 1.0


def _read(path, suffix: str) -> list[str]:
    """Feed ``path`` to every reader that takes its kind; the outcome of each: 'loaded' or 'refused'."""
    outcomes = []

    def attempt(read, error):
        try:
            read()
            outcomes.append("loaded")
        except error:
            outcomes.append("refused")

    if suffix in (".png", ".jpg", ".tif"):
        attempt(lambda: _check_targets(load_user_image(path)), UserImageError)  # paint's reader
        attempt(lambda: _check_targets(load_image_set(path.parent, FACES).targets, 1), ImageSetError)  # any folder
        if suffix == ".jpg":  # a CelebA-style folder (NNNNNN.jpg), as a face painter reads it
            celeba = path.parent / "celeba"
            celeba.mkdir()
            (celeba / "000001.jpg").write_bytes(path.read_bytes())
            attempt(lambda: _check_targets(load_image_set(celeba, FACES).targets, 1), ImageSetError)
    else:
        attempt(lambda: _check_targets(load_image_set(path, DIGITS).targets), ImageSetError)
    return outcomes


def test_mutated_files_load_or_get_the_projects_error(tmp_path):
    rng = np.random.default_rng(SEED)
    outcomes = {"loaded": 0, "refused": 0}
    files = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # PIL's own warnings (a DecompressionBombWarning) must not reach the user
        for number, (suffix, data) in enumerate(_valid_files(rng)):
            for copy in range(PER_KIND):
                folder = tmp_path / f"{number}-{copy}"
                folder.mkdir()
                path = folder / f"file{suffix}"
                path.write_bytes(_mutated(rng, data))
                for outcome in _read(path, suffix if suffix in (".png", ".jpg", ".tif", ".npz") else ".idx"):
                    outcomes[outcome] += 1
                files += 1
    assert files >= 300
    assert outcomes["loaded"] > 50 and outcomes["refused"] > 100, outcomes  # both outcomes are exercised
