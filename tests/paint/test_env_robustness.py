"""The env and its binding never crash the process: closed envs, brushes and surfaces, shared threads, impossible sizes.

Each case runs in a subprocess, so a C-level crash shows up as its return code, not as a dead test run.
"""

import subprocess
import sys
import textwrap

from tests.conftest import BRUSH


def _run(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python, with ``BRUSH`` (the tests' MyPaint brush) defined."""
    code = f"BRUSH = {BRUSH!r}\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_stepping_or_resetting_a_closed_env_raises_a_clear_error():
    result = _run("""
        import numpy as np
        from painting_dreams.paint import MyPaintEnv
        env = MyPaintEnv(variant="color", brush=BRUSH)
        env.reset(seed=0)
        env.close()
        env.close()  # twice is harmless
        for call in (lambda: env.step(np.full(env.layout.size, 0.5, np.float32)), lambda: env.reset(seed=1)):
            try:
                call()
            except RuntimeError as exc:
                print("refused:", exc)
    """)
    assert result.returncode == 0, result.stderr  # it was 139 (segfault)
    assert result.stdout.count("refused: this MyPaint canvas was closed: create a new one") == 2


def test_one_env_stepped_from_two_threads_paints_every_stroke_without_crashing():
    result = _run("""
        import threading
        import numpy as np
        from painting_dreams.paint import MyPaintEnv
        env = MyPaintEnv(variant="color", absolute=True, max_steps=10**6, brush=BRUSH)
        env.reset(seed=0)
        rng = np.random.default_rng(0)
        actions = rng.random((2, 300, env.layout.size)).astype(np.float32)
        errors = []
        def work(i):
            try:
                for a in actions[i]:
                    env.step(a)
            except Exception as exc:
                errors.append(exc)
        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print("steps", env._steps, "errors", errors)
        env.close()
    """)
    assert result.returncode == 0, result.stderr  # it was 139 or "double free or corruption" (134)
    assert "steps 600 errors []" in result.stdout


def test_impossible_sizes_and_brush_settings_are_refused_before_libmypaint_sees_them():
    result = _run("""
        from painting_dreams.paint import MyPaintEnv
        cases = [dict(width=70000, height=70000), dict(width=2147483647, height=1), dict(width=2.7),
                 dict(width="64"), dict(height=True), dict(width=0), dict(samples=0), dict(dtime=0.0),
                 dict(dtime=float("nan")), dict(dtime=-1)]
        for kwargs in cases:
            try:
                MyPaintEnv(**kwargs, brush=BRUSH)
                print("accepted", kwargs)
            except ValueError as exc:
                print("refused:", exc)
        env = MyPaintEnv(width=8192, height=1, brush=BRUSH)  # the largest side is allowed
        env.close()
        print("done")
    """)
    assert result.returncode == 0, result.stderr  # 70000x70000 was 134 (a libmypaint assertion)
    assert "accepted" not in result.stdout and result.stdout.rstrip().endswith("done")
    lines = result.stdout.splitlines()
    assert "canvas width is 70000: it must be 1 to 8192 pixels" in lines[0]
    assert "canvas width is 2147483647" in lines[1]
    assert "canvas width is 2.7 (float): give a whole number of pixels, 1 to 8192" in lines[2]
    assert "canvas width is '64' (str)" in lines[3] and "canvas height is True (bool)" in lines[4]
    assert "canvas width is 0" in lines[5] and "samples is 0" in lines[6]
    assert all("dtime is" in line for line in lines[7:10])
    assert "AttributeError" not in result.stderr and "Exception ignored" not in result.stderr


def test_a_closed_brush_or_surface_of_the_binding_raises_instead_of_crashing():
    result = _run("""
        from painting_dreams.paint.libmypaint import Brush, Surface
        brush, surface = Brush.from_name(BRUSH), Surface(64, 64)
        surface.clear()
        surface.stroke(brush, [(10.0, 10.0, 0.8), (40.0, 40.0, 0.8)], 0.1)
        assert surface.pixels().min() < 1 << 15  # painted while open
        other = Brush.from_name(BRUSH)
        other.close()
        calls = {"stroke with a closed brush": lambda: surface.stroke(other, [(1.0, 1.0, 0.5)], 0.1),
                 "set_base_value": lambda: other.set_base_value("radius_logarithmic", 1.0),
                 "begin_stroke": other.begin_stroke}
        surface.close()
        calls.update({"stroke on a closed surface": lambda: surface.stroke(brush, [(1.0, 1.0, 0.5)], 0.1),
                      "pixels": surface.pixels, "clear": surface.clear})
        for name, call in calls.items():
            try:
                call()
                print(name, "returned")
            except RuntimeError as exc:
                print(name, "->", exc)
    """)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])  # was 139 (a segfault)
    assert result.stdout.splitlines() == [
        "stroke with a closed brush -> this brush is closed: make a new one (Brush.from_name or brush.fresh())",
        "set_base_value -> this brush is closed: make a new one (Brush.from_name or brush.fresh())",
        "begin_stroke -> this brush is closed: make a new one (Brush.from_name or brush.fresh())",
        "stroke on a closed surface -> this 64x64 surface is closed: make a new Surface",
        "pixels -> this 64x64 surface is closed: make a new Surface",
        "clear -> this 64x64 surface is closed: make a new Surface"]


def test_max_steps_must_be_a_whole_number_and_an_env_pickles_as_its_arguments():
    import pickle

    import numpy as np
    import pytest

    from painting_dreams.paint import MyPaintEnv

    for value in ("5", float("nan"), 2.5, True, 0):
        with pytest.raises(ValueError, match=rf"max_steps is {value!r} \({type(value).__name__}\): give a whole number"):
            MyPaintEnv(max_steps=value, brush=BRUSH)
    env = MyPaintEnv(variant="color", width=32, height=48, max_steps=3, absolute=True, brush=BRUSH)
    action = np.array([0.1, 0.2, 0.9, 0.8, 0.5, 0.1, 0.7, 0.6, 0.9, 0.2, 0.3], np.float32)
    env.reset(seed=0)
    painted = env.step(action)[0]["canvas"]
    copy = pickle.loads(pickle.dumps(env))  # e.g. to a spawned process
    assert (copy.width, copy.height, copy.max_steps, copy.layout.absolute) == (32, 48, 3, True)
    copy.reset(seed=0)
    np.testing.assert_array_equal(copy.step(action)[0]["canvas"], painted)  # a new env, painting the same pixels
    env.close()
    copy.close()
