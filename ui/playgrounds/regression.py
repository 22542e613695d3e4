"""Sequence regression: the seed 003 table (input, target, prediction, error) from a trained
model, and the prediction for an input of the learner's choice."""

from __future__ import annotations

import numpy as np
from hafiza.ui.i18n import _, number
from hafiza.ui.playgrounds.base import Playground
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def predict(model, x: np.ndarray) -> np.ndarray:
    import torch

    device = next(model.parameters()).device
    with torch.no_grad():
        out = model.predict(torch.as_tensor(np.asarray(x, dtype=np.float32), device=device))
    return out.cpu().numpy().reshape(len(x), -1)[:, 0]


class RegressionPlayground(Playground):
    name = "regression"

    def __init__(self, model, x: np.ndarray, y: np.ndarray,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.x = np.asarray(x, dtype=np.float32)
        self.y = np.asarray(y, dtype=np.float32).reshape(len(self.x), -1)[:, 0]
        self.predictions = predict(model, self.x)
        self.errors = self.predictions - self.y

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(self.x), 4)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.mse_label = QLabel()
        self.own_label = QLabel()
        self.own_input = QDoubleSpinBox()
        self.own_input.setRange(-10.0, 10.0)
        self.own_input.setDecimals(2)
        self.own_input.setSingleStep(0.05)
        self.own_input.setValue(0.4)
        self.own_label.setBuddy(self.own_input)
        self.own_result = QLabel()
        form = QFormLayout()
        form.addRow(self.own_label, self.own_input)
        form.addRow("", self.own_result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.mse_label)
        layout.addLayout(form)
        self.setTabOrder(self.table, self.own_input)
        self.own_input.valueChanged.connect(self._predict_own)
        self.retranslate()

    @property
    def own_prediction(self) -> float:
        shape = (1,) + self.x.shape[1:]
        return float(predict(self.model, np.full(shape, self.own_input.value()))[0])

    def retranslate(self) -> None:
        self.intro.setText(_("What the trained model predicts for each input of the sequence."))
        self.table.setHorizontalHeaderLabels([_("Input"), _("Target"), _("Prediction"),
                                              _("Error")])
        for row in range(len(self.x)):
            values = (float(self.x[row].reshape(-1)[-1]), float(self.y[row]),
                      float(self.predictions[row]), float(self.errors[row]))
            for column, value in enumerate(values):
                item = QTableWidgetItem(number(value, 1 if column < 2 else 4))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        mse = float(np.mean(self.errors ** 2)) if len(self.errors) else 0.0
        self.mse_label.setText(_("Mean squared error: {mse}").format(mse=number(mse, 5)))
        self.own_label.setText(_("Try your own input:"))
        self._predict_own()

    @Slot()
    def _predict_own(self) -> None:
        self.own_result.setText(_("The model predicts {value}").format(
            value=number(self.own_prediction, 4)))
