"""Gradient descent: linear regression on a small generated data set; the learner picks the
learning rate and the batch type (full batch, mini-batch, SGD) and watches the steps walk over
the loss contour of (w, b): they converge, oscillate or diverge. Numpy only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from hafiza.ui.i18n import N_, _, isolate, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import make_plot
from PySide6.QtCore import QRectF, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

TRUE_W, TRUE_B = 2.0, 1.0
W_RANGE = (-3.0, 7.0)
B_RANGE = (-4.0, 6.0)
START = (-2.0, -3.0)
BATCHES = {"full": (N_("Full batch (all points)"), 0), "mini": (N_("Mini-batch (8 points)"), 8),
           "sgd": (N_("SGD (one point)"), 1)}
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


def make_data(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n)
    y = TRUE_W * x + TRUE_B + rng.normal(0.0, 0.3, n)
    return x, y


def loss(x: np.ndarray, y: np.ndarray, w, b):
    """Mean squared error of w*x + b; w and b may be arrays of the same shape (a grid)."""
    w = np.asarray(w, dtype=np.float64)[..., None]
    b = np.asarray(b, dtype=np.float64)[..., None]
    return np.mean((w * x + b - y) ** 2, axis=-1)


@dataclass
class Descent:
    path: np.ndarray  # (steps + 1, 2): (w, b) after each step
    losses: np.ndarray  # full-data loss at each point of the path
    best: float  # the lowest possible loss (least squares)
    verdict: str  # a key of VERDICTS


def descend(x: np.ndarray, y: np.ndarray, learning_rate: float, batch_size: int = 0,
            steps: int = 60, start: tuple[float, float] = START, seed: int = 0) -> Descent:
    """Gradient descent on the MSE; batch_size 0 is the full batch, 1 is SGD. Shuffled each
    pass over the data. Stops early once the parameters blow up."""
    rng = np.random.default_rng(seed)
    n = len(x)
    size = n if batch_size <= 0 else min(batch_size, n)
    w, b = start
    path = [(w, b)]
    order = np.arange(n)
    position = n
    for _step in range(steps):
        if position + size > n:
            order = rng.permutation(n) if size < n else np.arange(n)
            position = 0
        batch = order[position:position + size]
        position += size
        error = w * x[batch] + b - y[batch]
        w, b = w - learning_rate * 2 * np.mean(error * x[batch]), \
            b - learning_rate * 2 * np.mean(error)
        path.append((w, b))
        if not (np.isfinite(w) and np.isfinite(b)) or max(abs(w), abs(b)) > 1e8:
            break
    path = np.asarray(path, dtype=np.float64)
    losses = loss(x, y, path[:, 0], path[:, 1])
    design = np.stack([x, np.ones_like(x)], axis=1)
    (w_best, b_best), *_ = np.linalg.lstsq(design, y, rcond=None)
    best = float(loss(x, y, w_best, b_best))
    return Descent(path, losses, best, judge(path, losses, best, size < n))


def judge(path: np.ndarray, losses: np.ndarray, best: float, stochastic: bool) -> str:
    excess = losses - best
    if not np.all(np.isfinite(losses)) or excess[-1] > excess[0]:
        return "diverges"
    if excess[-1] > 0.05 * excess[0] + 0.02:
        return "slow"
    if stochastic:
        return "noisy" if excess[-1] > 0.02 else "converges"
    moves = np.diff(path[: min(len(path), 21)], axis=0)
    turns = np.sum(moves[1:] * moves[:-1], axis=1) < 0
    return "oscillates" if turns.size and turns.mean() > 0.5 else "converges"


class GradientDescentPlayground(Playground):
    name = "gradient_descent"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.x, self.y = make_data()
        self.descent: Descent | None = None
        self.shown = 0  # points of the path drawn so far

        self.surface = make_plot()
        self.surface.setAspectLocked(False)
        w_grid = np.linspace(*W_RANGE, 121)
        b_grid = np.linspace(*B_RANGE, 121)
        grid_w, grid_b = np.meshgrid(w_grid, b_grid, indexing="ij")
        log_loss = np.log10(loss(self.x, self.y, grid_w, grid_b))
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
        self.loss_item = self.curve_plot.plot([], [], pen=pg.mkPen("#2f6fdf", width=2))

        self.rate_label = QLabel()
        self.rate = QDoubleSpinBox()
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
        self.steps = QSpinBox()
        self.steps.setRange(5, 500)
        self.steps.setValue(60)
        self.steps_label.setBuddy(self.steps)
        self.start_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.rate_label, self.rate)
        form.addRow(self.batch_label, self.batch)
        form.addRow(self.steps_label, self.steps)
        form.addRow("", self.start_button)
        plots = QHBoxLayout()
        plots.addWidget(self.surface, 1)
        plots.addWidget(self.curve_plot, 1)
        layout = QVBoxLayout(self)
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

    def retranslate(self) -> None:
        self.rate_label.setText(_("Learning rate:"))
        self.batch_label.setText(_("Batch type:"))
        for index in range(self.batch.count()):
            self.batch.setItemText(index, _(BATCHES[self.batch.itemData(index)][0]))
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
        size = BATCHES[self.batch.currentData()][1]
        self.descent = descend(self.x, self.y, self.rate.value(), size, self.steps.value())
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
