"""The ``data_prep`` pipeline: the target images the agent learns to paint, one namespace per dataset.

Each dataset of the inventory (``datasets`` in ``conf/<env>/inventory.yml``) gets the nodes of its
reader kind, in its namespace, reading ``params:datasets.<name>``:

* ``idx``: ``<name>.train_images`` and ``<name>.test_images`` (IDX files) -> digit targets;
* ``glyph_npz``: ``<name>.train_images_npz`` and ``<name>.test_images_npz`` (``arr_0``) -> digit targets;
* ``celeba``: ``<name>.images`` (CelebA's aligned JPEGs, split by the official partition) -> face targets;
* ``image_folder``: ``<name>.folder_images`` (any folder of pictures, split by file name) -> picture targets.

Every dataset ends in ``<name>.targets`` and the PNG ``<name>.target_grid``. ``catalog_data_prep.yml``
says where each reads (patterns such as ``{dataset}.folder_images`` -> ``data/01_raw/{dataset}``).
``kedro run --pipeline data_prep --namespaces mnist`` makes only the MNIST targets.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.config_loader import project_inventory
from painting_dreams.pipelines.data_prep.nodes import (
    make_digit_targets,
    make_face_targets,
    make_picture_targets,
    plot_target_grid,
    unpack_npz_images,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Every dataset of the inventory, each in its own namespace."""
    return sum((dataset_pipeline(name, dataset["reader"]) for name, dataset in project_inventory()["datasets"].items()),
               Pipeline([]))


def dataset_pipeline(name: str, reader: str) -> Pipeline:
    """The targets of the dataset ``name`` read with ``reader`` (see the module docstring)."""
    return Pipeline([*READER_NODES[reader](), _target_grid_node()], namespace=name,
                    parameters={"params:dataset": f"params:datasets.{name}", "params:target_grid": "params:target_grid"})


def _idx_nodes() -> list[Node]:
    return [Node(func=make_digit_targets, inputs=["train_images", "test_images", "params:dataset"],
                 outputs="targets", name="make_digit_targets")]


def _glyph_npz_nodes() -> list[Node]:
    return [
        Node(func=unpack_npz_images, inputs="train_images_npz", outputs="train_glyphs", name="unpack_train_images"),
        Node(func=unpack_npz_images, inputs="test_images_npz", outputs="test_glyphs", name="unpack_test_images"),
        Node(func=make_digit_targets, inputs=["train_glyphs", "test_glyphs", "params:dataset"], outputs="targets",
             name="make_digit_targets"),
    ]


def _celeba_nodes() -> list[Node]:
    return [Node(func=make_face_targets, inputs=["images", "params:dataset"], outputs="targets",
                 name="make_face_targets")]


def _image_folder_nodes() -> list[Node]:
    return [Node(func=make_picture_targets, inputs=["folder_images", "params:dataset"], outputs="targets",
                 name="make_picture_targets")]


READER_NODES = {"idx": _idx_nodes, "glyph_npz": _glyph_npz_nodes, "celeba": _celeba_nodes,
                "image_folder": _image_folder_nodes}  # the inventory's reader kinds (painting_dreams.inventory.READERS)


def _target_grid_node() -> Node:
    return Node(func=plot_target_grid, inputs=["targets", "params:target_grid"], outputs="target_grid",
                name="plot_target_grid")
