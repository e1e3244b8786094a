"""`painting-dreams evaluate`: a shipped painter scored on each input format, from outside the project."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from painting_dreams.commands import cli
from painting_dreams.targets.idx import parse_idx

SUMMARY_KEYS = {"agent", "strokes", "images", "mse_real_mean", "mse_dream_mean", "mse_dream_real_mean", "refine",
                "closed_loop", "seconds"}


@pytest.fixture()
def outside(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no Kedro project above: the shipped painters are used
    return tmp_path


def _evaluate(*args):
    result = CliRunner().invoke(cli, ["evaluate", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _read(out):
    scores = pd.read_csv(out / "scores.csv")
    summary = json.loads((out / "summary.json").read_text())
    assert list(scores.columns[:4]) == ["image", "mse_real", "mse_dream", "mse_dream_real"]
    assert SUMMARY_KEYS <= set(summary) and summary["images"] == len(scores)
    assert summary["mse_real_mean"] == pytest.approx(scores["mse_real"].mean(), rel=1e-4)
    assert Image.open(out / "grid.png").size[0] > 200
    return scores, summary


@pytest.mark.slow
def test_evaluate_scores_mnist_idx_and_kmnist_npz_with_the_shipped_painters(outside, shared_data):
    raw = (shared_data / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes()
    digits = parse_idx(raw, source="t10k")[:4]
    header = (2051).to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in digits.shape)
    (outside / "four-idx3-ubyte").write_bytes(header + digits.tobytes())
    output = _evaluate("--agent", "mnist_8", "--images", "four-idx3-ubyte", "--out", "mnist")
    assert "agent mnist_8 (shipped with painting_dreams" in output
    scores, summary = _read(outside / "mnist")
    assert scores["image"].tolist() == [f"four-idx3-ubyte[{i}]" for i in range(4)]
    assert summary["strokes"] == 8 and 0.0 < summary["mse_real_mean"] < 0.03  # a blank page scores ~0.1

    _evaluate("--agent", "kmnist_15", "--images", str(shared_data / "kmnist" / "kmnist-test-imgs-first5000.npz"),
              "--out", "kmnist", "--limit", "3", "--refine", "3")
    scores, summary = _read(outside / "kmnist")
    assert len(scores) == 3 and summary["refine"] == 3 and summary["strokes"] == 15
    assert scores["mse_real"].max() < 0.08


@pytest.mark.slow
def test_evaluate_scores_a_celeba_folder_and_any_picture_folder_closed_loop(outside, shared_data):
    faces = outside / "faces"
    faces.mkdir()
    for name in ("000002.jpg", "000058.jpg"):
        shutil.copy(shared_data / "celeba" / "img_align_celeba" / name, faces / name)
    _evaluate("--agent", "celeba_30", "--images", "faces", "--out", "faces_out")
    scores, summary = _read(outside / "faces_out")
    assert scores["image"].tolist() == ["000002.jpg", "000058.jpg"] and summary["strokes"] == 30
    assert "CelebA faces" in summary["prepared"] and scores["mse_real"].max() < 0.05

    pictures = outside / "pictures"
    pictures.mkdir()
    blocks = np.kron(np.random.default_rng(1).integers(0, 256, (2, 2, 3)), np.ones((40, 40, 1))).astype(np.uint8)
    Image.fromarray(blocks).save(pictures / "blocks.png")
    _evaluate("--agent", "celeba_15", "--images", "pictures", "--out", "pictures_out", "--closed-loop")
    scores, summary = _read(outside / "pictures_out")
    assert summary["closed_loop"] is True and "as paint" in summary["prepared"]
    blank = ((1.0 - blocks / 255.0) ** 2).mean()  # a white page's MSE
    assert scores["mse_real"][0] < 0.5 * blank


@pytest.mark.parametrize("args, message", [
    (["--agent", "mnist_8", "--images", "nowhere.gz", "--out", "o"], "'nowhere.gz' does not exist"),
    (["--agent", "picasso", "--images", "x", "--out", "o"], "unknown agent 'picasso'"),
    (["--agent", "mnist_8", "--images", "x", "--out", "file.txt"], "is a file"),
])
def test_evaluate_bad_input_gets_one_line_errors(outside, args, message):
    (outside / "file.txt").write_text("")
    result = CliRunner().invoke(cli, ["evaluate", *args])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
