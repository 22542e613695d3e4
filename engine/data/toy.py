"""Two-dimensional classification sets for the first lessons: perceptron, MLP, activations.

Each takes ``n_samples``, ``noise`` (standard deviation of the jitter), ``val_fraction`` and
``seed``; the classes are balanced and the same seed gives the same points.
"""

from __future__ import annotations

import numpy as np

from hafiza.engine.data.base import (
    ArrayDataset,
    check_fraction,
    check_setting,
    seeded_rng,
    split_train_val,
)

# Every point of the linear set lies at least this far from the true boundary.
LINEAR_MARGIN = 0.05


def _balanced_labels(n_samples: int, n_classes: int) -> np.ndarray:
    return np.arange(n_samples, dtype=np.int64) % n_classes


def _dataset(
    name: str,
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    val_fraction: float,
    rng: np.random.Generator,
    **info,
) -> ArrayDataset:
    x_train, y_train, x_val, y_val = split_train_val(
        x.astype(np.float32), y.astype(np.int64), val_fraction, rng
    )
    return ArrayDataset(
        name=name,
        task="binary" if n_classes == 2 else "multiclass",
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        n_classes=n_classes,
        info={"features": 2, **info},
    )


def _check_common(n_samples, noise, val_fraction, min_samples: int = 2):
    return (
        check_setting("n_samples", n_samples, min_samples),
        check_setting("noise", noise),
        check_fraction("val_fraction", val_fraction),
    )


def make_linear(
    n_samples: int = 200, noise: float = 0.1, val_fraction: float = 0.2, seed: int = 0
) -> ArrayDataset:
    """Two clouds on either side of a random line, never crossing it: a perceptron always
    converges. ``info["weights"]``/``info["bias"]`` give the true boundary w.x + b = 0."""
    n_samples, noise, val_fraction = _check_common(n_samples, noise, val_fraction)
    rng = seeded_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    along = np.array([-normal[1], normal[0]])
    bias = rng.uniform(-0.3, 0.3)
    y = _balanced_labels(n_samples, 2)
    side = np.where(y == 1, 1.0, -1.0)
    # Distance from the line: around 0.5, spread by noise, reflected out of the margin.
    distance = rng.normal(0.5, 0.15 + noise, n_samples)
    distance = LINEAR_MARGIN + np.abs(distance - LINEAR_MARGIN)
    position = rng.uniform(-1, 1, n_samples)
    x = -bias * normal + position[:, None] * along + (side * distance)[:, None] * normal
    return _dataset(
        "linear", x, y, 2, val_fraction, rng,
        noise=noise, seed=seed, weights=normal.tolist(), bias=float(bias),
    )


def make_xor(
    n_samples: int = 200, noise: float = 0.1, val_fraction: float = 0.2, seed: int = 0
) -> ArrayDataset:
    """Points in the four quadrants of [-1, 1]^2; label 1 where x and y have opposite signs,
    so no single line separates the classes."""
    n_samples, noise, val_fraction = _check_common(n_samples, noise, val_fraction)
    rng = seeded_rng(seed)
    y = _balanced_labels(n_samples, 2)
    sign_x = rng.choice([-1.0, 1.0], n_samples)
    sign_y = np.where(y == 1, -sign_x, sign_x)
    # Keep a small gap around the axes so the clean set has no ambiguous points.
    magnitude = rng.uniform(0.05, 1.0, (n_samples, 2))
    x = magnitude * np.stack([sign_x, sign_y], axis=1)
    x += rng.normal(0, noise, x.shape)
    return _dataset("xor", x, y, 2, val_fraction, rng, noise=noise, seed=seed)


def make_circles(
    n_samples: int = 200,
    noise: float = 0.05,
    val_fraction: float = 0.2,
    seed: int = 0,
    factor: float = 0.5,
) -> ArrayDataset:
    """A ring of radius 1 (label 0) around a ring of radius ``factor`` (label 1)."""
    n_samples, noise, val_fraction = _check_common(n_samples, noise, val_fraction)
    factor = check_fraction("factor", factor)  # the inner ring must be inside the outer
    rng = seeded_rng(seed)
    y = _balanced_labels(n_samples, 2)
    radius = np.where(y == 1, factor, 1.0)
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x += rng.normal(0, noise, x.shape)
    return _dataset("circles", x, y, 2, val_fraction, rng, noise=noise, seed=seed, factor=factor)


def make_spirals(
    n_samples: int = 300,
    noise: float = 0.05,
    val_fraction: float = 0.2,
    seed: int = 0,
    n_arms: int = 2,
    turns: float = 1.0,
) -> ArrayDataset:
    """``n_arms`` interleaved spiral arms, one class each (multiclass when more than two),
    each winding ``turns`` times around the centre."""
    n_arms = check_setting("n_arms", n_arms)
    n_samples, noise, val_fraction = _check_common(n_samples, noise, val_fraction, n_arms)
    turns = check_setting("turns", turns)
    rng = seeded_rng(seed)
    y = _balanced_labels(n_samples, n_arms)
    radius = rng.uniform(0.05, 1.0, n_samples)
    angle = 2 * np.pi * (y / n_arms + turns * radius)
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    x += rng.normal(0, noise, x.shape)
    return _dataset(
        "spirals", x, y, n_arms, val_fraction, rng, noise=noise, seed=seed, turns=turns
    )
