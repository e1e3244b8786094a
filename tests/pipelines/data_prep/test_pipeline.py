"""The data_prep pipeline: its namespaces, its catalog, and a run on the shared dataset copies."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.pillow import ImageDataset

from painting_dreams.datasets import CelebADataset, IdxDataset, ImageFolderDataset, NumpyDataset
from painting_dreams.pipelines.data_prep import create_pipeline
from painting_dreams.pipelines.data_prep.pipeline import dataset_pipeline
from painting_dreams.targets import decode_jpeg, digit_targets, parse_idx
from painting_dreams.targets.celeba import face_target

GRID = {"columns": 4, "rows_per_split": 1, "padding": 2, "scale": 1}
CROP = {"image_size": 64, "crop_size": 178, "crop_centre": [89, 121]}
BUNDLED = ("mnist", "kmnist", "celeba")  # conf/base's datasets


def test_each_dataset_has_its_own_namespace(project_params):
    pipeline = create_pipeline()
    assert {node.namespace for node in pipeline.nodes} == set(project_params["datasets"]) >= set(BUNDLED)
    mnist = pipeline.only_nodes_with_namespaces(["mnist"])
    assert {node.name for node in mnist.nodes} == {"mnist.make_digit_targets", "mnist.plot_target_grid"}
    assert mnist.inputs() == {"mnist.train_images", "mnist.test_images", "params:datasets.mnist",
                              "params:target_grid"}
    assert mnist.all_outputs() == {"mnist.targets", "mnist.target_grid"}
    assert pipeline.only_nodes_with_namespaces(["kmnist"]).inputs() == {
        "kmnist.train_images_npz", "kmnist.test_images_npz", "params:datasets.kmnist", "params:target_grid"}
    assert pipeline.only_nodes_with_namespaces(["celeba"]).inputs() == {
        "celeba.images", "params:datasets.celeba", "params:target_grid"}
    photos = dataset_pipeline("photos", "image_folder")  # a dataset of one's own pictures
    assert {node.name for node in photos.nodes} == {"photos.make_picture_targets", "photos.plot_target_grid"}
    assert photos.inputs() == {"photos.folder_images", "params:datasets.photos", "params:target_grid"}


def test_catalog_and_parameters_cover_the_pipeline(project_root: Path, project_params):
    text = (project_root / "conf/base/catalog_data_prep.yml").read_text()
    catalog_config = yaml.safe_load(text.replace("${globals:out}", "data"))  # conf/base/globals.yml's out
    quick = yaml.safe_load((project_root / "conf/quick/parameters_data_prep.yml").read_text())
    parameters = yaml.safe_load((project_root / "conf/base/parameters_data_prep.yml").read_text())
    catalog = DataCatalog.from_config(catalog_config)  # instantiates every dataset, reads nothing
    pipeline = create_pipeline()
    datasets = {name for name in pipeline.datasets() if not name.startswith("params:")}
    assert {name for name in datasets if name not in catalog} == {"kmnist.train_glyphs", "kmnist.test_glyphs"}  # in memory
    assert {name[len("params:"):] for name in pipeline.inputs() if name.startswith("params:")} == {
        *parameters, *(f"datasets.{name}" for name in project_params["datasets"])}  # the inventory's blocks
    for name, block in quick.items():
        assert set(block) == set(parameters[name]), f"quick {name} must restate every key of base"
    assert isinstance(catalog["mnist.train_images"], IdxDataset)
    assert catalog["mnist.train_images"].exists()  # MNIST is bundled in data/01_raw/mnist
    assert isinstance(catalog["photos.folder_images"], ImageFolderDataset)  # any image_folder dataset's pictures
    assert str(catalog["photos.folder_images"]._describe()["path"]).endswith("data/01_raw/photos")
    assert str(catalog["kmnist.targets"]._describe()["filepath"]) == "data/03_primary/kmnist_targets.npz"


def test_the_pipeline_runs_on_the_shared_copies(shared_data: Path, tmp_path: Path, project_params):
    mnist, kmnist = shared_data / "mnist", shared_data / "kmnist"
    celeba = shared_data / "celeba" / "img_align_celeba"
    catalog = DataCatalog({
        "mnist.train_images": IdxDataset(filepath=str(mnist / "train-images-idx3-ubyte.gz"), magic=2051),
        "mnist.test_images": IdxDataset(filepath=str(mnist / "t10k-images-idx3-ubyte.gz"), magic=2051),
        "kmnist.train_images_npz": NumpyDataset(filepath=str(kmnist / "kmnist-train-imgs-partial.npz")),
        "kmnist.test_images_npz": NumpyDataset(filepath=str(kmnist / "kmnist-test-imgs-first5000.npz")),
        "celeba.images": CelebADataset(path=str(celeba)),
        **{f"params:datasets.{name}": MemoryDataset({**project_params["datasets"][name], **caps})
           for name, caps in (("mnist", {"max_train": 12, "max_test": 5}), ("kmnist", {"max_train": 6, "max_test": 3}),
                              ("celeba", {"max_train": 5, "max_test": 3}))},
        "params:target_grid": MemoryDataset(GRID),
        **{f"{name}.targets": NumpyDataset(filepath=str(tmp_path / f"{name}.npz"), compress=True,
                                           unit_float_as_uint8=True) for name in ("mnist", "kmnist", "celeba")},
        **{f"{name}.target_grid": ImageDataset(filepath=str(tmp_path / f"{name}.png"))
           for name in ("mnist", "kmnist", "celeba")},
    })
    assert project_params["datasets"]["celeba"]["preparation"] == {"kind": "faces", **CROP}
    outputs = SequentialRunner().run(create_pipeline().only_nodes_with_namespaces(list(BUNDLED)), catalog)
    assert set(outputs) == {"mnist.target_grid", "kmnist.target_grid", "celeba.target_grid"}  # the final outputs
    targets = {name: catalog[f"{name}.targets"].load() for name in BUNDLED}

    shapes = {name: {split: array.shape[0] for split, array in t.items()} for name, t in targets.items()}
    assert shapes == {"mnist": {"train": 12, "test": 5}, "kmnist": {"train": 6, "test": 3},
                      "celeba": {"train": 5, "test": 3}}
    for t in targets.values():
        for array in t.values():
            assert array.shape[1:] == (64, 64, 3) and array.dtype == np.float32
            assert 0.0 <= array.min() and array.max() <= 1.0

    raw_test = parse_idx((mnist / "t10k-images-idx3-ubyte.gz").read_bytes(), source="t10k")
    np.testing.assert_array_equal(targets["mnist"]["test"], digit_targets(raw_test[:5], image_size=64))
    assert np.all(targets["kmnist"]["train"][:, 0, 0] == 1.0)  # white paper

    # CelebA: train from the first train-partition files, test from the validation partition (no test files here)
    first_val = decode_jpeg((celeba / "162862.jpg").read_bytes(), source="162862.jpg")
    expected = face_target(first_val, source="162862.jpg", **CROP) / np.float32(255)
    np.testing.assert_array_equal(targets["celeba"]["test"][0], expected)

    grid = catalog["mnist.target_grid"].load()
    assert grid.size == (2 + 4 * 66, 2 + 2 * 66)  # 4 columns; a row of train targets, then a row of test targets
    pixels = np.asarray(grid.convert("RGB"))
    assert pixels[0, 0].tolist() == [128, 128, 128]  # grey padding
    for split, top in (("train", 2), ("test", 2 + 66)):
        for column in range(4):
            left = 2 + column * 66
            np.testing.assert_array_equal(pixels[top:top + 64, left:left + 64],
                                          np.rint(targets["mnist"][split][column] * 255).astype(np.uint8))


@pytest.mark.parametrize("name", ["mnist.train_images", "kmnist.train_images_npz", "celeba.images"])
def test_raw_data_lives_under_01_raw(project_root: Path, name: str):
    entry = yaml.safe_load((project_root / "conf/base/catalog_data_prep.yml").read_text())[name]
    assert (entry.get("filepath") or entry.get("path")).startswith("data/01_raw/")
