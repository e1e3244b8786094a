"""Replay in real MyPaint, transfer scores, summaries and figures."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from painting_dreams.datasets import GifDataset
from painting_dreams.evaluation import (
    exploitation_figure,
    score_transfer,
    stroke_by_stroke_frames,
    summarise_transfer,
    transfer_grid,
)
from painting_dreams.paint import MyPaintEnv
from painting_dreams.paint.replay import replay_in_mypaint
from tests.conftest import BRUSH


def test_replay_matches_the_env_stroke_by_stroke():
    actions = np.random.default_rng(0).random((3, 4, 8 + 3)).astype(np.float32)
    real = replay_in_mypaint(actions, "color", BRUSH, progress=False)
    assert real.shape == (3, 4, 64, 64, 3) and real.dtype == np.uint8
    env = MyPaintEnv(variant="color", absolute=True, brush=BRUSH)
    env.reset()
    for s in range(4):
        np.testing.assert_array_equal(env.step(actions[1, s])[0]["canvas"], real[1, s])
    assert (real[:, -1] < 250).any(axis=(1, 2, 3)).all()  # every image got paint
    with pytest.raises(ValueError, match=r"actions have 7 fields, but the absolute 'color' layout has 11"):
        replay_in_mypaint(actions[..., :7], "color", BRUSH, progress=False)
    with pytest.raises(ValueError, match=r"expected \(images, strokes, fields\)"):
        replay_in_mypaint(actions[0], "color", BRUSH, progress=False)


def test_scores_are_mses_and_flag_exploitation():
    white, black, grey = np.ones((1, 4, 4, 3)), np.zeros((1, 4, 4, 3)), np.full((1, 4, 4, 3), 0.5)
    targets = np.concatenate([black, black, white])
    dream = np.concatenate([black, grey, white])
    real = np.concatenate([white, grey, white])
    scores = score_transfer(targets, dream, real, exploit_threshold=0.1)
    np.testing.assert_allclose(scores["mse_target_real"], [1.0, 0.25, 0.0])
    np.testing.assert_allclose(scores["mse_target_dream"], [0.0, 0.25, 0.0])
    np.testing.assert_allclose(scores["mse_dream_real"], [1.0, 0.0, 0.0])
    assert scores["exploited"].tolist() == [True, False, False]
    with pytest.raises(ValueError, match="must have one shape"):
        score_transfer(targets, dream[:2], real, 0.1)

    summary = summarise_transfer(scores, "mnist", 8, "spiral_backprop")
    row = summary.iloc[0]
    assert row.images == 3 and row.exploited == 1
    assert row.mse_target_real_mean == pytest.approx(1.25 / 3) and row.seed_mse_dream == 0.01
    assert not row.real_at_or_below_seed
    assert summarise_transfer(scores.assign(mse_target_real=0.001), "mnist", 8, "x").iloc[0].real_at_or_below_seed
    assert pd.isna(summarise_transfer(scores, "mnist", 9, "x").iloc[0].seed_mse_dream)


def test_figures_and_gif_frames(tmp_path):
    rng = np.random.default_rng(1)
    targets, dream, real = (rng.random((5, 64, 64, 3)) for _ in range(3))
    steps = rng.random((5, 4, 64, 64, 3))
    scores = score_transfer(targets, dream, real, exploit_threshold=0.0)
    grid = transfer_grid(targets, dream, real, scores, 3, "t")
    assert len(grid.axes) == 3 * 3  # rows: the first 3 images; columns: target | dream | real
    for i in range(3):
        for j, panel in enumerate((targets, dream, real)):
            np.testing.assert_array_equal(grid.axes[3 * i + j].images[0].get_array(),
                                          np.round(panel[i] * 255).astype(np.uint8))
        label = grid.axes[3 * i + 2].get_ylabel()
        assert label == f"real {scores.mse_target_real[i]:.4f}\ndream {scores.mse_target_dream[i]:.4f}"
    fig = exploitation_figure(targets, dream, real, scores, 2, 0.0)
    assert len(fig.axes) == 6  # two flagged rows x 3 panels
    assert len(exploitation_figure(targets, dream, real, scores.assign(exploited=False), 2, 0.5).axes) == 1
    plt.close("all")

    frames = stroke_by_stroke_frames(targets, steps, steps, images=2, scale=2, hold_frames=3)
    assert len(frames) == 1 + 4 + 3  # blank, one per stroke, held
    assert frames[0].shape == (2 * (64 * 2 + 2), 2 * (3 * 64 + 2 * 2), 3) and frames[0].dtype == np.uint8
    assert (frames[0][:, 2 * 66 : 2 * 130] == 255).all()  # the first frame shows blank dream and real canvases

    gif = GifDataset(filepath=str(tmp_path / "a" / "strokes.gif"), frame_ms=100)
    gif.save(frames)
    loaded = gif.load()
    assert len(loaded) >= 5 and loaded[0].shape == frames[0].shape
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["strokes.gif"]


def test_the_refinement_curve_draws_every_mode_however_many():
    from painting_dreams.evaluation.figures import refinement_curve

    rows = [("open_loop", 0, 0.02), ("closed_loop", 0, 0.019)]
    rows += [(mode, k, 0.02 - k * 1e-5) for mode in ("refine", "refine_dream_only") for k in (25, 50, 100, 200)]
    rows += [(mode, 200, 0.03) for mode in ("scratch_random", "scratch_random_dream_only", "scratch_grid",
                                              "scratch_grid_dream_only")]
    modes = pd.DataFrame(rows, columns=["mode", "refine_steps", "mse_real_mean"]).assign(mse_dream_mean=0.01)
    figure = refinement_curve(modes, 0.018, "many modes")
    axes = figure.axes[0]
    assert len(axes.lines) == 3 + 5 + 1  # real, dream, dream-only curves; five other modes; the seed
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "scratch grid dream only (200 steps), real" in labels and "seed (dream) 0.018" in labels
    np.testing.assert_allclose(axes.lines[2].get_ydata(), [0.02, 0.01975, 0.0195, 0.019, 0.018])
