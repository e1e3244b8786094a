"""An agent run as conf describes it: defaults, the run's block and its recipe merged once, checked."""

import numpy as np
import pytest

from painting_dreams.agent.runs import AgentRun, all_runs
from painting_dreams.config_loader import project_parameters
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.agent.conftest import TINY_CRITIC, TINY_POLICY, TINY_TRAINING
from tests.conftest import BRUSH, PROJECT_ROOT

DEFAULTS = {
    "compositor": "alpha_over", "discrete_actions": "straight_through", "fixed_fields": {}, "max_train_images": None,
    "max_test_images": 100, "policy": TINY_POLICY, "critic": TINY_CRITIC, "training": TINY_TRAINING,
    "cma_baseline": {"generations": 5, "population": 4}, "recipe": None,
    "recipes": {"seed": {"policy": {"strokes_per_step": 1}, "training": {"adversarial_weight": 1.0}}},
}
DIGITS = {"kind": "digits", "image_size": 64}
# A run's block as the inventory completes it: its name, dataset and world, and what follows from them.
MNIST = {"name": "mnist_3", "dataset": "mnist", "world": "mnist", "layout": "mnist", "brush": BRUSH,
         "preparation": DIGITS, "run_dir": "data/06_models/agent/mnist_3",
         "fixed_fields": {"jump": 0.0}, "training": {"strokes": 4, "l2_weight": 2.0}, "cma_baseline": {"population": 8}}


@pytest.fixture(scope="module")
def conf_params() -> dict:
    """The project's parameters, with the inventory's runs (conf/base + conf/local)."""
    return project_parameters(PROJECT_ROOT)


def test_the_run_overrides_the_defaults_key_by_key():
    run = AgentRun.from_params(DEFAULTS, MNIST)
    assert (run.name, run.dataset, run.world, run.variant, run.strokes) == ("mnist_3", "mnist", "mnist", "mnist", 4)
    assert run.run_dir == "data/06_models/agent/mnist_3" and run.brush == BRUSH and run.preparation == DIGITS
    assert run.params["training"] == {**TINY_TRAINING, "strokes": 4, "l2_weight": 2.0}
    assert run.params["cma_baseline"] == {"generations": 5, "population": 8}
    assert run.fixed_fields == {"jump": 0.0} and run.params["max_test_images"] == 100 and "recipes" not in run.params
    assert run.training.strokes == 4 and run.training.l2_weight == 2.0
    seed = AgentRun.from_params(DEFAULTS, {**MNIST, "name": "mnist_seed", "recipe": "seed"})
    assert seed.name == "mnist_seed" and seed.params["policy"] == {**TINY_POLICY, "strokes_per_step": 1}
    assert seed.training.adversarial_weight == 1.0 and seed.training.l2_weight == 2.0
    faster = run.with_overrides({"training": {"strokes": 6, "policy_learning_rate": 0.01}})
    assert faster.strokes == 6 and faster.training.policy_learning_rate == 0.01 and faster.training.l2_weight == 2.0
    assert run.strokes == 4  # unchanged


def test_every_run_in_conf_states_its_dataset_and_world(conf_params):
    runs = all_runs(conf_params)
    assert {name: (run.dataset, run.world, run.variant, run.strokes) for name, run in runs.items()} == {
        "mnist_8": ("mnist", "mnist", "mnist", 8), "kmnist_15": ("kmnist", "color", "color", 15),
        "celeba_15": ("celeba", "color", "color", 15), "celeba_30": ("celeba", "color", "color", 30),
        "celeba_50": ("celeba", "color", "color", 50), "celeba_50_pen": ("celeba", "pen", "color", 50),
        "celeba_50_charcoal": ("celeba", "charcoal", "color", 50),
        "celeba_50_impressionism": ("celeba", "impressionism", "color", 50),
        "kmnist_15_r1": ("kmnist", "color_r1", "color", 15), "celeba_15_r1": ("celeba", "color_r1", "color", 15),
        "celeba_15_r1b": ("celeba", "color_r1", "color", 15),
        "celeba_50_r1": ("celeba", "color_r1", "color", 50), "mnist_8_r1": ("mnist", "mnist_r1", "mnist", 8)}
    assert list(runs) == list(conf_params["runs"])  # conf's order
    worlds = {**conf_params["worlds"], **conf_params["rounds"]}  # a run in a round paints with its world's brush
    assert all(run.brush == worlds[run.world]["brush"] for run in runs.values())
    assert {run.brush for run in runs.values()} == {BRUSH, "classic/pen", "classic/charcoal", "classic/impressionism"}
    assert runs["celeba_50_pen"].params["init_policy"] == "celeba_50"  # fine-tuned from the dry brush's policy
    assert all(run.preparation == conf_params["datasets"][run.dataset]["preparation"] for run in runs.values())
    assert runs["celeba_15"].preparation["kind"] == "faces" and runs["kmnist_15"].preparation == DIGITS
    assert all(run.run_dir == f"data/06_models/agent/{name}" for name, run in runs.items())
    assert runs["mnist_8"].fixed_fields == {"jump": 0.0}
    assert runs["celeba_50"].params["training"]["prefix_weight"] == 1.0
    assert all(name == run.name for name, run in runs.items())
    assert all(run.training.strokes == run.strokes for run in runs.values())  # every training block is complete


def test_an_unknown_run_is_named_with_the_known_ones(conf_params):
    with pytest.raises(ValueError, match="unknown agent run 'svhn_8': choose one of mnist_8, kmnist_15, celeba_15.*"
                                         r"\(runs in conf's inventory.yml\)"):
        AgentRun.named(conf_params, "svhn_8")


@pytest.mark.parametrize("change, message", [
    ({"dataset": None}, r"the agent run's parameters lack \['dataset'\]: every run in the inventory's runs names its "
                        r"dataset and world"),
    ({"world": None, "brush": None}, r"the agent run's parameters lack \['world', 'brush'\]"),
    ({"variant": "mnist"}, r"unknown agent parameters \['variant'\]"),  # a run's layout comes from its world
    ({"training": {"strokes": 0}}, r"training.strokes is 0: give a whole number of strokes"),
    ({"training": {"strokes": 2.5}}, r"training.strokes is 2.5"),
    ({"learning_rate": 1e-3}, r"unknown agent parameters \['learning_rate'\]"),
    ({"recipe": "fast"}, r"unknown agent recipe 'fast': choose one of \['seed'\]"),
])
def test_a_bad_run_block_is_refused_with_what_to_fix(change, message):
    block = {key: value for key, value in {**MNIST, **change}.items() if value is not None}
    with pytest.raises(ValueError, match=message):
        AgentRun.from_params(DEFAULTS, block)


def test_defaults_missing_a_setting_are_refused():
    defaults = {key: value for key, value in DEFAULTS.items() if key != "discrete_actions"}
    with pytest.raises(ValueError, match=r"lack \['discrete_actions'\]: agent.defaults in conf/base/parameters_agent"):
        AgentRun.from_params(defaults, MNIST)
    with pytest.raises(ValueError, match=r"training parameters \['seed'\] are missing: agent.defaults.training"):
        AgentRun.from_params({**DEFAULTS, "training": {k: v for k, v in TINY_TRAINING.items() if k != "seed"}},
                             MNIST).training


def test_the_dream_painter_and_the_untrained_policy_follow_the_run():
    run = AgentRun.from_params(DEFAULTS, {**MNIST, "compositor": "darker_of", "discrete_actions": "soft"})
    painter = run.dream_painter(StrokeModel("mnist"))
    assert (painter.compositor, painter.discrete, painter.layout.variant) == ("darker_of", "soft", "mnist")
    assert painter.real_brush() == BRUSH  # the run's world's brush
    with pytest.raises(ValueError, match="paints the 'color' variant but the agent run asks for 'mnist'"):
        run.dream_painter(StrokeModel("color"))
    with pytest.raises(ValueError, match="the stroke model learned the brush 'classic/charcoal', but this painter is "
                                         "asked to paint with 'classic/dry_brush'"):
        run.dream_painter(StrokeModel("mnist", brush="classic/charcoal"))
    first, second = run.untrained_policy(), run.untrained_policy()  # seeded with training.seed: the same start
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_init_policy_starts_a_run_from_another_policys_weights(tmp_path):
    source = AgentRun.from_params(DEFAULTS, {**MNIST, "training": {**MNIST["training"], "seed": 5}}).untrained_policy()
    source.save(tmp_path / "policy.keras")
    fresh = AgentRun.from_params(DEFAULTS, MNIST).untrained_policy()
    started = AgentRun.from_params(DEFAULTS, {**MNIST, "init_policy": str(tmp_path / "policy.keras")}).untrained_policy()
    assert any(not np.array_equal(a, b) for a, b in zip(fresh.get_weights(), source.get_weights()))  # other seeds
    for ours, theirs in zip(started.get_weights(), source.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    wider = {**MNIST, "init_policy": str(tmp_path / "policy.keras"), "policy": {"filters": TINY_POLICY["filters"] * 2}}
    with pytest.raises(ValueError, match=r"init_policy '.*policy.keras' does not fit run 'mnist_3': its \d+ weight "
                                         r"arrays have other shapes"):
        AgentRun.from_params(DEFAULTS, wider).untrained_policy()
    with pytest.raises(ValueError, match=r"init_policy is 'celeba_51': give a shipped painter's name \(.*mnist_8.*\) or "
                                         r"the path of a policy .keras file"):
        AgentRun.from_params(DEFAULTS, {**MNIST, "init_policy": "celeba_51"}).untrained_policy()


def test_init_policy_may_name_a_shipped_painter(conf_params):
    from painting_dreams.shipped import load

    run = AgentRun.named(conf_params, "celeba_50").with_overrides({"init_policy": "celeba_50"})
    for ours, theirs in zip(run.untrained_policy().get_weights(), load("celeba_50").policy.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)  # e.g. the dry-brush painter's policy fine-tuned for another brush
