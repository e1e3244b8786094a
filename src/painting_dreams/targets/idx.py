"""Read IDX files, the format of MNIST (magic, dimensions, then the values, big-endian)."""

from __future__ import annotations

import gzip
import io
import zlib
from typing import IO

import numpy as np

IDX_LABELS_MAGIC = 2049  # unsigned bytes, 1 dimension
IDX_IMAGES_MAGIC = 2051  # unsigned bytes, 3 dimensions

_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_KINDS = {IDX_LABELS_MAGIC: "an IDX label file", IDX_IMAGES_MAGIC: "an IDX image file"}
_GZIP_SIGNATURE = b"\x1f\x8b"
MAX_BYTES = 2**31  # larger than any IDX dataset (MNIST's train images: 47 MB): a header claiming more is damaged


def describe_idx_magic(magic: int | None) -> str:
    """Say in words which IDX file a magic number stands for, e.g. 'an IDX image file (magic 2051)'."""
    if magic is None:
        return "an IDX file"
    return f"{_KINDS.get(magic, 'an IDX file')} (magic {magic})"


def parse_idx(raw: bytes, *, source: str, expected_magic: int | None = None) -> np.ndarray:
    """Decode the bytes of an IDX file, gzipped or not, into an array; `source` names it in errors.

    A gzipped file is decompressed only as far as its header says it holds (and one byte more, to tell a
    longer file): a gzip bomb costs no more memory than the array its header claims, at most 2 GiB.
    """
    expected = describe_idx_magic(expected_magic)
    stream = gzip.GzipFile(fileobj=io.BytesIO(raw)) if raw[:2] == _GZIP_SIGNATURE else io.BytesIO(raw)
    try:
        with stream:
            data = _read_idx(stream, source=source, expected=expected, expected_magic=expected_magic)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"expected {expected} at {source}, but the gzip data is truncated or corrupt ({exc})") from exc
    ndim = data[3]
    header_size = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_DTYPES[data[2]])
    values = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def _read_idx(stream: IO[bytes], *, source: str, expected: str, expected_magic: int | None) -> bytes:
    """The header and values of an IDX file from ``stream``, read no further than the header says (plus one byte)."""
    data = stream.read(4)
    if len(data) < 4:
        raise ValueError(f"expected {expected} at {source}, but it holds only {len(data)} bytes")
    if data[:2] != b"\0\0" or data[2] not in _DTYPES:
        raise ValueError(f"expected {expected} at {source}, but its first bytes {data[:4].hex()} are not an IDX header")
    magic = int.from_bytes(data[:4], "big")
    if expected_magic is not None and magic != expected_magic:
        raise ValueError(f"expected {expected} at {source}, found magic number {magic} ({describe_idx_magic(magic)})")
    ndim = data[3]
    header_size = 4 + 4 * ndim
    data += stream.read(header_size - 4)
    if len(data) < header_size:
        raise ValueError(f"expected {expected} at {source}, but it ends inside its header ({len(data)} bytes)")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected_size = header_size + int(np.prod(shape, dtype=object)) * np.dtype(_DTYPES[data[2]]).itemsize
    if expected_size > MAX_BYTES:
        raise ValueError(f"expected {expected} at {source}: its header claims shape {shape}, {expected_size:,} "
                         f"bytes, more than {MAX_BYTES:,}: the header is damaged")
    data += stream.read(expected_size - header_size + 1)
    if len(data) != expected_size:
        state = "truncated" if len(data) < expected_size else "longer than its header says"
        found = f"{len(data):,}" if len(data) < expected_size else "more"
        raise ValueError(f"expected {expected} of shape {shape} at {source}: {expected_size:,} bytes, "
                         f"found {found} ({state})")
    return data
