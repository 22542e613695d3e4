"""What every array data set is made of: the container, its error and the parameter checks.

Kept apart from ``engine.data`` so the generators (toy, sequences, timeseries, imdb) import
it without importing the package that lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np

from hafiza.engine.tables import ARRAY_TASKS as TASKS
from hafiza.engine.tables import DATASET_LIMITS
from hafiza.words import _


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
            raise DatasetError(_("task must be one of {tasks}, not {task}").format(
                tasks=TASKS, task=repr(self.task)))

    # What the data offers, so the UI picks playgrounds and reports by capability, not name.
    @property
    def has_test_set(self) -> bool:
        """A held-out test set (IMDB's 25,000 test reviews) to score a finished run on."""
        return "x_test" in self.info

    @property
    def test_set(self) -> tuple[np.ndarray, np.ndarray] | None:
        return (self.info["x_test"], self.info["y_test"]) if self.has_test_set else None

    @property
    def vocabulary(self):
        """The ``engine.text.Vocabulary`` that decodes the word ids of a text data set
        (IMDB), or None for data that is not words."""
        return self.info.get("vocabulary")


def check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise DatasetError(_("{name} must be a whole number, not {value}").format(
            name=name, value=repr(value)))
    if value < minimum:
        raise DatasetError(_("{name} must be at least {minimum}, not {value}").format(
            name=name, minimum=minimum, value=value))
    return int(value)


def check_real(name: str, value: object, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
        raise DatasetError(_("{name} must be a number, not {value}").format(
            name=name, value=repr(value)))
    if value < minimum:
        raise DatasetError(_("{name} must be at least {minimum}, not {value}").format(
            name=name, minimum=minimum, value=value))
    return float(value)


def check_setting(name: str, value: object, minimum: float | None = None) -> float:
    """A data set's setting checked against its row in DATASET_LIMITS (both ends), or
    against ``minimum`` when the data set needs more than the row's lowest value."""
    limit = DATASET_LIMITS[name]
    low = limit.minimum if minimum is None else max(minimum, limit.minimum)
    value = check_int(name, value, int(low)) if limit.whole else check_real(name, value, low)
    if value > limit.maximum:
        raise DatasetError(_("{name} must be at most {maximum}, not {value}").format(
            name=name, maximum=f"{limit.maximum:g}", value=value))
    return value


def check_fraction(name: str, value: object) -> float:
    if name in DATASET_LIMITS:  # its row ends below 1 (val_fraction, factor)
        return check_setting(name, value)
    value = check_real(name, value)
    if value >= 1:
        raise DatasetError(_("{name} must be below 1, not {value}").format(
            name=name, value=value))
    return value


def seeded_rng(seed: object) -> np.random.Generator:
    """The generator every data set draws from, so a seed always gives the same data."""
    return np.random.default_rng(check_setting("seed", seed))


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
