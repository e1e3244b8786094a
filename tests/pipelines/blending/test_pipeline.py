"""The ``blending`` pipeline: world-model scores, default painter, figures and blending calibration.

The whole chain (vae, rnn, stroke_model, then blending) runs on small real episodes per world.
"""

import numpy as np
import pandas as pd
import pytest
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from PIL import Image

from painting_dreams.pipelines.blending import create_pipeline
from painting_dreams.pipelines.blending.nodes import choose_default_painter, plot_blending
from painting_dreams.pipelines.rnn import create_pipeline as rnn_pipeline
from painting_dreams.pipelines.stroke_model import create_pipeline as stroke_model_pipeline
from painting_dreams.pipelines.vae import create_pipeline as vae_pipeline
from tests.pipelines.world_model_catalog import assert_catalog_declares, tiny_parameters, world_model_catalog

IN_MEMORY = frozenset({"held_out_canvas_episodes", "world_model_strokes"})


def test_one_report_and_calibration_per_world(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == set(project_params["worlds"]) >= {"mnist", "color"}
    mnist = pipeline.only_nodes_with_namespaces(["mnist"])
    assert mnist.inputs() == {"mnist.stroke_episodes", "mnist.canvas_episodes", "mnist.episode_split", "mnist.vae",
                              "mnist.mdn_rnn", "mnist.stroke_model", "params:world_model", "params:world_model_report",
                              "params:world_model_report.sweeps.mnist", "params:blending"}
    assert mnist.all_outputs() == {f"mnist.{name}" for name in (
        "world_model_scores", "default_painter", "stroke_rows_figure", "sweep_figures", "held_out_canvas_episodes",
        "world_model_strokes", "blending_scores", "blending_figure")}
    color = pipeline.only_nodes_with_namespaces(["color"])
    assert "params:world_model_report.sweeps.color" in color.inputs()  # a world's sweeps are its layout's
    assert_catalog_declares(pipeline, IN_MEMORY)


def scores(ratios: dict) -> pd.DataFrame:
    return pd.DataFrame([{"model": model, "paints_from_actions": model not in ("blank", "vae"), "mse": ratio / 100,
                          "blank_mse": 0.01, "ratio": ratio} for model, ratio in ratios.items()])


def test_the_default_painter_is_the_painter_with_the_lowest_ratio():
    report = {"target_ratio": 0.15}
    choice = choose_default_painter(scores({"blank": 1.0, "vae": 0.05, "vae_rnn": 0.3, "stroke_model": 0.12}), report)
    assert choice == {"painter": "stroke_model", "mse": 0.0012, "blank_mse": 0.01, "ratio": 0.12,
                      "target_ratio": 0.15, "meets_target": True}  # the VAE alone cannot paint an action
    choice = choose_default_painter(scores({"vae": 0.05, "vae_rnn": 0.3, "stroke_model": np.nan}), report)
    assert (choice["painter"], choice["meets_target"]) == ("vae_rnn", False)
    with pytest.raises(ValueError, match="no painter has a held-out score"):
        choose_default_painter(scores({"vae": 0.1, "vae_rnn": np.nan, "stroke_model": np.nan}), report)


def test_a_figure_episode_out_of_range_is_named():
    held_out = {"actions": np.zeros((2, 3, 7), np.float32), "variant": "mnist"}
    with pytest.raises(ValueError, match="figure_episode is 5, but only 2 held-out canvas episodes"):
        plot_blending(held_out, np.zeros((2, 3, 64, 64, 4)), {"painter": "stroke_model"}, {"figure_episode": 5})


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["mnist", "color"])  # the bundled worlds, named after their layouts
def test_the_chain_scores_world_models_and_calibrates_blending(variant, small_episodes, tmp_path):
    catalog = world_model_catalog(tmp_path, small_episodes, tiny_parameters(tmp_path))
    chain = sum((make().only_nodes_with_namespaces([variant])
                 for make in (vae_pipeline, rnn_pipeline, stroke_model_pipeline, create_pipeline)), Pipeline([]))

    SequentialRunner().run(chain, catalog)

    table = catalog[f"{variant}.world_model_scores"].load()
    assert table["model"].tolist() == ["blank", "vae", "vae_rnn", "stroke_model"]
    assert table["paints_from_actions"].tolist() == [False, False, True, True]
    assert table["ratio"].iloc[0] == 1.0 and table["mse"].iloc[0] == table["blank_mse"].iloc[0]
    assert (table["episodes"] == 6).all() and (table["strokes"] >= 6 * 19).all()  # all but first moves
    assert table["blank_mse"].nunique() == 1 and 0 < table["blank_mse"].iloc[0] < 0.2
    np.testing.assert_allclose(table["ratio"], table["mse"] / table["blank_mse"])
    assert (table["ratio"] > 0).all()
    stroke_model = table.set_index("model").loc["stroke_model"]
    assert stroke_model["ratio"] < 1  # trained for seconds, already better than a blank canvas

    painters = table[table["paints_from_actions"]]
    default = catalog[f"{variant}.default_painter"].load()
    assert default["painter"] == painters.loc[painters["ratio"].idxmin(), "model"]

    blending = catalog[f"{variant}.blending_scores"].load().set_index(["source", "compositor"])
    assert len(blending) == 6 and (blending["episodes"] == 4).all()
    mypaint = blending.loc["mypaint strokes"]
    assert mypaint.loc["alpha_over", "mse"] < 1e-4  # MyPaint's own strokes, alpha over: MyPaint's canvas
    assert (mypaint["mse"] > 0).all()
    if variant == "color":
        assert mypaint.loc["alpha_over", "mse"] < mypaint.loc["darker_of", "mse"]
    dreamed = blending.loc["world model"]
    assert (dreamed["painter"] == default["painter"]).all()
    assert ((dreamed["mse"] > 0) & (dreamed["max_error"] <= 1.0)).all()

    figures = tmp_path / "08_reporting" / "world_model"
    sweeps = {"mnist": {"jump.png", "size.png"}, "color": {"size.png"}}[variant]
    assert {path.name for path in (figures / f"{variant}_sweeps").iterdir()} == sweeps
    for name in (f"{variant}_stroke_rows.png", f"{variant}_blending.png", *(f"{variant}_sweeps/{s}" for s in sweeps)):
        with Image.open(figures / name) as image:
            assert image.format == "PNG" and min(image.size) > 100


def test_the_report_and_the_calibration_are_two_tagged_parts(project_params):
    pipeline = create_pipeline()
    names = lambda tag: {node.name.split(".")[-1] for node in pipeline.only_nodes_with_tags(tag).nodes}  # noqa: E731
    assert names("world_model_report") == {"score_world_models", "choose_default_painter", "plot_stroke_rows",
                                           "plot_sweeps"}
    assert names("blending_calibration") == {"replay_held_out_canvas_episodes", "paint_world_model_strokes",
                                             "score_blending", "plot_blending"}
    assert len(pipeline.nodes) == len(project_params["worlds"]) * 8  # every world, every node in one of the two parts
