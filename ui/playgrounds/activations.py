"""Activations: binary step, ReLU, sigmoid, tanh and linear with their derivatives; move the
input z and read f(z) and f'(z) of each (engine.playgrounds.activations, numpy only)."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hafiza.engine.playgrounds.activations import curves, values_at
from hafiza.ui.exercise_spin_boxes import ClampNote, RealSpinBox
from hafiza.ui.i18n import N_, _, isolate, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import PALETTE, make_plot

# The engine's ACTIVATION_NAMES as the learner reads them.
NAMES = {
    "step": N_("binary step"),
    "relu": N_("ReLU"),
    "sigmoid": N_("sigmoid"),
    "tanh": N_("tanh"),
    "linear": N_("linear"),
}
Z_RANGE = 5.0
GRID = np.linspace(-Z_RANGE, Z_RANGE, 401)


class ActivationsPlayground(Playground):
    name = "activations"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curves = curves(GRID)
        self.values_plot = make_plot()
        self.slopes_plot = make_plot()
        self.value_items = {}
        self.slope_items = {}
        for index, (name, (f, df)) in enumerate(self.curves.items()):
            pen = pg.mkPen(PALETTE[index], width=2)
            self.value_items[name] = self.values_plot.plot(GRID, f, pen=pen)
            self.slope_items[name] = self.slopes_plot.plot(GRID, df, pen=pen)
        self.values_plot.setYRange(-1.5, 1.5)
        self.slopes_plot.setYRange(-0.2, 1.2)
        self.values_plot.setXRange(-Z_RANGE, Z_RANGE)
        self.slopes_plot.setXRange(-Z_RANGE, Z_RANGE)
        self.markers = [pg.InfiniteLine(0, angle=90, pen=pg.mkPen("#888888", style=Qt.DashLine))
                        for _plot in (0, 1)]
        self.values_plot.addItem(self.markers[0])
        self.slopes_plot.addItem(self.markers[1])

        # The key to the colours, under the plots rather than on them: a legend inside a plot
        # hides part of a curve whatever corner it takes (five curves fill both plots).
        self.key = QLabel()
        self.key.setObjectName("activations-key")
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.z_label = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(-500, 500)  # hundredths
        self.slider.setPageStep(50)
        # The input axis runs left to right like the plots above, whatever the language.
        self.slider.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.z_box = RealSpinBox()
        self.z_box.setRange(-Z_RANGE, Z_RANGE)
        self.z_box.setDecimals(2)
        self.z_box.setSingleStep(0.1)
        self.z_label.setBuddy(self.slider)
        # Under the row, not beside the box: there the slider has the row's room.
        self.z_note = ClampNote(self.z_box)
        self.table = QTableWidget(len(NAMES), 3)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)

        plots = QHBoxLayout()
        plots.addWidget(self.values_plot)
        plots.addWidget(self.slopes_plot)
        row = QHBoxLayout()
        row.addWidget(self.z_label)
        row.addWidget(self.slider, 1)
        row.addWidget(self.z_box)
        layout = self.body()
        layout.addLayout(plots, 1)
        layout.addWidget(self.key)
        layout.addLayout(row)
        layout.addWidget(self.z_note)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        self.setTabOrder(self.slider, self.z_box)
        self.setTabOrder(self.z_box, self.table)
        self.slider.valueChanged.connect(self._on_slider)
        self.z_box.valueChanged.connect(self._on_box)
        self.retranslate()
        self.set_z(0.5)

    @property
    def z(self) -> float:
        return self.z_box.value()

    def set_z(self, value: float) -> None:
        self.z_box.setValue(value)

    def translate_texts(self) -> None:
        self.values_plot.setTitle(_("the function f(z)"))
        self.slopes_plot.setTitle(_("its derivative f′(z)"))
        for plot in (self.values_plot, self.slopes_plot):
            plot.setLabel("bottom", "z")
        self.key.setText(self.key_html())
        self.z_label.setText(_("Input z:"))
        self.table.setHorizontalHeaderLabels([_("Function"), "f(z)", "f′(z)"])
        self.note.setText(_("The step's derivative is zero everywhere it exists, so "
                            "backpropagation cannot train it; sigmoid and tanh flatten far "
                            "from zero, ReLU keeps a slope of 1 for every positive input."))
        self._fill_table()

    def key_html(self) -> str:
        """The colour of each curve and its name, in the learner's language: "━ ReLU   ━ …"."""
        entries = []
        for index, name in enumerate(self.curves):
            entries.append(f'<span style="color:{PALETTE[index]}; font-weight:bold;">'
                           f"\u2501\u2501</span>&nbsp;{html.escape(isolate(_(NAMES[name])))}")
        return "&nbsp;&nbsp;&nbsp; ".join(entries)

    @Slot(int)
    def _on_slider(self, value: int) -> None:
        if abs(self.z_box.value() * 100 - value) >= 0.5:
            self.z_box.setValue(value / 100)

    @Slot(float)
    def _on_box(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * 100))
        self.slider.blockSignals(False)
        for marker in self.markers:
            marker.setValue(value)
        self._fill_table()

    def _fill_table(self) -> None:
        for row, (name, (f, df)) in enumerate(values_at(self.z).items()):
            cells = (_(NAMES[name]), number(f, 4), number(df, 4))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                else:
                    item.setForeground(pg.mkColor(PALETTE[row]))
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(0)
