"""The README and docs/ say only what is true: every command of the README's shell blocks names a real command,
Make target, pipeline, namespace and option (the cheap ones run), every script and option the docs name exists,
and no page speaks of the project's history."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from tests.conftest import PROJECT_ROOT, use_project_inventory

README = PROJECT_ROOT / "README.md"
DOCS = sorted((PROJECT_ROOT / "docs").glob("*.md"))
BIN = Path(sys.executable).parent


def shell_commands(text: str) -> list[list[str]]:
    """The commands of the ```bash blocks, continuation lines joined, comments dropped."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #")[0].strip()
            if line and not line.startswith("#"):
                commands.append(shlex.split(line))
    return commands


def yaml_entries(text: str) -> dict[str, set]:
    """Inventory entries the README declares in its own ```yaml examples (its commands may name them)."""
    found: dict[str, set] = {"worlds": set(), "datasets": set(), "runs": set()}
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        for section, entries in (yaml.safe_load(block) or {}).items():
            found.setdefault(section, set()).update(entries)
    return found


def click_options(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])} | {"-h", "--help"}


def check_painting_dreams(args: list[str]) -> None:
    from painting_dreams.commands import cli

    assert args and args[0] in cli.commands, f"painting-dreams has no command {args[:1]}"
    command = cli.commands[args[0]]
    if args[0] == "run":
        return
    options = click_options(command)
    for arg in args[1:]:
        if arg.startswith("--"):
            assert arg.split("=")[0] in options, f"painting-dreams {args[0]} has no option {arg}"


def check_kedro(args: list[str], declared: dict[str, set]) -> None:
    from kedro.framework.cli.project import run

    assert args[0] in {"run", "viz", "jupyter", "registry", "ipython"}, f"kedro {args[0]}?"
    if args[0] != "run":
        return
    options = click_options(run)
    for arg in args[1:]:
        if arg.startswith("--"):
            assert arg in options, f"kedro run has no option {arg}"
    given = dict(zip(args[1::2], args[2::2]))
    env = given.get("--env", "base")
    params = use_project_inventory(env)
    pipelines = {"data_prep": "datasets", "episodes": "worlds", "vae": "worlds", "rnn": "worlds",
                 "stroke_model": "worlds", "blending": "worlds", "agent": "runs", "evaluation": "runs"}
    pipeline = given.get("--pipeline", "__default__")
    assert pipeline in pipelines or pipeline in {"__default__", "all"}, f"no pipeline {pipeline}"
    if "--namespaces" in given:
        section = pipelines[pipeline]
        known = set(params[section]) | declared[section]
        for name in given["--namespaces"].split(","):
            assert name in known, f"{pipeline} has no namespace {name} ({section}: {sorted(known)})"


def check_make(args: list[str]) -> None:
    targets = set(re.findall(r"(?m)^([a-z][\w-]*):", (PROJECT_ROOT / "Makefile").read_text()))
    names = [a for a in args if "=" not in a]
    assert names and set(names) <= targets, f"make {names}: the Makefile's targets are {sorted(targets)}"
    for assignment in (a for a in args if "=" in a):
        variable = assignment.split("=")[0]
        assert f"$({variable})" in (PROJECT_ROOT / "Makefile").read_text(), f"the Makefile reads no {variable}"


def test_every_command_of_the_readme_is_real():
    text = README.read_text()
    declared = yaml_entries(text)
    commands = shell_commands(text)
    assert len(commands) >= 12
    for args in commands:
        program = Path(args[0]).name
        if program == "painting-dreams":
            check_painting_dreams(args[1:])
        elif program == "kedro":
            check_kedro(args[1:], declared)
        elif program == "make":
            check_make(args[1:])
        elif program == "dvc":
            assert args[1] in {"repro", "status", "dag", "exp"}, args
        else:
            pytest.fail(f"the README runs {args}: teach this test what {program} is")


def test_the_cheap_readme_commands_run():
    """`models` and `brushes` run as written and print what the README says they list."""
    commands = [a for a in shell_commands(README.read_text()) if Path(a[0]).name == "painting-dreams"
                and a[1] in {"models", "brushes"}]
    assert len(commands) == 2
    for args in commands:
        result = subprocess.run([str(BIN / "painting-dreams"), *args[1:]], capture_output=True, text=True,
                                timeout=120, cwd=PROJECT_ROOT)
        assert result.returncode == 0, result.stderr[-2000:]
        expected = {"models": ["kmnist_15", "celeba_50_charcoal", "media"], "brushes": ["classic/charcoal"]}[args[1]]
        for word in expected:
            assert word in result.stdout, (args, result.stdout[:2000])


@pytest.mark.parametrize("page", [README, *DOCS, PROJECT_ROOT / "conf/README.md"], ids=lambda p: p.name)
def test_every_script_and_option_a_page_names_exists(page):
    text = page.read_text()
    for script, options in re.findall(r"python ((?:benchmarks|scripts)/\w+\.py)((?: --[\w-]+(?: [^`\s-][^`\s]*)*)*)", text):
        path = PROJECT_ROOT / script
        assert path.is_file(), f"{page.name} names {script}, which does not exist"
        source = path.read_text()
        for option in re.findall(r"--[\w-]+", options):
            assert f'"{option}"' in source, f"{page.name}: {script} has no option {option}"
    for link in re.findall(r"\]\(([^)#:]+)\)", text):
        assert (page.parent / link).exists(), f"{page.name} links to {link}, which does not exist"


def test_no_page_speaks_of_sessions():
    """grep -rniE "session [0-9]|this session|previous session" README.md docs/ src/ conf/ finds nothing."""
    pattern = re.compile(r"session [0-9]|this session|previous session", re.I)
    files = [README, *(PROJECT_ROOT / "docs").rglob("*"), *(PROJECT_ROOT / "src").rglob("*"),
             *(PROJECT_ROOT / "conf").rglob("*")]
    hits = []
    for path in files:
        if path.is_file() and path.suffix in {".md", ".py", ".yml", ".yaml", ".json", ".txt", ".svg", ""}:
            for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1):
                if pattern.search(line):
                    hits.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}")
    assert not hits, "\n".join(hits)


def test_the_readme_is_a_manual_of_at_most_300_lines():
    lines = README.read_text().splitlines()
    assert len(lines) <= 300, len(lines)
    headings = [line for line in lines if line.startswith("## ")]
    order = ["## Set-up", "## Paint a picture", "## Score a painter", "## Train your own painter", "## Pipelines",
             "## A GPU box", "## Results"]
    positions = [next(i for i, h in enumerate(headings) if h.startswith(o)) for o in order]
    assert positions == sorted(positions), headings
