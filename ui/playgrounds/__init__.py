"""Playgrounds, after or during training: small interactive views into a model.

    widget = create("activations")                      # needs no model
    for name, widget in playground_for(exercise, run):  # after a run of an exercise
        tabs.addTab(widget, title(name))

``run`` is a ui.training.TrainingRun (its ``prepared``: engine.exercises.PreparedRun) or the
PreparedRun itself. Each playground has ``retranslate()``, ``shutdown()`` (waits for its
worker threads) and a ``computed`` signal once a result is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from hafiza.engine.tables import PLAYGROUNDS as ENGINE_PLAYGROUNDS
from hafiza.ui.i18n import N_, _


@dataclass(frozen=True)
class Entry:
    title: str  # N_-marked, translate with _() when shown
    factory: Callable[[Any], QWidget]  # prepared run (or None) -> widget


def _vocab(prepared: Any) -> Any:
    """The vocabulary that turns words into the model's ids: the run's (a language model's)
    or the data's (IMDB's), or None for a model that does not read words."""
    return getattr(prepared, "vocab", None) or getattr(getattr(prepared, "data", None),
                                                       "vocabulary", None)


def _next_word(prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.next_word import NextWordPlayground

    # The run's text too, so the playground can count it beside the network (engine.ngram).
    return NextWordPlayground(prepared.model, _vocab(prepared),
                              data=getattr(prepared, "data", None))


def _sentiment(prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.sentiment import SentimentPlayground

    return SentimentPlayground(prepared.model, _vocab(prepared))


def _regression(prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.regression import RegressionPlayground

    data = prepared.data
    return RegressionPlayground(prepared.model, data.x_train, data.y_train)


def _activations(_prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.activations import ActivationsPlayground

    return ActivationsPlayground()


def _gradient_descent(_prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.gradient_descent import GradientDescentPlayground

    return GradientDescentPlayground()


def _vanishing(_prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.vanishing import VanishingGradientsPlayground

    return VanishingGradientsPlayground()


def _backprop(_prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.backprop import BackpropPlayground

    return BackpropPlayground()


def _inside_cell(prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.inside_cell import InsideCellPlayground

    return InsideCellPlayground(prepared.model, _vocab(prepared))


def _tagging(prepared: Any) -> QWidget:
    from hafiza.ui.playgrounds.tagging import TaggingPlayground

    info = prepared.data.info
    return TaggingPlayground(prepared.model, _vocab(prepared), info["tags"],
                             info.get("time_steps"))


PLAYGROUNDS: dict[str, Entry] = {
    "next_word": Entry(N_("Next word"), _next_word),
    "sentiment": Entry(N_("Sentiment"), _sentiment),
    "regression": Entry(N_("Predictions"), _regression),
    "activations": Entry(N_("Activation functions"), _activations),
    "gradient_descent": Entry(N_("Gradient descent"), _gradient_descent),
    "vanishing_gradients": Entry(N_("Vanishing gradients"), _vanishing),
    "backprop": Entry(N_("Backpropagation, step by step"), _backprop),
    "inside_cell": Entry(N_("Inside the cell"), _inside_cell),
    "tagging": Entry(N_("Tagging"), _tagging),
}


if set(PLAYGROUNDS) != set(ENGINE_PLAYGROUNDS):  # one list of names; fail at import, not later
    raise ImportError(f"ui/playgrounds draws {sorted(PLAYGROUNDS)}, the engine's table has "
                      f"{sorted(ENGINE_PLAYGROUNDS)}")


def title(name: str) -> str:
    return _(PLAYGROUNDS[name].title)


def create(name: str, run: Any = None) -> QWidget:
    """The playground ``name``; those that look into a model need a finished run."""
    prepared = getattr(run, "prepared", run)
    if ENGINE_PLAYGROUNDS[name] and prepared is None:  # it looks into a trained model
        raise ValueError(f"the {name} playground needs a trained model")
    return PLAYGROUNDS[name].factory(prepared)


def names_for(exercise: dict, run: Any) -> list[str]:
    """Which playgrounds fit this trained model, asked of the model and its data (never of
    the exercise's name): a language model with a vocabulary -> next word (and inside the
    cell when recurrent); a binary classifier of word ids -> sentiment; a regression on
    sequences of numbers -> the prediction table; a tagger of word ids with named tags ->
    tagging."""
    from hafiza.engine.models import RecurrentLayer

    prepared = getattr(run, "prepared", run)
    model = getattr(prepared, "model", None)
    if model is None:
        return []
    data = getattr(prepared, "data", None)
    task = getattr(data, "task", None) or exercise.get("task")
    vocab = _vocab(prepared)
    recurrent = any(isinstance(layer, RecurrentLayer) for layer in model.layers)
    reads_ids = model.takes_token_ids
    # (time steps, features): a sequence of numbers, not of word ids
    reads_sequences = len(model.input_shape) == 2 and not reads_ids
    names = []
    if task == "language_model" and vocab is not None:
        names.append("next_word")
        if recurrent and reads_ids:
            names.append("inside_cell")
    elif task == "binary" and vocab is not None and reads_ids:
        names.append("sentiment")
    if task == "regression" and reads_sequences and data is not None:
        names.append("regression")
    # a tagger of words whose data names its tags (engine.data.entities)
    if task == "tagging" and vocab is not None and reads_ids and \
            "tags" in getattr(data, "info", {}):
        names.append("tagging")
    return names


def playground_for(exercise: dict, run: Any) -> list[tuple[str, QWidget]]:
    """The playgrounds that fit a finished run: (name, widget) pairs, maybe none.

    See names_for for which fit."""
    prepared = getattr(run, "prepared", run)
    return [(name, PLAYGROUNDS[name].factory(prepared)) for name in names_for(exercise, run)]
