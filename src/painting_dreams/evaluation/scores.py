"""Per-image transfer scores and the per-run summary beside the seed's figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

# The seed's reported MSE after training, all measured in the dream (the post reports no real-env MSE).
SEED_RESULTS = {
    ("mnist", 8): 0.01,
    ("kmnist", 15): 0.018,
    ("celeba", 15): 0.019,
    ("celeba", 30): 0.015,
    ("celeba", 50): 0.0125,
}


def _mse(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean over pixels and channels of the squared error, per image."""
    return np.mean(np.square(a.astype(np.float64) - b.astype(np.float64)), axis=(1, 2, 3))


def score_transfer(targets: np.ndarray, dream: np.ndarray, real: np.ndarray, exploit_threshold: float) -> pd.DataFrame:
    """One row per image: MSE(target, real), MSE(target, dream), MSE(dream, real) and an exploitation flag.

    ``dream`` and ``real`` are the final paintings ``(N, 64, 64, 3)`` in [0, 1]. An image is
    flagged as exploiting the world model when the dream and the real painting differ by more
    than ``exploit_threshold`` and the dream is the closer of the two to the target.
    """
    if not (targets.shape == dream.shape == real.shape):
        raise ValueError(f"targets {targets.shape}, dream {dream.shape} and real {real.shape} must have one shape")
    scores = pd.DataFrame({
        "image": np.arange(len(targets)),
        "mse_target_real": _mse(targets, real),
        "mse_target_dream": _mse(targets, dream),
        "mse_dream_real": _mse(dream, real),
    })
    scores["exploited"] = (scores["mse_dream_real"] > exploit_threshold) & (
        scores["mse_target_dream"] < scores["mse_target_real"])
    return scores


def summarise_transfer(scores: pd.DataFrame, dataset: str, strokes: int, agent: str) -> pd.DataFrame:
    """One row: mean, standard deviation and median of each MSE, the exploited count, and the seed's figure."""
    row = {"dataset": dataset, "strokes": strokes, "agent": agent, "images": len(scores)}
    for column in ("mse_target_real", "mse_target_dream", "mse_dream_real"):
        row[f"{column}_mean"] = scores[column].mean()
        row[f"{column}_std"] = scores[column].std(ddof=0)
        row[f"{column}_median"] = scores[column].median()
    row["exploited"] = int(scores["exploited"].sum())
    row["exploited_fraction"] = float(scores["exploited"].mean())
    seed = SEED_RESULTS.get((dataset, strokes))
    row["seed_mse_dream"] = seed
    row["real_at_or_below_seed"] = bool(seed is not None and row["mse_target_real_mean"] <= seed)
    return pd.DataFrame([row])
