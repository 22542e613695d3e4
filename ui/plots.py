"""Live metric plots (pyqtgraph), left to right even in a right-to-left window.

A plot holds the current run's curves and earlier runs as faded curves. Data is appended
cheaply (Python lists) and drawn by `redraw()`, which the panel calls from a 20 Hz timer:
redrawing per batch made a small model 6x slower (stack notes). Axis numbers are written in
the reader's digits.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsItem

from ui.i18n import number

pg.setConfigOptions(antialias=False)  # wide or antialiased pens cost ~10x per redraw

CURVE_COLORS = {"train": "#2f6fdf", "val": "#e67e22"}


class ReaderAxis(pg.AxisItem):
    """Tick labels in the reader's digits (١٬٠٠٠ / ۱٫۵ / 1,000)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        decimals = max(0, -int(np.floor(np.log10(spacing * scale)))) if spacing > 0 else 0
        return [number(v * scale, min(decimals, 6)) for v in values]


class Series:
    """One curve's points, appended as they come, at most `max_points` of them.

    When the curve is full, neighbouring points are averaged in pairs and later points are
    averaged in groups of the new size: a 7,500-batch run draws as a 1,000-point curve.
    Drawing cost grows with the points, and the GUI thread holds the GIL while pyqtgraph
    builds the path, which the training thread then waits for (measured here: repainting a
    7,500-point curve in a loop left a Python thread 0.72 of its speed, 500 points 0.85).
    """

    def __init__(self, max_points: int = 1000) -> None:
        self.max_points = max(2, max_points // 2 * 2)  # even: halving leaves nothing over
        self.x: list[float] = []
        self.y: list[float] = []
        self.low = self.high = self.right = None  # running bounds: no scan per redraw
        self._group = 1  # raw points per shown point
        self._pending: list[tuple[float, float]] = []

    def add(self, x: float, y: float) -> None:
        self._pending.append((x, y))
        if len(self._pending) >= self._group:
            self._append_pending()

    def flush(self) -> bool:
        """Shows the points still waiting for their group to fill (at the end of a run);
        True if there were any."""
        if not self._pending:
            return False
        self._append_pending()
        return True

    def _append_pending(self) -> None:
        """One shown point: the mean of the waiting points."""
        n = len(self._pending)
        x = sum(p[0] for p in self._pending) / n
        y = sum(p[1] for p in self._pending) / n
        self._pending.clear()
        self.x.append(x)
        self.y.append(y)
        self.low = y if self.low is None else min(self.low, y)
        self.high = y if self.high is None else max(self.high, y)
        self.right = x if self.right is None else max(self.right, x)
        if len(self.x) >= self.max_points:
            self._halve()

    def _halve(self) -> None:
        n = len(self.x) // 2 * 2
        self.x = [(a + b) / 2 for a, b in zip(self.x[0:n:2], self.x[1:n:2], strict=True)]
        self.y = [(a + b) / 2 for a, b in zip(self.y[0:n:2], self.y[1:n:2], strict=True)]
        self._group *= 2
        self.low, self.high, self.right = min(self.y), max(self.y), max(self.x)


class MetricPlot(pg.PlotWidget):
    """One metric (loss, accuracy, perplexity) against epochs, train and validation."""

    def __init__(self, parent=None) -> None:
        axes = {"bottom": ReaderAxis("bottom"), "left": ReaderAxis("left")}
        super().__init__(parent, axisItems=axes)
        # Mirroring breaks pyqtgraph's layout (Y axis on the right): plots stay LTR.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setMinimumHeight(180)
        # No grid: pyqtgraph draws it with alpha blending inside the axes' picture, which made
        # every repaint ~20 ms of GIL-holding work and slowed training 4x (bench/gui_training).
        # The ranges are set by hand (see _fit_ranges) so the axes are redrawn rarely.
        self.getPlotItem().vb.disableAutoRange()
        self._x_extent: float | None = None
        self.series: dict[str, Series] = {}
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.earlier: list[pg.PlotDataItem] = []
        self._dirty = False
        self.legend = self.addLegend(offset=(-10, 10))
        # The legend and the axes keep a pixmap of themselves: a redraw of the curve then
        # repaints them without running their Python paint code (0.8 ms per repaint instead
        # of 1.2 in the GUI thread while training, measured); they re-render when changed.
        for item in (self.legend, self.getAxis("left"), self.getAxis("bottom")):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.apply_palette()

    def apply_palette(self) -> None:
        palette = QApplication.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.enableAutoSIPrefix(False)  # "(x0.001)" means nothing to a learner
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))

    def set_labels(self, x_label: str, y_label: str, names: dict[str, str]) -> None:
        self.setLabel("bottom", x_label)
        self.setLabel("left", y_label)
        self._names = names
        for key, curve in self.curves.items():
            self.legend.removeItem(curve)
            self.legend.addItem(curve, names.get(key, key))

    def add(self, key: str, x: float, y: float) -> None:
        if key not in self.series:
            self.series[key] = Series()
            # A bare curve item: PlotDataItem's setData costs ~1 ms of Python per redraw for
            # what it offers on top (symbols, downsampling, clipping), which a Series of at
            # most 1,000 points does not need.
            curve = pg.PlotCurveItem(pen=pg.mkPen(CURVE_COLORS.get(key, "#27ae60"), width=1),
                                     name=getattr(self, "_names", {}).get(key, key))
            self.addItem(curve)
            self.curves[key] = curve
        if np.isfinite(y):
            self.series[key].add(x, y)
            self._dirty = True

    def set_x_extent(self, x_max: float | None) -> None:
        """A fixed x range (0 to the last epoch) for a run: the curve grows into it."""
        self._x_extent = x_max
        if x_max:
            self.setXRange(0, x_max, padding=0.02)

    def finish_run(self) -> None:
        """The run has ended: its last points are drawn even if their group is not full."""
        for series in self.series.values():
            if series.flush():
                self._dirty = True
        self.redraw()

    def redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        for key, series in self.series.items():
            self.curves[key].setData(np.asarray(series.x), np.asarray(series.y))
        self._fit_ranges()

    def _fit_ranges(self) -> None:
        """Moves the view only when the data leaves it or fills a small part of it, so the
        axes (costly to repaint) change a few times per run, not at every redraw."""
        filled = [series for series in self.series.values() if series.x]
        if not filled:
            return
        (x_low, x_high), (y_low, y_high) = self.getPlotItem().vb.viewRange()
        low = min(series.low for series in filled)
        high = max(series.high for series in filled)
        right = max(series.right for series in filled)
        # A curve that never went below zero (loss, accuracy, perplexity) is drawn from zero:
        # a falling loss then never leaves the view, where fitting its lowest point moved the
        # axis at almost every redraw (~10 axis repaints in a 2-second run, 2-3 ms each).
        if low >= 0:
            low = 0.0
        span = (high - low) or abs(high) or 1.0
        outside = low < y_low or high > y_high
        too_loose = (y_high - y_low) > 3 * span
        if outside or too_loose:
            self.setYRange(low if low == 0 else low - span / 3, high + span / 3, padding=0)
        if not self._x_extent and right > x_high:
            self.setXRange(0.0, right * 1.25 or 1.0, padding=0)

    def new_run(self) -> None:
        """Keeps the finished run's curves as faded ones and starts empty curves."""
        self.redraw()
        for key, series in self.series.items():
            if not series.x:
                continue
            faded = QColor(CURVE_COLORS.get(key, "#27ae60"))
            faded.setAlpha(70)
            ghost = pg.PlotDataItem(np.asarray(series.x), np.asarray(series.y),
                                    pen=pg.mkPen(faded))
            self.addItem(ghost)
            self.earlier.append(ghost)
        for key in self.series:
            self.series[key] = Series()
            self.curves[key].setData([], [])

    def add_earlier(self, points) -> pg.PlotDataItem:
        """An earlier run's curve, [(x, y), ...] with None for gaps, drawn faded."""
        xs = np.asarray([x for x, y in points if y is not None], dtype=float)
        ys = np.asarray([y for _x, y in points if y is not None], dtype=float)
        faded = QColor("#7b8794")
        faded.setAlpha(120)
        ghost = pg.PlotDataItem(xs, ys, pen=pg.mkPen(faded, style=Qt.PenStyle.DashLine))
        self.addItem(ghost)
        return ghost

    def remove_earlier(self, ghost: pg.PlotDataItem) -> None:
        self.removeItem(ghost)

    def clear_all(self) -> None:
        for ghost in self.earlier:
            self.removeItem(ghost)
        self.earlier.clear()
        for key in self.series:
            self.series[key] = Series()
            self.curves[key].setData([], [])

    def export_png(self, path: str) -> bool:
        self.redraw()
        return self.grab().save(path)
