"""The exercise form takes its ranges and choices from the engine's tables: a spin box
accepts exactly what the exercise validator accepts."""

import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from hafiza.engine.layers import MAX_SIZE, POOLING_TYPES, RECURRENT_TYPES
from hafiza.engine.tables import DATASET_LIMITS, OPTIMIZERS, SETTING_LIMITS
from hafiza.ui import i18n
from hafiza.ui.controls_form import ControlsForm

EVERY_SETTING = sorted(SETTING_LIMITS)


@pytest.fixture
def form(qtbot, qapp):
    def make(controls, hyperparameters=None, dataset=None, model=None):
        widget = ControlsForm({
            "id": "form", "task": "binary", "controls": controls,
            "hyperparameters": hyperparameters or {}, "dataset": dataset or {"name": "imdb"},
            "model": model or ["Dense(1, sigmoid)"]})
        qtbot.addWidget(widget)
        widget.retranslate()
        return widget

    yield make
    i18n.apply_language(qapp, "en")


def test_every_spin_box_range_is_the_engines_limit(form):
    widget = form(EVERY_SETTING + ["dataset.maxlen", "dataset.num_words", "model.0"],
                  {"learning_rate": 0.01, "epochs": 5, "bptt": 35},
                  {"name": "imdb", "maxlen": 200, "num_words": 10_000},
                  ["LSTM(64)", "Dense(1, sigmoid)"])
    limits = {**SETTING_LIMITS, **{f"dataset.{k}": v for k, v in DATASET_LIMITS.items()
                                   if k in ("maxlen", "num_words")}}
    for name, limit in limits.items():
        (spin,) = widget.editors[name]
        step = 1 if limit.whole else 10.0 ** -spin.decimals()
        assert isinstance(spin, QSpinBox if limit.whole else QDoubleSpinBox), name
        off = limit.optional and limit.open_minimum  # the minimum reads "off"
        assert spin.minimum() == pytest.approx(limit.minimum if off else limit.lowest(step))
        assert spin.maximum() == pytest.approx(min(limit.maximum, 2**31 - 1)), name
    assert widget.editors["bptt"][0].maximum() == 10_000  # the UI once allowed 100,000
    assert widget.editors["learning_rate"][0].minimum() == pytest.approx(1e-5)  # never 0
    units, cell = widget.editors["model.0"]
    assert (units.minimum(), units.maximum(), units.value()) == (1, MAX_SIZE, 64)


def test_choices_come_from_the_engines_tables(form):
    widget = form(["optimizer", "model.0", "model.1"], {"optimizer": "sgd"},
                  model=["Bidirectional(GRU(8, return_sequences=True))", "GlobalMaxPool",
                         "Dense(1, sigmoid)"])
    (optimizer,) = widget.editors["optimizer"]
    assert tuple(optimizer.itemText(i) for i in range(optimizer.count())) == OPTIMIZERS
    assert optimizer.currentText() == "sgd"
    _units, cell = widget.editors["model.0"]
    assert tuple(cell.itemText(i) for i in range(cell.count())) == RECURRENT_TYPES
    (pooling,) = widget.editors["model.1"]
    assert tuple(pooling.itemText(i) for i in range(pooling.count())) == POOLING_TYPES
    cell.setCurrentText("SimpleRNN")
    pooling.setCurrentText("LastStep")
    assert widget.overrides() == {
        "optimizer": "sgd", "model.0": "Bidirectional(SimpleRNN(8, return_sequences=True))",
        "model.1": "LastStep"}


def test_the_lowest_value_of_an_optional_setting_means_off_or_the_whole_set(form):
    widget = form(["clip_norm", "max_seconds", "batch_size"],
                  {"clip_norm": None, "max_seconds": 30, "batch_size": None})
    clip, seconds, batch = (widget.editors[n][0] for n in ("clip_norm", "max_seconds",
                                                           "batch_size"))
    assert (clip.text(), batch.text()) == ("off", "whole set")
    assert widget.overrides() == {"clip_norm": None, "max_seconds": 30, "batch_size": None}
    seconds.setValue(seconds.minimum())
    clip.setValue(1.5)
    assert widget.overrides()["max_seconds"] is None and widget.overrides()["clip_norm"] == 1.5


def test_an_embeddings_editor_is_labelled_as_its_vector_size(form, qapp):
    widget = form(["model.0", "model.1"],
                  model=["EmbeddingBag(10000, 16)", "Dropout(0.5)", "Dense(1, sigmoid)"])
    assert set(widget.editors) == {"model.0"}  # a Dropout has no number to change
    assert widget.labels["model.0"].text() == "Size of each word's vector in layer 1"
    widget.editors["model.0"][0].setValue(32)
    assert widget.overrides() == {"model.0": "EmbeddingBag(10000, 32)"}
