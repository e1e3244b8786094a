"""The real painting environment: MyPaint's brush engine through ``ctypes``, as a gymnasium env."""

from gymnasium.envs.registration import register, registry

from painting_dreams.paint.actions import ActionLayout, Stroke
from painting_dreams.paint.env import MyPaintEnv
from painting_dreams.paint.libmypaint import MyPaintNotFoundError
from painting_dreams.paint.painter import MyPaintPainter

ENV_ID = "painting_dreams/MyPaint-v0"

if ENV_ID not in registry:
    register(id=ENV_ID, entry_point="painting_dreams.paint.env:MyPaintEnv", max_episode_steps=None)

__all__ = ["ENV_ID", "ActionLayout", "MyPaintEnv", "MyPaintNotFoundError", "MyPaintPainter", "Stroke"]
