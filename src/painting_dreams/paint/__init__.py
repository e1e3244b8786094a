"""The real painting program: MyPaint's brush engine through ``ctypes``, as a gymnasium env.

* :mod:`~painting_dreams.paint.libmypaint`: the ``ctypes`` binding (brush, surface, pixels).
* :mod:`~painting_dreams.paint.strokes`: a stroke's curve and pressure ramp (also used by the stroke model).
* :mod:`~painting_dreams.paint.actions`: the action layouts of the two variants, decoded into strokes.
* :mod:`~painting_dreams.paint.mypaint_canvas`: :class:`MyPaintPainter`, the only code that calls
  libmypaint's stroke functions.
* :mod:`~painting_dreams.paint.env`: :class:`MyPaintEnv`, where an action becomes a stroke.
* :mod:`~painting_dreams.paint.replay`: arrays of actions played through the env: the one door
  every other package paints in real MyPaint through.
"""

from gymnasium.envs.registration import register, registry

from painting_dreams.paint.actions import ActionLayout, Stroke
from painting_dreams.paint.env import MyPaintEnv
from painting_dreams.paint.libmypaint import MyPaintNotFoundError
from painting_dreams.paint.mypaint_canvas import MyPaintPainter

ENV_ID = "painting_dreams/MyPaint-v0"

if ENV_ID not in registry:
    register(id=ENV_ID, entry_point="painting_dreams.paint.env:MyPaintEnv", max_episode_steps=None)

__all__ = ["ENV_ID", "ActionLayout", "MyPaintEnv", "MyPaintNotFoundError", "MyPaintPainter", "Stroke"]
