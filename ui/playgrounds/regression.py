"""Sequence regression: the seed 003 table (input, target, prediction, error) from a trained
model, and the prediction for an input of the learner's choice. engine.playgrounds.regression
predicts, in a worker thread."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hafiza.engine.playgrounds.regression import (
    PredictionTable,
    predict_constant,
    prediction_table,
)
from hafiza.ui.exercise_spin_boxes import RealSpinBox
from hafiza.ui.i18n import _, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import with_clamp_note


class RegressionPlayground(Playground):
    name = "regression"

    def __init__(self, model, x: np.ndarray, y: np.ndarray,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.x = np.asarray(x, dtype=np.float32)
        self.y = np.asarray(y, dtype=np.float32)
        self.results: PredictionTable | None = None  # until the worker has predicted
        self.own_prediction: float | None = None

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(self.x), 4)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.mse_label = QLabel()
        self.own_label = QLabel()
        self.own_input = RealSpinBox()
        self.own_input.setRange(-10.0, 10.0)
        self.own_input.setDecimals(2)
        self.own_input.setSingleStep(0.05)
        self.own_input.setValue(0.4)
        self.own_label.setBuddy(self.own_input)
        self.own_result = QLabel()
        form = QFormLayout()
        # The box as wide as its content; the note beside it takes the room (any style).
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.own_label, with_clamp_note(self.own_input))
        form.addRow("", self.own_result)
        layout = self.body()
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.mse_label)
        layout.addLayout(form)
        self.setTabOrder(self.table, self.own_input)
        self.own_input.valueChanged.connect(self._predict_own)
        self.retranslate()
        model, x, y, device = self.model, self.x, self.y, self.device
        self.run_task("table", lambda: prediction_table(model, x, y, device), self._on_table)
        self._predict_own()

    def translate_texts(self) -> None:
        self.intro.setText(_("What the trained model predicts for each input of the sequence."))
        self.table.setHorizontalHeaderLabels([_("Input"), _("Target"), _("Prediction"),
                                              _("Error")])
        self.own_label.setText(_("Try your own input:"))
        self._show_table()
        self._show_own()

    def _on_table(self, results: PredictionTable) -> None:
        self.results = results
        self._show_table()

    def _show_table(self) -> None:
        if self.results is None:
            self.mse_label.setText(_("Computing…"))
            return
        results = self.results
        for row in range(len(results.inputs)):
            values = (float(results.inputs[row]), float(results.targets[row]),
                      float(results.predictions[row]), float(results.errors[row]))
            for column, value in enumerate(values):
                item = QTableWidgetItem(number(value, 1 if column < 2 else 4))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.mse_label.setText(_("Mean squared error: {mse}").format(
            mse=number(results.mse, 5)))

    @Slot()
    def _predict_own(self) -> None:
        model, value, device = self.model, self.own_input.value(), self.device
        sample_shape = self.x.shape[1:]
        self.run_task("own", lambda: predict_constant(model, value, sample_shape, device),
                      self._on_own)

    def _on_own(self, prediction: float) -> None:
        self.own_prediction = prediction
        self._show_own()

    def _show_own(self) -> None:
        if self.own_prediction is None:
            self.own_result.setText(_("Computing…"))
            return
        self.own_result.setText(_("The model predicts {value}").format(
            value=number(self.own_prediction, 4)))
