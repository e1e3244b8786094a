"""The ``painting-dreams`` command: paint your own picture with a trained agent, or run pipelines.

(Not named ``cli.py``: Kedro takes a project's ``<package>/cli.py`` as its own CLI override.)

    painting-dreams paint photo.jpg --strokes 50 --out out/
    painting-dreams evaluate --agent kmnist_15 --images kmnist-test-imgs.npz --out scores/
    painting-dreams models
    painting-dreams brushes
    painting-dreams run --pipeline agent --namespaces mnist_8      (same as `kedro run ...`)
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from painting_dreams.paint.libmypaint import c_stdout_to_stderr

REFINE_STEPS = 25  # default of paint --refine: a 50-stroke painting in ~11 s on a 2-core CPU (README)

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` whose pyproject.toml declares this Kedro project, or ``None``."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and 'package_name = "painting_dreams"' in pyproject.read_text():
            return folder
    return None


DEFAULT_MEDIUM = "dry_brush"  # the seed's brush: without --medium, its painters come first


def choose_run(available: list[str], painters: dict[str, tuple], strokes: int) -> str:
    """Among ``available`` painters (``painters`` maps each name to its dataset, variant, stroke count and
    medium): prefer a colour agent, then the one trained for the stroke count nearest to ``strokes``, then
    the photo painter (CelebA) over the glyph painter (KMNIST), then the default medium (the dry brush)."""
    if not available:
        raise click.ClickException(
            "no trained agent found: train one first, e.g. `kedro run --pipeline agent --namespaces celeba_50` "
            "(colour) or `kedro run` (MNIST, black paint)")

    def preference(name: str) -> tuple:
        dataset, variant, trained_strokes, medium = painters[name]
        return variant != "color", abs(trained_strokes - strokes), dataset != "celeba", medium != DEFAULT_MEDIUM

    return min(available, key=preference)


def in_medium(available: list[str], painters: dict[str, tuple], medium: str | None, run: str | None) -> list[str]:
    """The painters of ``available`` that paint in ``medium`` (a brush's stem such as ``charcoal``, or a brush
    name such as ``classic/charcoal``); all of them without one. Raises ``click.ClickException`` naming the
    media there are when none does, or when ``run`` paints in another medium."""
    from painting_dreams.paint.libmypaint import medium_of

    if medium is None:
        return available
    wanted = medium_of(medium)
    if run is not None:
        if painters[run][3] != wanted:
            raise click.ClickException(f"--agent {run} paints in {painters[run][3]}, not in --medium {medium}: leave "
                                       "out one of the two, or choose a painter of that medium (`painting-dreams models`)")
        return [run]
    found = [name for name in available if painters[name][3] == wanted]
    if not found:
        media = sorted({painters[name][3] for name in available})
        raise click.ClickException(
            f"no painter paints in --medium {medium}: the media here are {', '.join(media) or 'none'} "
            "(`painting-dreams models`); to learn another, add a world with that brush and a run to conf's "
            "inventory.yml (conf/README.md)")
    return found


@dataclass
class Agent:
    """The agent the paint command paints with, wherever it came from."""

    name: str
    policy: object
    painter: object
    variant: str
    strokes: int
    fixed_fields: dict
    where: str
    dataset: str
    preparation: dict  # how its dataset's images were made targets (painting_dreams.evaluation.image_sets)


def project_agents(root: Path, env: str) -> tuple[dict, dict]:
    """Inside the project: the Kedro catalog and the parameters of ``env``."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(root)
    with KedroSession.create(project_path=root, env=None if env == "base" else env) as session:
        context = session.load_context()
        return context.catalog, context.params


def find_agent(run: str | None, strokes: int | None, env: str, shipped_only: bool = False,
               medium: str | None = None) -> Agent:
    """``run`` trained in the project (if inside one and trained there), else shipped; without ``run``, the
    colour painter with the stroke count nearest ``strokes`` among both (in ``medium``, if given: a brush's
    stem such as ``charcoal``). ``shipped_only``: never the project's."""
    from painting_dreams import shipped
    from painting_dreams.agent.runs import all_runs
    from painting_dreams.paint.libmypaint import medium_of

    root = None if shipped_only else find_project_root(Path.cwd())
    if shipped_only and env != "base":
        raise click.ClickException(f"--shipped and --env {env} exclude each other: the shipped painters have no environment")
    if root is None and env != "base":
        raise click.ClickException(f"--env {env} needs the painting_dreams project: run the command inside it")
    if root is not None and not (root / "conf" / env).is_dir():
        envs = sorted(d.name for d in (root / "conf").iterdir() if d.is_dir())
        raise click.ClickException(f"--env {env}: the project has no conf/{env} folder; choose one of {', '.join(envs)}")
    try:
        ships = shipped.cards()
    except shipped.ShippedPainterError as exc:
        raise click.ClickException(str(exc)) from exc
    catalog, project_params = project_agents(root, env) if root is not None else (None, None)
    try:
        runs = all_runs(project_params) if root is not None else {}
    except ValueError as exc:
        raise click.ClickException(f"the agent parameters of the {env!r} configuration: {exc}") from exc
    known = [*runs, *(name for name in ships if name not in runs)]  # conf's order, then shipped-only painters
    if run is not None and run not in known:
        raise click.ClickException(f"unknown agent {run!r}: choose one of {', '.join(known) or 'none'}")
    trained = [name for name in runs if catalog.exists(f"{name}.agent_policy")]
    painters = {name: (runs[name].dataset, runs[name].variant, runs[name].strokes, medium_of(runs[name].brush))
                if name in trained else (ships[name]["dataset"], ships[name]["variant"], int(ships[name]["strokes"]),
                                         medium_of(ships[name]["brush"]))
                for name in known if name in trained or name in ships}
    available = list(painters)
    if run is not None and run not in available:
        where = f"trained in the {env!r} configuration" if root is not None else "shipped"
        raise click.ClickException(f"agent {run!r} is not {where}: `kedro run --pipeline agent --namespaces {run}"
                                   + (f" --env {env}`" if env != "base" else "`") + " inside the project trains it")
    candidates = in_medium(available, painters, medium, run)  # an --agent of another medium is refused here
    run = run or choose_run(candidates, painters, strokes or 0)
    if run in trained:
        agent_run = runs[run]
        try:
            painter = agent_run.dream_painter(catalog.load(f"{agent_run.world}.stroke_model"))
        except ValueError as exc:  # a stroke model of another brush or layout than the run's world
            raise click.ClickException(f"agent {run!r}: {exc}") from exc
        return Agent(run, catalog.load(f"{run}.agent_policy"), painter, agent_run.variant, agent_run.strokes,
                     agent_run.fixed_fields, f"trained in this project ({agent_run.run_dir})", agent_run.dataset,
                     agent_run.preparation)
    try:
        loaded = shipped.load(run)
    except shipped.ShippedPainterError as exc:
        raise click.ClickException(str(exc)) from exc
    return Agent(run, loaded.policy, loaded.painter, loaded.variant, loaded.strokes, loaded.card["fixed_fields"],
                 f"shipped with painting_dreams, trained as {loaded.card.get('trained_as', run)}",
                 loaded.card["dataset"], loaded.card["targets"])


def _write_or_explain(write, out_dir: Path, what: str):
    """``write()``, whose files replace the old ones as a set; an ``OSError`` (a full disk) becomes one line."""
    try:
        return write()
    except OSError as exc:  # the previous files (if any) are left as they were
        if exc.errno == errno.EISDIR:
            fix = f"{exc.filename} is a folder: move it away or choose another --out"
        elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
            fix = "free some space or choose another --out"
        else:
            fix = "choose another --out"
        raise click.ClickException(f"could not write {what} to {str(out_dir)!r} ({exc.strerror or exc}): "
                                   f"nothing was replaced; {fix}") from exc


def check_paint_outputs(image: Path, out_dir: Path, name: str) -> None:
    """Before painting: ``--out`` can take ``<name>.*`` (names not too long), none of them is the picture itself,
    and ``<name>.json`` there is not another picture's painting. Raises ``click.ClickException``."""
    from painting_dreams.export.picture import FILES, KINDS
    from painting_dreams.files import OutputDirError, check_file_names, check_out_dir

    try:
        check_out_dir(out_dir, FILES, create=False)
        check_file_names(out_dir, [f"{name}.{kind}" for kind in KINDS])
    except OutputDirError as exc:
        raise click.ClickException(str(exc)) from exc
    for kind in KINDS:
        path = out_dir / f"{name}.{kind}"
        if path.exists() and os.path.samefile(path, image):
            raise click.ClickException(f"--out {str(out_dir)!r} would replace the picture itself ({path}): paint "
                                       "never overwrites its input; choose another --out")
    try:
        painted = json.loads((out_dir / f"{name}.json").read_text()).get("image")
    except (OSError, ValueError, AttributeError):
        painted = None  # no painting there yet, or one that does not say of which picture
    if painted is not None and painted != image.name:
        raise click.ClickException(f"--out {str(out_dir)!r} holds the painting of {painted} as {name}.*: painting "
                                   f"{image.name} would replace it; choose another --out")


def _a_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """``--out`` as a path; an empty one is refused (a ``Path('')`` would silently be the current folder)."""
    from painting_dreams.files import OutputDirError, check_out_dir

    if value == "":
        if ctx.command.name == "paint":
            from painting_dreams.export.picture import FILES
        else:
            from painting_dreams.evaluation.report_files import FILES
        try:
            check_out_dir(value, FILES)
        except OutputDirError as exc:
            raise click.ClickException(str(exc)) from exc
    return None if value is None else Path(value)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """painting_dreams: agents that learn to paint in a world model of MyPaint."""


PHOTO_PAINTER = "celeba_15"  # paint's default painter for photos: the closest that stays under a minute (docs/decisions.md)
PHOTO_SIZE = 512            # paint's default long side
PHOTO_DETAIL = 3            # paint's default levels (1, 2x2, 4x4 tiles on a square)
MAX_DETAIL = 4


def picture_files(paths: tuple[Path, ...]) -> list[Path]:
    """The pictures named on the command line: files as given, folders as the images in them (sorted, this
    project's own outputs left out, as ``evaluate`` reads a folder). One ``ClickException`` for a missing path,
    a folder without pictures, or two pictures that would write the same ``<name>.*``."""
    from painting_dreams.evaluation.image_sets import IMAGE_SUFFIXES, folder_pictures

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            pictures = folder_pictures(path)[0]
            if not pictures:
                raise click.ClickException(f"the folder {str(path)!r} holds no pictures ({', '.join(IMAGE_SUFFIXES)})")
            found += pictures
        else:
            found.append(path)  # load_user_image says what is wrong with a file that is not a picture
    stems: dict[str, Path] = {}
    for path in found:
        if path.stem in stems and stems[path.stem] != path:
            raise click.ClickException(f"{stems[path.stem]} and {path} would both be painted as {path.stem}.*: "
                                       "paint them into different --out folders")
        stems[path.stem] = path
    return list(dict.fromkeys(found))


@cli.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strokes", default=None, type=click.IntRange(1, 500),
              help="Strokes per painting (per tile of a photo; default: what the agent was trained with).")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(), callback=_a_folder,
              help="Folder for the PNG, GIF, JSON, .ora (and MP4) files.")
@click.option("--agent", "run", default=None,
              help=f"Agent (mnist_8, kmnist_15, celeba_15, celeba_30, celeba_50, celeba_50_pen ...): one trained in this "
                   f"project if inside it, else the shipped one; default for photos: {PHOTO_PAINTER}.")
@click.option("--medium", default=None, metavar="MEDIUM",
              help="Paint in this medium: a brush's name (pen, charcoal, impressionism, dry_brush, or classic/pen...); "
                   "the painter of that medium nearest --strokes. `painting-dreams models` lists the media.")
@click.option("--env", default="base", show_default=True,
              help="Kedro configuration environment (base, quick, gpu, ...), inside the project.")
@click.option("--shipped", "shipped_only", is_flag=True,
              help="Use the painter shipped with painting_dreams even inside a project that trained its own.")
@click.option("--refine", "refine_steps", default=REFINE_STEPS, show_default=True, type=click.IntRange(0, 5000),
              help="Refine the agent's strokes for K steps in the dream (each tile's, for a photo); kept only where "
                   "real MyPaint paints them closer. 0: off.")
@click.option("--size", default=None, type=click.IntRange(16, 4096),
              help=f"Long side of the painting in pixels [default: {PHOTO_SIZE}; 64 with --detail 0 or --closed-loop].")
@click.option("--detail", default=None, type=click.IntRange(0, MAX_DETAIL),
              help=f"Levels of tiles, coarse to fine: 1 paints the whole picture, each level more tiles of half the "
                   f"side over it [default: {PHOTO_DETAIL}]. 0: one 64x64 painting of the centre square (scaled to --size).")
@click.option("--square", is_flag=True, help="Paint the centre square of each picture, not the whole picture.")
@click.option("--closed-loop", is_flag=True,
              help="One painting (--detail 0): the agent paints in real MyPaint, seeing MyPaint's canvas before each step.")
@click.option("--grid", default=0, show_default=True, type=click.IntRange(0, 8),
              help="Instead of --detail: an underpainting of the centre square, then GRID x GRID overlapping tiles each "
                   "painted as its own 64x64 picture (GRID x GRID + 1 paintings of --strokes each) on the --size canvas.")
@click.option("--svg", is_flag=True,
              help="Also write the strokes as SVG vectors (an approximation of the painter's MyPaint brush; the PNG is MyPaint's).")
def paint(images: tuple[Path, ...], strokes: int | None, out_dir: Path, run: str | None, medium: str | None, env: str,
          shipped_only: bool, refine_steps: int, size: int | None, detail: int | None, square: bool,
          closed_loop: bool, grid: int, svg: bool) -> None:
    """Paint IMAGES (pictures, or folders of them) with a trained agent and replay its strokes in real MyPaint.

    A photo is painted whole, coarse to fine: the whole picture, then finer and finer tiles over it, each
    painting what the canvas still misses. TensorFlow and the painter load once for all the pictures."""
    from painting_dreams.targets.user_image import UserImageError, load_user_image

    if closed_loop and detail not in (None, 0):
        raise click.ClickException(f"--closed-loop paints one 64x64 painting: give --detail 0, not --detail {detail}")
    if grid and detail is not None:
        raise click.ClickException("--grid and --detail exclude each other: --grid is its own tiling of the centre square")
    if grid and closed_loop:
        raise click.ClickException("--grid and --closed-loop exclude each other: the tiles are painted in the dream")
    mode = "grid" if grid else "single" if (closed_loop or detail == 0) else "photo"
    if mode == "grid" and (size is None or size < 128):
        raise click.ClickException(f"--grid {grid} paints tiles on a large canvas: give --size too (e.g. --size 1024)")
    size = size or (PHOTO_SIZE if mode == "photo" else 64)
    detail = PHOTO_DETAIL if detail is None else detail
    pictures = picture_files(images)
    targets = {}
    for picture in pictures:  # every picture read and every output checked before anything is painted
        try:
            targets[picture] = load_user_image(picture, {"grid": size, "single": 64, "photo": size}[mode],
                                               square=square or mode != "photo")
        except UserImageError as exc:
            raise click.ClickException(str(exc)) from exc
        check_paint_outputs(picture, out_dir, picture.stem)  # before painting: a bad --out costs nothing
        if mode == "photo":
            _check_detail(targets[picture], detail, picture)
    if mode == "photo" and run is None and medium is None and strokes is None:
        run = PHOTO_PAINTER
    agent = find_agent(run, strokes, env, shipped_only, medium)
    for picture, target in targets.items():
        if mode == "grid":
            _paint_tiled(picture, target, out_dir, agent, strokes, refine_steps, grid, svg)
        elif mode == "single":
            _paint_single(picture, target, out_dir, agent, strokes, refine_steps, closed_loop, size, svg)
        else:
            _paint_photo(picture, target, out_dir, agent, strokes, refine_steps, detail, svg)


def _check_detail(target, detail: int, picture: Path) -> None:
    from painting_dreams.export.photo import MIN_TILE, max_levels

    height, width = target.shape[:2]
    if detail > max_levels(width, height):
        raise click.ClickException(f"--detail {detail}: {picture} painted at {width}x{height} has room for "
                                   f"{max_levels(width, height)} levels (tiles of at least {MIN_TILE} px); give a "
                                   "larger --size or a smaller --detail")


def _paint_photo(picture: Path, target, out_dir: Path, agent: Agent, strokes: int | None, refine_steps: int,
                 detail: int, svg: bool) -> None:
    """A photo, coarse to fine (painting_dreams.export.photo): the whole picture, then finer tiles over it."""
    import numpy as np
    from tqdm.auto import tqdm

    from painting_dreams.export.photo import mosaic, paint_photo, write_photo

    strokes = strokes or agent.strokes
    height, width = target.shape[:2]
    click.echo(f"Painting {picture} at {width}x{height} with agent {agent.name} ({agent.where}; brush "
               f"{agent.painter.real_brush()}): {detail} level{'s' if detail > 1 else ''} of tiles, {strokes} strokes "
               f"per tile" + (f", each refined {refine_steps} steps with MyPaint in the loop" if refine_steps else "")
               + "...")
    started = time.perf_counter()
    with c_stdout_to_stderr(), tqdm(total=1, desc=picture.name, unit="tile", file=sys.stderr) as bar:
        def progress(done: int, total: int, painted: int) -> None:
            bar.total = total
            bar.set_postfix(strokes=painted, refresh=False)
            bar.update(done - bar.n)

        painting = paint_photo(agent.policy, agent.painter, target, strokes, detail, refine_steps=refine_steps,
                               fixed_fields=agent.fixed_fields, on_tiles=progress)
        paths = _write_or_explain(lambda: write_photo(painting, out_dir, picture.stem, svg, picture.name), out_dir,
                                  "the painting")
    seconds = time.perf_counter() - started
    cells = float(np.mean((mosaic(target, 32) - target) ** 2))
    tiles = sum(level["kept"] for level in painting.levels)
    skipped = sum(level["skipped"] for level in painting.levels)
    click.echo(f"MSE to your image at {width}x{height}: real MyPaint {painting.mse:.4f} (a 32-cell mosaic: {cells:.4f}); "
               f"{painting.strokes} strokes in {tiles} tiles ({skipped} already close, left as they were), "
               f"painted in {seconds:.1f} s")
    for kind, path in paths.items():
        click.echo(f"  {kind.upper():4} {path}")


def _paint_single(picture: Path, target, out_dir: Path, agent: Agent, strokes: int | None, refine_steps: int,
                  closed_loop: bool, size: int, svg: bool) -> None:
    """One 64x64 painting of the centre square (``--detail 0``), painted by MyPaint at ``size``."""
    from painting_dreams.export import paint_image, write_painting

    strokes = strokes or agent.strokes
    how = (" closed-loop in MyPaint" if closed_loop else "") + (f", refined {refine_steps} steps" if refine_steps else "")
    click.echo(f"Painting {picture} with agent {agent.name} ({agent.where}; {agent.variant} paint, "
               f"brush {agent.painter.real_brush()}, {strokes} strokes{how})...")
    started = time.perf_counter()
    with c_stdout_to_stderr():
        painting = paint_image(agent.policy, agent.painter, agent.variant, target, strokes, refine_steps=refine_steps,
                               closed_loop=closed_loop, fixed_fields=agent.fixed_fields, size=size, progress=True)
    seconds = time.perf_counter() - started
    paths = _write_or_explain(lambda: write_painting(painting, out_dir, picture.stem, svg, picture.name), out_dir,
                              "the painting")
    mse = lambda a: float(((a - target) ** 2).mean())  # noqa: E731
    click.echo(f"MSE to your image: real MyPaint {mse(painting.real_steps[-1] / 255.0):.4f}, "
               f"dream {mse(painting.dream_steps[-1]):.4f} (painted in {seconds:.1f} s)")
    if refine_steps:
        click.echo(f"Refinement {'kept' if painting.mode['refined'] else 'not kept (the agent alone painted closer)'}")
    for kind, path in paths.items():
        click.echo(f"  {kind.upper():4} {path}")


def _paint_tiled(image: Path, target, out_dir: Path, agent: Agent, strokes: int | None, refine_steps: int, grid: int,
                 svg: bool) -> None:
    """``paint --grid``: an underpainting and grid x grid tiles on the large canvas (painting_dreams.export.tiled)."""
    from painting_dreams.export.tiled import paint_tiled, write_tiled

    strokes = strokes or agent.strokes
    size = target.shape[0]
    click.echo(f"Painting {image} at {size}x{size} with agent {agent.name} ({agent.where}): an underpainting and "
               f"{grid}x{grid} tiles of {strokes} strokes each ({strokes * (grid * grid + 1)} strokes)"
               + (f", each refined {refine_steps} steps" if refine_steps else "") + "...")
    with c_stdout_to_stderr():
        painting = paint_tiled(agent.policy, agent.painter, target, grid, strokes, refine_steps=refine_steps,
                               fixed_fields=agent.fixed_fields)
    paths = _write_or_explain(lambda: write_tiled(painting, out_dir, image.stem, svg, image.name), out_dir,
                              "the painting")
    click.echo(f"MSE to your image at {size}x{size}: real MyPaint {painting.mse:.4f} (painted in "
               f"{sum(painting.seconds.values()):.1f} s: agent {painting.seconds['agent']:.1f} s, MyPaint "
               f"{painting.seconds['mypaint']:.1f} s)")
    for kind, path in paths.items():
        click.echo(f"  {kind.upper():4} {path}")


@cli.command()
@click.option("--agent", "run", default=None,
              help="Agent (mnist_8, kmnist_15, celeba_15, celeba_30, celeba_50, celeba_50_pen ...): trained in this "
                   "project if inside it, else shipped. Give it, or --medium, or both.")
@click.option("--medium", default=None, metavar="MEDIUM",
              help="Score the painter of this medium (pen, charcoal, impressionism, dry_brush ...) with the most strokes; "
                   "with --agent, checked to be that agent's medium.")
@click.option("--images", "images_path", required=True, type=click.Path(path_type=Path),
              help="An IDX file (.gz or not, e.g. MNIST's t10k-images-idx3-ubyte.gz), a KMNIST-style .npz (arr_0) "
                   "or a folder of images (CelebA's img_align_celeba, or any PNG/JPEG).")
@click.option("--out", "out_dir", required=True, type=click.Path(), callback=_a_folder,
              help="Folder for scores.csv, summary.json and grid.png.")
@click.option("--limit", default=None, type=click.IntRange(1, None), help="Score only the first N images.")
@click.option("--split", default="all", show_default=True, type=click.Choice(["all", "train", "val", "test"]),
              help="With a CelebA-style folder: one official partition (test falls back to val when the folder "
                   "has no test files, as data_prep does).")
@click.option("--refine", "refine_steps", default=0, show_default=True, type=click.IntRange(0, 5000),
              help="Refine each painting for K steps in the dream, kept only where real MyPaint paints it closer.")
@click.option("--closed-loop", is_flag=True, help="The agent paints in real MyPaint, seeing MyPaint's canvas.")
@click.option("--env", default="base", show_default=True,
              help="Kedro configuration environment (base, quick, gpu, ...), inside the project.")
@click.option("--shipped", "shipped_only", is_flag=True,
              help="Use the painter shipped with painting_dreams even inside a project that trained its own.")
def evaluate(run: str | None, medium: str | None, images_path: Path, out_dir: Path, limit: int | None, split: str,
             refine_steps: int, closed_loop: bool, env: str, shipped_only: bool) -> None:
    """Paint every image of --images with an agent, replay it in real MyPaint and score it."""
    from painting_dreams.evaluation.image_sets import ImageSetError, load_image_set
    from painting_dreams.evaluation.report_files import FILES, write_evaluation
    from painting_dreams.files import OutputDirError, check_out_dir
    from painting_dreams.paint.libmypaint import medium_of

    try:
        check_out_dir(out_dir, FILES, create=False)
    except OutputDirError as exc:
        raise click.ClickException(str(exc)) from exc
    if run is None and medium is None:
        raise click.ClickException("give --agent NAME or --medium MEDIUM (or both): `painting-dreams models` lists "
                                   "the painters and their media")
    agent = find_agent(run, None if run else 500, env, shipped_only, medium)
    try:
        image_set = load_image_set(images_path, agent.preparation, limit=limit, split=split)
    except ImageSetError as exc:
        raise click.ClickException(str(exc)) from exc
    from painting_dreams.evaluation.paint_and_score import paint_and_score

    click.echo(f"Scoring agent {agent.name} ({agent.where}; {agent.strokes} strokes) on {len(image_set.names)} images "
               f"of {images_path}, {image_set.prepared}"
               + (f" (skipped {', '.join(image_set.skipped)}: this project's outputs or resource forks)"
                  if image_set.skipped else "")
               + (", closed loop in MyPaint" if closed_loop else "") + (f", refined {refine_steps} steps" if refine_steps else ""))
    with c_stdout_to_stderr():
        scored = paint_and_score(agent.policy, agent.painter, image_set.targets, agent.strokes,
                                 refine_steps=refine_steps, closed_loop=closed_loop, fixed_fields=agent.fixed_fields)
    summary = {"agent": agent.name, "where": agent.where, "strokes": agent.strokes, "brush": agent.painter.real_brush(),
               "medium": medium_of(agent.painter.real_brush()),
               "images_path": str(images_path),
               "split": split, "prepared": image_set.prepared, **scored.summary(), "refine": refine_steps,
               "closed_loop": closed_loop, "seconds": round(scored.seconds, 2),
               "seconds_per_image": round(scored.seconds / len(image_set.names), 4)}
    paths = _write_or_explain(lambda: write_evaluation(out_dir, image_set, scored, summary), out_dir, "the scores")
    click.echo(f"{summary['images']} images: real MyPaint MSE {summary['mse_real_mean']:.4f} "
               f"(dream {summary['mse_dream_mean']:.4f}, dream vs real {summary['mse_dream_real_mean']:.4f}, "
               f"{summary['exploited']} exploited" + (f", refined strokes kept for {summary['refined_wins']}" if refine_steps else "")
               + f") in {scored.seconds:.1f} s")
    for kind, path in paths.items():
        click.echo(f"  {kind:7} {path}")


@cli.command()
def models() -> None:
    """List the painters shipped with painting_dreams and their model cards' key figures."""
    from painting_dreams import shipped

    try:
        ships = shipped.cards()
    except shipped.ShippedPainterError as exc:
        raise click.ClickException(str(exc)) from exc
    if not ships:
        raise click.ClickException(f"no painters ship with this install ({shipped.HERE}): reinstall painting_dreams")
    from painting_dreams.paint.libmypaint import medium_of

    width = max(10, *(len(name) for name in ships))
    click.echo(f"{'name':<{width}} {'strokes':>7}  {'paint':<6} {'medium':<14} {'brush':<22} {'trained as':<32} "
               f"{'steps':>6} {'train min':>9} {'real MSE':>8} {'dream MSE':>9} {'refined':>16}  date")
    media: dict[str, list[str]] = {}
    for name, card in ships.items():
        mse = card["test_mse"]
        refined = card.get("test_mse_modes", {}).get("refined")
        best = f"{refined['mse_real_mean']:.4f} (K={refined['refine_steps']})" if refined else "-"
        medium = medium_of(card["brush"])
        media.setdefault(medium, []).append(name)
        click.echo(f"{name:<{width}} {card['strokes']:>7}  {card['variant']:<6} {medium:<14} {card['brush']:<22} "
                   f"{card.get('trained_as', name):<32} "
                   f"{card.get('steps', ''):>6} {card.get('training_minutes', ''):>9} {mse.get('real', float('nan')):>8.4f} "
                   f"{mse.get('dream', float('nan')):>9.4f} {best:>16}  {card.get('date', '')}")
    click.echo("real / dream MSE: test split, open loop; refined: real MSE with `--refine K` (the cards have the rest)")
    click.echo("media (`paint --medium M`, `evaluate --medium M`): "
               + "; ".join(f"{medium}: {', '.join(names)}" for medium, names in sorted(media.items())))
    click.echo(f"cards: {shipped.HERE / 'cards'}")


@cli.command()
@click.option("--paths", is_flag=True, help="Also show the .myb file each name resolves to.")
@click.option("--digest", "digest_of", metavar="BRUSH", default=None,
              help="Print BRUSH's file SHA-256 and name instead (what DVC's brush@<world> stage records).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --digest: write the line to this file (its folder is made; written whole or not at all).")
def brushes(paths: bool, digest_of: str | None, out_file: Path | None) -> None:
    """List the MyPaint brushes a world can name (``brush:`` in conf's inventory.yml), e.g. classic/charcoal."""
    from painting_dreams.paint.libmypaint import (BRUSH_DIRS, INSTALL_HINT, MyPaintNotFoundError, brush_digest,
                                                  installed_brushes)

    if digest_of is not None:
        try:
            line = f"{brush_digest(digest_of)}  {digest_of}\n"
        except (ValueError, OSError, MyPaintNotFoundError) as error:
            raise click.ClickException(str(error)) from None
        if out_file is None:
            click.echo(line, nl=False)
            return
        out_file.parent.mkdir(parents=True, exist_ok=True)
        partial = out_file.with_name(f".{out_file.name}.partial")
        partial.write_text(line)
        partial.replace(out_file)
        return
    if out_file is not None:
        raise click.UsageError("--out goes with --digest BRUSH")
    found = installed_brushes()
    if not found:
        raise click.ClickException(f"no MyPaint brushes in {', '.join(BRUSH_DIRS)}: install them with `{INSTALL_HINT}` "
                                   "or set PAINTING_DREAMS_BRUSH_DIR to a folder of .myb files")
    for name, path in found.items():
        click.echo(f"{name:<40} {path}" if paths else name)
    click.echo(f"{len(found)} brushes; a world may also name a .myb file by its path", err=True)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def run(ctx: click.Context) -> None:
    """Run Kedro pipelines (all options of `kedro run`)."""
    if find_project_root(Path.cwd()) is None:
        raise click.ClickException("`painting-dreams run` runs the project's pipelines: run it inside the "
                                   "painting_dreams project (a clone of its repository); `paint`, `evaluate` and "
                                   "`models` work anywhere")
    from painting_dreams.__main__ import main as kedro_main

    sys.exit(kedro_main(args=ctx.args))


class Stopped(BaseException):
    """``SIGTERM`` (``timeout``, systemd, docker stop), raised like Ctrl-C's ``KeyboardInterrupt`` so that files
    being written are removed and the previous set is kept."""


def _stop(signum, frame):
    raise Stopped(signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    try:
        cli()
    except Stopped:
        click.echo("Stopped (SIGTERM): the files being written were removed, the previous ones kept", err=True)
        sys.exit(128 + signal.SIGTERM)


if __name__ == "__main__":
    main()
