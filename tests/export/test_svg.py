"""The strokes as SVG: one path per stroke, through the control point, MyPaint's brush width and colour."""

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from click.testing import CliRunner

from painting_dreams.commands import cli
from painting_dreams.export.svg import strokes_svg
from tests.conftest import BRUSH

SVG = "{http://www.w3.org/2000/svg}"


def test_each_stroke_is_a_path_through_its_control_point_in_its_colour_and_width():
    strokes = [{"start": [10.0, 20.0], "end": [50.0, 20.0], "control": [30.0, 40.0], "pressure": 0.5, "size": 1.0,
                "jump": False, "rgb": [200, 10, 30]},
               {"start": [0.0, 0.0], "end": [5.0, 5.0], "control": [2.0, 2.0], "pressure": 0.5, "size": 1.0,
                "jump": True, "rgb": [0, 0, 0]}]  # a jump paints nothing
    svg = strokes_svg(strokes, 64, 48, BRUSH)
    assert "an approximation of MyPaint's classic/dry_brush" in svg
    root = ET.fromstring(svg)
    assert root.get("width") == "64" and root.get("height") == "48" and root.find(f"{SVG}rect").get("fill") == "white"
    (path,) = root.findall(f"{SVG}path")
    x0, y0, bx, by, x1, y1 = (float(v) for v in re.findall(r"-?[0-9.]+", path.get("d")))
    mid = 0.25 * np.array([x0, y0]) + 0.5 * np.array([bx, by]) + 0.25 * np.array([x1, y1])  # the curve at t = 1/2
    np.testing.assert_allclose(mid, [30.0, 40.0], atol=0.01)
    # the dry brush's dab diameter 2 e^size, widened by its dabs' scatter (offset_by_random 1.4 p, in radii)
    assert path.get("stroke") == "rgb(200,10,30)"
    assert float(path.get("stroke-width")) == pytest.approx(2 * math.e * (1 + 1.4 * 0.5), abs=0.01)
    assert float(path.get("stroke-opacity")) == pytest.approx((0.8 + 0.2 * 0.5) * 0.5, abs=1e-3)  # the dry brush's


def test_each_medium_draws_with_its_own_brushs_width_and_opacity():
    stroke = {"start": [10.0, 20.0], "end": [50.0, 20.0], "control": [30.0, 40.0], "pressure": 0.6, "size": 1.0,
              "jump": False, "rgb": [0, 0, 0]}

    def drawn(brush):
        path = ET.fromstring(strokes_svg([stroke], 64, 64, brush)).find(f"{SVG}path")
        return float(path.get("stroke-width")), float(path.get("stroke-opacity"))

    # classic/pen: opaque (1 x 1 above pressure 0.015), radius + 0.5 p, no scatter
    assert drawn("classic/pen") == pytest.approx((2 * math.exp(1.0 + 0.5 * 0.6), 1.0), abs=1e-2)
    # classic/charcoal: (0.4 + 0.4 p) p opaque, dabs scattered 1.6 - 1.4 p radii
    assert drawn("classic/charcoal") == pytest.approx((2 * math.e * (1 + 1.6 - 1.4 * 0.6), (0.4 + 0.4 * 0.6) * 0.6),
                                                      abs=1e-2)


def test_paint_svg_writes_the_svg_with_the_other_files(blocks):
    result = CliRunner().invoke(cli, ["paint", str(blocks), "--detail", "0", "--agent", "celeba_15", "--refine", "0", "--size", "128",
                                      "--svg", "--out", "o"])
    assert result.exit_code == 0, result.output
    out = blocks.parent / "o"
    assert sorted(p.name for p in out.iterdir()) == ["blocks.gif", "blocks.json", "blocks.ora", "blocks.png", "blocks.svg"]
    root = ET.parse(out / "blocks.svg").getroot()
    assert root.get("width") == "128" and len(root.findall(f"{SVG}path")) == 15  # the colour painter never jumps
