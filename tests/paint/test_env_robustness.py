"""The env never crashes the process: closed envs, shared threads, impossible sizes (issue 14, items 1-3).

Each case runs in a subprocess, so a C-level crash shows up as its return code, not as a dead test run.
"""

import subprocess
import sys
import textwrap


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)


def test_stepping_or_resetting_a_closed_env_raises_a_clear_error():
    result = _run("""
        import numpy as np
        from painting_dreams.paint import MyPaintEnv
        env = MyPaintEnv(variant="color")
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
        env = MyPaintEnv(variant="color", absolute=True, max_steps=10**6)
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
                MyPaintEnv(**kwargs)
                print("accepted", kwargs)
            except ValueError as exc:
                print("refused:", exc)
        env = MyPaintEnv(width=8192, height=1)  # the largest side is allowed
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
