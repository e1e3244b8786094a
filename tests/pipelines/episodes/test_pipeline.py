"""The ``episodes`` pipeline on quick-size parameters, with SequentialRunner on a tmp_path catalog."""

import hashlib
from pathlib import Path

import numpy as np
import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.episodes import Episodes
from painting_dreams.episodes.figures import episode_mosaic, plot_episode_strips
from painting_dreams.pipelines.episodes import create_pipeline
from painting_dreams.paint.libmypaint import find_brush
from painting_dreams.pipelines.episodes.nodes import generate_episodes
from tests.pipelines.world_model_catalog import parameter_datasets

BUNDLED = ("mnist", "color")  # conf/base's worlds


@pytest.fixture(scope="module")
def quick_parameters(project_root: Path) -> dict:
    parameters = yaml.safe_load((project_root / "conf" / "quick" / "parameters_episodes.yml").read_text())["episodes"]
    return {**parameters, "workers": 2, "progress": False}


def test_pipeline_has_both_kinds_for_every_world(project_params):
    pipeline = create_pipeline()
    worlds = set(project_params["worlds"])
    assert worlds >= set(BUNDLED)
    figures = {f"{w}.{k}_episodes_figure" for w in worlds for k in ("canvas", "stroke")}
    assert pipeline.outputs() == figures | {f"{w}.episode_split" for w in worlds}
    assert {n.name for n in pipeline.nodes} >= {"mnist.generate_stroke_episodes", "color.plot_canvas_episodes"}
    assert "params:worlds.mnist" in pipeline.only_nodes_with_namespaces(["mnist"]).inputs()  # layout, brush, seed


def test_episodes_pipeline_runs_on_quick_parameters(tmp_path, quick_parameters, project_params):
    pipeline = create_pipeline().only_nodes_with_namespaces(list(BUNDLED))
    worlds = project_params["worlds"]
    datasets = {**parameter_datasets("episodes", quick_parameters), **parameter_datasets("worlds", worlds)}
    for variant in BUNDLED:
        for kind in ("canvas", "stroke"):
            datasets[f"{variant}.{kind}_episodes"] = EpisodesDataset(filepath=str(tmp_path / variant / kind))
            datasets[f"{variant}.{kind}_episodes_figure"] = MemoryDataset()
        datasets[f"{variant}.episode_split"] = MemoryDataset()
    catalog = DataCatalog(datasets=datasets)

    SequentialRunner().run(pipeline, catalog)

    digest = hashlib.sha256(find_brush(worlds["mnist"]["brush"]).read_bytes()).hexdigest()
    for variant in BUNDLED:
        for kind, steps in (("canvas", 10), ("stroke", 20)):
            episodes = catalog[f"{variant}.{kind}_episodes"].load()
            assert isinstance(episodes, Episodes)
            manifest = episodes.manifest
            assert (manifest["variant"], manifest["stroke_mode"], manifest["steps"]) == (variant, kind == "stroke", steps)
            assert manifest["episodes"] == len(episodes) == quick_parameters[kind]["episodes"]
            assert manifest["seed"] == worlds[variant]["seed"] and worlds[variant]["layout"] == variant
            assert (manifest["brush"], manifest["brush_sha256"]) == (worlds[variant]["brush"], digest)
            assert len(manifest["chunks"]) == -(-len(episodes) // quick_parameters["chunk_size"])
            assert ("strokes" in episodes.keys) == (kind == "stroke")
            # the figure shows the first stored episodes' canvases, one strip per episode
            figure = catalog[f"{variant}.{kind}_episodes_figure"].load()
            first = episodes.arrays(["canvases"], episodes=slice(0, quick_parameters["figure_episodes"]))["canvases"]
            np.testing.assert_array_equal(figure.axes[0].images[0].get_array(), episode_mosaic(first))
        # one split per world, for its stroke and canvas episodes: the last 6 of 64 held out
        assert catalog[f"{variant}.episode_split"].load() == {"held_out_fraction": 0.1, "train": [0, 58],
                                                              "held_out": [58, 64]}


def test_generate_episodes_node_builds_a_lazy_stream(quick_parameters, project_params):
    world = project_params["worlds"]["color"]
    stream = generate_episodes(world, quick_parameters["stroke"], quick_parameters)
    assert stream.manifest["variant"] == "color" and stream.manifest["stroke_mode"] is True
    assert stream.manifest["width"] == stream.manifest["height"] == world["canvas_size"] == 64
    assert (stream.manifest["brush"], stream.manifest["seed"]) == (world["brush"], world["seed"])


def test_episode_strip_figure(tmp_path):
    canvases = np.full((2, 3, 8, 8, 3), 255, np.uint8)
    canvases[1, 2] = 0
    mosaic = episode_mosaic(canvases)
    assert mosaic.shape == (2 * 10 + 2, 3 * 10 + 2, 3)
    assert (mosaic[12:20, 22:30] == 0).all()
    figure = plot_episode_strips(canvases, np.array([[False, True, True], [False, False, True]]), title="t")
    axes = figure.axes[0]
    np.testing.assert_array_equal(axes.images[0].get_array(), mosaic)
    crosses = axes.collections[0].get_offsets()  # a red x on each step that paints nothing, in its tile's corner
    np.testing.assert_array_equal(crosses, [[2 + 6, 2 + 6], [2 + 6, 12 + 6], [12 + 6, 12 + 6]])
    assert axes.get_title() == "t"
    figure.savefig(tmp_path / "strip.png")
    assert (tmp_path / "strip.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
