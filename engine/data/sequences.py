"""Sequence sets shaped (samples, time steps, features), as a recurrent layer reads them."""

from __future__ import annotations

import numpy as np

from hafiza.engine.data.base import (
    ArrayDataset,
    check_fraction,
    check_setting,
    seeded_rng,
    split_train_val,
)

# Seed 003's Keras practical: each row is (input, next value).
SEQ003_SEQUENCE = [[0.0, 0.1], [0.1, 0.2], [0.2, 0.3], [0.3, 0.4]]


def seq003() -> ArrayDataset:
    """The four-step sequence of seed 003, reshaped to 3-D: x (4, 1, 1), y (4, 1).

    The seed predicts on its training data, so the validation arrays hold the same values.
    """
    sequence = np.array(SEQ003_SEQUENCE, dtype=np.float32)
    x = sequence[:, 0].reshape(len(sequence), 1, 1)
    y = sequence[:, 1].reshape(len(sequence), 1)
    return ArrayDataset(
        name="seq003",
        task="regression",
        x_train=x,
        y_train=y,
        x_val=x.copy(),
        y_val=y.copy(),
        info={"time_steps": 1, "features": 1},
    )


def make_long_dependency(
    n_samples: int = 512,
    seq_len: int = 20,
    seed: int = 0,
    noise: float = 1.0,
    val_fraction: float = 0.2,
) -> ArrayDataset:
    """Remember the first step: x[:, 0] is +1 (label 1) or -1 (label 0) and every later step
    is Gaussian noise. The longer the sequence, the further back the answer lies: a plain RNN
    loses it to vanishing gradients while an LSTM or GRU keeps it."""
    n_samples = check_setting("n_samples", n_samples)
    seq_len = check_setting("seq_len", seq_len)
    noise = check_setting("noise", noise)
    val_fraction = check_fraction("val_fraction", val_fraction)
    rng = seeded_rng(seed)
    y = np.arange(n_samples, dtype=np.int64) % 2
    x = rng.normal(0.0, noise, (n_samples, seq_len, 1))
    x[:, 0, 0] = np.where(y == 1, 1.0, -1.0)
    x_train, y_train, x_val, y_val = split_train_val(x.astype(np.float32), y, val_fraction, rng)
    return ArrayDataset(
        name="long_dependency",
        task="binary",
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        n_classes=2,
        info={"time_steps": seq_len, "features": 1, "noise": noise, "seed": seed},
    )
