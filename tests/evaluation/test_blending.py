"""Blending calibration: replayed strokes are the episode's, and alpha-over rebuilds MyPaint's canvas."""

import numpy as np
import pytest

from painting_dreams.episodes import EpisodeSpec, episode_seeds, roll_out_episodes
from painting_dreams.evaluation.blending import (
    blending_errors,
    blending_figure,
    brush_colours,
    composite_episodes,
    paint_episode_strokes,
)
from painting_dreams.paint.replay import play
from tests.conftest import BRUSH


def canvas_episodes(variant: str, episodes: int = 4, steps: int = 6, seed: int = 5) -> dict:
    spec = EpisodeSpec(variant=variant, stroke_mode=False, steps=steps, brush=BRUSH)
    env = spec.make_env()
    try:
        return roll_out_episodes(env, episode_seeds(seed, episodes), steps)
    finally:
        env.close()


@pytest.mark.parametrize("variant", ["mnist", "color"])
def test_replayed_strokes_rebuild_the_canvas_with_alpha_over(variant):
    e = canvas_episodes(variant)
    strokes = play(e["actions"], variant, absolute=False, stroke_mode=True, brush=BRUSH).strokes
    assert strokes.shape == (4, 6, 64, 64, 4) and strokes.dtype == np.uint8
    assert (strokes[:, 0] == 0).all()  # the first move paints nothing
    stroke_spec = EpisodeSpec(variant=variant, stroke_mode=True, steps=6, brush=BRUSH)
    env = stroke_spec.make_env()
    np.testing.assert_array_equal(strokes, roll_out_episodes(env, episode_seeds(5, 4), 6)["strokes"])  # same jitter
    env.close()

    errors = {m: blending_errors(composite_episodes(strokes, e["actions"], variant, m), e["canvases"])
              for m in ("darker_of", "darkness_mask", "alpha_over")}
    assert errors["alpha_over"]["mse"] < 1e-5 and errors["alpha_over"]["max_error"] < 0.05  # fix15 -> uint8 rounding
    assert errors["alpha_over"]["mse"] < errors["darker_of"]["mse"]


def test_blending_errors_and_colours():
    real = np.full((1, 2, 4, 4, 3), 255, np.uint8)
    composited = np.ones((1, 2, 4, 4, 3), np.float32)
    composited[0, 1, 0, 0, 0] = 0.0
    errors = blending_errors(composited, real)
    assert errors == {"mse": pytest.approx(1 / 96), "final_mse": pytest.approx(1 / 48), "max_error": 1.0}
    assert (brush_colours(np.ones((2, 3, 7)), "mnist") == 0).all()
    colour = np.arange(9, dtype=np.float32) / 10
    np.testing.assert_allclose(brush_colours(colour[None], "color")[0], [0.6, 0.7, 0.8])


def test_painter_strokes_leave_the_first_move_blank():
    class FullPainter:
        def paint_strokes(self, actions, starts):
            return np.ones((*actions.shape[:2], 64, 64, 4), np.float32)

    actions = np.zeros((3, 4, 7), np.float32)
    painted = np.ones((3, 4), bool)
    painted[:, 0] = False
    strokes = paint_episode_strokes(FullPainter(), actions, np.zeros((3, 4, 2)), painted, "mnist", batch_size=2)
    assert strokes.shape == (3, 4, 64, 64, 4)
    assert (strokes[:, 0] == 0).all() and (strokes[:, 1:] == 1).all()


def test_blending_figure_has_a_row_per_compositing():
    canvases = np.full((5, 64, 64, 3), 255, np.uint8)
    canvases[2, 10:20] = 0  # MyPaint's third canvas has a black band
    rows = {"a": np.full((5, 64, 64, 3), 0.5), "b": np.linspace(-0.5, 1.5, 5)[:, None, None, None] * np.ones((64, 64, 3))}
    figure = blending_figure(canvases, rows, title="t")
    assert len(figure.axes) == 3 * 5  # MyPaint's canvases on top, then one row per compositing; 5 steps
    assert [figure.axes[5 * r].get_ylabel() for r in range(3)] == ["MyPaint", "a", "b"]
    shown = [np.stack([np.asarray(ax.images[0].get_array()) for ax in figure.axes[5 * r: 5 * (r + 1)]]) for r in range(3)]
    np.testing.assert_allclose(shown[0], canvases / 255.0, atol=1e-6)  # uint8 shown in [0, 1]
    np.testing.assert_allclose(shown[1], rows["a"])
    np.testing.assert_allclose(shown[2], np.clip(rows["b"], 0, 1))  # out-of-range pixels clipped, not wrapped
