"""Data sets the exercises train on: small, generated from a seed, held as numpy arrays.

``get_dataset("xor", noise=0.2, seed=1)`` builds one by name; ``DATASETS`` lists them.
Features are float32 and labels int64 (classification) or float32 (regression), so any
framework can take them without a copy. Text corpora live in ``corpora`` and ``lm``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np

# "tagging" is one label per time step (many-to-many), as engine.train knows it.
TASKS = ("binary", "multiclass", "regression", "tagging")


class DatasetError(ValueError):
    """An unknown data set or a parameter it cannot take, said in words a learner can act on."""


@dataclass
class ArrayDataset:
    name: str
    task: str  # one of TASKS
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    n_classes: int = 0  # for classification
    info: dict = field(default_factory=dict)  # e.g. {"time_steps": ..., "features": ...}

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise DatasetError(f"task must be one of {TASKS}, not {self.task!r}")


def check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise DatasetError(f"{name} must be a whole number, not {value!r}")
    if value < minimum:
        raise DatasetError(f"{name} must be at least {minimum}, not {value}")
    return int(value)


def check_real(name: str, value: object, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
        raise DatasetError(f"{name} must be a number, not {value!r}")
    if value < minimum:
        raise DatasetError(f"{name} must be at least {minimum}, not {value}")
    return float(value)


def check_fraction(name: str, value: object) -> float:
    value = check_real(name, value)
    if value >= 1:
        raise DatasetError(f"{name} must be below 1, not {value}")
    return value


def seeded_rng(seed: object) -> np.random.Generator:
    """The generator every data set draws from, so a seed always gives the same data."""
    return np.random.default_rng(check_int("seed", seed, 0))


def split_train_val(
    x: np.ndarray, y: np.ndarray, val_fraction: float, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle with ``rng`` (or keep the order when None, for time series), then cut the
    last ``val_fraction`` off as validation data; training keeps at least one sample."""
    if rng is not None:
        order = rng.permutation(len(x))
        x, y = x[order], y[order]
    n_val = min(round(len(x) * val_fraction), len(x) - 1)
    n_train = len(x) - n_val
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def get_dataset(name: str, **params) -> ArrayDataset:
    """Build the data set ``name`` of ``DATASETS`` with keyword ``params``."""
    try:
        make = DATASETS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(DATASETS))
        raise DatasetError(f"unknown data set {name!r}; known: {known}") from None
    accepted = inspect.signature(make).parameters
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise DatasetError(
            f"data set {name!r} has no parameter {', '.join(map(repr, unknown))}; "
            f"it takes: {', '.join(accepted) or 'nothing'}"
        )
    return make(**params)


# The generators import ArrayDataset and the checks above, so they come last.
from . import imdb, sequences, timeseries, toy  # noqa: E402

DATASETS: dict[str, Callable[..., ArrayDataset]] = {
    "linear": toy.make_linear,
    "xor": toy.make_xor,
    "circles": toy.make_circles,
    "spirals": toy.make_spirals,
    "seq003": sequences.seq003,
    "long_dependency": sequences.make_long_dependency,
    "sine": timeseries.make_sine,
    "noisy_sum": timeseries.make_noisy_sum,
    "imdb": imdb.make_imdb,  # imported by the learner: DatasetError "not imported" until then
}
