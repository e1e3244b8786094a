"""One photo painted at every detail level (or in every medium), side by side: the pictures for the README.

Paints PHOTO (long side ``--size``) with the shipped painter at ``--details`` 1 … 4 (coarse to fine, as
``painting-dreams paint`` does, in one process) and writes a row: the photo, then each painting, the MSE,
strokes and seconds printed under each. With ``--media`` the row is one painting per medium, at the first
of ``--details``.

    .venv/bin/python scripts/photo_picture.py samples/photos/coffee.webp docs/photo_details.png
    .venv/bin/python scripts/photo_picture.py samples/photos/coffee.webp docs/photo_media.png --details 3 \
        --media dry_brush pen charcoal
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("photo", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--details", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--agent", default=None, help="a shipped painter (default: paint's photo painter)")
    parser.add_argument("--medium", default=None, help="or a medium, as `paint --medium`")
    parser.add_argument("--media", nargs="+", default=None, help="one panel per medium (30 strokes a tile: the 50-stroke painters' first 30)")
    parser.add_argument("--panel", type=int, default=300, help="each panel's long side in the picture")
    args = parser.parse_args()

    from painting_dreams.commands import PHOTO_PAINTER, find_agent
    from painting_dreams.export.photo import mosaic, paint_photo
    from painting_dreams.targets.user_image import load_user_image

    target = load_user_image(args.photo, args.size, square=False)
    height, width = target.shape[:2]
    scale = args.panel / max(width, height)
    size = (round(width * scale), round(height * scale))
    panels = [(np.round(target * 255).astype(np.uint8), f"{args.photo.name} {width}x{height}",
               f"32-cell mosaic {np.mean((mosaic(target, 32) - target) ** 2):.4f}")]
    if args.media:
        settings = [(find_agent(None, 30, "base", True, medium), 30, args.details[0]) for medium in args.media]
    else:
        agent = find_agent(args.agent or (None if args.medium else PHOTO_PAINTER), None, "base", True, args.medium)
        settings = [(agent, agent.strokes, detail) for detail in args.details]
    for agent, strokes, detail in settings:
        started = time.perf_counter()
        painting = paint_photo(agent.policy, agent.painter, target, strokes, detail, fixed_fields=agent.fixed_fields)
        seconds = time.perf_counter() - started
        print(f"{agent.name} ({agent.painter.real_brush()}) --detail {detail}: MSE {painting.mse:.4f}, "
              f"{painting.strokes} strokes, {seconds:.1f} s", flush=True)
        title = f"{agent.painter.real_brush()}" if args.media else f"{agent.name} --detail {detail}"
        panels.append((painting.canvas, title, f"MSE {painting.mse:.4f}, {painting.strokes} strokes, {seconds:.0f} s"))
    gap, text = 6, 34
    sheet = Image.new("RGB", (len(panels) * (size[0] + gap) + gap, size[1] + text + 2 * gap), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (image, title, line) in enumerate(panels):
        x = gap + i * (size[0] + gap)
        sheet.paste(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS), (x, gap))
        draw.text((x, size[1] + gap + 3), title, fill="black")
        draw.text((x, size[1] + gap + 17), line, fill="black")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
