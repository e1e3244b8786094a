"""A truncated or damaged .keras file is called unreadable, not "File not found"."""

import shutil

import keras
import pytest
from kedro.io.core import DatasetError

from painting_dreams.datasets import KerasModelDataset
from painting_dreams.files import UnreadableModelError, check_keras_file
from painting_dreams.shipped import HERE, ShippedPainterError, load


@pytest.fixture()
def model_file(tmp_path):
    inputs = keras.Input((3,))
    path = tmp_path / "m.keras"
    keras.Model(inputs, keras.layers.Dense(2)(inputs)).save(path)
    return path


def test_a_truncated_keras_file_is_unreadable_not_missing(model_file):
    data = model_file.read_bytes()
    model_file.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableModelError, match=r"m.keras is unreadable: not a complete .keras file .*cut short"):
        check_keras_file(str(model_file))
    with pytest.raises(DatasetError, match=r"m.keras is unreadable") as caught:
        KerasModelDataset(filepath=str(model_file), load_args={"compile": False}).load()
    assert "File not found" not in str(caught.value)


def test_a_keras_file_with_a_damaged_member_or_no_config_is_unreadable(model_file, tmp_path):
    data = bytearray(model_file.read_bytes())
    data[200:260] = bytes(60)  # zeros inside the first member: its CRC no longer matches
    model_file.write_bytes(bytes(data))
    with pytest.raises(UnreadableModelError, match=r"unreadable"):
        check_keras_file(str(model_file))
    (tmp_path / "text.keras").write_text("not a zip")
    with pytest.raises(UnreadableModelError, match=r"text.keras is unreadable"):
        check_keras_file(str(tmp_path / "text.keras"))
    with pytest.raises(UnreadableModelError, match=r"nope.keras does not exist"):
        check_keras_file(str(tmp_path / "nope.keras"))


def test_a_whole_keras_file_loads_as_before(model_file):
    check_keras_file(str(model_file))
    assert KerasModelDataset(filepath=str(model_file), load_args={"compile": False}).load().output.shape == (None, 2)


def test_a_truncated_shipped_painter_says_reinstall(tmp_path):
    folder = tmp_path / "shipped"
    shutil.copytree(HERE, folder)
    policy = folder / "mnist_8.keras"
    policy.write_bytes(policy.read_bytes()[:5000])
    with pytest.raises(ShippedPainterError, match=r"mnist_8.keras is unreadable: not a complete .keras file.*reinstall"):
        load("mnist_8", folder)
