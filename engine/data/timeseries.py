"""Forecasting sets: a window of past values in, one value out; x (N, window, 1), y (N, 1)."""

from __future__ import annotations

import numpy as np

from hafiza.engine.data.base import (
    ArrayDataset,
    check_fraction,
    check_setting,
    seeded_rng,
    split_train_val,
)


def windows(series: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every run of ``window`` values of a 1-D series and the value that follows it."""
    series = np.asarray(series, dtype=np.float32)
    n = len(series) - window
    if window < 1 or n < 1:
        raise ValueError(f"a series of {len(series)} values has no window of {window} + 1")
    x = np.lib.stride_tricks.sliding_window_view(series[:-1], window)[:, :, None].copy()
    return x, series[window:, None].copy()


def _forecasting(name: str, series: np.ndarray, window: int, val_fraction: float, **info):
    x, y = windows(series, window)
    # Validation is the end of the series: the model forecasts a future it has not seen.
    x_train, y_train, x_val, y_val = split_train_val(x, y, val_fraction, None)
    return ArrayDataset(
        name=name,
        task="regression",
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        info={
            "time_steps": window,
            "features": 1,
            "series": series.astype(np.float32),
            "val_start": window + len(x_train),  # index in ``series`` of the first val target
            **info,
        },
    )


def make_sine(
    n_samples: int = 500,
    window: int = 20,
    noise: float = 0.05,
    seed: int = 0,
    val_fraction: float = 0.2,
    period: float = 25.0,
) -> ArrayDataset:
    """A sine wave of ``period`` steps with a random phase and Gaussian noise, cut into
    ``n_samples`` windows; ``info["series"]`` keeps the whole curve for plotting."""
    n_samples = check_setting("n_samples", n_samples)
    window = check_setting("window", window)
    noise = check_setting("noise", noise)
    period = check_setting("period", period)
    val_fraction = check_fraction("val_fraction", val_fraction)
    rng = seeded_rng(seed)
    t = np.arange(n_samples + window)
    series = np.sin(2 * np.pi * t / period + rng.uniform(0, 2 * np.pi))
    series += rng.normal(0, noise, series.shape)
    return _forecasting("sine", series, window, val_fraction, noise=noise, seed=seed,
                        period=period)


def make_noisy_sum(
    n_samples: int = 1000,
    window: int = 10,
    noise: float = 0.1,
    seed: int = 0,
    val_fraction: float = 0.2,
) -> ArrayDataset:
    """Add up a sequence: x holds ``window`` values drawn from U(0, 1) and y is their sum
    plus Gaussian noise. The network must carry a running total through time."""
    n_samples = check_setting("n_samples", n_samples)
    window = check_setting("window", window)
    noise = check_setting("noise", noise)
    val_fraction = check_fraction("val_fraction", val_fraction)
    rng = seeded_rng(seed)
    x = rng.uniform(0, 1, (n_samples, window, 1))
    y = x.sum(axis=1) + rng.normal(0, noise, (n_samples, 1))
    x_train, y_train, x_val, y_val = split_train_val(
        x.astype(np.float32), y.astype(np.float32), val_fraction, rng
    )
    return ArrayDataset(
        name="noisy_sum",
        task="regression",
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        info={"time_steps": window, "features": 1, "noise": noise, "seed": seed},
    )
