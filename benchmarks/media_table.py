"""Which MyPaint brushes make good media: a world model per brush, measured on the same random strokes.

For each brush of a shortlist (``--brushes``; default the twelve below), in one process on one core:

1. random colour **stroke episodes** painted by the real MyPaint with that brush (the stroke model's
   training data; the last tenth held out) and random **canvas episodes** (10 strokes accumulating
   on white, as the blending calibration uses);
2. a **stroke model** trained on the training strokes with conf/base's recipe (fewer passes:
   ``--epochs``), scored on the held-out strokes: MSE and MSE / blank (a blank prediction scores 1);
3. the **blending calibration**: MyPaint's own single strokes of each canvas episode composited with
   alpha-over against MyPaint's own multi-stroke canvas (how far the world model's picture of a
   canvas *can* be right), and the stroke model's strokes composited the same way (what the agent's
   dream costs);
4. what kind of brush it is, from its .myb settings: opaque / translucent (``opaque``), textured
   (random dab offsets or radii), elongated (elliptical dabs), canvas-dependent (``smudge``: the
   brush picks up the paint beneath);
5. wall seconds of each part, and a picture: per brush, three MyPaint canvases and the stroke
   model's alpha-over dream of the same actions.

Writes ``<out>/media_table.csv``, ``<out>/media_table.json`` and ``<out>/media_strokes.png``
(default out: data/08_reporting/media) and prints the table ranked by the dream's canvas MSE.

    .venv/bin/python benchmarks/media_table.py                                   # ~35 min on one core
    .venv/bin/python benchmarks/media_table.py --brushes classic/pen classic/charcoal --episodes 200
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

SHORTLIST = ("classic/dry_brush", "classic/charcoal", "deevad/2B_pencil", "classic/pen", "classic/ink_blot",
             "classic/puantilism", "classic/impressionism", "deevad/watercolor_glazing", "deevad/chalk",
             "classic/calligraphy", "classic/smudge", "classic/pencil")
RECIPE = {"batch_size": 64, "learning_rate": 3.0e-3, "architecture": "curve_mlp", "curve_points": 17,
          "brush_units": 64, "pixel_units": 16, "alpha_weight": 0.0, "validation_fraction": 0.0,
          "log_every_steps": 100, "seed": 0}  # conf/base/parameters_stroke_model.yml's training block


def brush_kind(brush: str) -> dict:
    """The brush's kind from its .myb settings: base values, and whether an input drives the setting."""
    from painting_dreams.paint.libmypaint import find_brush

    settings = json.loads(Path(find_brush(brush)).read_text())["settings"]

    def base(name: str) -> float:
        return float(settings.get(name, {}).get("base_value", 0.0))

    def driven(name: str) -> bool:
        return bool(settings.get(name, {}).get("inputs"))

    tags = ["opaque" if base("opaque") >= 0.6 else "translucent"]
    if base("offset_by_random") >= 0.4 or base("radius_by_random") >= 0.4:
        tags.append("textured")
    if base("elliptical_dab_ratio") >= 2.0 or driven("elliptical_dab_ratio"):
        tags.append("elongated")
    if base("smudge") > 0.0 or driven("smudge"):
        tags.append("canvas-dependent")
    return {"kind": ", ".join(tags), "opaque": round(base("opaque"), 2), "smudge": round(base("smudge"), 2),
            "offset_by_random": round(base("offset_by_random"), 2)}


def episodes(brush: str, stroke_mode: bool, count: int, steps: int, seed: int) -> dict[str, np.ndarray]:
    from painting_dreams.episodes import EpisodeSpec, EpisodeStream

    stream = EpisodeStream(EpisodeSpec("color", stroke_mode=stroke_mode, steps=steps, brush=brush), episodes=count,
                           seed=seed, chunk_size=max(1, count), workers=1, progress=False)
    chunks = list(stream)
    return {key: np.concatenate([c[key] for c in chunks]) for key in chunks[0]}


def measure(brush: str, args) -> tuple[dict, np.ndarray, np.ndarray]:
    from painting_dreams.evaluation.blending import blending_errors, composite_episodes, paint_episode_strokes
    from painting_dreams.evaluation.world_models import evaluate_painter
    from painting_dreams.paint.libmypaint import brush_digest
    from painting_dreams.paint.replay import play
    from painting_dreams.world_model.stroke_renderers import StrokeModelPainter
    from painting_dreams.world_model.training import train_stroke_model

    row: dict = {"brush": brush, **brush_kind(brush)}
    started = time.perf_counter()
    strokes = episodes(brush, True, args.episodes, 20, seed=1)
    canvas = episodes(brush, False, args.canvas_episodes, 10, seed=2)
    row["episodes_s"] = time.perf_counter() - started

    held = max(1, args.episodes // 10)
    train = {k: v[:-held] for k, v in strokes.items()}
    test = {k: v[-held:] for k, v in strokes.items()}
    started = time.perf_counter()
    model, history = train_stroke_model(
        train["strokes"], train["actions"], train["start"], train["painted"],
        {**RECIPE, "epochs": args.epochs, "variant": "color", "brush": brush, "brush_sha256": brush_digest(brush)},
        progress=False)
    row["train_s"] = time.perf_counter() - started
    painter = StrokeModelPainter(model)
    score = evaluate_painter(painter, test["strokes"], test["actions"], test["start"], test["painted"], "color")
    row.update(stroke_mse=score["mse"], blank_mse=score["blank_mse"], stroke_ratio=score["ratio"],
               held_out_strokes=int(score["strokes"]))

    # MyPaint's own single strokes of each canvas episode (stroke-mode replay), composited with alpha-over
    single = play(canvas["actions"], "color", absolute=False, stroke_mode=True, brush=brush).strokes
    over = composite_episodes(single, canvas["actions"], "color", "alpha_over")
    real = blending_errors(over, canvas["canvases"])
    dreamt_strokes = paint_episode_strokes(painter, canvas["actions"], canvas["start"], canvas["painted"], "color")
    dream = composite_episodes(dreamt_strokes, canvas["actions"], "color", "alpha_over")
    dreamt = blending_errors(dream, canvas["canvases"])
    white = blending_errors(np.ones_like(over), canvas["canvases"])
    row.update(alpha_over_mse=real["final_mse"], alpha_over_max=real["max_error"], dream_canvas_mse=dreamt["final_mse"],
               white_canvas_mse=white["final_mse"], dream_canvas_ratio=dreamt["final_mse"] / white["final_mse"] if white["final_mse"] > 0 else float("nan"),
               paints_on_white=bool(score["blank_mse"] > 0))
    row["total_s"] = row["episodes_s"] + row["train_s"] + (time.perf_counter() - started)
    real_canvases = np.asarray(canvas["canvases"][:3, -1], np.float32)
    real_canvases = real_canvases / 255.0 if canvas["canvases"].dtype == np.uint8 else real_canvases
    return row, real_canvases, dream[:3, -1]


def figure(rows: list[dict], pictures: list[tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.4, 0.95 * len(rows) + 0.6), layout="constrained")
    axes = np.asarray(fig.subplots(len(rows), 6, squeeze=False))
    for ax_row, row, (real, dream) in zip(axes, rows, pictures):
        for ax, image in zip(ax_row, [*real, *dream]):
            ax.imshow(np.clip(image, 0, 1), interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
        ax_row[0].set_ylabel(row["brush"].replace("/", "/\n"), rotation=0, ha="right", va="center", fontsize=7)
        ax_row[3].set_title(f"dream {row['dream_canvas_mse']:.4f}", fontsize=6, pad=2)
        ax_row[0].set_title(f"alpha-over {row['alpha_over_mse']:.4f}", fontsize=6, pad=2)
    fig.suptitle("10 random strokes: MyPaint (left three) and the stroke model's alpha-over dream (right three)",
                 fontsize=8)
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brushes", nargs="+", default=list(SHORTLIST), help="MyPaint brushes or .myb paths")
    parser.add_argument("--episodes", type=int, default=600, help="20-stroke episodes per brush (default 600)")
    parser.add_argument("--canvas-episodes", type=int, default=200, help="10-stroke canvas episodes (default 200)")
    parser.add_argument("--epochs", type=int, default=4, help="passes of the stroke model over its strokes")
    parser.add_argument("--out", type=Path, default=Path("data/08_reporting/media"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{len(args.brushes)} brushes, {args.episodes} stroke episodes x 20 and {args.canvas_episodes} canvas "
          f"episodes x 10 each, {args.epochs} epochs; load average {os.getloadavg()[0]:.2f}", flush=True)

    rows, pictures, began = [], [], time.perf_counter()
    for i, brush in enumerate(args.brushes, 1):
        row, real, dream = measure(brush, args)
        rows.append(row)
        pictures.append((real, dream))
        elapsed = time.perf_counter() - began
        if not row["paints_on_white"]:
            print(f"[{i}/{len(args.brushes)}] {brush}: paints nothing on a white canvas (every held-out stroke is "
                  f"blank: it moves paint that is already there); no stroke-by-stroke world model describes it",
                  flush=True)
        print(f"[{i}/{len(args.brushes)}] {brush}: stroke MSE/blank {row['stroke_ratio']:.3f}, alpha-over "
              f"{row['alpha_over_mse']:.5f}, dream canvas {row['dream_canvas_mse']:.5f} ({row['total_s']:.0f} s; "
              f"ETA {elapsed / i * (len(args.brushes) - i) / 60:.0f} min)", flush=True)
        (args.out / "media_table.json").write_text(json.dumps(rows, indent=1))

    import pandas as pd

    table = pd.DataFrame(rows).sort_values("dream_canvas_mse")
    table.to_csv(args.out / "media_table.csv", index=False)
    figure(rows, pictures, args.out / "media_strokes.png")
    columns = ["brush", "kind", "stroke_ratio", "stroke_mse", "alpha_over_mse", "alpha_over_max", "dream_canvas_mse",
               "white_canvas_mse", "dream_canvas_ratio", "total_s"]
    print(table[columns].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {args.out}/media_table.csv, media_table.json, media_strokes.png; load average "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
