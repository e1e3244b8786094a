"""The ``stroke_model`` pipeline on small real episodes, with SequentialRunner."""

import hashlib
import json
import shutil

import numpy as np
import pytest
from kedro.runner import SequentialRunner

from painting_dreams.datasets.episodes_dataset import EpisodesDataset
from painting_dreams.episodes import EpisodeSpec, EpisodeStream
from painting_dreams.paint.libmypaint import find_brush
from painting_dreams.pipelines.stroke_model import create_pipeline
from painting_dreams.pipelines.stroke_model.nodes import check_compositing, train_episode_stroke_model
from painting_dreams.world_model.reach_model import ReachModel
from painting_dreams.world_model.stroke_model import StrokeModel
from tests.conftest import BRUSH
from tests.pipelines.world_model_catalog import assert_catalog_declares, tiny_parameters, world_model_catalog

BRUSH_SHA256 = hashlib.sha256(find_brush(BRUSH).read_bytes()).hexdigest()


def test_one_stroke_model_per_world(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == set(project_params["worlds"]) >= {"mnist", "color"}
    mnist = pipeline.only_nodes_with_namespaces(["mnist"])
    assert mnist.inputs() == {"mnist.stroke_episodes", "mnist.canvas_episodes", "mnist.episode_split",
                              "params:worlds.mnist", "params:world_model", "params:stroke_model"}
    assert mnist.all_outputs() == {"mnist.compositing_check", "mnist.stroke_model", "mnist.stroke_model_history"}
    assert [node.name for node in mnist.nodes] == ["mnist.check_compositing", "mnist.train_stroke_model"]
    assert_catalog_declares(pipeline)


def test_stroke_model_learns_and_saves_the_agents_painter(small_episodes, tmp_path):
    catalog = world_model_catalog(tmp_path, small_episodes, tiny_parameters(tmp_path))

    SequentialRunner().run(create_pipeline().only_nodes_with_namespaces(["mnist"]), catalog)

    assert (tmp_path / "06_models" / "mnist_stroke_model.keras").is_file()  # where the agent reads it
    model = catalog["mnist.stroke_model"].load()
    assert isinstance(model, StrokeModel) and model.variant == "mnist"  # the variant comes from the episodes
    assert (model.painted_with, model.brush_sha256) == (BRUSH, BRUSH_SHA256)  # and the brush they were painted with
    strokes = np.asarray(model((np.full((2, 2), 0.3, np.float32), np.full((2, 7), 0.6, np.float32))))
    assert strokes.shape == (2, 64, 64, 4)
    assert strokes.min() >= 0.0 and strokes.max() <= 1.0 and (strokes[..., :3] <= strokes[..., 3:] + 1e-6).all()
    np.testing.assert_array_equal(strokes[0], strokes[1])  # a function of (start, action) only
    history = catalog["mnist.stroke_model_history"].load()
    assert history["train_episodes"] == 18 and len(history["loss"]) == 8
    check = catalog["mnist.compositing_check"].load()  # the dry brush lays paint: alpha-over is MyPaint's canvas
    assert check == history["compositing_check"] and check["brush"] == BRUSH and check["episodes"] == 6
    assert check["alpha_over_mse"] < 1e-4 < check["max_alpha_over_mse"]
    assert history["loss"][-1] < history["loss"][0]
    assert list((tmp_path / "tensorboard" / "mnist" / "stroke_model").glob("events.out.tfevents.*"))


def test_episodes_of_another_brush_than_the_worlds_are_refused(small_episodes, tmp_path):
    parameters = tiny_parameters(tmp_path)
    catalog = world_model_catalog(tmp_path, small_episodes, parameters)
    episodes, split = catalog["mnist.stroke_episodes"].load(), catalog["mnist.episode_split"].load()
    charcoal = {**parameters["worlds"]["mnist"], "brush": "classic/charcoal"}
    with pytest.raises(ValueError, match=r"the mnist episodes were painted with 'classic/dry_brush' but the world's "
                                         r"brush is 'classic/charcoal': rerun the episodes pipeline"):
        train_episode_stroke_model(episodes, split, charcoal, parameters["world_model"], parameters["stroke_model"])
    copy = tmp_path / "other_file" / "stroke"  # the same brush name, painted by another brush file
    shutil.copytree(small_episodes["mnist"]["stroke"], copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    assert manifest["brush"] == BRUSH and manifest["brush_sha256"] == BRUSH_SHA256  # as the episodes recorded it
    (copy / "manifest.json").write_text(json.dumps({**manifest, "brush_sha256": "0" * 64}))
    with pytest.raises(ValueError, match=r"the mnist episodes were painted with another 'classic/dry_brush' brush "
                                         r"file than .*dry_brush.myb \(SHA-256 000000000000\.\.\. against "
                                         + BRUSH_SHA256[:12]):
        train_episode_stroke_model(EpisodesDataset(filepath=str(copy)).load(), split, parameters["worlds"]["mnist"],
                                   parameters["world_model"], parameters["stroke_model"])


def test_a_worlds_stroke_model_block_chooses_its_own_settings(small_episodes, tmp_path):
    parameters = tiny_parameters(tmp_path)
    catalog = world_model_catalog(tmp_path, small_episodes, parameters)
    episodes, split = catalog["mnist.stroke_episodes"].load(), catalog["mnist.episode_split"].load()
    narrow = {**parameters["worlds"]["mnist"], "stroke_model": {"pixel_units": 8, "epochs": 1}}
    model, history = train_episode_stroke_model(episodes, split, narrow, parameters["world_model"],
                                                parameters["stroke_model"])
    assert model.get_config()["pixel_units"] == 8 and len(history["loss"]) == 1  # the world's, over the shared block
    assert parameters["stroke_model"]["training"]["pixel_units"] != 8
    reach = {**parameters["worlds"]["mnist"], "stroke_model": {"architecture": "reach_mlp", "epochs": 1}}
    model, history = train_episode_stroke_model(episodes, split, reach, parameters["world_model"],
                                                parameters["stroke_model"])
    assert type(model) is ReachModel and len(history["loss"]) == 1  # its reach settings from the shared block
    assert model.get_config()["reach_pixels_base"] == parameters["stroke_model"]["training"]["reach_pixels_base"]
    catalog["mnist.stroke_model"].save(model)  # where the agent reads it, loaded as the architecture it is
    assert type(catalog["mnist.stroke_model"].load()) is ReachModel
    typo = {**parameters["worlds"]["mnist"], "stroke_model": {"pixel_unit": 8}}
    with pytest.raises(ValueError, match=r"pixel_unit"):
        train_episode_stroke_model(episodes, split, typo, parameters["world_model"], parameters["stroke_model"])


def test_a_brush_that_paints_nothing_on_white_is_refused_with_what_was_measured(small_episodes, tmp_path):
    parameters = tiny_parameters(tmp_path)
    catalog = world_model_catalog(tmp_path, small_episodes, parameters)
    split = catalog["color.episode_split"].load()
    path = tmp_path / "smudge" / "stroke"  # classic/smudge moves paint that is already there: blank strokes on white
    spec = EpisodeSpec(variant="color", stroke_mode=True, steps=5, brush="classic/smudge")
    EpisodesDataset(filepath=str(path)).save(EpisodeStream(spec, episodes=split["held_out"][1], seed=1, chunk_size=10,
                                                           workers=1, progress=False))
    smudge = {**parameters["worlds"]["color"], "name": "smudge", "brush": "classic/smudge"}
    with pytest.raises(ValueError, match=r"the smudge world's brush 'classic/smudge' painted nothing in \d+ random "
                                         r"strokes on a white canvas \(every stroke's alpha is 0\)"):
        train_episode_stroke_model(EpisodesDataset(filepath=str(path)).load(), split, smudge,
                                   parameters["world_model"], parameters["stroke_model"])


def test_a_brush_that_smears_the_paint_beneath_is_refused_with_its_measured_compositing_error(small_episodes, tmp_path):
    parameters = tiny_parameters(tmp_path)
    catalog = world_model_catalog(tmp_path, small_episodes, parameters)
    split = catalog["color.episode_split"].load()
    path = tmp_path / "puantilism" / "canvas"  # classic/puantilism's dabs pick up the colour beneath them
    spec = EpisodeSpec(variant="color", stroke_mode=False, steps=10, brush="classic/puantilism")
    EpisodesDataset(filepath=str(path)).save(EpisodeStream(spec, episodes=split["held_out"][1], seed=3, chunk_size=10,
                                                           workers=1, progress=False))
    puantilism = {**parameters["worlds"]["color"], "name": "dots", "brush": "classic/puantilism"}
    with pytest.raises(ValueError, match=r"the dots world's brush 'classic/puantilism' paints depending on the paint "
                                         r"beneath: .* 6 held-out canvas episodes, .* by MSE 6\.95e-03 \(largest "
                                         r"pixel error 0\.\d\d\), above stroke_model\.compositing\.max_alpha_over_mse = "
                                         r"0\.003"):
        check_compositing(EpisodesDataset(filepath=str(path)).load(), split, puantilism, parameters["stroke_model"])
    lenient = {**parameters["stroke_model"], "compositing": {"max_episodes": 6, "max_alpha_over_mse": 1.0}}
    report = check_compositing(EpisodesDataset(filepath=str(path)).load(), split, puantilism, lenient)
    assert report["alpha_over_mse"] > 3e-3 and report["episodes"] == 6  # the measured error, kept when allowed
    with pytest.raises(ValueError, match=r"the dots canvas episodes were painted with 'classic/puantilism' but the "
                                         r"world's brush is 'classic/pen'"):
        check_compositing(EpisodesDataset(filepath=str(path)).load(), split, {**puantilism, "brush": "classic/pen"},
                          lenient)
