"""The form of the settings an exercise lets the learner change: one editor per control.

Ranges and choices come from the engine's tables (engine.tables, engine.layers), so an editor
accepts exactly what the exercise validator accepts: a spin box never offers a value that the
engine refuses when Train is pressed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from hafiza.engine.layer_edit import SIZE_LIMIT, editable_layer, is_pooling
from hafiza.engine.layers import POOLING_TYPES
from hafiza.engine.tables import DATASET_LIMITS, OPTIMIZERS, SETTING_LIMITS, TEXT_UNITS, Limit
from hafiza.ui.exercise_spin_boxes import ClampNote, RealSpinBox, WholeSpinBox
from hafiza.ui.i18n import N_, VARIETIES, _, current_variety, number, qlocale

CONTROL_LABELS = {
    "optimizer": N_("Optimizer"),
    "learning_rate": N_("Learning rate"),
    "batch_size": N_("Batch size"),
    "epochs": N_("Epochs"),
    "shuffle": N_("Shuffle the examples"),
    "bptt": N_("Truncated BPTT length"),
    "clip_norm": N_("Gradient clipping (norm)"),
    "max_seconds": N_("Time limit (seconds)"),
    "dataset.noise": N_("Noise in the data"),
    "dataset.seq_len": N_("Sequence length"),
    "dataset.window": N_("Window length"),
    "dataset.variety": N_("Text of the lessons in"),
    "dataset.unit": N_("Read the text as"),
    "dataset.n_samples": N_("Number of examples"),
    "dataset.maxlen": N_("Words kept per text"),
    "dataset.num_words": N_("Vocabulary size (words)"),
    "dataset.min_count": N_("Times a word must occur to be learnt"),
    "dataset.padding": N_("Padding of short texts"),
    "dataset.truncating": N_("Cutting of long texts"),
    # Every other setting a lesson may list in `controls` (tests/ui/test_control_labels.py
    # keeps one label per setting the engine knows), so no card shows "model.0" or "momentum".
    "momentum": N_("Momentum"),
    "patience": N_("Patience (epochs without improvement)"),
    "weight_decay": N_("Weight decay"),
    "seed": N_("Random seed"),
    "steps_per_epoch": N_("Steps per epoch"),
    "monitor": N_("Measure watched"),
    "restore_best": N_("Keep the best epoch's weights"),
    "lr_schedule": N_("Learning-rate schedule"),
    "loss": N_("Loss function"),
    "dataset.val_fraction": N_("Share kept for validation"),
    "dataset.period": N_("Length of one wave"),
    "dataset.turns": N_("Turns of each spiral"),
    "dataset.n_arms": N_("Number of spiral arms"),
    "dataset.factor": N_("Size of the inner circle"),
    "dataset.index_from": N_("First word number"),
    "dataset.seed": N_("Random seed of the data"),
    "dataset.punctuation": N_("Punctuation marks as words"),
    "dataset.path": N_("Text file"),
    "dataset.text_file": N_("Text file"),
    "dataset.lessons_dir": N_("Folder of lessons"),
}
# pad_sequences' "pre" and "post", as the learner reads them.
SIDES = {"pre": N_("at the start (pre)"), "post": N_("at the end (post)")}
# The engine's units of text (engine.tables.TEXT_UNITS), as the learner reads them; a unit the
# engine adds later is offered under its own name until it gets words here.
UNIT_NAMES = {"word": N_("words"), "char": N_("characters")}
# The combo boxes whose items carry an engine value and show these words for it.
CHOICE_WORDS = {"dataset.padding": SIDES, "dataset.truncating": SIDES,
                "dataset.unit": UNIT_NAMES}
# What the lowest value of these spin boxes means, shown instead of the number.
SPECIAL_VALUES = {"batch_size": N_("whole set"), "clip_norm": N_("off"),
                  "max_seconds": N_("off")}
# Decimals of the settings that are real numbers; the others (momentum, a data set's noise)
# get three.
DECIMALS = {"learning_rate": 5, "weight_decay": 5, "clip_norm": 2, "max_seconds": 0}
REAL_DECIMALS = 3
# For a data set setting the engine's table has no row for (its validator only sets a
# minimum), the form still needs a range.
UNLISTED_WHOLE = Limit(1, 100_000, whole=True)
UNLISTED_REAL = Limit(0, 10)
# The largest value a QSpinBox holds (a C int).
SPIN_MAXIMUM = 2**31 - 1
# The form puts its fields in two columns when it is at least this wide and has more than
# COLUMN_AFTER fields: on a 1024x700 screen a one-column form of seven fields pushed the
# plots below the window.
TWO_COLUMNS_WIDTH = 640
COLUMN_AFTER = 3


def control_limit(name: str, value: Any = None) -> Limit | None:
    """The engine's limit of a numeric control (None for choices and switches)."""
    if name in SETTING_LIMITS:
        return SETTING_LIMITS[name]
    if name.startswith("dataset."):
        setting = name.split(".", 1)[1]
        if setting in DATASET_LIMITS:
            return DATASET_LIMITS[setting]
        return UNLISTED_WHOLE if isinstance(value, int) else UNLISTED_REAL
    if name.startswith("model."):
        return SIZE_LIMIT
    return None


def means_off(limit: Limit) -> bool:
    """The limit's minimum is not a value but "off" (None): clipping, the time limit."""
    return limit.optional and limit.open_minimum


def spin_box(limit: Limit, value: float, decimals: int = 0) -> QSpinBox | QDoubleSpinBox:
    """A spin box over the limit's range: whole numbers in a QSpinBox, real ones in a
    QDoubleSpinBox; an "off" minimum is kept as the spin box's lowest value."""
    step = 1.0 if limit.whole else 10.0 ** -decimals
    low = limit.minimum if means_off(limit) else limit.lowest(step)
    high = limit.maximum
    if limit.whole:
        spin = WholeSpinBox()
        spin.setRange(int(low), int(min(high, SPIN_MAXIMUM)))
        spin.setValue(int(value))
        return spin
    spin = RealSpinBox()
    spin.setDecimals(decimals)
    spin.setRange(low, high if math.isfinite(high) else float(SPIN_MAXIMUM))
    spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
    spin.setValue(float(value))
    return spin


def control_label(exercise: dict, name: str) -> str:
    """A control's label in the learner's words, as the form and the exercise card show
    it: "Learning rate", "Units of layer 1", never "learning_rate" or "model.0"."""
    if name in CONTROL_LABELS:
        return _(CONTROL_LABELS[name])
    model = exercise.get("model")
    head, _dot, index = name.partition(".")
    if head != "model" or not index.isdigit() or not isinstance(model, list) \
            or int(index) >= len(model):
        return name
    layer = str(model[int(index)])
    if is_pooling(layer):
        return _("Pooling over time")
    parts = editable_layer(layer)
    text = (_("Size of each word's vector in layer {n}")
            if parts is not None and parts.is_vector_size else _("Units of layer {n}"))
    return text.format(n=number(int(index) + 1))


class ControlsForm(QWidget):
    """Widgets for the settings an exercise lets the learner change, in one column or two
    as the width allows."""

    def __init__(self, exercise: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, tuple[QWidget, ...]] = {}
        self.labels: dict[str, QLabel] = {}
        self.notes: dict[str, ClampNote] = {}  # "the largest allowed is 10", when it was
        self._rows: list[tuple[QLabel, QWidget]] = []
        for name in exercise.get("controls", []):
            editors = self._editors_for(name)
            if editors is None:
                continue
            self.editors[name] = editors
            row = QWidget()
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            for editor in editors:
                box.addWidget(editor)
            if isinstance(editors[0], (WholeSpinBox, RealSpinBox)):
                self.notes[name] = ClampNote(editors[0])
                box.addWidget(self.notes[name], 1)
            else:
                box.addStretch(1)
            label = QLabel()
            label.setBuddy(editors[0])
            self.labels[name] = label
            self._rows.append((label, row))
        self._columns = 0
        self._arrange(1)

    def _arrange(self, columns: int) -> None:
        """Lays the label and field pairs out in `columns` columns, filled row by row."""
        if columns == self._columns:
            return
        self._columns = columns
        for label, row in self._rows:
            self.grid.removeWidget(label)
            self.grid.removeWidget(row)
        for index, (label, row) in enumerate(self._rows):
            line, column = divmod(index, columns)
            self.grid.addWidget(label, line, 2 * column)
            self.grid.addWidget(row, line, 2 * column + 1)
        for column in range(4):
            self.grid.setColumnStretch(column, 1 if column % 2 and column < 2 * columns else 0)
        self.grid.setHorizontalSpacing(12)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        wide = event.size().width() >= TWO_COLUMNS_WIDTH and len(self._rows) > COLUMN_AFTER
        self._arrange(2 if wide else 1)
        super().resizeEvent(event)

    def minimumSizeHint(self):  # noqa: N802 (Qt's name)
        """As narrow as one column: the form folds into one when it gets narrow."""
        hint = super().minimumSizeHint()
        if self._columns == 2:
            hint.setWidth(min(hint.width(), TWO_COLUMNS_WIDTH - 1))
        return hint

    def _layer(self, name: str) -> str:
        return self.exercise["model"][int(name.split(".", 1)[1])]

    def _editors_for(self, name: str) -> tuple[QWidget, ...] | None:
        hyper = self.exercise.get("hyperparameters", {})
        if name == "optimizer":
            return (self._choices(OPTIMIZERS, str(hyper.get("optimizer", "adam"))),)
        if name == "shuffle":
            return (self._switch(bool(hyper.get("shuffle", True))),)
        if name in SETTING_LIMITS:
            limit = SETTING_LIMITS[name]
            value = hyper.get(name)
            return (spin_box(limit, limit.minimum if value is None else value,
                             DECIMALS.get(name, REAL_DECIMALS)),)
        if name.startswith("dataset."):
            return self._dataset_editors(name)
        if name.startswith("model."):
            return self._layer_editors(name)
        return None

    def _dataset_editors(self, name: str) -> tuple[QWidget, ...] | None:
        dataset = self.exercise.get("dataset", {})
        setting = name.split(".", 1)[1]
        if setting == "variety":
            combo = QComboBox()
            for tag, variety in VARIETIES.items():
                combo.addItem(variety.native_name, tag)
            combo.setCurrentIndex(max(0, combo.findData(dataset.get("variety", "ary"))))
            return (combo,)
        if setting in ("padding", "truncating"):
            return (self._data_choices(SIDES, dataset.get(setting, "pre")),)
        if setting == "unit":
            return (self._data_choices(TEXT_UNITS, dataset.get("unit", TEXT_UNITS[0])),)
        value = dataset.get(setting, 0)
        if isinstance(value, bool):
            return (self._switch(value),)
        if not isinstance(value, (int, float)):
            return None  # no editor for free text (or none): the lesson's value stays
        return (spin_box(control_limit(name, value), value, REAL_DECIMALS),)

    def _layer_editors(self, name: str) -> tuple[QWidget, ...] | None:
        layer = self._layer(name)
        if is_pooling(layer):
            return (self._choices(POOLING_TYPES, layer.strip()),)
        parts = editable_layer(layer)
        if parts is None:
            return None
        size = spin_box(SIZE_LIMIT, parts.value)
        if len(parts.kinds) > 1:
            return (size, self._choices(parts.kinds, parts.kind))
        return (size,)

    @staticmethod
    def _choices(choices: tuple[str, ...], current: str) -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(choices))
        combo.setCurrentText(current)
        return combo

    @staticmethod
    def _data_choices(values: Iterable[str], current: str) -> QComboBox:
        """A combo box whose items carry the engine's values; their words are set in
        retranslate()."""
        combo = QComboBox()
        for value in values:
            combo.addItem(value, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    @staticmethod
    def _switch(checked: bool) -> QCheckBox:
        box = QCheckBox()
        box.setChecked(checked)
        return box

    def retranslate(self) -> None:
        """Labels, choices and the digits of every spin box (its locale is the variety's:
        a spin box keeps the digits it was made with otherwise)."""
        locale = qlocale(current_variety())
        for name, label in self.labels.items():
            label.setText(control_label(self.exercise, name))
        for name, editors in self.editors.items():
            words = CHOICE_WORDS.get(name, {})
            for index in range(editors[0].count() if words else 0):
                value = editors[0].itemData(index)
                editors[0].setItemText(index, _(words[value]) if value in words else value)
            if name in SPECIAL_VALUES:
                editors[0].setSpecialValueText(_(SPECIAL_VALUES[name]))
            for editor in editors:
                if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                    editor.setLocale(locale)
            if name in self.notes:
                self.notes[name].retranslate()  # the same sentence in the new language

    def overrides(self) -> dict[str, Any]:
        """The value of every control, as apply_overrides takes them."""
        values: dict[str, Any] = {}
        for name, editors in self.editors.items():
            editor = editors[0]
            if name.startswith("model.") and isinstance(editor, QComboBox):
                values[name] = editor.currentText()  # a pooling layer
            elif name.startswith("model."):
                kind = editors[1].currentText() if len(editors) > 1 else None
                values[name] = editable_layer(self._layer(name)).text(kind, editor.value())
            elif isinstance(editor, QComboBox):
                data = editor.currentData()
                values[name] = data if data is not None else editor.currentText()
            elif isinstance(editor, QCheckBox):
                values[name] = editor.isChecked()
            else:
                limit = control_limit(name)
                off = limit is not None and means_off(limit) and editor.value() == limit.minimum
                values[name] = None if off else editor.value()
        return values
