"""Held-out MSE against a blank prediction, and the seed's figures."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from painting_dreams.evaluation.world_models import (
    evaluate_painter,
    stroke_mse,
    stroke_rows_figure,
    sweep_figure,
)
from painting_dreams.paint.replay import stroke_renderer
from painting_dreams.world_model.stroke_renderers import StrokeModelPainter
from painting_dreams.world_model.stroke_data import drawable_mask
from painting_dreams.world_model.stroke_model import StrokeModel


class BlankPainter:
    """Paints nothing: its MSE is the blank baseline by definition."""

    action_size = 7

    def paint_strokes(self, actions, starts):
        return np.zeros((*actions.shape[:2], 64, 64, 4), np.float32)


def test_stroke_mse_is_over_white_rgb():
    real = np.zeros((1, 64, 64, 4), np.uint8)
    real[0, :32, :, 3] = 255  # opaque black on the top half
    assert stroke_mse(np.zeros((1, 64, 64, 4), np.float32), real)[0] == 0.5


def test_blank_painter_scores_the_blank_baseline(mnist_episodes):
    e = mnist_episodes
    report = evaluate_painter(BlankPainter(), e["strokes"], e["actions"], e["start"], e["painted"], "mnist",
                              batch_size=7)
    mask = drawable_mask(e["actions"], e["painted"], "mnist")
    assert report["strokes"] == mask.sum()
    assert report["mse"] == report["blank_mse"] > 0
    assert report["ratio"] == 1.0
    blank = stroke_mse(np.zeros(e["strokes"][mask].shape, np.float32), e["strokes"][mask])
    assert report["blank_mse"] == pytest.approx(float(blank.mean()), rel=1e-6)


def test_real_renderer_is_reproducible_and_jumps_paint_nothing():
    render = stroke_renderer("mnist")
    action = np.array([0.8, 0.7, 0.6, 0.2, 0.9, 0.9, 0.0], np.float32)
    start = np.array([0.2, 0.3], np.float32)
    first = render(action, start)
    assert first[..., 3].sum() > 0
    np.testing.assert_array_equal(render(action, start), first)
    action[-1] = 1.0
    assert render(action, start)[..., 3].sum() == 0


def test_figures(mnist_episodes):
    e = mnist_episodes
    painter = StrokeModelPainter(StrokeModel("mnist"))
    rows = stroke_rows_figure(e["strokes"][:, :6], e["actions"][:, :6], e["start"][:, :6],
                              painters={"stroke model": painter, "blank": BlankPainter()}, episodes=(0, 1))
    assert isinstance(rows, Figure) and len(rows.axes) == 2 * 3 * 6
    sweep = sweep_figure(stroke_renderer("mnist"), painter, e["actions"][0, 1], e["start"][0, 1],
                         "jump", np.linspace(0, 1, 5), "mnist")
    assert isinstance(sweep, Figure) and len(sweep.axes) == 2 * 5
