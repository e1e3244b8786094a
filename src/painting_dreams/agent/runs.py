"""An agent run: one painter to train, with every setting conf gives it (no Kedro here).

``conf/base/parameters_agent.yml`` holds ``agent.defaults`` (every setting); the runs are declared in
the inventory (``runs`` in ``conf/<env>/inventory.yml``, see :mod:`painting_dreams.inventory`). A run's
block names its ``dataset`` (whose targets it paints) and its ``world`` (whose stroke model paints in
the dream, with the world's action layout and brush), and may override any default; nested blocks
(``training``, ``policy``...) merge key by key. A recipe (``recipe: seed``, from
``agent.defaults.recipes``) overrides both, so ``recipe: seed`` is the seed's method in any run.
:meth:`AgentRun.from_params` does that merge once, checking every key; the pipelines' nodes, the
``painting-dreams`` command, the scripts and the benchmarks all read a run through it::

    run = AgentRun.named(params, "celeba_15")         # params: the whole parameters (agent, runs)
    run.dataset, run.world, run.variant, run.brush    # "celeba", "color", "color", the world's brush
    painter = run.dream_painter(stroke_model)         # the run's compositor and two-valued fields
    policy = run.untrained_policy()                   # seeded with training.seed: where training starts
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras

from painting_dreams.agent.dream_painter import DreamPainter, stroke_model_painter
from painting_dreams.agent.policy import build_policy
from painting_dreams.agent.training import TrainingConfig

OWN_KEYS = ("dataset", "world", "run_dir")  # what only a run's block states: no default, no recipe
FROM_INVENTORY = ("name", "layout", "brush", "preparation")  # what the inventory fills in from its world and dataset
SETTINGS = ("compositor", "discrete_actions", "fixed_fields", "max_train_images", "max_test_images", "policy", "critic",
            "training", "cma_baseline")  # what every run needs: agent.defaults sets them, a run may override them
OPTIONAL = ("init_policy",)  # what a run may set even where agent.defaults leaves it out (null there)


@dataclass(frozen=True)
class AgentRun:
    """One agent run: its name, what it paints and with what, and all its settings merged (``params``)."""

    name: str
    dataset: str     # its targets are ``<dataset>.targets`` (pipeline data_prep)
    world: str       # its painter is ``<world>.stroke_model`` (pipeline stroke_model)
    variant: str     # the world's action layout (``mnist`` or ``color``)
    brush: str       # the world's MyPaint brush: every real painting of this run is painted with it
    preparation: dict  # how the dataset's images became targets (``evaluate`` and ``paint`` do the same)
    run_dir: str
    strokes: int     # strokes per painting (training.strokes)
    params: dict[str, Any]  # the defaults, the run's block and its recipe merged: policy, critic, training...

    @classmethod
    def from_params(cls, defaults: Mapping[str, Any], run: Mapping[str, Any]) -> AgentRun:
        """The run whose block is ``run`` (``runs.<name>`` as the inventory completes it), over ``defaults``
        (``agent.defaults``), then its recipe over both."""
        return cls._checked(run_parameters(defaults, run))

    @classmethod
    def _checked(cls, params: dict[str, Any]) -> AgentRun:
        missing = [key for key in SETTINGS if key not in params]
        if missing:
            raise ValueError(f"the agent parameters lack {missing}: agent.defaults in conf/base/parameters_agent.yml "
                             "sets every one")
        strokes = params["training"].get("strokes")
        if isinstance(strokes, bool) or not isinstance(strokes, int) or strokes < 1:
            raise ValueError(f"the agent run's training.strokes is {strokes!r}: give a whole number of strokes, at "
                             "least 1")
        return cls(name=params["name"], dataset=params["dataset"], world=params["world"], variant=params["layout"],
                   brush=params["brush"], preparation=dict(params["preparation"]), run_dir=str(params["run_dir"]),
                   strokes=strokes, params=params)

    @classmethod
    def named(cls, params: Mapping[str, Any], name: str) -> AgentRun:
        """The run ``name`` of the project's parameters (``agent.defaults`` and the inventory's ``runs``)."""
        runs = params.get("runs") or {}
        if name not in runs:
            raise ValueError(f"unknown agent run {name!r}: choose one of {', '.join(runs) or 'none'} (runs in "
                             "conf's inventory.yml)")
        return cls.from_params(params["agent"]["defaults"], runs[name])

    @property
    def training(self) -> TrainingConfig:
        """The training loop's settings (every key of ``training``, checked)."""
        return TrainingConfig.from_params(self.params["training"])

    @property
    def fixed_fields(self) -> dict[str, float]:
        """Action fields the policy never chooses, with their values (normalised)."""
        return dict(self.params["fixed_fields"])

    def dream_painter(self, stroke_model: keras.Model) -> DreamPainter:
        """The run's dream painter: ``stroke_model`` (of the run's variant), its compositor and its handling of
        two-valued action fields."""
        return stroke_model_painter(stroke_model, self.variant, self.params["compositor"],
                                    self.params["discrete_actions"], brush=self.brush)

    def untrained_policy(self) -> keras.Model:
        """The policy training starts from: Keras seeded with ``training.seed``, then the policy built, then, if the
        run sets ``init_policy`` (a shipped painter's name or a .keras policy file), that policy's weights copied in
        (fine-tuning: e.g. a dry-brush painter's policy learning another brush). A checkpoint in the run
        directory still takes precedence: a resumed run continues from it."""
        keras.utils.set_random_seed(self.training.seed)
        policy = build_policy(self.variant, self.fixed_fields, **self.params["policy"])
        source = self.params.get("init_policy")
        if source:
            _copy_weights(_source_policy(str(source)), policy, str(source), self.name)
        return policy

    def with_overrides(self, overrides: Mapping[str, Any]) -> AgentRun:
        """This run with ``overrides`` over its settings (nested blocks key by key), e.g. to try a learning rate."""
        return self._checked(merge_parameters(self.params, overrides))


def _source_policy(source: str) -> keras.Model:
    from painting_dreams import shipped

    if source in shipped.cards():
        return shipped.load(source).policy
    path = Path(source)
    if path.suffix != ".keras" or not path.is_file():
        raise ValueError(f"init_policy is {source!r}: give a shipped painter's name ({', '.join(shipped.cards())}) or "
                         "the path of a policy .keras file (a run's <run_dir>/policy.keras)")
    return keras.models.load_model(path, compile=False, safe_mode=True)


def _copy_weights(source: keras.Model, policy: keras.Model, name: str, run: str) -> None:
    theirs, ours = source.get_weights(), policy.get_weights()
    shapes = [w.shape for w in theirs], [w.shape for w in ours]
    if shapes[0] != shapes[1]:
        raise ValueError(f"init_policy {name!r} does not fit run {run!r}: its {len(theirs)} weight arrays have other "
                         f"shapes than this run's policy ({len(ours)}); start from a policy of the same action layout "
                         "and policy block (strokes_per_step, canvas_resolution, encoder, filters ...)")
    policy.set_weights(theirs)


def all_runs(params: Mapping[str, Any]) -> dict[str, AgentRun]:
    """Every run of the project's parameters, by name, in the order the inventory lists them."""
    return {name: AgentRun.named(params, name) for name in params.get("runs") or {}}


def run_parameters(defaults: Mapping[str, Any], run: Mapping[str, Any]) -> dict[str, Any]:
    """The run's block over the defaults, then its recipe over both, every key checked (see the module docstring)."""
    settings = set(defaults) - {"recipes"} | set(OPTIONAL)  # what a run or a recipe may set
    unknown = sorted(set(run) - settings - set(OWN_KEYS) - set(FROM_INVENTORY))
    if unknown:
        raise ValueError(f"unknown agent parameters {unknown}: known ones are {sorted(settings | set(OWN_KEYS))}")
    missing = [key for key in (*OWN_KEYS, *FROM_INVENTORY) if key not in run]
    if missing:
        raise ValueError(f"the agent run's parameters lack {missing}: every run in the inventory's runs names its "
                         "dataset and world (the inventory fills in the rest)")
    recipes = defaults.get("recipes") or {}
    recipe = run.get("recipe", defaults.get("recipe"))
    if recipe is not None and recipe not in recipes:
        raise ValueError(f"unknown agent recipe {recipe!r}: choose one of {sorted(recipes)} (agent.defaults.recipes) "
                         "or null for the defaults")
    overrides = recipes.get(recipe) or {}
    unknown = sorted(set(overrides) - settings)
    if unknown:
        raise ValueError(f"recipe {recipe!r} sets unknown agent parameters {unknown}")
    own = {key: value for key, value in defaults.items() if key != "recipes"}
    return merge_parameters(merge_parameters(own, run), overrides)


def merge_parameters(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``overrides`` over ``base``; a block that is a dict in both (``training``, ``policy``…) merges key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        nested = isinstance(value, Mapping) and isinstance(base.get(key), Mapping)
        merged[key] = {**base[key], **value} if nested else value
    return merged
