"""The evaluation pipeline runs end to end on a tiny agent and real MyPaint."""

import numpy as np
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.matplotlib import MatplotlibDataset
from kedro_datasets.pandas import CSVDataset
from PIL import Image

from painting_dreams.agent import build_policy, paint_targets, stroke_model_painter
from painting_dreams.datasets import GifDataset, NumpyDataset
from painting_dreams.paint.replay import replay_in_mypaint
from painting_dreams.pipelines.agent.pipeline import configured_runs
from painting_dreams.pipelines.evaluation.pipeline import create_pipeline
from painting_dreams.refine import dream_paint
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH

EVALUATION = {"max_test_images": 6, "batch_size": 4, "exploit_threshold": 0.02, "exploit_examples": 2,
              "grid_images": 2, "gif_images": 2, "gif_scale": 1,
              "modes": {"images": 4, "refine_steps": [2, 4], "refine_learning_rate": {"mnist": 0.01, "color": 0.03},
                        "refine_check_every": 2, "dream_only_rows": [], "scratch_steps": 2,
                        "scratch_learning_rate": 0.1, "batch_size": 4, "closed_loop": True, "scratch": ["random"]}}
DEFAULTS = {"compositor": "alpha_over", "discrete_actions": "straight_through", "fixed_fields": {},
            "max_train_images": None, "max_test_images": None,
            "policy": {"filters": 8, "residual_blocks": 1, "action_embedding": 8, "dense_units": 16, "lstm_units": 16},
            "critic": {}, "training": {"strokes": 3}, "cma_baseline": {}}
RUN = {"name": "mnist_8", "dataset": "mnist", "world": "mnist", "layout": "mnist", "brush": BRUSH,
       "preparation": {"kind": "digits", "image_size": 64}, "run_dir": "unused/mnist_8", "compositor": "darker_of",
       "fixed_fields": {"jump": 0.0}}  # runs.mnist_8 as the inventory completes it


def test_each_run_is_scored_in_its_own_namespace_then_every_run_in_one_table(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == {*configured_runs(), None}  # the two tables are outside any run
    assert set(configured_runs()) == set(project_params["runs"])  # every run of the inventory
    mnist = create_pipeline(runs=["mnist_8"])
    assert mnist.inputs() == {"mnist_8.agent_policy", "mnist.stroke_model", "mnist.targets", "params:agent.defaults",
                              "params:runs.mnist_8", "params:evaluation"}
    assert mnist.outputs() == {"evaluation_results", "evaluation_modes", *(f"mnist_8.{name}" for name in (
        "transfer_grid", "transfer_gif", "exploitation_examples", "modes_per_image", "refinement_curve"))}
    celeba = create_pipeline(runs=["celeba_15", "celeba_50"])
    assert {"celeba.targets", "color.stroke_model", "celeba_50.agent_policy"} <= celeba.inputs()
    table = next(node for node in celeba.nodes if node.name == "collect_evaluation_results")
    assert table.inputs == ["celeba_15.transfer_summary", "celeba_50.transfer_summary"]


@pytest.mark.slow
def test_evaluation_pipeline_scores_a_run(tmp_path):
    rng = np.random.default_rng(0)
    targets = {"train": rng.random((4, 64, 64, 3), dtype=np.float32),
               "test": rng.random((8, 64, 64, 3), dtype=np.float32)}
    policy = build_policy("mnist", {"jump": 0.0}, **DEFAULTS["policy"])
    stroke_model = StrokeModel("mnist")
    catalog = DataCatalog({
        "mnist.targets": MemoryDataset(targets),
        "mnist_8.agent_policy": MemoryDataset(policy, copy_mode="assign"),
        "mnist.stroke_model": MemoryDataset(stroke_model, copy_mode="assign"),
        "params:agent.defaults": MemoryDataset(DEFAULTS),
        "params:runs.mnist_8": MemoryDataset(RUN),
        "params:evaluation": MemoryDataset(EVALUATION),
        "mnist_8.dream_actions": NumpyDataset(filepath=str(tmp_path / "actions.npy")),
        "mnist_8.transfer_scores": CSVDataset(filepath=str(tmp_path / "scores.csv")),
        "mnist_8.transfer_gif": GifDataset(filepath=str(tmp_path / "strokes.gif")),
        "mnist_8.transfer_grid": MatplotlibDataset(filepath=str(tmp_path / "grid.png")),
        "evaluation_results": CSVDataset(filepath=str(tmp_path / "results.csv")),
        "mnist_8.refinement_curve": MatplotlibDataset(filepath=str(tmp_path / "refinement.png")),
        "evaluation_modes": CSVDataset(filepath=str(tmp_path / "modes.csv")),
    })
    pipeline = create_pipeline(runs=["mnist_8"])
    SequentialRunner().run(pipeline, catalog)

    # The agent's own strokes for the first 6 test images, painted with the run's painter (darker_of)...
    test = targets["test"][:6]
    painter = stroke_model_painter(stroke_model, "mnist", "darker_of", brush=BRUSH)
    actions = catalog.load("mnist_8.dream_actions")
    assert actions.shape == (6, 3, 9) and (actions[..., -1] == 0).all()  # jump fixed to 0
    np.testing.assert_allclose(actions, paint_targets(policy, painter, test, 3, every_stroke=False)[0], atol=1e-6)
    # ... and each image scored against real MyPaint's and the dream's painting of those strokes.
    real = replay_in_mypaint(actions, "mnist", BRUSH, progress=False)[:, -1] / 255.0
    dream = dream_paint(painter, actions)
    scores = catalog.load("mnist_8.transfer_scores")
    assert scores["image"].tolist() == list(range(6))
    np.testing.assert_allclose(scores["mse_target_real"], np.mean((real - test) ** 2, axis=(1, 2, 3)), rtol=1e-6)
    np.testing.assert_allclose(scores["mse_target_dream"], np.mean((dream - test) ** 2, axis=(1, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(scores["mse_dream_real"], np.mean((dream - real) ** 2, axis=(1, 2, 3)), rtol=1e-5)
    results = catalog.load("evaluation_results")
    assert results[["dataset", "strokes", "images"]].iloc[0].tolist() == ["mnist", 3, 6]
    assert results[["world", "brush"]].iloc[0].tolist() == ["mnist", BRUSH]  # what painted the run
    assert results["mse_target_real_mean"].iloc[0] == scores["mse_target_real"].mean()
    frames = catalog.load("mnist_8.transfer_gif")
    assert len(frames) >= 1 + 3 and frames[0].shape == (2 * 64 + 2, 3 * 64 + 4, 3)
    assert (frames[0][:, 66:130] >= 250).all() and (frames[-1][:, 66:130] < 250).any()  # a blank dream, then paint
    with Image.open(tmp_path / "grid.png") as grid:
        assert grid.format == "PNG" and min(grid.size) > 100

    modes = catalog.load("evaluation_modes")
    assert list(modes["mode"]) == ["open_loop", "closed_loop", "refine", "refine", "scratch_random"]
    assert (modes["run"] == "mnist_8").all() and (modes["images"] == 4).all() and modes["seed_mse_dream"].isna().all()  # the seed painted 8, not 3
    per_image = catalog.load("mnist_8.modes_per_image")
    assert (per_image["refine_4"] <= per_image["open_loop"]).all()  # never worse than the agent alone, per image
    assert modes["mse_real_mean"].iloc[0] == scores["mse_target_real"].iloc[:4].mean()  # the same images, open loop
    with Image.open(tmp_path / "refinement.png") as curve:
        assert curve.format == "PNG" and min(curve.size) > 100
