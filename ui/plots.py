"""Live metric plots (pyqtgraph), left to right even in a right-to-left window.

A plot holds the current run's curves and earlier runs as faded curves. Data is appended
cheaply (numpy arrays, a delivery at a time) and drawn by `redraw()`, which the panel calls
from a 5 Hz timer: redrawing per batch made a small model 6x slower (stack notes). Axis
numbers are written in the reader's digits.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsPathItem

from hafiza.ui import colours
from hafiza.ui.i18n import isolate, number

pg.setConfigOptions(antialias=False)  # wide or antialiased pens cost ~10x per redraw

CURVE_COLORS = {"train": colours.BLUE, "val": colours.ORANGE}
DOT_SIZE = 5  # pixels across a point's dot (epoch points: the first one has no line yet)
LEGEND_ALPHA = 200  # the legend's background lets a curve under it show through


LEFT_TO_RIGHT_MARK = "\u200e"
MINUS = "\u2212"


def plot_number(value: float, decimals: int = -1) -> str:
    """``value`` in the reader's digits for a left-to-right plot: the minus on the left.

    QLocale writes Egyptian and Arabic negatives as ALM, "-", digits: a right-to-left run,
    which a left-to-right axis shows as «٢-». A left-to-right mark before a true minus sign
    keeps the sign on the number's left in every variety (Persian's own form)."""
    text = number(abs(value), decimals) if np.isfinite(value) else number(value)
    if np.isfinite(value) and value < 0 and text.strip("0٠۰.,٫٬ ") != "":
        return f"{LEFT_TO_RIGHT_MARK}{MINUS}{text}"
    return text


class ReaderAxis(pg.AxisItem):
    """Tick labels in the reader's digits (١٬٠٠٠ / ۱٫۵ / 1,000), negatives with their minus
    on the left."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        decimals = max(0, -int(np.floor(np.log10(spacing * scale)))) if spacing > 0 else 0
        return [plot_number(v * scale, min(decimals, 6)) for v in values]


class Series:
    """One curve's points, appended as they come, at most `max_points` of them.

    When the curve is full, neighbouring points are averaged in pairs and later points are
    averaged in groups of the new size: a 7,500-batch run draws as a 1,000-point curve.
    Drawing cost grows with the points (measured here: repainting a 7,500-point curve in a
    loop left a Python thread 0.72 of its speed, 500 points 0.85). Points arrive as arrays,
    a delivery of batches at a time: one Python call per batch cost the GUI thread ~1 % of
    a core while a small model trained, time the training thread waited for the GIL.
    """

    def __init__(self, max_points: int = 1000) -> None:
        self.max_points = max(2, max_points // 2 * 2)  # even: halving leaves nothing over
        self._x = np.empty(self.max_points)
        self._y = np.empty(self.max_points)
        self._size = 0
        self.low = self.high = self.right = None  # running bounds: no scan per redraw
        self._group = 1  # raw points per shown point
        self._pending_x = self._pending_y = np.empty(0)

    @property
    def x(self) -> np.ndarray:
        return self._x[:self._size]

    @property
    def y(self) -> np.ndarray:
        return self._y[:self._size]

    def add(self, x: float, y: float) -> None:
        self.extend(np.array([x], dtype=float), np.array([y], dtype=float))

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        xs = np.concatenate((self._pending_x, xs))
        ys = np.concatenate((self._pending_y, ys))
        start = 0
        while len(xs) - start >= self._group:
            groups = min((len(xs) - start) // self._group, self.max_points - self._size)
            stop = start + groups * self._group
            self._append(xs[start:stop].reshape(groups, self._group).mean(axis=1),
                         ys[start:stop].reshape(groups, self._group).mean(axis=1))
            start = stop
        self._pending_x, self._pending_y = xs[start:], ys[start:]

    def flush(self) -> bool:
        """Shows the points still waiting for their group to fill (at the end of a run);
        True if there were any."""
        if not len(self._pending_x):
            return False
        self._append(self._pending_x.mean(keepdims=True), self._pending_y.mean(keepdims=True))
        self._pending_x = self._pending_y = np.empty(0)
        return True

    def _append(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Shown points (each the mean of a group), at most as many as there is room for."""
        end = self._size + len(xs)
        self._x[self._size:end] = xs
        self._y[self._size:end] = ys
        self._size = end
        low, high, right = float(ys.min()), float(ys.max()), float(xs.max())
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)
        self.right = right if self.right is None else max(self.right, right)
        if self._size >= self.max_points:
            self._halve()

    def _halve(self) -> None:
        half = self._size // 2
        self._x[:half] = self._x[:2 * half].reshape(half, 2).mean(axis=1)
        self._y[:half] = self._y[:2 * half].reshape(half, 2).mean(axis=1)
        self._size = half
        self._group *= 2
        self.low, self.high = float(self.y.min()), float(self.y.max())
        self.right = float(self.x.max())


class LiveCurve(QGraphicsPathItem):
    """A curve that Qt paints in C++, from a path built once per redraw.

    pyqtgraph's PlotCurveItem answers the scene's boundingRect and paint calls in Python: ~8
    calls per repaint, each one taking the GIL from the training thread (measured: the
    plots were half of the GUI thread's work during training). Offers what the plot and its
    legend use: setData, getData, name and pyqtgraph's `opts` (the legend draws its pen).
    """

    def __init__(self, pen: QPen, name: str | None = None, dots: bool = False) -> None:
        super().__init__()
        pen.setCosmetic(True)  # one pixel wide whatever the view's scale
        self.setPen(pen)
        self.opts = {"pen": pen, "name": name}
        self._xs = self._ys = np.empty(0)
        # A dot on each point, also painted by Qt: a zero-length segment drawn with a wide
        # round cap. For curves of a point per epoch only (a few hundred points at most):
        # a wide pen costs ~10x a thin one per point.
        self.dots: QGraphicsPathItem | None = None
        if dots:
            dot_pen = QPen(pen.color(), DOT_SIZE)
            dot_pen.setCosmetic(True)
            dot_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            self.dots = QGraphicsPathItem(self)
            self.dots.setPen(dot_pen)

    def name(self) -> str | None:
        return self.opts["name"]

    def setData(self, xs, ys) -> None:  # noqa: N802 (pyqtgraph's name)
        self._xs, self._ys = np.array(xs, dtype=float), np.array(ys, dtype=float)  # a copy
        self.setPath(pg.arrayToQPath(self._xs, self._ys, connect="all")
                     if len(self._xs) else QPainterPath())
        if self.dots is not None:
            path = QPainterPath()
            # Qt's stroker drops a segment of length zero: a billionth of the x range
            # is nothing on screen, and its round cap draws the dot.
            tiny = 1e-9 * max(1.0, float(np.abs(self._xs).max()) if len(self._xs) else 1.0)
            for x, y in zip(self._xs, self._ys, strict=True):
                path.moveTo(QPointF(x, y))
                path.lineTo(QPointF(x + tiny, y))
            self.dots.setPath(path)

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 (pyqtgraph's name)
        return self._xs, self._ys


class MetricPlot(pg.PlotWidget):
    """One metric (loss, accuracy, perplexity) against epochs, train and validation.

    `dotted` names the curves with a point per epoch, drawn with a dot on each point;
    `legend_corner` is where the legend sits: a corner the curves leave free (top right for
    a falling loss, bottom right for a rising accuracy).
    """

    def __init__(self, parent=None, *, dotted: tuple[str, ...] = (),
                 legend_corner: str = "top") -> None:
        axes = {"bottom": ReaderAxis("bottom"), "left": ReaderAxis("left")}
        super().__init__(parent, axisItems=axes)
        # Mirroring breaks pyqtgraph's layout (Y axis on the right): plots stay LTR.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        # Small enough that two plots and the form fit a 1024x700 screen, tall enough to
        # read a curve's shape.
        self.setMinimumHeight(150)
        self.dotted = dotted
        self._y_bounds: tuple[float, float] | None = None
        # No grid: pyqtgraph draws it with alpha blending inside the axes' picture, which made
        # every repaint ~20 ms of GIL-holding work and slowed training 4x (bench/gui_training).
        # The ranges are set by hand (see _fit_ranges) so the axes are redrawn rarely.
        self.getPlotItem().vb.disableAutoRange()
        self._x_extent: float | None = None
        self.series: dict[str, Series] = {}
        self.curves: dict[str, LiveCurve] = {}
        self.earlier: list[LiveCurve] = []
        self._dirty = False
        self.legend = self.addLegend(offset=(-10, 10 if legend_corner == "top" else -10))
        # The legend and the axes keep a pixmap of themselves: a redraw of the curve then
        # repaints them without running their Python paint code (0.8 ms per repaint instead
        # of 1.2 in the GUI thread while training, measured); they re-render when changed.
        for item in (self.legend, self.getAxis("left"), self.getAxis("bottom")):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.apply_palette()

    def apply_palette(self) -> None:
        """The theme's colours: background, axes, labels and the legend (on every palette
        change, so a switch to dark while the window is open reaches the plots)."""
        palette = QApplication.palette()
        base = palette.color(QPalette.ColorRole.Base)
        self.setBackground(base)
        text = palette.color(QPalette.ColorRole.Text)
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.enableAutoSIPrefix(False)  # "(x0.001)" means nothing to a learner
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
            axis.labelStyle = {"color": text.name()}
            if axis.labelText:
                axis.setLabel(axis.labelText)
        backdrop = QColor(base)
        backdrop.setAlpha(LEGEND_ALPHA)
        self.legend.setBrush(pg.mkBrush(backdrop))
        self.legend.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        self.legend.setLabelTextColor(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        palette_changed = event.type() in (QEvent.Type.PaletteChange,
                                           QEvent.Type.ApplicationPaletteChange)
        if palette_changed and hasattr(self, "legend"):  # not while pyqtgraph builds it
            self.apply_palette()
        super().changeEvent(event)

    def set_y_bounds(self, low: float, high: float) -> None:
        """A fixed y range, for a metric with known bounds: accuracy 0 to 1, with room
        above 1 so a perfect score is not drawn on the frame."""
        self._y_bounds = (low, high)
        self.setYRange(low, high, padding=0)

    def set_labels(self, x_label: str, y_label: str, names: dict[str, str]) -> None:
        # Isolated: a right-to-left label with a Latin word ("الـloss") keeps its order in
        # the left-to-right plot.
        self.setLabel("bottom", isolate(x_label))
        self.setLabel("left", isolate(y_label))
        self._names = names
        for key, curve in self.curves.items():
            curve.opts["name"] = names.get(key, key)
            self.legend.removeItem(curve)
            self.legend.addItem(curve, curve.name())

    def add(self, key: str, x: float, y: float) -> None:
        self.extend(key, np.array([x], dtype=float), np.array([y], dtype=float))

    def extend(self, key: str, xs: np.ndarray, ys: np.ndarray) -> None:
        """Appends points to a curve; points that are not finite (a NaN loss) are left out."""
        if key not in self.series:
            self.series[key] = Series()
            curve = LiveCurve(pg.mkPen(CURVE_COLORS.get(key, colours.GREEN), width=1),
                              getattr(self, "_names", {}).get(key, key),
                              dots=key in self.dotted)
            self.addItem(curve)
            self.legend.addItem(curve, curve.name())
            self.curves[key] = curve
        finite = np.isfinite(ys)
        if not finite.all():
            xs, ys = xs[finite], ys[finite]
        if len(xs):
            self.series[key].extend(xs, ys)
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
            self.curves[key].setData(series.x, series.y)
        self._fit_ranges()

    def _fit_ranges(self) -> None:
        """Moves the view only when the data leaves it or fills a small part of it, so the
        axes (costly to repaint) change a few times per run, not at every redraw."""
        filled = [series for series in self.series.values() if len(series.x)]
        if not filled:
            return
        if self._y_bounds is not None:
            if not self._x_extent:
                right = max(series.right for series in filled)
                if right > self.getPlotItem().vb.viewRange()[0][1]:
                    self.setXRange(0.0, right * 1.25 or 1.0, padding=0)
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
            if not len(series.x):
                continue
            faded = QColor(CURVE_COLORS.get(key, colours.GREEN))
            faded.setAlpha(70)
            ghost = LiveCurve(pg.mkPen(faded))
            ghost.setData(series.x, series.y)
            self.addItem(ghost)
            self.earlier.append(ghost)
        for key in self.series:
            self.series[key] = Series()
            self.curves[key].setData([], [])

    def add_earlier(self, points) -> LiveCurve:
        """An earlier run's curve, [(x, y), ...] with None for gaps, drawn faded."""
        xs = np.asarray([x for x, y in points if y is not None], dtype=float)
        ys = np.asarray([y for _x, y in points if y is not None], dtype=float)
        faded = QColor(colours.MUTED)
        faded.setAlpha(120)
        ghost = LiveCurve(pg.mkPen(faded, style=Qt.PenStyle.DashLine))
        ghost.setData(xs, ys)
        self.addItem(ghost)
        return ghost

    def remove_earlier(self, ghost: LiveCurve) -> None:
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
