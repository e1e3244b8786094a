"""Paint one picture with a trained agent and write what a person wants from it.

The agent paints in the dream; its strokes are then painted by real MyPaint, and the outputs
are the real painting (PNG), the painting stroke by stroke (GIF: target | dream | real), the
stroke list in env units (JSON) and an OpenRaster file with the strokes on their own layer.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from painting_dreams.evaluation.figures import stroke_by_stroke_frames
from painting_dreams.files import atomic_set, check_out_dir
from painting_dreams.export.openraster import write_openraster
from painting_dreams.export.svg import strokes_svg
from painting_dreams.paint.actions import ActionLayout
from painting_dreams.paint.replay import play

GIF_SCALE = 4  # 64x64 panels are hard to see: draw each pixel 4x4
GIF_FRAME_MS = 300
GIF_MAX_FRAMES = 100  # longer paintings show every few strokes (gif_strokes)


@dataclass
class Painting:
    """One picture painted by the agent: its actions, and the dream and real canvases after each stroke."""

    target: np.ndarray  # (64, 64, 3) float32 in [0, 1]
    variant: str
    brush: str  # the MyPaint brush that painted it (the painter's)
    actions: np.ndarray  # (S, A) normalised, absolute layout
    dream_steps: np.ndarray  # (S, 64, 64, 3) float32
    real_steps: np.ndarray  # (S, 64, 64, 3) uint8
    real_rgba: np.ndarray  # (size, size, 4) uint8 straight alpha: the strokes alone, on transparent
    mode: dict | None = None  # how the strokes were chosen: closed_loop, refine_steps, refined (won in real MyPaint)
    real_large: np.ndarray | None = None  # (size, size, 3) uint8: real MyPaint's painting at the size asked for

    @property
    def size(self) -> int:
        """The side of the files' canvas: the painting's 64, or the size MyPaint painted it at."""
        return int(self.real_rgba.shape[0])

    @property
    def brush_scale(self) -> float:
        """How many times wider MyPaint's brushes are on the files' canvas than on the 64x64 painting's."""
        return self.size / self.target.shape[0]

    @property
    def real(self) -> np.ndarray:
        """Real MyPaint's final painting at :attr:`size`."""
        return self.real_steps[-1] if self.real_large is None else self.real_large

    @property
    def strokes(self) -> list[dict]:
        """The strokes in the units of the files' canvas (pixels, pressure, MyPaint brush size, RGB): at a
        larger size the points are scaled and the brush size (MyPaint's ``radius_logarithmic``) is the one
        MyPaint painted with, ln(size / 64) larger."""
        return strokes_on_canvas(self.actions, self.variant, self.size, np.full(len(self.actions), self.brush_scale))


def strokes_on_canvas(actions: np.ndarray, variant: str, size: int, brush_scales: np.ndarray,
                      height: int | None = None) -> list[dict]:
    """Absolute-layout ``actions`` ``(n, A)`` as strokes on a ``size`` x ``size`` canvas (``size`` x ``height``
    if given) in pixels, pressure, brush size and RGB, each brush size the one MyPaint painted with:
    ``radius_logarithmic`` + ln(its brush scale)."""
    layout = ActionLayout(variant, absolute=True)
    strokes = []
    for action, scale in zip(actions, brush_scales):
        stroke = layout.decode(np.clip(action, 0, 1), size, size if height is None else height).as_dict()
        strokes.append({**stroke, "size": stroke["size"] + math.log(scale)})
    return strokes


def paint_with_mypaint(actions: np.ndarray, variant: str, brush: str, size: int = 64, made_for: int = 64,
                       final_only: bool = False, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Paint absolute-layout ``actions`` ``(S, A)`` in MyPaint with ``brush``: the canvas on white after every stroke
    ``(S, size, size, 3)`` uint8, and the strokes alone on a transparent layer ``(size, size, 4)`` uint8
    (straight alpha, as PNG layers store it), from the same fresh brush, so with the same dabs. Actions
    ``made_for`` a smaller canvas are painted with brushes ``size / made_for`` times wider. With
    ``final_only`` the canvas is kept after the last stroke only ``(1, size, size, 3)``; ``progress``: a bar of
    the strokes painted and the time left, on stderr."""
    played = play(np.asarray(actions)[None], variant, brush=brush, layer=True, width=size, height=size,
                  brush_scale=size / made_for, final_only=final_only, progress=progress,
                  desc=f"MyPaint at {size}x{size}")
    return played.canvases[0], played.layers[0]


def gif_strokes(strokes: int, frames: int = GIF_MAX_FRAMES) -> np.ndarray:
    """The strokes after which the GIF shows a frame: every one up to ``frames`` strokes, else ``frames``
    evenly spaced ones ending with the last (a 500-stroke GIF stays ~30 s long and its memory bounded)."""
    if strokes <= frames:
        return np.arange(strokes)
    return np.unique(np.round(np.linspace(0, strokes - 1, frames)).astype(int))


def _frames(painting: Painting) -> list[Image.Image]:
    """The GIF's frames: target | dream so far | real so far, after each stroke (of :func:`gif_strokes`),
    as the evaluation draws them."""
    shown = gif_strokes(len(painting.actions))
    frames = stroke_by_stroke_frames(painting.target[None], painting.dream_steps[None, shown],
                                     painting.real_steps[None, shown] / 255.0, images=1, scale=GIF_SCALE, hold_frames=3)
    return [Image.fromarray(frame) for frame in frames]


FILES = "the painting's PNG, GIF, JSON and .ora files"
KINDS = ("png", "gif", "json", "ora", "svg", "mp4")  # the files of a painting's set, <name>.<kind>
VIDEO_FPS = 12


def write_painting(painting: Painting, out_dir: str | Path, name: str, svg: bool = False,
                   source: str | None = None) -> dict[str, Path]:
    """Write ``<name>.png`` (real MyPaint), ``<name>.gif``, ``<name>.json`` and ``<name>.ora`` (and with ``svg``
    ``<name>.svg``) into ``out_dir`` as a set (:func:`write_files`); ``source``: the picture's file name."""
    record = {"variant": painting.variant, "canvas": [painting.size, painting.size], "brush": painting.brush,
              "painted_at": list(painting.target.shape[:2][::-1]), "brush_scale": painting.brush_scale,
              "layout": list(ActionLayout(painting.variant, absolute=True).fields),
              "mode": painting.mode or {"closed_loop": False, "refine_steps": 0, "refined": False},
              "actions": np.round(painting.actions.astype(float), 6).tolist(), "strokes": painting.strokes}
    return write_files(out_dir, name, painting.real, _frames(painting), GIF_FRAME_MS, record, painting.real_rgba, svg,
                       source)


def write_files(out_dir: str | Path, name: str, real: np.ndarray, frames: list[Image.Image], frame_ms: int,
                record: dict, layer: np.ndarray, svg: bool = False, source: str | None = None,
                video: list[np.ndarray] | None = None) -> dict[str, Path]:
    """The paint command's files, as a set: ``<name>.png`` (``real``), ``<name>.gif`` (``frames``),
    ``<name>.json`` (``record``, its ``strokes`` in the canvas's units and the ``brush`` that painted them, and
    ``image``: ``source``, the picture's file name), ``<name>.ora`` (``layer`` over white, the layer named after
    the brush) and with ``svg`` ``<name>.svg``; with ``video`` (frames, uint8 RGB) also ``<name>.mp4`` (H.264, by the
    ffmpeg that imageio-ffmpeg ships). They replace the previous ones only once all are written, and an older
    ``<name>.svg`` or ``<name>.mp4`` goes when the new set has none (a set is the files of one painting); on any
    error (a full disk) the previous ones stay as they were and no temporary file is left."""
    out = check_out_dir(out_dir, FILES)
    extra = (("svg",) if svg else ()) + (("mp4",) if video else ())
    paths = {kind: out / f"{name}.{kind}" for kind in ("png", "gif", "json", "ora") + extra}
    record = {"image": source, **record} if source is not None else record
    remove = [out / f"{name}.{kind}" for kind in ("svg", "mp4") if kind not in extra]
    with atomic_set(paths, remove=remove) as tmp:
        Image.fromarray(real).save(tmp["png"], format="PNG")
        frames[0].save(tmp["gif"], format="GIF", save_all=True, append_images=frames[1:], duration=frame_ms, loop=0)
        tmp["json"].write_text(json.dumps(record, indent=1))
        write_openraster(tmp["ora"], [(f"painting_dreams strokes ({record['brush']})", layer)])
        if svg:
            tmp["svg"].write_text(strokes_svg(record["strokes"], real.shape[1], real.shape[0], record["brush"]))
        if video:
            write_mp4(tmp["mp4"], video)
    return paths


def write_mp4(path: Path, frames: list[np.ndarray], fps: int = VIDEO_FPS) -> None:
    """``frames`` (uint8 RGB, one size) as an H.264 MP4 at ``path``, each side padded with white to an even
    number of pixels (what yuv420p needs), the last frame held a second; encoded by the ffmpeg binary that the
    imageio-ffmpeg package ships."""
    import imageio_ffmpeg

    height, width = frames[0].shape[:2]
    pad = ((0, height % 2), (0, width % 2), (0, 0))
    writer = imageio_ffmpeg.write_frames(str(path), (width + width % 2, height + height % 2), fps=fps,
                                         codec="libx264", quality=7, macro_block_size=1, pix_fmt_out="yuv420p",
                                         ffmpeg_log_level="error", output_params=["-f", "mp4"])  # a temporary name
    writer.send(None)  # start ffmpeg
    try:
        for frame in list(frames) + [frames[-1]] * fps:
            writer.send(np.ascontiguousarray(np.pad(frame, pad, constant_values=255)))
    finally:
        writer.close()


def paint_image(policy, painter, variant: str, target: np.ndarray, strokes: int, refine_steps: int = 0,
                closed_loop: bool = False, learning_rate: float | None = None, fixed_fields: dict | None = None,
                size: int | None = None, progress: bool = False) -> Painting:
    """The agent paints ``target`` ``(64, 64, 3)`` with ``strokes`` strokes, in the dream (or, with
    ``closed_loop``, in real MyPaint seeing its canvas); with ``refine_steps`` K > 0 its strokes are
    then refined for K steps in the dream and the refined ones kept if real MyPaint paints them
    closer to the target (:func:`~painting_dreams.evaluation.paint_and_score.paint_and_score`, as the
    ``evaluate`` command and the evaluation pipeline paint). MyPaint paints the strokes kept, and with
    ``size`` paints them again on a ``size`` x ``size`` canvas, brushes scaled to cover the same share.
    ``progress``: bars of the strokes painted (and refinement steps) with the time left, on stderr."""
    from painting_dreams.evaluation.paint_and_score import paint_and_score  # TensorFlow

    if painter.layout.variant != variant:
        raise ValueError(f"the painter paints the {painter.layout.variant!r} variant, not {variant!r}")
    scored = paint_and_score(policy, painter, target[None], strokes, refine_steps=refine_steps, closed_loop=closed_loop,
                             learning_rate=learning_rate, fixed_fields=fixed_fields, batch_size=1, every_stroke=True,
                             progress=progress)
    actions = scored.actions
    brush = painter.real_brush()
    real_steps, layer = paint_with_mypaint(actions[0], variant, brush, size=target.shape[0])
    mode = {"closed_loop": bool(closed_loop), "refine_steps": int(refine_steps), "refined": bool(scored.scores["refined"][0])}
    large = None
    if size is not None and size != target.shape[0]:
        large_steps, layer = paint_with_mypaint(actions[0], variant, brush, size=size, made_for=target.shape[0],
                                                final_only=True, progress=progress)
        large = large_steps[-1]
    return Painting(target, variant, brush, actions[0], scored.dream_steps[0], real_steps, layer, mode, large)
