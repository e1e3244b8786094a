"""Refinement in the dream: actions optimised through the tiny real stroke model, judged in real MyPaint."""

import numpy as np
import pytest

from painting_dreams.paint.actions import ActionLayout
from painting_dreams.refine import grid_start, keep_better, random_start, refine, refine_in_mypaint
from tests.agent.conftest import STROKES
from tests.conftest import BRUSH

LAYOUT = ActionLayout("mnist", absolute=True)


@pytest.fixture(scope="module")
def refined(mnist_painter, paintings):
    start = random_start(len(paintings), STROKES, "mnist", seed=3)
    start[..., LAYOUT.index("jump")] = 0.0
    return start, refine(mnist_painter, paintings, start, steps=40, learning_rate=0.03, batch_size=16,
                         fixed_fields={"jump": 0.0}, snapshots=(0, 10, 40), progress=False)


@pytest.mark.slow
def test_refinement_lowers_every_paintings_dream_mse_and_keeps_actions_valid(refined):
    start, result = refined
    assert result.actions.shape == start.shape and len(result.curve) == 41
    assert (result.dream_mse <= result.start_mse).all()  # the best iterate, never worse than the start
    assert result.dream_mse.mean() < 0.7 * result.start_mse.mean()
    assert result.curve[-1] < result.curve[0]
    assert np.isclose(result.curve[0], result.start_mse.mean(), rtol=1e-4)
    assert result.actions.min() >= 0.0 and result.actions.max() <= 1.0
    assert (result.actions[..., LAYOUT.index("jump")] == 0.0).all()  # a fixed field stays fixed
    for field in ("pressure", "size"):  # two-valued fields come back as the value MyPaint paints
        assert set(np.unique(result.actions[..., LAYOUT.index(field)])) <= {0.25, 0.75}
    assert result.seconds > 0
    assert sorted(result.snapshots) == [0, 10, 40]  # the best within the first K steps, from one run
    np.testing.assert_array_equal(result.snapshots[40], result.actions)
    np.testing.assert_array_equal(result.snapshots[0][..., [0, 1, 2, 3, 4, 5]], start[..., [0, 1, 2, 3, 4, 5]])
    assert 0 < result.snapshot_seconds[0] < result.snapshot_seconds[10] < result.snapshot_seconds[40] <= result.seconds


@pytest.mark.slow
def test_keeping_the_better_never_makes_a_real_painting_worse(refined, paintings):
    start, result = refined
    kept = keep_better(paintings, [start, result.actions], "mnist", BRUSH, progress=False)
    assert kept.real_mse.shape == (len(paintings), 2)
    rows = np.arange(len(paintings))
    assert (kept.real_mse[rows, kept.winner] <= kept.real_mse[:, 0]).all()  # per image, not on the mean
    assert (kept.real_mse[rows, kept.winner] == kept.real_mse.min(axis=1)).all()
    assert (kept.winner == 1).sum() > len(paintings) // 2  # refinement mostly helps in real MyPaint too
    np.testing.assert_array_equal(kept.actions[kept.winner == 0], start[kept.winner == 0])
    np.testing.assert_array_equal(kept.actions[kept.winner == 1], result.actions[kept.winner == 1])
    real_mse = np.mean(np.square(kept.real / 255.0 - paintings), axis=(1, 2, 3))
    np.testing.assert_allclose(real_mse, kept.real_mse[rows, kept.winner], rtol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("correct", [True, False])
def test_refining_with_mypaint_in_the_loop_keeps_each_images_best_real_painting(mnist_painter, paintings, correct):
    start = random_start(len(paintings), STROKES, "mnist", seed=3)
    start[..., LAYOUT.index("jump")] = 0.0
    result = refine_in_mypaint(mnist_painter, paintings, start, steps=40, learning_rate=0.03, check_every=10,
                               correct=correct, batch_size=16, fixed_fields={"jump": 0.0}, snapshots=(0, 15, 40),
                               progress=False)
    real_mse = np.mean(np.square(result.real / 255.0 - paintings), axis=(1, 2, 3))
    np.testing.assert_allclose(real_mse, result.real_mse, rtol=1e-5)  # the MSE of the painting MyPaint made
    assert (result.real_mse <= result.start_mse).all()  # per image, never worse than the start
    assert result.real_mse.mean() < 0.7 * result.start_mse.mean() and result.refined.sum() > len(paintings) // 2
    np.testing.assert_array_equal(result.actions[~result.refined], start[~result.refined])
    assert (result.actions[..., LAYOUT.index("jump")] == 0.0).all()
    for field in ("pressure", "size"):  # painted as MyPaint paints them: snapped
        assert set(np.unique(result.actions[..., LAYOUT.index(field)])) <= {0.25, 0.75}
    from painting_dreams.paint.replay import replay_in_mypaint

    np.testing.assert_array_equal(replay_in_mypaint(result.actions, "mnist", BRUSH, progress=False)[:, -1], result.real)
    assert sorted(result.snapshots) == [0, 15, 40]
    assert not result.snapshots[0].refined.any() and (result.snapshots[0].real_mse == result.start_mse).all()
    assert (result.snapshots[40].real_mse <= result.snapshots[15].real_mse).all()  # the best so far only improves
    np.testing.assert_array_equal(result.snapshots[40].actions, result.actions)
    assert result.snapshots[15].seconds < result.snapshots[40].seconds <= result.seconds
    with pytest.raises(ValueError, match="check_every is 0"):
        refine_in_mypaint(mnist_painter, paintings, start, steps=5, check_every=0, progress=False)
    with pytest.raises(ValueError, match=r"snapshots \[50\] must lie in \[0, steps=5\]"):
        refine_in_mypaint(mnist_painter, paintings, start, steps=5, snapshots=[50], progress=False)


def test_grid_start_colours_each_stroke_by_the_target_under_it():
    image = np.ones((1, 64, 64, 3), np.float32)
    image[0, :, :32] = [1.0, 0.0, 0.0]  # left half red, right half blue
    image[0, :, 32:] = [0.0, 0.0, 1.0]
    actions = grid_start(image, 4)  # a 2x2 grid
    layout = ActionLayout("color", absolute=True)
    colours = actions[0][:, [layout.index(c) for c in ("red", "green", "blue")]]
    np.testing.assert_allclose(colours, [[1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 0, 1]])
    xs = actions[0][:, layout.index("control_x")]
    ys = actions[0][:, layout.index("control_y")]
    np.testing.assert_allclose(xs, [0.25, 0.75, 0.25, 0.75])
    np.testing.assert_allclose(ys, [0.25, 0.25, 0.75, 0.75])


def test_bad_actions_and_settings_are_refused_with_the_fix(mnist_painter, paintings):
    start = random_start(len(paintings), STROKES, "mnist")
    with pytest.raises(ValueError, match=r"actions have shape \(24, 3, 5\): expected \(images, strokes, 9\)"):
        refine(mnist_painter, paintings, start[..., :5], steps=1, progress=False)
    with pytest.raises(ValueError, match="23 paintings' actions for 24 targets"):
        refine(mnist_painter, paintings, start[:23], steps=1, progress=False)
    bad = start.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"finite and in \[0, 1\]"):
        refine(mnist_painter, paintings, bad, steps=1, progress=False)
    with pytest.raises(ValueError, match="steps is -1"):
        refine(mnist_painter, paintings, start, steps=-1, progress=False)
    with pytest.raises(ValueError, match="learning_rate is 0"):
        refine(mnist_painter, paintings, start, steps=1, learning_rate=0, progress=False)
    with pytest.raises(ValueError, match="no candidates"):
        keep_better(paintings, [], "mnist", BRUSH, progress=False)


@pytest.mark.slow
def test_every_mode_is_scored_on_the_same_images_and_refinement_never_loses_to_its_start(mnist_painter, paintings):
    import keras

    from painting_dreams.agent import build_policy
    from painting_dreams.evaluation.modes import evaluate_modes
    from tests.agent.conftest import TINY_POLICY

    keras.utils.set_random_seed(0)
    policy = build_policy("mnist", {"jump": 0.0}, **TINY_POLICY, strokes_per_step=2, canvas_resolution=32)
    settings = {"images": 8, "refine_steps": [8, 3], "refine_learning_rate": {"mnist": 0.03, "color": 0.03},
                "refine_check_every": 4, "dream_only_rows": ["refine", "scratch_random"], "scratch_steps": 5, "scratch_learning_rate": 0.1,
                "batch_size": 8, "closed_loop": True, "scratch": ["random", "grid"]}
    table, per_image = evaluate_modes(policy, mnist_painter, paintings, STROKES, {"jump": 0.0}, settings, 0.02,
                                      progress=False)
    assert list(table["mode"]) == ["open_loop", "closed_loop", "refine", "refine", "refine_dream_only",
                                   "refine_dream_only", "scratch_random", "scratch_random_dream_only"]  # no grid: black ink
    assert list(table["refine_steps"]) == [0, 0, 3, 8, 3, 8, 5, 5] and (table["images"] == 8).all()
    assert list(per_image.columns) == ["open_loop", "closed_loop", "refine_3", "refine_8", "refine_dream_only_3",
                                       "refine_dream_only_8", "scratch_random_5", "scratch_random_dream_only_5"]
    for mode in ("refine_8", "refine_3", "refine_dream_only_8", "refine_dream_only_3"):
        assert (per_image[mode] <= per_image["open_loop"]).all()  # per image, not on the mean
    assert (per_image["refine_8"] <= per_image["refine_3"]).all()  # MyPaint in the loop: the best so far
    assert per_image["refine_8"].mean() < per_image["open_loop"].mean()
    assert (table["seconds_per_image"] > 0).all() and table["refined_wins"].iloc[2:].between(0, 8).all()
    np.testing.assert_allclose(table["mse_real_mean"], per_image.mean().to_numpy())
    with pytest.raises(ValueError, match="refine_learning_rate is 0.01: give one rate > 0 per variant"):
        evaluate_modes(policy, mnist_painter, paintings, STROKES, None, {**settings, "refine_learning_rate": 0.01}, 0.02)
    with pytest.raises(ValueError, match=r"evaluation.modes has unknown keys \['steps'\]"):
        evaluate_modes(policy, mnist_painter, paintings, STROKES, None, {**settings, "steps": 3}, 0.02)


def test_a_runs_modes_settings_take_its_overrides():
    from painting_dreams.evaluation.modes import settings_for

    settings = {"images": 64, "scratch": ["random"], "runs": {"celeba_50": {"images": 32, "scratch": []}}}
    assert settings_for(settings, "celeba_50") == {"images": 32, "scratch": []}
    assert settings_for(settings, "mnist_8") == {"images": 64, "scratch": ["random"]}


def test_refining_over_a_canvas_paints_the_strokes_over_it_in_the_dream_and_in_mypaint(mnist_painter, paintings):
    """With ``start`` canvases the strokes are optimised and checked over them: real MyPaint's painting is its
    layer of the strokes laid over the canvas, and a start that already is the target is never made worse."""
    from painting_dreams.paint.replay import paint_over

    start = random_start(4, STROKES, "mnist", seed=5)
    start[..., LAYOUT.index("jump")] = 0.0
    canvases = np.clip(paintings[4:8] + 0.2, 0, 1).astype(np.float32)  # a light version of other digits
    result = refine_in_mypaint(mnist_painter, paintings[:4], start, steps=10, learning_rate=0.03, check_every=5,
                               batch_size=4, fixed_fields={"jump": 0.0}, progress=False, start=canvases)
    np.testing.assert_array_equal(result.real, paint_over(canvases, result.actions, "mnist", BRUSH))
    assert (result.real_mse <= result.start_mse).all()
    white = refine_in_mypaint(mnist_painter, paintings[:4], start, steps=10, learning_rate=0.03, check_every=5,
                              batch_size=4, fixed_fields={"jump": 0.0}, progress=False)
    assert not np.allclose(white.start_mse, result.start_mse)  # the canvas under the strokes counts
