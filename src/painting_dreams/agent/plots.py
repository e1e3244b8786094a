"""Figures of agent training."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def plot_mse_curve(history: pd.DataFrame, title: str, smoothing: float = 0.9) -> plt.Figure:
    """Dream MSE against training step, raw and smoothed (as TensorBoard draws it)."""
    figure, axis = plt.subplots(figsize=(7, 4), dpi=100)
    steps, mse = history["step"].to_numpy(), history["mse"].to_numpy(dtype=float)
    smoothed = np.empty_like(mse)
    value = mse[0] if len(mse) else 0.0
    for i, m in enumerate(mse):  # exponential moving average, TensorBoard's smoothing
        value = smoothing * value + (1.0 - smoothing) * m
        smoothed[i] = value
    axis.plot(steps, mse, color="tab:orange", alpha=0.3, linewidth=1, label="batch MSE")
    axis.plot(steps, smoothed, color="tab:orange", linewidth=2, label=f"smoothed ({smoothing})")
    axis.set(xlabel="training step", ylabel="MSE (target vs dream painting)", title=title)
    axis.set_ylim(bottom=0)
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    return figure
