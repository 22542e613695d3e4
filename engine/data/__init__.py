"""Data sets the exercises train on: small, generated from a seed, held as numpy arrays.

``get_dataset("xor", noise=0.2, seed=1)`` builds one by name; ``DATASETS`` lists them.
Features are float32 and labels int64 (classification) or float32 (regression), so any
framework can take them without a copy. Text corpora live in ``corpora`` and ``lm``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from hafiza.engine.data import entities, imdb, sequences, timeseries, toy
from hafiza.engine.data.base import (  # noqa: F401 - the package's public names
    TASKS,
    ArrayDataset,
    DatasetError,
    check_fraction,
    check_int,
    check_real,
    seeded_rng,
    split_train_val,
)
from hafiza.words import _


def get_dataset(name: str, **params) -> ArrayDataset:
    """Build the data set ``name`` of ``DATASETS`` with keyword ``params``."""
    try:
        make = DATASETS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(DATASETS))
        raise DatasetError(_("unknown data set {name}; known: {known}").format(
            name=repr(name), known=known)) from None
    accepted = inspect.signature(make).parameters
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        message = _("data set {name} has no parameter {unknown}; it takes: {accepted}") \
            if accepted else _("data set {name} has no parameter {unknown}; it takes: nothing")
        raise DatasetError(message.format(name=repr(name), unknown=", ".join(map(repr, unknown)),
                                          accepted=", ".join(accepted)))
    return make(**params)


DATASETS: dict[str, Callable[..., ArrayDataset]] = {
    "linear": toy.make_linear,
    "xor": toy.make_xor,
    "circles": toy.make_circles,
    "spirals": toy.make_spirals,
    "seq003": sequences.seq003,
    "long_dependency": sequences.make_long_dependency,
    "sine": timeseries.make_sine,
    "noisy_sum": timeseries.make_noisy_sum,
    "entities": entities.make_entities,  # tagging: sentences in every variety
    "imdb": imdb.make_imdb,  # imported by the learner: DatasetError "not imported" until then
}

# Data sets the learner imports once before they can be built (make_imdb raises "not
# imported" until then), each with the question "is it imported?"; the UI offers the import
# instead of training.
NEEDS_IMPORT: dict[str, Callable[[], bool]] = {
    "imdb": lambda: imdb.cache_state() != "missing",
}


def needs_import(name: str) -> bool:
    return name in NEEDS_IMPORT


def is_imported(name: str) -> bool:
    """True once the data set can be built: imported, or one that needs no import."""
    return name not in NEEDS_IMPORT or NEEDS_IMPORT[name]()
