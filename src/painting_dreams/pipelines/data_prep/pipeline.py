"""The ``data_prep`` pipeline: the target images the agent learns to paint, one namespace per dataset.

``kedro run --pipeline data_prep --namespaces mnist`` makes only the MNIST targets.
"""

from kedro.pipeline import Node, Pipeline

from painting_dreams.pipelines.data_prep.nodes import (
    make_digit_targets,
    make_face_targets,
    plot_target_grid,
    unpack_npz_images,
)


def create_pipeline(**kwargs) -> Pipeline:
    """MNIST, KMNIST and CelebA targets, each in its own namespace."""
    return mnist_pipeline() + kmnist_pipeline() + celeba_pipeline()


def mnist_pipeline() -> Pipeline:
    """MNIST targets from the official IDX files."""
    return _namespaced("mnist", [_digit_targets_node(), _target_grid_node()])


def kmnist_pipeline() -> Pipeline:
    """KMNIST targets from the official .npz files."""
    return _namespaced("kmnist", [
        Node(func=unpack_npz_images, inputs="train_images_npz", outputs="train_images",
             name="unpack_train_images"),
        Node(func=unpack_npz_images, inputs="test_images_npz", outputs="test_images",
             name="unpack_test_images"),
        _digit_targets_node(),
        _target_grid_node(),
    ])


def celeba_pipeline() -> Pipeline:
    """CelebA face targets from the aligned JPEGs (folder or official zip)."""
    return _namespaced("celeba", [
        Node(func=make_face_targets, inputs=["images", "params:targets"], outputs="targets",
             name="make_face_targets"),
        _target_grid_node(),
    ])


def _digit_targets_node() -> Node:
    return Node(func=make_digit_targets, inputs=["train_images", "test_images", "params:targets"],
                outputs="targets", name="make_digit_targets")


def _target_grid_node() -> Node:
    return Node(func=plot_target_grid, inputs=["targets", "params:target_grid"], outputs="target_grid",
                name="plot_target_grid")


def _namespaced(dataset: str, nodes: list[Node]) -> Pipeline:
    """Put the nodes in the dataset's namespace; parameters come from `<dataset>_targets` and `target_grid`."""
    parameters = {"params:targets": f"params:{dataset}_targets", "params:target_grid": "params:target_grid"}
    return Pipeline(nodes, namespace=dataset, parameters=parameters)
