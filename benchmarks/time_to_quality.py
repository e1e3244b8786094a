"""Time to quality: test dream MSE against CPU minutes, old recipe against new, trained from scratch.

For one agent run (default ``celeba_15``) it trains a fresh policy with each recipe for the same
CPU budget and measures the test dream MSE (and the train MSE, to see over-fitting) every few CPU
minutes, the measuring not counted. The recipes are the run's parameters of ``conf/<env>``:
``new`` is ``agent.defaults`` (what the pipelines train with), ``old`` is the recipe named by
``--old`` in ``agent.defaults.recipes`` (``seed``: SPIRAL's policy, WGAN-GP + L2, one stroke per
policy step, as this project trained before). It prints the MSE of both at every mark and the
ratio new / old at equal CPU minutes, and draws the curves (PNG).

By default the two recipes train side by side, each pinned to its own core with one TensorFlow
thread, so they see the same machine at the same time (``--sequential``: one after the other,
with every core each). Budgets are CPU seconds of the training process (all its threads).

    python benchmarks/time_to_quality.py [--run celeba_15] [--minutes 20] [--every 2] [--env base]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")

PROJECT = Path(__file__).resolve().parents[1]


class BudgetSpent(Exception):
    """Raised from the step callback when the CPU budget is used up."""


def load_run(env: str, run: str, recipe: str | None, overrides: dict | None = None):
    """(agent run, targets, stroke model) of ``run`` with ``recipe`` (None: the defaults) and ``overrides``
    (nested blocks merged key by key), through the Kedro catalog."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    from painting_dreams.agent.runs import AgentRun

    bootstrap_project(PROJECT)
    with KedroSession.create(project_path=PROJECT, env=None if env == "base" else env) as session:
        context = session.load_context()
        params = context.params
        if run not in params["runs"]:
            raise SystemExit(f"unknown run {run!r}: choose one of {', '.join(params['runs'])}")
        agent_run = AgentRun.from_params(params["agent"]["defaults"], {**params["runs"][run], "recipe": recipe})
        agent_run = agent_run.with_overrides(overrides or {})
        dataset, world = agent_run.dataset, agent_run.world
        try:
            targets = context.catalog.load(f"{dataset}.targets")
            stroke_model = context.catalog.load(f"{world}.stroke_model")
        except Exception as error:  # a missing file: say which pipelines make it
            raise SystemExit(f"{run} needs {dataset}.targets and {world}.stroke_model ({error}); make them first: "
                             f"kedro run --pipeline data_prep --namespaces {dataset}, then kedro run --pipeline "
                             f"episodes --namespaces {world} and --pipeline stroke_model --namespaces {world}")
    return agent_run, targets, stroke_model


def train_child(args) -> None:
    """Train one recipe for ``args.minutes`` CPU minutes; one JSON line per measuring mark on stdout."""
    import tensorflow as tf

    if args.core is not None:
        os.sched_setaffinity(0, {args.core})
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    import numpy as np

    from painting_dreams.agent import DreamTrainer, TrainingConfig, build_critic, build_policy, dream_mse

    base, _, _ = args.recipe_spec.partition(":")
    overrides = json.loads(args.recipe_spec.split(":", 1)[1]) if ":" in args.recipe_spec else {}
    run, targets, stroke_model = load_run(args.env, args.run, None if base == "new" else base, overrides)
    params = run.params
    training = {**params["training"], "steps": 10**9, "checkpoint_every": 10**9, "log_every": 10**9}
    config = TrainingConfig.from_params(training)
    keras.utils.set_random_seed(config.seed)
    policy = build_policy(params["layout"], params["fixed_fields"], **params["policy"])
    critic = build_critic(**params["critic"])
    painter = run.dream_painter(stroke_model)
    rng = np.random.default_rng(0)
    train = targets["train"][: params["max_train_images"]]
    if args.validate:  # choosing a recipe: measure on the last train images, held out of training
        train, test = train[: -args.test_images], train[-args.test_images:]
    else:
        test = targets["test"][: args.test_images]
    train_sample = train[rng.choice(len(train), size=min(args.test_images, len(train)), replace=False)]

    budget, every = args.minutes * 60.0, args.every * 60.0
    state = {"spent": 0.0, "since": time.process_time(), "next": 0.0}

    def measure(step: int) -> None:
        row = {"recipe": args.recipe, "cpu_minutes": state["spent"] / 60.0, "step": step,
               "test_mse": dream_mse(policy, painter, test, config.strokes),
               "train_mse": dream_mse(policy, painter, train_sample, config.strokes)}
        print(json.dumps(row), flush=True)

    def callback(trainer, step, metrics) -> None:
        now = time.process_time()
        state["spent"] += now - state["since"]
        if state["spent"] >= state["next"]:
            measure(step)
            state["next"] += every
        state["since"] = time.process_time()  # measuring is not training time
        if state["spent"] >= budget:
            raise BudgetSpent

    with_dir = Path(args.scratch) / args.recipe
    trainer = DreamTrainer(policy, critic, painter, train, config, with_dir, callbacks=[callback],
                           name=f"{args.run}/{args.recipe}")
    trainer._start_or_resume()  # the untrained agent's MSE and first checkpoint: before the clock starts
    state["since"] = time.process_time()
    state["next"] = every
    measure(0)
    state["since"] = time.process_time()
    try:
        trainer.run()
    except BudgetSpent:
        pass


def run_children(args, specs: dict[str, str]) -> dict[str, list[dict]]:
    """Start one child per recipe (side by side on their own cores, as many at once as there are cores,
    or one after the other)."""
    recipes = list(specs)
    import tempfile

    scratch = tempfile.mkdtemp(prefix="time_to_quality_")
    base = [sys.executable, __file__, "--child", "--run", args.run, "--minutes", str(args.minutes),
            "--every", str(args.every), "--env", args.env, "--test-images", str(args.test_images), "--scratch", scratch]
    base += ["--validate"] if args.validate else []
    cores = sorted(os.sched_getaffinity(0))
    results = {recipe: [] for recipe in recipes}

    def start(recipe: str, core: int | None):
        command = base + ["--recipe", recipe, "--recipe-spec", specs[recipe]] + ([] if core is None else ["--core", str(core)])
        return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=PROJECT)

    def collect(recipe: str, process) -> None:
        for line in process.stdout:
            if line.startswith("{"):
                row = json.loads(line)
                results[recipe].append(row)
                print(f"  {recipe:>4}: {row['cpu_minutes']:5.1f} CPU min, step {row['step']:6d}, "
                      f"test MSE {row['test_mse']:.4f}, train MSE {row['train_mse']:.4f}", flush=True)
        if process.wait() != 0:
            raise SystemExit(f"the {recipe} recipe's training failed (exit {process.returncode})")

    if args.sequential or len(cores) < 2:
        for recipe in recipes:
            collect(recipe, start(recipe, None))
        return results
    import threading

    for first in range(0, len(recipes), len(cores)):
        group = recipes[first:first + len(cores)]
        processes = {recipe: start(recipe, cores[i]) for i, recipe in enumerate(group)}
        threads = [threading.Thread(target=collect, args=(r, p)) for r, p in processes.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


def plot(results: dict[str, list[dict]], title: str, path: Path, specs: dict[str, str] | None = None) -> None:
    """The test (and train) curves of every recipe in ``results``, labelled with its spec (``specs``) if given."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4), dpi=100)
    for (recipe, rows), colour in zip(results.items(), ("tab:blue", "tab:green", "tab:orange", "tab:red", "tab:purple")):
        minutes = [r["cpu_minutes"] for r in rows]
        name = f"{recipe} ({specs[recipe]})" if specs and specs.get(recipe, recipe) != recipe else recipe
        axis.plot(minutes, [r["test_mse"] for r in rows], marker="o", color=colour, label=f"{name}, test")
        axis.plot(minutes, [r["train_mse"] for r in rows], linestyle="--", color=colour, alpha=0.6,
                  label=f"{name}, train")
    axis.set(xlabel="CPU minutes of training", ylabel="dream MSE", title=title, yscale="log")
    axis.grid(alpha=0.3, which="both")
    axis.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="celeba_15", help="agent run (conf agent.runs)")
    parser.add_argument("--minutes", type=float, default=20.0, help="CPU minutes of training per recipe")
    parser.add_argument("--every", type=float, default=2.0, help="CPU minutes between measurements")
    parser.add_argument("--old", default="seed", help="recipe in agent.defaults.recipes to compare against")
    parser.add_argument("--new", default="new", metavar="BASE[:JSON]",
                        help="the recipe compared against --old (default: agent.defaults), with overrides, e.g. "
                             'new:\'{"world": "color_reach"}\' (the defaults in another stroke model\'s dream)')
    parser.add_argument("--try", dest="tries", action="append", default=[], metavar="NAME=BASE:JSON",
                        help='also train a variant of a recipe, e.g. lr3=new:\'{"training": {"policy_learning_rate": 1e-3}}\'')
    parser.add_argument("--env", default="base", help="Kedro configuration environment (base, quick)")
    parser.add_argument("--test-images", type=int, default=256, help="test (and train) images measured")
    parser.add_argument("--validate", action="store_true", help="measure on the last --test-images train images, "
                        "held out of training, instead of the test split (for choosing a recipe)")
    parser.add_argument("--sequential", action="store_true", help="one recipe after the other, every core each")
    parser.add_argument("--plot", type=Path, default=None, help="PNG of the curves "
                        "(default data/08_reporting/benchmarks/time_to_quality_<run>.png)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--recipe", help=argparse.SUPPRESS)
    parser.add_argument("--recipe-spec", help=argparse.SUPPRESS)
    parser.add_argument("--core", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.minutes <= 0 or args.every <= 0:
        parser.error(f"--minutes ({args.minutes}) and --every ({args.every}) must be positive")
    if args.child:
        train_child(args)
        return

    mode = "one after the other, every core each" if args.sequential else "side by side, one core each"
    measured = "held-out train (validation)" if args.validate else "test"
    print(f"time to quality, {args.run}: recipes new ({'agent.defaults' if args.new == 'new' else args.new}) and old ({args.old}), {args.minutes:g} CPU "
          f"minutes each, {mode}; dream MSE on {args.test_images} {measured} images every {args.every:g} CPU minutes")
    specs = {"old": args.old, "new": args.new}
    given = [("--new", args.new, "new", args.new)]  # (option, as given, recipe name, spec)
    given += [("--try", item, *item.partition("=")[::2]) for item in args.tries]
    for option, text, name, spec in given:
        if not name or not spec or spec.partition(":")[0] == "":
            parser.error(f"{option} {text!r}: write {'NAME=' if option == '--try' else ''}RECIPE:JSON, e.g. "
                         f"new:'{{\"training\": {{...}}}}'")
        if ":" in spec:
            try:
                json.loads(spec.split(":", 1)[1])
            except json.JSONDecodeError as error:
                parser.error(f"{option} {text!r}: the overrides are not JSON ({error})")
        specs[name] = spec
    results = run_children(args, specs)
    old_rows, new_rows = results["old"], results["new"]
    for name in list(results)[2:]:
        rows = results[name]
        if rows:
            print(f"{name}: at {rows[-1]['cpu_minutes']:.1f} CPU minutes ({rows[-1]['step']} steps) test MSE "
                  f"{rows[-1]['test_mse']:.4f}, train MSE {rows[-1]['train_mse']:.4f}")
    print(f"\n{'CPU min':>8} {'old test':>9} {'new test':>9} {'new/old':>8}   {'old train':>9} {'new train':>9}")
    for old, new in zip(old_rows, new_rows):
        print(f"{new['cpu_minutes']:8.1f} {old['test_mse']:9.4f} {new['test_mse']:9.4f} "
              f"{new['test_mse'] / old['test_mse']:8.2f}   {old['train_mse']:9.4f} {new['train_mse']:9.4f}")
    last = min(len(old_rows), len(new_rows)) - 1
    old, new = old_rows[last], new_rows[last]
    print(f"\n{args.run}: at {new['cpu_minutes']:.1f} CPU minutes, test dream MSE new {new['test_mse']:.4f} "
          f"({new['step']} steps) / old {old['test_mse']:.4f} ({old['step']} steps) = "
          f"{new['test_mse'] / old['test_mse']:.2f} (aim <= 0.6)")
    path = args.plot or PROJECT / "data" / "08_reporting" / "benchmarks" / f"time_to_quality_{args.run}.png"
    plot(results, f"{args.run}: test dream MSE against CPU minutes", path, specs)
    print(f"curves: {path}")


if __name__ == "__main__":
    main()
