"""The real MyPaint environment: pixels, determinism, spaces and error messages."""

import ctypes
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import painting_dreams.paint as paint
from painting_dreams.paint import libmypaint
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.env import MyPaintEnv
from painting_dreams.paint.strokes import pressure_ramp, quadratic_curve
from tests.conftest import BRUSH


def absolute_mnist(start, end, control, pressure=1.0, size=1.0, jump=0.0):
    """Normalised action of the mnist_absolute layout."""
    return np.array([*start, *end, *control, pressure, size, jump], np.float32)


def absolute_color(start, end, control, pressure=1.0, size=0.5, rgb=(0.0, 0.0, 0.0)):
    return np.array([*start, *end, *control, pressure, size, *rgb], np.float32)


def ink(canvas: np.ndarray) -> np.ndarray:
    """Boolean mask of pixels visibly darker than white."""
    return canvas.min(axis=-1) < 235


def distance_to_curve(mask: np.ndarray, curve: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    points = np.stack([xs + 0.5, ys + 0.5], axis=1)
    return np.sqrt(((points[:, None, :] - curve[None, :, :]) ** 2).sum(-1)).min(axis=1)


@pytest.fixture
def env():
    e = MyPaintEnv(variant="mnist", absolute=True, brush=BRUSH)
    yield e
    e.close()


def test_curve_passes_through_control_point_and_ramps_pressure():
    curve = quadratic_curve(np.array([0.0, 0.0]), np.array([10.0, 0.0]), np.array([5.0, 8.0]), samples=101)
    np.testing.assert_allclose(curve[50], [5.0, 8.0])
    np.testing.assert_allclose(curve[0], [0.0, 0.0])
    np.testing.assert_allclose(curve[-1], [10.0, 0.0])
    ramp = pressure_ramp(101)
    assert ramp[0] == 0.0 and ramp[-1] == 0.0
    assert ramp[25] == pytest.approx(1.0) and ramp[50] == 1.0 and ramp[75] == pytest.approx(1.0)
    assert ramp[12] == pytest.approx(0.48)


def test_stroke_darkens_its_path_and_nothing_far_from_it(env):
    env.reset(seed=0)
    start, end, control = (0.2, 0.2), (0.8, 0.3), (0.5, 0.7)
    obs, *_ = env.step(absolute_mnist(start, end, control))
    canvas = obs["canvas"]
    curve = quadratic_curve(np.array(start) * 64, np.array(end) * 64, np.array(control) * 64)
    # Along the middle of the curve (full pressure) the paint is dark.
    for x, y in curve[30:71:5]:
        patch = canvas[int(y) - 1 : int(y) + 2, int(x) - 1 : int(x) + 2]
        assert patch.min() < 100, f"no dark paint near ({x:.1f}, {y:.1f})"
    # Every painted pixel lies near the curve; most of the canvas stays white.
    distances = distance_to_curve(ink(canvas), curve)
    assert distances.max() < 8.0
    assert ink(canvas).mean() < 0.25
    assert (canvas[ink(canvas)] < 235).all()
    assert np.all(canvas[:8, 56:] == 255)  # a far corner is untouched


def test_first_action_and_jump_paint_nothing():
    env = MyPaintEnv(variant="mnist", brush=BRUSH)
    obs, info = env.reset(seed=1)
    assert (obs["canvas"] == 255).all() and obs["canvas"].dtype == np.uint8
    obs, _, _, _, info = env.step(np.array([0.8, 0.8, 0.5, 0.2, 1, 1, 0], np.float32))
    assert (obs["canvas"] == 255).all() and not info["painted"]
    np.testing.assert_allclose(obs["position"], [0.8, 0.8])
    obs, _, _, _, info = env.step(np.array([0.1, 0.2, 0.3, 0.5, 1, 1, 1], np.float32))  # jump
    assert (obs["canvas"] == 255).all() and not info["painted"]
    np.testing.assert_allclose(obs["position"], [0.1, 0.2])
    obs, _, _, _, info = env.step(np.array([0.9, 0.2, 0.5, 0.5, 1, 1, 0], np.float32))  # paints from the jump's end
    assert info["painted"] and ink(obs["canvas"]).sum() > 30
    np.testing.assert_allclose(info["start"], [0.1 * 64, 0.2 * 64])
    env.close()


def test_colour_changes_hue_and_size_changes_width():
    env = MyPaintEnv(variant="color", absolute=True, brush=BRUSH)
    painted = {}
    for name, rgb in {"red": (1, 0, 0), "blue": (0, 0, 1)}.items():
        env.reset(seed=0)
        obs, *_ = env.step(absolute_color((0.2, 0.5), (0.8, 0.5), (0.5, 0.5), size=0.5, rgb=rgb))
        painted[name] = obs["canvas"][ink(obs["canvas"])].astype(int)
    red, blue = painted["red"].mean(0), painted["blue"].mean(0)
    assert red[0] > red[1] + 40 and red[0] > red[2] + 40
    assert blue[2] > blue[0] + 40 and blue[2] > blue[1] + 40

    areas = {}
    for size in (0.0, 0.5, 1.0):
        env.reset(seed=0)
        obs, *_ = env.step(absolute_color((0.2, 0.5), (0.8, 0.5), (0.5, 0.5), size=size))
        areas[size] = ink(obs["canvas"]).sum()
    assert areas[0.0] < areas[0.5] < areas[1.0]
    assert areas[1.0] > 3 * areas[0.0]
    env.close()


def test_mnist_variant_snaps_to_discrete_values():
    layout = ActionLayout("mnist")
    stroke = layout.decode([0.5, 0.5, 0.5, 0.5, 0.49, 0.51, 0.7], 64, 64)
    assert (stroke.pressure, stroke.size, stroke.jump) == (0.5, 0.7, True)
    stroke = layout.decode([0.5, 0.5, 0.5, 0.5, 0.9, 0.1, 0.2], 64, 64)
    assert (stroke.pressure, stroke.size, stroke.jump, stroke.rgb) == (0.8, 0.2, False, (0, 0, 0))
    color = ActionLayout("color").decode([0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 0.0], 64, 32)
    np.testing.assert_allclose(color.end, [16.0, 16.0])
    assert color.pressure == pytest.approx(0.4) and color.size == pytest.approx(1.0) and color.rgb == (255, 128, 0)
    env_units = ActionLayout("mnist").to_env_units(np.array([[0.5, 0.25, 0, 1, 0.2, 0.9, 0.6]]), 64, 64)
    np.testing.assert_allclose(env_units, [[32, 16, 0, 64, 0.5, 0.7, 1.0]], rtol=1e-6)


def test_stroke_mode_alpha_over_white_matches_painting_on_white():
    actions = [absolute_color((0.1, 0.2), (0.9, 0.7), (0.3, 0.9), size=0.6, rgb=(0.2, 0.6, 0.9)),
               absolute_color((0.5, 0.1), (0.4, 0.9), (0.9, 0.5), size=0.3, rgb=(0.9, 0.1, 0.1))]
    on_white = MyPaintEnv(variant="color", absolute=True, brush=BRUSH)
    strokes = MyPaintEnv(variant="color", absolute=True, stroke_mode=True, brush=BRUSH)
    on_white.reset(seed=3)
    strokes.reset(seed=3)
    obs_white, _ = on_white.reset(seed=3)
    for action in actions[:1]:
        obs_white, *_ = on_white.step(action)
        obs_stroke, *_ = strokes.step(action)
    rgba = obs_stroke["stroke"].astype(np.float64) / 255.0
    assert rgba[..., 3].max() > 0.9 and rgba[..., 3].min() == 0.0  # a real alpha channel
    composited = rgba[..., :3] + (1.0 - rgba[..., 3:]) * 1.0
    diff = np.abs(composited * 255.0 - obs_white["canvas"])
    assert diff.max() <= 2.0, diff.max()
    # The env's own fix15 compositing differs from MyPaint's white surface by rounding only.
    assert np.abs(obs_stroke["canvas"].astype(int) - obs_white["canvas"]).max() <= 1
    # Stroke mode clears after every step: the second observation holds the second stroke only.
    obs_stroke2, *_ = strokes.step(actions[1])
    second_curve = quadratic_curve(np.array([0.5, 0.1]) * 64, np.array([0.4, 0.9]) * 64, np.array([0.9, 0.5]) * 64)
    first = ink(obs_white["canvas"])
    far_from_second = np.zeros_like(first)
    far_from_second[first] = distance_to_curve(first, second_curve) > 10
    assert far_from_second.sum() > 20
    assert obs_stroke2["stroke"][..., 3][far_from_second].max() == 0
    on_white.close()
    strokes.close()


def test_same_seed_and_actions_give_identical_pixels():
    rng = np.random.default_rng(7)
    actions = rng.random((10, 9)).astype(np.float32)

    def roll_out(env):
        env.reset(seed=11)
        return np.stack([env.step(a)[0]["canvas"] for a in actions])

    first, second = MyPaintEnv(variant="color", brush=BRUSH), MyPaintEnv(variant="color", brush=BRUSH)
    a, b = roll_out(first), roll_out(second)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(roll_out(first), a)  # again after reset in the same env
    assert (a[-1] < 235).any()
    first.close()
    second.close()


@pytest.mark.parametrize("kwargs", [{}, {"variant": "color"}, {"absolute": True},
                                    {"variant": "color", "absolute": True, "stroke_mode": True},
                                    {"stroke_mode": True, "width": 96, "height": 80}])
def test_env_passes_gymnasium_check_env(kwargs):
    env = gym.make(paint.ENV_ID, **kwargs, brush=BRUSH)
    check_env(env.unwrapped, skip_render_check=False)
    obs, _ = env.reset(seed=0)
    assert obs["canvas"].shape == (kwargs.get("height", 64), kwargs.get("width", 64), 3)
    env.close()


def test_non_square_canvas_paints_across_tiles():
    env = MyPaintEnv(variant="mnist", absolute=True, width=96, height=80, brush=BRUSH)
    env.reset(seed=0)
    obs, *_ = env.step(absolute_mnist((0.05, 0.05), (0.95, 0.95), (0.5, 0.5)))
    canvas = obs["canvas"]
    assert ink(canvas[:64, :64]).any() and ink(canvas[64:, 64:]).any()
    env.close()


def test_truncates_after_max_steps_and_rewards_progress_to_target():
    env = MyPaintEnv(variant="mnist", absolute=True, max_steps=2, brush=BRUSH)
    target = np.full((64, 64, 3), 255, np.uint8)
    target[30:34, 8:56] = 0  # a horizontal bar
    env.reset(seed=0, options={"target": target})
    _, reward, terminated, truncated, info = env.step(absolute_mnist((0.15, 0.5), (0.85, 0.5), (0.5, 0.5)))
    assert reward > 0 and not terminated and not truncated and info["mse"] < 0.06
    _, reward, _, truncated, _ = env.step(absolute_mnist((0.1, 0.05), (0.9, 0.1), (0.5, 0.05)))
    assert reward < 0 and truncated  # paint away from the bar makes the painting worse
    with pytest.raises(ValueError, match=r"target has shape \(32, 32, 3\)"):
        env.reset(options={"target": np.zeros((32, 32, 3), np.uint8)})
    env.close()


@pytest.mark.parametrize(
    "action, message",
    [
        ([0.5, 0.5, np.nan, 0.5, 0.5, 0.5, 0.0], r"'control_x' is nan"),
        ([0.5, 0.5, 0.5, 0.5, np.inf, 0.5, 0.0], r"'pressure' is inf"),
        ([0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.0], r"'size' is 1.5, outside \[0, 1\]"),
        ([0.5, -0.1, 0.5, 0.5, 0.5, 0.5, 0.0], r"'end_y' is -0.1"),
        ([0.5, 0.5, 0.5], r"shape \(3,\), expected \(7,\).*end_x, end_y"),
        ([[0.5] * 7], r"shape \(1, 7\)"),
    ],
)
def test_bad_actions_raise_value_error_naming_the_field(action, message):
    env = MyPaintEnv(variant="mnist", brush=BRUSH)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=message):
        env.step(np.array(action, dtype=np.float64))
    env.close()


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match=r"unknown variant 'oil'.*mnist, color"):
        MyPaintEnv(variant="oil", brush=BRUSH)
    with pytest.raises(ValueError, match="max_steps is 0"):
        MyPaintEnv(max_steps=0, brush=BRUSH)
    with pytest.raises(libmypaint.MyPaintNotFoundError, match="apt-get install -y libmypaint-1.5-1 mypaint-brushes"):
        MyPaintEnv(brush="classic/no_such_brush")
    with pytest.raises(ValueError, match=r"brush is None: give an installed MyPaint brush name"):
        MyPaintEnv(variant="mnist")  # no default brush: a world names the one its painters learned


def test_missing_library_says_what_to_install(monkeypatch):
    monkeypatch.setattr(libmypaint, "_lib", None)
    monkeypatch.setattr(libmypaint, "LIBRARY_NAMES", ("libmypaint-does-not-exist.so.9",))
    monkeypatch.setattr(libmypaint.ctypes.util, "find_library", lambda name: None)
    monkeypatch.delenv("PAINTING_DREAMS_LIBMYPAINT", raising=False)
    with pytest.raises(libmypaint.MyPaintNotFoundError, match="apt-get install -y libmypaint-1.5-1"):
        libmypaint.load_library()


def test_surface_reads_fix15_and_frees_cleanly():
    surface = libmypaint.Surface(64, 64)
    surface.clear()
    assert (surface.pixels() == libmypaint.FIX15_ONE).all()
    surface.clear(transparent=True)
    assert (surface.pixels() == 0).all()
    surface.close()
    surface.close()  # idempotent
    assert surface.handle is None


@pytest.mark.parametrize(
    "action, message",
    [
        (np.full(7, 0.5 + 0.1j), r"action has dtype complex128 \('c' kind\): an action is 7 real numbers in \[0, 1\]"),
        (np.array(["0.5"] * 7), r"action has dtype <U3 \('U' kind\)"),
        ([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1 + 1e-7], r"'jump' is 1.0000001, outside \[0, 1\]"),  # not "is 1"
        ([0.5, -1e-9, 0.5, 0.5, 0.5, 0.5, 0.0], r"'end_y' is -1e-09, outside"),
    ],
)
def test_only_real_numbers_are_actions_and_errors_show_every_digit(action, message):
    env = MyPaintEnv(variant="mnist", brush=BRUSH)
    env.reset(seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: refused before any conversion
        with pytest.raises(ValueError, match=message):
            env.step(action)
    env.close()


def _fast_stroke_events(scale):
    """A quick stroke's events at ``scale`` times the 64x64 canvas's pixels (pressure 0.8, 100 points)."""
    curve = quadratic_curve(np.array([10.0, 20.0]) * scale, np.array([54.0, 44.0]) * scale,
                            np.array([30.0, 5.0]) * scale, 100)
    return [(x, y, 0.8 * p) for (x, y), p in zip(curve.tolist(), pressure_ramp(100))]


def _paint_events(surface, events, viewzoom=None, radius_log=2.0, stroke=None):
    """Place the dry brush at the first event, paint ``events``, and return the pixels. ``stroke(brush, events,
    dtime)`` paints (default: ``surface.stroke``, at ``viewzoom`` if given)."""
    brush = libmypaint.Brush.from_name("classic/dry_brush")
    brush.set_base_value("radius_logarithmic", radius_log)
    brush.begin_stroke()
    kwargs = {} if viewzoom is None else {"viewzoom": viewzoom}
    stroke = stroke or (lambda brush, events, dtime: surface.stroke(brush, events, dtime, **kwargs))
    surface.clear()
    stroke(brush, [(*events[0][:2], 0.0)], 10.0)
    stroke(brush, events, 0.1)
    brush.close()
    return surface.pixels()


def test_the_zoomed_stroke_function_is_stroke_to_at_zoom_one():
    # Surface.stroke calls mypaint_brush_stroke_to_internal for a zoom other than 1, with the arguments
    # mypaint_brush_stroke_to passes it: at zoom 1 the two paint the same pixels, or the signature is wrong.
    lib = libmypaint.load_library()
    assert libmypaint.has_view_zoom(lib)
    events = _fast_stroke_events(1)
    surface = libmypaint.Surface(64, 64)

    def internal_at_zoom_one(brush, events, dtime):
        lib.mypaint_surface_begin_atomic(surface.handle)
        for x, y, p in events:
            lib.mypaint_brush_stroke_to_internal(brush.handle, surface.handle, x, y, p, 0.0, 0.0, dtime, 1.0, 0.0, 0.0, 1, 0)
        lib.mypaint_surface_end_atomic(surface.handle, ctypes.byref(libmypaint._Rectangle()))

    public = _paint_events(surface, events)
    assert public.min() < libmypaint.FIX15_ONE // 2  # it painted
    np.testing.assert_array_equal(_paint_events(surface, events, stroke=internal_at_zoom_one), public)
    surface.close()


def test_a_zoom_gives_the_brush_the_speeds_of_the_smaller_canvas():
    # The dry brush thins with speed, which libmypaint measures in pixels per second times the view zoom:
    # the same stroke 4x larger is 4x faster in pixels. At zoom 1/4 it keeps its 64x64 width.
    small = _paint_events(libmypaint.Surface(64, 64), _fast_stroke_events(1))
    ink = lambda rgba, scale: 1.0 - rgba[..., 0].astype(np.float64).sum() / libmypaint.FIX15_ONE / scale**2 / 4096  # noqa: E731
    large = libmypaint.Surface(256, 256)
    zoomed = _paint_events(large, _fast_stroke_events(4), viewzoom=0.25, radius_log=2.0 + np.log(4))
    unzoomed = _paint_events(large, _fast_stroke_events(4), radius_log=2.0 + np.log(4))
    assert ink(small, 1) > 0.2  # a quarter of the canvas has paint
    assert ink(zoomed, 4) == pytest.approx(ink(small, 1), rel=0.002)
    assert ink(unzoomed, 4) < 0.99 * ink(small, 1)  # thinner: the speed input saw 4x the speed


@pytest.mark.parametrize("zoom", [0, -1.0, float("nan"), float("inf")])
def test_a_zoom_must_be_a_positive_number(zoom):
    with pytest.raises(ValueError, match=r"viewzoom is .*: use a finite number > 0"):
        _paint_events(libmypaint.Surface(8, 8), [(1.0, 1.0, 0.5), (5.0, 5.0, 0.5)], viewzoom=zoom)


def test_a_libmypaint_without_view_zoom_says_what_to_install(monkeypatch):
    monkeypatch.setattr(libmypaint, "has_view_zoom", lambda lib: False)
    surface = libmypaint.Surface(16, 16)
    with pytest.raises(libmypaint.MyPaintNotFoundError, match=r"no view zoom .* zoom 0.5: install libmypaint 1.6"):
        _paint_events(surface, [(1.0, 1.0, 0.5), (5.0, 5.0, 0.5)], viewzoom=0.5)
    assert _paint_events(surface, [(1.0, 1.0, 0.5), (9.0, 9.0, 0.5)]).min() < libmypaint.FIX15_ONE  # zoom 1 still paints
