"""OpenRaster files: the layout MyPaint expects, pixels that round-trip, no half-written files."""

import zipfile
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from painting_dreams.export import write_openraster


def test_ora_has_mimetype_first_stored_and_layers_round_trip(tmp_path):
    strokes = np.zeros((64, 48, 4), np.uint8)
    strokes[10:20, 5:30] = (200, 30, 40, 255)
    path = write_openraster(tmp_path / "out" / "painting.ora", [("strokes", strokes)])
    with zipfile.ZipFile(path) as ora:
        first = ora.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert ora.read("mimetype") == b"image/openraster"
        root = ET.fromstring(ora.read("stack.xml"))
        assert (root.get("w"), root.get("h")) == ("48", "64")
        layers = root.find("stack").findall("layer")
        assert [layer.get("name") for layer in layers] == ["strokes", "background"]  # top first
        with ora.open(layers[0].get("src")) as f:
            np.testing.assert_array_equal(np.asarray(Image.open(f)), strokes)
        with ora.open("mergedimage.png") as f:
            merged = np.asarray(Image.open(f).convert("RGB"))
        assert tuple(merged[15, 10]) == (200, 30, 40) and tuple(merged[40, 40]) == (255, 255, 255)
        assert max(Image.open(ora.open("Thumbnails/thumbnail.png")).size) <= 256
    assert [p.name for p in path.parent.iterdir()] == ["painting.ora"]


def test_bad_layers_are_refused_and_leave_nothing(tmp_path):
    with pytest.raises(ValueError, match=r"layer 'x' is float64 \(4, 4, 4\): expected uint8"):
        write_openraster(tmp_path / "a.ora", [("ok", np.zeros((4, 4, 4), np.uint8)), ("x", np.zeros((4, 4, 4)))])
    with pytest.raises(ValueError, match="at least one layer"):
        write_openraster(tmp_path / "a.ora", [])
    assert list(tmp_path.iterdir()) == []
