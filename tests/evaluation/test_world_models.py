"""Held-out MSE against a blank prediction, and the seed's figures."""

import numpy as np
import pytest

from painting_dreams.evaluation.world_models import (
    evaluate_painter,
    stroke_mse,
    stroke_rows_figure,
    sweep_figure,
)
from painting_dreams.paint.replay import stroke_renderer
from painting_dreams.world_model.compositors import premultiplied_over_white
from painting_dreams.world_model.stroke_data import drawable_mask, unit_rgba
from painting_dreams.world_model.stroke_renderers import StrokeModelPainter
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH


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
    render = stroke_renderer("mnist", brush=BRUSH)
    action = np.array([0.8, 0.7, 0.6, 0.2, 0.9, 0.9, 0.0], np.float32)
    start = np.array([0.2, 0.3], np.float32)
    first = render(action, start)
    assert first[..., 3].sum() > 0
    np.testing.assert_array_equal(render(action, start), first)
    action[-1] = 1.0
    assert render(action, start)[..., 3].sum() == 0


def shown(axes) -> np.ndarray:
    """The image each of ``axes`` shows."""
    return np.stack([np.asarray(ax.images[0].get_array()) for ax in axes])


def test_figures(mnist_episodes):
    e = mnist_episodes
    painter = StrokeModelPainter(StrokeModel("mnist"))
    rows = stroke_rows_figure(e["strokes"][:, :6], e["actions"][:, :6], e["start"][:, :6],
                              painters={"stroke model": painter, "blank": BlankPainter()}, episodes=(0, 1))
    assert len(rows.axes) == 2 * 3 * 6  # per episode: MyPaint's strokes, then one row per painter; 6 steps
    row = lambda r: shown(rows.axes[6 * r: 6 * (r + 1)])  # noqa: E731
    for r, episode in ((0, 0), (3, 1)):  # the episodes' real strokes, over white
        np.testing.assert_allclose(row(r), premultiplied_over_white(unit_rgba(e["strokes"][episode, :6])), atol=1e-6)
    predicted = painter.paint_strokes(e["actions"][:1, :6], e["start"][:1, :6])[0]
    np.testing.assert_allclose(row(1), np.clip(premultiplied_over_white(np.asarray(predicted)), 0, 1), atol=1e-6)
    assert (row(2) == 1.0).all() and (row(5) == 1.0).all()  # the blank painter's rows
    assert [rows.axes[6 * r].get_ylabel() for r in range(3)] == ["MyPaint\nepisode 0", "stroke model", "blank"]

    sweep = sweep_figure(stroke_renderer("mnist", brush=BRUSH), painter, e["actions"][0, 1], e["start"][0, 1],
                         "jump", np.linspace(0, 1, 5), "mnist")
    assert len(sweep.axes) == 2 * 5  # MyPaint above, the world model below, one column per value
    assert [ax.get_title() for ax in sweep.axes[:5]] == ["jump=0.00", "jump=0.25", "jump=0.50", "jump=0.75", "jump=1.00"]
    real = shown(sweep.axes[:5])
    assert (real[:2] < 1.0).any(axis=(1, 2, 3)).all() and (real[2:] == 1.0).all()  # jump >= 0.5 paints nothing
