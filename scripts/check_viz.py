"""Check the static kedro-viz site in a real browser: every pipeline's nodes render.

    python scripts/check_viz.py [--build] [--screenshots docs/viz]

Serves ``build/`` over HTTP on localhost (kedro-viz does not work from ``file://``), opens each
pipeline in headless Chromium (Debian's ``chromium``) with all modular pipelines expanded, and
compares the nodes drawn on the page with the task and dataset nodes in the build's API file for that
pipeline. Exits 1 naming the pipeline and the missing nodes if any is not drawn. ``--build``
runs ``kedro viz build`` first and fails if it did not write ``build/api/main`` (the command
itself exits 0 even when it fails).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--virtual-time-budget=20000"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def build_site(build: Path) -> None:
    shutil.rmtree(build, ignore_errors=True)
    kedro = Path(sys.executable).parent / "kedro"
    result = subprocess.run([str(kedro), "viz", "build"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    if not (build / "api" / "main").is_file():
        sys.exit(f"kedro viz build wrote no {build / 'api' / 'main'} (exit {result.returncode}):\n"
                 f"{result.stdout[-2000:]}{result.stderr[-2000:]}")


def expected_nodes(api_file: Path) -> dict[str, str]:
    """id -> name of the task and dataset nodes of one pipeline (kedro-viz hides parameter nodes by
    default and marks them on their tasks instead; modular pipelines are expanded)."""
    nodes = json.loads(api_file.read_text())["nodes"]
    return {node["id"]: node["name"] for node in nodes if node["type"] in ("task", "data")}


def drawn_ids(dom: str) -> set[str]:
    """Ids of the nodes drawn in the flowchart's SVG (``<g class="pipeline-node ..." data-id=...>``)."""
    return set(re.findall(r'<g [^>]*class="pipeline-node[ "][^>]*data-id="([^"]+)"', dom))


def chromium(args: list[str], profile: Path) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        sys.exit("chromium not found: sudo apt-get install -y chromium")
    result = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                            capture_output=True, text=True, timeout=180)
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="run `kedro viz build` first")
    parser.add_argument("--site", type=Path, default=PROJECT_ROOT / "build", help="the built site (default build/)")
    parser.add_argument("--screenshots", type=Path, help="save one PNG per pipeline in this folder")
    args = parser.parse_args()
    if args.build:
        build_site(args.site)
    pipelines_dir = args.site / "api" / "pipelines"
    if not pipelines_dir.is_dir():
        sys.exit(f"no kedro-viz build at {args.site}: run `kedro viz build` (or pass --build)")

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failures = 0
    with tempfile.TemporaryDirectory() as profile:
        for api_file in sorted(pipelines_dir.iterdir()):
            pipeline = api_file.name
            url = f"{base}?pid={pipeline}&expandAllPipelines=true"
            expected = expected_nodes(api_file)
            drawn = drawn_ids(chromium(["--dump-dom", url], Path(profile)))
            missing = sorted(expected[node] for node in set(expected) - drawn)
            status = "ok" if not missing else f"MISSING {len(missing)}: {', '.join(missing[:8])}"
            print(f"{pipeline:14s} task+data nodes {len(expected):4d}  drawn {len(drawn & set(expected)):4d}  {status}")
            failures += bool(missing) or not expected
            if args.screenshots:
                args.screenshots.mkdir(parents=True, exist_ok=True)
                chromium([f"--screenshot={args.screenshots.resolve() / f'{pipeline}.png'}", "--window-size=1600,1000",
                          url], Path(profile))
    server.shutdown()
    print("every pipeline's nodes render" if not failures else f"{failures} pipeline(s) did not render fully")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
