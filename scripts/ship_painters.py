"""Copy trained painters into the package (``src/painting_dreams/shipped/``) and write their model cards.

For each name (default: all five) it takes the policy of its source run (``--source
celeba_30=celeba_50`` lets one run's policy paint another name's stroke count), the stroke model of
its world (stored as ``<world>_stroke_model_<first 12 hex of its SHA-256>.keras``, so shipping one painter never
replaces the stroke model another paints with), measures the test MSE of that painter at the name's stroke count on the whole test
split of ``data/03_primary`` (open loop: painted in the dream, replayed in real MyPaint), and writes
the card: world, brush and the SHA-256 of its brush file, dataset and split, image preparation
(the dataset's, from conf's inventory), recipe and parameters, steps, training time and
machine, test MSEs, date, the dataset's licence (the inventory's), the SHA-256 of each file. Models are stored as trained (float32).

``--refine-test NAME=K:N`` measures NAME + K refinement steps (real MyPaint in the loop every 25) on the first N
test images here and puts it on the card as its refined mode (what ``painting-dreams evaluate --refine K --limit N``
paints). Every card also gets its stroke model's fidelity: held-out MSE of the stroke model on its world's
held-out random strokes (up to 300 episodes), and that over a blank prediction's.

``--paint-with NAME=WORLD`` scores the shipped NAME again as it is (its policy, training and card fields as
shipped) painting with WORLD's stroke model instead: a round's (``color_r1``), whose dream is closer to MyPaint on
the strokes painters choose. Its policy then sees that dream's canvases, so its open-loop test MSE is measured
again, as are the refined mode (``--refine-test``) and the fidelity.

``--refine NAME=K`` adds the best mode of the painting-modes comparison to NAME's card: the row
"agent + K refinement steps" of ``data/08_reporting/evaluation/NAME_modes.csv`` (measured by
``kedro run --pipeline evaluation --nodes NAME.compare_modes`` on the first test images; ``painting-dreams
evaluate --refine K --limit N`` paints the same way). ``--modes-only`` updates only that, on the
cards already shipped (no copy, no re-measuring).

    python scripts/ship_painters.py [--names mnist_8,celeba_30] [--source celeba_30=celeba_50] \\
        [--refine kmnist_15=100] [--modes-only] [--paint-with celeba_50=color_r1] [--machine "2-core CPU, one core per run"]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src/painting_dreams/shipped"
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", default="mnist_8,kmnist_15,celeba_15,celeba_30,celeba_50")
    parser.add_argument("--source", action="append", default=[], help="NAME=RUN: NAME paints with RUN's policy")
    parser.add_argument("--machine", default="2 cores (x86-64, AVX-512), no GPU; one core per training run")
    parser.add_argument("--refine", action="append", default=[],
                        help="NAME=K: the card also gets NAME + K refinement steps, from NAME's modes table")
    parser.add_argument("--modes-only", action="store_true", help="only add --refine's modes to the shipped cards")
    parser.add_argument("--images", type=int, default=None, help="score only the first N test images")
    parser.add_argument("--refine-test", action="append", default=[],
                        help="NAME=K:N: measure NAME + K refinement steps on the first N test images for its card")
    parser.add_argument("--paint-with", action="append", default=[], metavar="NAME=WORLD",
                        help="score the shipped NAME again (its policy and training as shipped) painting with WORLD's "
                             "stroke model (a world or a round)")
    args = parser.parse_args()

    import keras

    import painting_dreams.world_model.stroke_model  # noqa: F401
    from painting_dreams.agent.runs import AgentRun
    from painting_dreams.config_loader import InventoryConfigLoader
    from painting_dreams.inventory import world_of
    from painting_dreams.evaluation.paint_and_score import paint_and_score
    from painting_dreams.paint.libmypaint import brush_digest, medium_of
    from painting_dreams.shipped import sha256_of

    sources = dict(s.split("=", 1) for s in args.source)
    refine_steps = {name: int(k) for name, k in (s.split("=", 1) for s in args.refine)}
    refine_tests = {name: tuple(int(v) for v in kn.split(":")) for name, kn in (s.split("=", 1) for s in args.refine_test)}
    paint_with = dict(s.split("=", 1) for s in args.paint_with)
    if set(paint_with) & set(sources):  # --paint-with keeps the shipped policy: another run's cannot come with it
        parser.error(f"--paint-with and --source both name {', '.join(sorted(set(paint_with) & set(sources)))}: "
                     "--paint-with scores the shipped policy, --source ships another run's; give one")
    config = InventoryConfigLoader(str(ROOT / "conf"), base_env="base", default_run_env="local")["parameters"]
    (SHIPPED / "cards").mkdir(parents=True, exist_ok=True)
    if args.modes_only:
        for name, k in refine_steps.items():
            path = SHIPPED / "cards" / f"{name}.json"
            card = json.loads(path.read_text())
            card["test_mse_modes"] = {"refined": refined_mode(name, k)}
            path.write_text(json.dumps(card, indent=1) + "\n")
            print(f"{name}: + {k} refinement steps, real {card['test_mse_modes']['refined']['mse_real_mean']:.4f}")
        return
    for name in args.names.split(","):
        shipped_card = json.loads((SHIPPED / "cards" / f"{name}.json").read_text()) if name in paint_with else None
        source = shipped_card["policy"].removesuffix(".keras") if shipped_card else sources.get(name, name)
        run, painter_run = AgentRun.named(config, name), AgentRun.named(config, source)  # the name's, the policy's
        if shipped_card:  # the shipped policy, painting in another stroke model's dream
            painter_run = painter_run.with_overrides({"world": paint_with[name]})
        dataset, variant, strokes, params = run.dataset, run.variant, run.strokes, painter_run.params
        world = painter_run.world  # the policy's: a world, or a round whose stroke model it trained with
        if not shipped_card:
            earlier = earlier_training(name, source, params.get("init_policy"))
            history = pd.read_csv(ROOT / f"data/07_model_output/agent/{source}_history.csv")
            shutil.copy2(ROOT / painter_run.run_dir / "policy.keras", SHIPPED / f"{source}.keras")
        trained = ROOT / f"data/06_models/{world}_stroke_model.keras"
        if not trained.is_file():
            raise SystemExit(f"{name}: {trained} is missing: train {world}'s stroke model first (kedro run --pipeline "
                             f"stroke_model --namespaces {world}, or --pipeline rounds for a round)")
        stroke_model = f"{world}_stroke_model_{sha256_of(trained)[:12]}.keras"  # by content: never replaces another's
        shutil.copy2(trained, SHIPPED / stroke_model)

        policy = keras.models.load_model(SHIPPED / f"{source}.keras", safe_mode=True)
        painter = painter_run.dream_painter(keras.models.load_model(SHIPPED / stroke_model, safe_mode=True))
        test = np.load(ROOT / f"data/03_primary/{dataset}_targets.npz")["test"][: args.images]
        test = test.astype(np.float32) / 255.0 if test.dtype == np.uint8 else test.astype(np.float32)
        started = time.perf_counter()
        scored = paint_and_score(policy, painter, test, strokes, fixed_fields=painter_run.fixed_fields)
        scores = scored.scores
        modes = {"refined": refined_mode(name, refine_steps[name])} if name in refine_steps else {}
        if name in refine_tests:
            k, n = refine_tests[name]
            modes = {"refined": refined_here(policy, painter, test[:n], strokes, k, painter_run.fixed_fields,
                                             float(scores["mse_target_real"][:n].mean()))}
        if shipped_card:  # as shipped: what its policy was trained with, for how long, on which machine
            training = {key: shipped_card[key] for key in TRAINING_KEYS if key in shipped_card}
            trained_in = shipped_card.get("policy_trained_in") or shipped_card.get("stroke_model_round", shipped_card["world"])
            training |= {"policy_trained_in": trained_in} if trained_in != world else {}  # the dream it learnt in
        else:
            training = {
                "recipe": params.get("recipe") or "defaults (see conf/base/parameters_agent.yml)",
                "policy_parameters": params["policy"],
                "training_parameters": {**params["training"], "steps": int(history["step"].max())},  # steps trained
                "steps": int(history["step"].max()),
                "training_minutes": round(float(history["seconds"].sum()) / 60, 1),
                # a policy fine-tuned from a shipped painter: that painter's training before, and the sum
                **({"fine_tuned_from": earlier,
                    "training_minutes_total": round(earlier["training_minutes"] + float(history["seconds"].sum()) / 60, 1)}
                   if earlier else {}),
                "machine": args.machine,
            }
        card = {
            "name": name, "strokes": strokes, "variant": variant, "world": world_of(world, config), "brush": run.brush,
            **({"stroke_model_round": world} if world != world_of(world, config) else {}),  # paints in a round's dream
            "brush_sha256": brush_digest(run.brush),
            "policy": f"{source}.keras", "stroke_model": stroke_model,
            "compositor": params["compositor"], "discrete_actions": params["discrete_actions"],
            "fixed_fields": params["fixed_fields"],
            "trained_as": source if source == name else f"{source} (its first {strokes} strokes)",
            "dataset": dataset,
            "targets": run.preparation,  # how evaluate and paint prepare images
            "split": f"trained on the development copy's train split ({dataset}), scored on its test split "
                     f"({len(test)} images)",
            **training,
            "test_mse": {"real": round(float(scores["mse_target_real"].mean()), 5),
                         "real_std": round(float(scores["mse_target_real"].std(ddof=0)), 5),
                         "dream": round(float(scores["mse_target_dream"].mean()), 5),
                         "dream_real": round(float(scores["mse_dream_real"].mean()), 5),
                         "exploited": int(scores["exploited"].sum()), "images": len(test), "mode": "open loop"},
            "test_mse_modes": modes,  # the best mode with refinement, on the first test images
            "medium": medium_of(run.brush),
            "init_policy": params.get("init_policy"),  # the policy it was fine-tuned from (null: from scratch)
            "stroke_model_fidelity": stroke_model_fidelity(world_of(world, config), SHIPPED / stroke_model),
            "date": datetime.date.today().isoformat(),
            "licence": config["datasets"][dataset]["licence"],
            "files_sha256": {file: sha256_of(SHIPPED / file) for file in (f"{source}.keras", stroke_model)},
        }
        (SHIPPED / "cards" / f"{name}.json").write_text(json.dumps(card, indent=1) + "\n")
        print(f"{name}: {source}.keras, {strokes} strokes, real {card['test_mse']['real']:.4f}, dream "
              f"{card['test_mse']['dream']:.4f}" + "".join(f", {m['mode']}: real {m['mse_real_mean']:.4f}" for m in modes.values())
              + f" on {len(test)} test images ({time.perf_counter() - started:.0f} s)")
    remove_unused_models()


TRAINING_KEYS = ("recipe", "policy_parameters", "training_parameters", "steps", "training_minutes", "fine_tuned_from",
                 "training_minutes_total", "machine")  # a card's account of its policy's training


def remove_unused_models() -> None:
    """Delete the shipped .keras files no card names any more (a painter shipped again from another run)."""
    used = set()
    for path in (SHIPPED / "cards").glob("*.json"):
        card = json.loads(path.read_text())
        used |= {card["policy"], card["stroke_model"]}
    for path in SHIPPED.glob("*.keras"):
        if path.name not in used:
            path.unlink()
            print(f"removed {path.name}: no card paints with it")


def earlier_training(name: str, source: str, init_policy: str | None) -> dict | None:
    """What the shipped painter ``init_policy`` had been trained for before ``source`` went on from it (read from
    its card before it is replaced; kept from ``name``'s card when ``source`` ships again), or None."""
    card_path = SHIPPED / "cards" / f"{name}.json"
    if card_path.is_file():
        card = json.loads(card_path.read_text())
        if card.get("policy") == f"{source}.keras" and "fine_tuned_from" in card:
            return card["fine_tuned_from"]
    init_card = SHIPPED / "cards" / f"{init_policy}.json"
    if not init_policy or not init_card.is_file():
        return None
    card = json.loads(init_card.read_text())
    if card.get("policy") == f"{source}.keras" and "fine_tuned_from" in card:  # shipped from source already
        return card["fine_tuned_from"]
    if "fine_tuned_from" in card:  # media runs are fine-tuned already: count from the start
        minutes = card["training_minutes_total"]
    else:
        minutes = card["training_minutes"]
    return {"painter": init_policy, "policy": card["policy"], "steps": card["steps"], "training_minutes": minutes}


def refined_here(policy, painter, targets, strokes: int, k: int, fixed_fields: dict, open_loop: float) -> dict:
    """NAME + K refinement steps measured here on ``targets`` (the first test images), as a card entry."""
    from painting_dreams.evaluation.paint_and_score import paint_and_score

    started = time.perf_counter()
    summary = paint_and_score(policy, painter, targets, strokes, refine_steps=k, fixed_fields=fixed_fields).summary()
    return {"mode": f"open loop + {k} refinement steps, real MyPaint every 25 (evaluate --refine {k})",
            "refine_steps": k, "images": summary["images"], "mse_real_mean": round(summary["mse_real_mean"], 5),
            "mse_real_std": round(summary["mse_real_std"], 5), "mse_dream_mean": round(summary["mse_dream_mean"], 5),
            "mse_dream_real_mean": round(summary["mse_dream_real_mean"], 5), "refined_wins": summary["refined_wins"],
            "seconds_per_image": round((time.perf_counter() - started) / summary["images"], 2),
            "open_loop_on_these_images": round(open_loop, 5),
            "measured_by": f"scripts/ship_painters.py --refine-test (first {summary['images']} test images, "
                           f"{cores_used()})"}


def cores_used() -> str:
    """The cores this process may run on, in words (as cards say where a time was measured)."""
    mine, total = len(os.sched_getaffinity(0)), os.cpu_count() or 1
    return f"{'one core' if mine == 1 else f'{mine} cores'} of this {total}-core CPU"


def stroke_model_fidelity(world: str, model_path: Path, max_episodes: int = 300) -> dict:
    """The stroke model's held-out MSE on its world's held-out random strokes, and its ratio to a blank prediction."""
    import keras

    from painting_dreams.datasets.episodes_dataset import EpisodesDataset
    from painting_dreams.episodes.split import saved_split
    from painting_dreams.evaluation.world_models import evaluate_painter
    from painting_dreams.world_model.stroke_renderers import StrokeModelPainter

    folder = ROOT / f"data/02_intermediate/episodes/{world}"
    episodes = EpisodesDataset(filepath=str(folder / "stroke")).load()
    split = saved_split(json.loads((folder / "split.json").read_text()), len(episodes), "stroke",
                        max_held_out=max_episodes)
    e = episodes.arrays(["strokes", "actions", "start", "painted"], episodes=split.held_out)
    model = keras.models.load_model(model_path, compile=False, safe_mode=True)
    scores = evaluate_painter(StrokeModelPainter(model), e["strokes"], e["actions"], e["start"], e["painted"],
                              episodes.manifest["variant"])
    return {"held_out_episodes": len(e["actions"]), **{k: round(float(v), 5) for k, v in scores.items()}}


def refined_mode(name: str, k: int) -> dict:
    """The "agent + K refinement steps" row of NAME's painting-modes table, as a card entry."""
    table = pd.read_csv(ROOT / f"data/08_reporting/evaluation/{name}_modes.csv")
    row = table[(table["mode"] == "refine") & (table["refine_steps"] == k)]
    if len(row) != 1:
        raise SystemExit(f"{name}'s modes table has no row 'refine' with K = {k}: it has "
                         f"{sorted(table.loc[table['mode'] == 'refine', 'refine_steps'])}")
    row = row.iloc[0]
    return {"mode": f"open loop + {k} refinement steps, real MyPaint every 25 (evaluate --refine {k})",
            "refine_steps": k, "images": int(row["images"]), "mse_real_mean": round(float(row["mse_real_mean"]), 5),
            "mse_real_std": round(float(row["mse_real_std"]), 5), "mse_dream_mean": round(float(row["mse_dream_mean"]), 5),
            "mse_dream_real_mean": round(float(row["mse_dream_real_mean"]), 5),
            "refined_wins": int(row["refined_wins"]), "seconds_per_image": round(float(row["seconds_per_image"]), 2),
            "open_loop_on_these_images": round(float(table.loc[table["mode"] == "open_loop", "mse_real_mean"].iloc[0]), 5),
            "measured_by": f"kedro run --pipeline evaluation --nodes {name}.compare_modes (first {int(row['images'])} "
                           "test images, one core of this 2-core CPU)"}


if __name__ == "__main__":
    main()
