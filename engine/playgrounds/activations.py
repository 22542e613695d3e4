"""Activation functions and their derivatives, for the activations playground. Numpy only."""

from __future__ import annotations

from typing import Any

import numpy as np

ACTIVATION_NAMES = ("step", "relu", "sigmoid", "tanh", "linear")


def activation_curve(name: str, grid: Any) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f'(x)) on the grid. The step's derivative is 0 everywhere it exists (why a
    perceptron cannot be trained by backpropagation); ReLU's is taken as 0 at 0."""
    x = np.asarray(grid, dtype=np.float64)
    if name == "step":
        return (x >= 0).astype(np.float64), np.zeros_like(x)
    if name == "relu":
        return np.maximum(x, 0.0), (x > 0).astype(np.float64)
    if name == "sigmoid":
        s = 0.5 * (1.0 + np.tanh(0.5 * x))  # stable for large |x|
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(x)
        return t, 1.0 - t * t
    if name == "linear":
        return x.copy(), np.ones_like(x)
    raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATION_NAMES)}")


def curves(grid: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every activation's (f, f') on the grid, in ACTIVATION_NAMES order."""
    return {name: activation_curve(name, grid) for name in ACTIVATION_NAMES}


def values_at(z: float) -> dict[str, tuple[float, float]]:
    """Every activation's (f(z), f'(z)), in ACTIVATION_NAMES order."""
    return {name: (float(f[0]), float(df[0]))
            for name, (f, df) in curves([z]).items()}
