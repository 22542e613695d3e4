"""Gradient descent: linear regression on a small generated data set; the learner picks the
learning rate and the batch type (full batch, mini-batch, SGD) and watches the steps walk over
the loss contour of (w, b): they converge, oscillate or diverge. The walks are
engine.playgrounds.gradient_descent's (numpy only, fast enough for the GUI thread); this widget
animates them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from hafiza.engine.playgrounds.gradient_descent import TRUE_B, TRUE_W, Descent, GradientDescentLab
from hafiza.ui import colours
from hafiza.ui.exercise_spin_boxes import RealSpinBox, WholeSpinBox
from hafiza.ui.i18n import N_, _, isolate, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import make_plot, with_clamp_note

W_RANGE = (-3.0, 7.0)  # the part of the (w, b) plane drawn
B_RANGE = (-4.0, 6.0)
# The engine's batch types (engine.playgrounds.gradient_descent.BATCH_SIZES) and verdicts
# (VERDICTS) as the learner reads them.
BATCHES = {"full": N_("Full batch (all points)"), "mini": N_("Mini-batch (8 points)"),
           "sgd": N_("SGD (one point)")}
VERDICTS = {
    "diverges": N_("It diverges: each step overshoots more than the last. Lower the learning "
                   "rate."),
    "oscillates": N_("It oscillates: the steps jump across the valley, yet they get there."),
    "converges": N_("It converges to the bottom of the valley."),
    "slow": N_("It is on its way, slowly: raise the learning rate or take more steps."),
    "noisy": N_("It reaches the valley and wanders around its bottom: each step sees only part "
                "of the data."),
}
TICK_MS = 40


class GradientDescentPlayground(Playground):
    name = "gradient_descent"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lab = GradientDescentLab()
        self.descent: Descent | None = None
        self.shown = 0  # points of the path drawn so far

        self.surface = make_plot()
        self.surface.setAspectLocked(False)
        log_loss = np.log10(self.lab.loss_surface(W_RANGE, B_RANGE, 121))
        self.image = pg.ImageItem(log_loss)  # axis 0 along w, axis 1 along b
        self.image.setLookupTable(pg.colormap.get("viridis").getLookupTable(nPts=256))
        self.image.setRect(QRectF(W_RANGE[0], B_RANGE[0], W_RANGE[1] - W_RANGE[0],
                                  B_RANGE[1] - B_RANGE[0]))
        self.surface.addItem(self.image)
        for level in np.linspace(log_loss.min() + 0.2, log_loss.max() - 0.1, 8):
            curve = pg.IsocurveItem(data=log_loss, level=level, pen=pg.mkPen("#ffffff80"))
            curve.setParentItem(self.image)
        self.path_item = self.surface.plot([], [], pen=pg.mkPen("#ff5555", width=2),
                                           symbol="o", symbolSize=5, symbolBrush="#ff5555")
        self.surface.plot([TRUE_W], [TRUE_B], pen=None, symbol="+", symbolSize=14,
                          symbolBrush="#ffffff", symbolPen="#ffffff")
        self.surface.setRange(xRange=W_RANGE, yRange=B_RANGE, padding=0)
        self.surface.disableAutoRange()
        self.surface.setMouseEnabled(False, False)
        self.curve_plot = make_plot(log_y=True)
        self.loss_item = self.curve_plot.plot([], [], pen=pg.mkPen(colours.BLUE, width=2))

        self.rate_label = QLabel()
        self.rate = RealSpinBox()
        self.rate.setDecimals(3)
        self.rate.setRange(0.001, 2.0)
        self.rate.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate.setValue(0.1)
        self.rate_label.setBuddy(self.rate)
        self.batch_label = QLabel()
        self.batch = QComboBox()
        for key in BATCHES:
            self.batch.addItem("", key)
        self.batch_label.setBuddy(self.batch)
        self.steps_label = QLabel()
        self.steps = WholeSpinBox()
        self.steps.setRange(5, 500)
        self.steps.setValue(60)
        self.steps_label.setBuddy(self.steps)
        self.start_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        # Fields as wide as their content, not the window's width: a 900-pixel spin box
        # holding "0.1" is hard to read across. Only a spin box's note may take the room.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.rate_label, with_clamp_note(self.rate))
        form.addRow(self.batch_label, self.batch)
        form.addRow(self.steps_label, with_clamp_note(self.steps))
        form.addRow("", self.start_button)
        plots = QHBoxLayout()
        plots.addWidget(self.surface, 1)
        plots.addWidget(self.curve_plot, 1)
        layout = self.body()
        layout.addLayout(form)
        layout.addLayout(plots, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.rate, self.batch)
        self.setTabOrder(self.batch, self.steps)
        self.setTabOrder(self.steps, self.start_button)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.start_button.clicked.connect(self.start)
        self.retranslate()

    def translate_texts(self) -> None:
        self.rate_label.setText(_("Learning rate:"))
        self.batch_label.setText(_("Batch type:"))
        for index in range(self.batch.count()):
            self.batch.setItemText(index, _(BATCHES[self.batch.itemData(index)]))
        self.steps_label.setText(_("Steps:"))
        self.start_button.setText(_("Descend"))
        self.surface.setTitle(_("Loss over (w, b); + is the best line"))
        self.surface.setLabel("bottom", "w")
        self.surface.setLabel("left", "b")
        self.curve_plot.setTitle(_("Loss after each step"))
        self.curve_plot.setLabel("bottom", _("step"))
        self.curve_plot.setLabel("left", _("loss"))
        self._show_status()

    def set_batch(self, key: str) -> None:
        self.batch.setCurrentIndex(self.batch.findData(key))

    @Slot()
    def start(self) -> None:
        self.descent = self.lab.descend(self.rate.value(), self.batch.currentData(),
                                        self.steps.value())
        self.shown = 1
        self._draw()
        self.timer.start()

    def finish(self) -> None:
        """Shows the whole path at once (the end of the animation)."""
        if self.descent is not None:
            self.shown = len(self.descent.path)
            self.timer.stop()
            self._draw()
            self.computed.emit()

    @Slot()
    def _tick(self) -> None:
        if self.descent is None:
            self.timer.stop()
            return
        self.shown = min(self.shown + 1, len(self.descent.path))
        self._draw()
        if self.shown >= len(self.descent.path):
            self.timer.stop()
            self.computed.emit()

    def _draw(self) -> None:
        path = self.descent.path[: self.shown]
        # Points far outside the view are drawn at its edge, so a diverging walk stays visible.
        shown = np.column_stack([np.clip(path[:, 0], W_RANGE[0] - 1, W_RANGE[1] + 1),
                                 np.clip(path[:, 1], B_RANGE[0] - 1, B_RANGE[1] + 1)])
        self.path_item.setData(shown[:, 0], shown[:, 1])
        losses = self.descent.losses[: self.shown]
        finite = np.isfinite(losses) & (losses > 0)
        steps = np.arange(len(losses))
        self.loss_item.setData(steps[finite], np.log10(losses[finite]))
        self._show_status()

    def _show_status(self) -> None:
        if self.descent is None:
            self.status.setText(_("Choose a learning rate and a batch type, then press "
                                  "Descend."))
            return
        step = self.shown - 1
        current = self.descent.losses[step]
        text = _("Step {step} of {steps}, loss {loss}").format(
            step=number(step), steps=number(len(self.descent.path) - 1),
            loss=number(float(current), 4) if current < 1e6 else isolate("> " + number(10**6)))
        if self.shown >= len(self.descent.path):
            text += "\n" + _(VERDICTS[self.descent.verdict])
        self.status.setText(text)
