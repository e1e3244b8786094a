"""The ``painting-dreams`` command: paint your own picture with a trained agent, or run pipelines.

(Not named ``cli.py``: Kedro takes a project's ``<package>/cli.py`` as its own CLI override.)

    painting-dreams paint photo.jpg --strokes 50 --out out/
    painting-dreams run --pipeline agent --namespaces mnist_8      (same as `kedro run ...`)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

REFINE_STEPS = 100  # default of paint --refine: see the README for its time per painting

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` whose pyproject.toml declares this Kedro project."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and 'package_name = "painting_dreams"' in pyproject.read_text():
            return folder
    raise click.ClickException(f"no painting_dreams project at or above {start}: run the command inside the project")


def choose_run(trained: list[str], runs: dict[str, tuple[str, str]], strokes: int) -> str:
    """Prefer a colour agent, then the one trained for the stroke count nearest to ``strokes``."""
    if not trained:
        raise click.ClickException(
            "no trained agent found: train one first, e.g. `kedro run --pipeline agent --namespaces celeba_50` "
            "(colour) or `kedro run` (MNIST, black paint)")
    number = lambda run: int(run.rsplit("_", 1)[1])  # noqa: E731  run names end in their stroke count
    return min(trained, key=lambda run: (runs[run][1] != "color", abs(number(run) - strokes)))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """painting_dreams: agents that learn to paint in a world model of MyPaint."""


@cli.command()
@click.argument("image", type=click.Path(path_type=Path))
@click.option("--strokes", default=None, type=click.IntRange(1, 500),
              help="Strokes to paint (default: what the agent was trained with).")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the PNG, GIF, JSON and .ora files.")
@click.option("--agent", "run", default=None,
              help="Trained agent run (mnist_8, kmnist_15, celeba_15, celeba_30, celeba_50); default: the best fit.")
@click.option("--env", default="base", show_default=True, help="Kedro configuration environment (base, quick, ...).")
@click.option("--refine", "refine_steps", default=REFINE_STEPS, show_default=True, type=click.IntRange(0, 5000),
              help="Refine the agent's strokes for K steps in the dream; kept only if real MyPaint paints them closer. 0: off.")
@click.option("--closed-loop", is_flag=True,
              help="The agent paints in real MyPaint, seeing MyPaint's canvas before each of its steps.")
def paint(image: Path, strokes: int | None, out_dir: Path, run: str | None, env: str, refine_steps: int,
          closed_loop: bool) -> None:
    """Paint IMAGE with a trained agent and replay its strokes in real MyPaint."""
    from painting_dreams.export import UserImageError, load_user_image, paint_image, write_painting

    try:
        target = load_user_image(image)
    except UserImageError as exc:
        raise click.ClickException(str(exc)) from exc

    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    root = find_project_root(Path.cwd())
    bootstrap_project(root)
    with KedroSession.create(project_path=root, env=None if env == "base" else env) as session:
        context = session.load_context()
        catalog, params = context.catalog, context.params

    from painting_dreams.agent.training import TrainingConfig
    from painting_dreams.pipelines.agent.nodes import dream_painter, run_parameters
    from painting_dreams.pipelines.agent.pipeline import RUNS

    if run is not None and run not in RUNS:
        raise click.ClickException(f"unknown agent {run!r}: choose one of {', '.join(RUNS)}")
    trained = [r for r in RUNS if catalog.exists(f"{r}.agent_policy")]
    if run is not None and run not in trained:
        raise click.ClickException(f"agent {run!r} is not trained in the {env!r} configuration: "
                                   f"`kedro run --pipeline agent --namespaces {run}" + (f" --env {env}`" if env != "base" else "`"))
    run = run or choose_run(trained, RUNS, strokes or 0)
    run_params = run_parameters(params["agent"]["defaults"], params["agent"]["runs"][run])
    variant = run_params["variant"]
    strokes = strokes or TrainingConfig.from_params(run_params["training"]).strokes
    how = (" closed-loop in MyPaint" if closed_loop else "") + (f", refined {refine_steps} steps" if refine_steps else "")
    click.echo(f"Painting {image} with agent {run} ({variant} paint, {strokes} strokes{how})...")
    policy = catalog.load(f"{run}.agent_policy")
    painter = dream_painter(catalog.load(f"{variant}.stroke_model"), run_params)
    painting = paint_image(policy, painter, variant, target, strokes, refine_steps=refine_steps, closed_loop=closed_loop,
                           fixed_fields=run_params["fixed_fields"])
    paths = write_painting(painting, out_dir, image.stem)
    mse = lambda a: float(((a - target) ** 2).mean())  # noqa: E731
    click.echo(f"MSE to your image: real MyPaint {mse(painting.real_steps[-1] / 255.0):.4f}, "
               f"dream {mse(painting.dream_steps[-1]):.4f}")
    if refine_steps:
        click.echo(f"Refinement {'kept' if painting.mode['refined'] else 'not kept (the agent alone painted closer)'}")
    for kind, path in paths.items():
        click.echo(f"  {kind.upper():4} {path}")


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def run(ctx: click.Context) -> None:
    """Run Kedro pipelines (all options of `kedro run`)."""
    from painting_dreams.__main__ import main as kedro_main

    sys.exit(kedro_main(args=ctx.args))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
