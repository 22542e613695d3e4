"""The plots of a training run: the loss and the exercise's metric, live, with the epoch
metrics behind them (saved as CSV) and the faded curves of earlier runs to compare.

The plots take points as they arrive and draw only when `redraw()` is called (the exercise
panel's 5 Hz timer), never per batch.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.ui.i18n import _
from hafiza.ui.plots import LiveCurve, MetricPlot

# Wide enough for two plots of a readable width beside each other.
SIDE_BY_SIDE_WIDTH = 760


# The metric each kind of task reports beside the loss (engine.train: accuracy where the
# loop counts right answers, perplexity for a language model); a regression reports none.
# The first epoch's metrics correct this guess (see add_epoch).
TASK_METRICS = {"binary": "accuracy", "multiclass": "accuracy", "tagging": "accuracy",
                "language_model": "perplexity", "regression": None}
PLOTTED_METRICS = ("accuracy", "perplexity")
# Accuracy is a fraction: a fixed range from 0, with room above 1 for the dot of a perfect
# score.
FRACTION_RANGE = (0.0, 1.05)


def metric_key(task: str) -> str | None:
    """The metric plotted beside the loss, or None when the task reports none."""
    return TASK_METRICS.get(task, "accuracy")


def metric_name(key: str | None) -> str:
    if key in (None, "loss"):
        return _("loss")
    return _("perplexity") if key == "perplexity" else _("accuracy")


class TrainingPlots(QWidget):
    """The loss and metric plots of the current run, and its epoch metrics."""

    def __init__(self, exercise: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise_id = str(exercise.get("id", "exercise"))
        self.plotted_metric = metric_key(exercise.get("task", ""))
        self.history: list[dict] = []  # epoch metrics of the current run (CSV export)
        self.loss_plot = MetricPlot(dotted=("val",))
        self.metric_plot = MetricPlot(dotted=("train", "val"), legend_corner="bottom")
        self._bound_metric_range()
        self.export_png_button = QPushButton()
        self.export_csv_button = QPushButton()
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.export_png_button)
        exports.addWidget(self.export_csv_button)
        # Side by side where the window is wide, one above the other where it is not.
        self.plot_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.plot_row.addWidget(self.loss_plot)
        self.plot_row.addWidget(self.metric_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.plot_row, 1)
        layout.addLayout(exports)
        self.metric_plot.setVisible(self.plotted_metric is not None)
        self.export_png_button.clicked.connect(self._ask_export_png)
        self.export_csv_button.clicked.connect(self._ask_export_csv)

    def retranslate(self) -> None:
        self.export_png_button.setText(_("Save plot as PNG…"))
        self.export_csv_button.setText(_("Save metrics as CSV…"))
        names = {"train": _("training"), "val": _("validation")}
        self.loss_plot.set_labels(_("epoch"), _("loss"), names)
        self.metric_plot.set_labels(_("epoch"), metric_name(self.plotted_metric), names)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        wide = event.size().width() >= SIDE_BY_SIDE_WIDTH
        self.plot_row.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                   else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def _bound_metric_range(self) -> None:
        if self.plotted_metric == "accuracy":
            self.metric_plot.set_y_bounds(*FRACTION_RANGE)

    # -- a run's points -------------------------------------------------------------------------
    def start_run(self, epochs: int | None, first: bool) -> None:
        """A new run: the last one's curves fade (unless this is the first), the x axis
        spans the epochs from the start."""
        if not first:
            self.loss_plot.new_run()
            self.metric_plot.new_run()
        self.history = []
        self.set_x_extent(epochs)

    def set_x_extent(self, epochs: int | None) -> None:
        if isinstance(epochs, int) and epochs > 0:
            self.loss_plot.set_x_extent(epochs)
            self.metric_plot.set_x_extent(epochs)

    def add_batches(self, batches: list) -> None:
        count = len(batches)
        xs = np.fromiter((b.epoch - 1 + b.batch / max(1, b.n_batches) for b in batches),
                         float, count)
        self.loss_plot.extend("train", xs, np.fromiter((b.loss for b in batches), float, count))

    def add_epoch(self, epoch) -> None:
        metrics = epoch.metrics
        self.history.append({"epoch": epoch.epoch, **metrics})
        self._follow_reported(metrics)
        if "val_loss" in metrics:
            self.loss_plot.add("val", epoch.epoch, metrics["val_loss"])
        if self.plotted_metric in metrics:
            self.metric_plot.add("train", epoch.epoch, metrics[self.plotted_metric])
        if f"val_{self.plotted_metric}" in metrics:
            self.metric_plot.add("val", epoch.epoch, metrics[f"val_{self.plotted_metric}"])

    def _follow_reported(self, metrics: dict) -> None:
        """The run says which metric it reports: the plot shows that one (and is hidden
        when it reports only the loss), whatever the task led us to expect."""
        reported = next((key for key in PLOTTED_METRICS if key in metrics), None)
        if reported == self.plotted_metric:
            return
        self.plotted_metric = reported
        self.metric_plot.setVisible(reported is not None)
        self._bound_metric_range()
        self.retranslate()

    def finish_run(self) -> None:
        self.loss_plot.finish_run()
        self.metric_plot.finish_run()

    def redraw(self) -> None:
        self.loss_plot.redraw()
        self.metric_plot.redraw()

    def clear(self) -> None:
        self.loss_plot.clear_all()
        self.metric_plot.clear_all()
        self.history = []

    # -- earlier runs, faded --------------------------------------------------------------------
    def add_earlier(self, curves: dict) -> list[LiveCurve]:
        """An earlier run's validation (else training) curves, faded behind this run's."""
        return [
            self.loss_plot.add_earlier(curves.get("val_loss") or curves.get("loss", [])),
            self.metric_plot.add_earlier(curves.get(f"val_{self.plotted_metric}")
                                         or curves.get(self.plotted_metric, [])),
        ]

    def remove_earlier(self, ghosts: list[LiveCurve]) -> None:
        for plot, ghost in zip((self.loss_plot, self.metric_plot), ghosts, strict=True):
            plot.remove_earlier(ghost)

    # -- export ---------------------------------------------------------------------------------
    def export_csv(self, path: str | Path) -> None:
        keys: list[str] = []
        for row in self.history:
            keys.extend(k for k in row if k not in keys)
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=keys)
            writer.writeheader()
            writer.writerows(self.history)

    def _ask_export_png(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save plot as PNG…"),
                                                    f"{self.exercise_id}.png", "PNG (*.png)")
        if path:
            self.loss_plot.export_png(path)

    def _ask_export_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save metrics as CSV…"),
                                                    f"{self.exercise_id}.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)
