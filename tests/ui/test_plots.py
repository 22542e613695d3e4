"""The plot's series stays small however long the run, and keeps the curve's shape."""

import numpy as np
import pytest

from hafiza.ui.plots import Series


def test_a_long_run_is_drawn_with_a_bounded_number_of_averaged_points():
    series = Series(max_points=100)
    for i in range(7_500):
        series.add(i / 250, float(i))  # 30 epochs of 250 batches, y = batch index
    assert 50 <= len(series.x) < 100
    # Each shown point is the mean of a run of consecutive batches: y stays equal to
    # 250 * x, and the curve still spans the run.
    assert np.allclose(np.array(series.y), 250 * np.array(series.x))
    assert series.x[0] < 1 and series.x[-1] > 29
    assert series.low == min(series.y) and series.high == max(series.y)
    assert series.right == max(series.x)


def test_the_last_points_of_a_run_are_drawn_when_it_ends():
    series = Series(max_points=10)
    for i in range(13):  # groups of 2 after the 10th point: the 13th waits for a partner
        series.add(i, float(i))
    shown = len(series.x)
    series.flush()
    assert len(series.x) == shown + 1 and series.x[-1] == 12 and series.y[-1] == 12.0
    series.flush()  # nothing left
    assert len(series.x) == shown + 1


def test_a_short_run_keeps_every_point():
    series = Series(max_points=100)
    for i in range(99):
        series.add(i, i * 0.5)
    assert series.x.tolist() == list(range(99))
    assert series.y.tolist() == [i * 0.5 for i in range(99)]


def test_averaging_keeps_a_spike_visible_in_the_bounds():
    series = Series(max_points=10)
    for i in range(40):
        series.add(i, 100.0 if i == 7 else 1.0)
    assert series.high > 1.0  # the spike is averaged into its group, not lost
    assert series.low == pytest.approx(1.0)


def test_a_falling_loss_is_drawn_from_zero_without_moving_the_axis(qtbot):
    from hafiza.ui.plots import MetricPlot

    plot = MetricPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 300)
    plot.show()
    plot.set_x_extent(10)
    ranges = set()
    for i in range(1_000):
        plot.add("train", i / 100, 0.7 * 0.998 ** i + 0.01 * (i % 3))  # noisy, falling
        if i % 10 == 9:
            plot.redraw()
            ranges.add(tuple(plot.getPlotItem().vb.viewRange()[1]))
    assert len(ranges) == 1  # one range for the whole run: the axis is not repainted again
    (bottom, top), = ranges
    assert bottom == 0 and 0.72 < top < 1.2
    for _ in range(4):  # a spike above the view (the curve now averages pairs of points)
        plot.add("train", 9.5, 3.0)
    plot.redraw()
    assert plot.getPlotItem().vb.viewRange()[1][1] > 3.0


def test_points_added_a_delivery_at_a_time_match_points_added_one_by_one():
    one_by_one, in_chunks = Series(max_points=64), Series(max_points=64)
    rng = np.random.default_rng(3)
    xs, ys = np.arange(2_345) / 100, rng.random(2_345)
    for x, y in zip(xs, ys, strict=True):
        one_by_one.add(x, y)
    start = 0
    for size in rng.integers(1, 200, size=100):  # deliveries of uneven sizes
        in_chunks.extend(xs[start:start + size], ys[start:start + size])
        start += size
    assert start >= len(xs)
    assert np.allclose(in_chunks.x, one_by_one.x) and np.allclose(in_chunks.y, one_by_one.y)
    assert (in_chunks.low, in_chunks.high, in_chunks.right) == pytest.approx(
        (one_by_one.low, one_by_one.high, one_by_one.right))
    in_chunks.flush()
    one_by_one.flush()
    assert np.allclose(in_chunks.x, one_by_one.x) and np.allclose(in_chunks.y, one_by_one.y)


def test_curves_are_drawn_by_qt_with_a_legend_and_leave_out_a_nan(qtbot):
    from PySide6.QtWidgets import QGraphicsPathItem

    from hafiza.ui.plots import MetricPlot

    plot = MetricPlot()
    qtbot.addWidget(plot)
    plot.set_labels("epoch", "loss", {"train": "training", "val": "validation"})
    plot.extend("train", np.array([0.0, 0.5, 1.0]), np.array([0.9, np.nan, 0.7]))
    plot.add("val", 1.0, 0.8)
    plot.redraw()
    curve = plot.curves["train"]
    # a path item that Qt paints in C++, not a pyqtgraph item that paints in Python
    assert isinstance(curve, QGraphicsPathItem)
    xs, ys = curve.getData()
    assert xs.tolist() == [0.0, 1.0] and ys.tolist() == [0.9, 0.7]
    assert curve.path().elementCount() == 2
    assert [label.text for _sample, label in plot.legend.items] == ["training", "validation"]
    plot.new_run()  # the finished run stays as a faded curve with the same points
    assert plot.earlier[0].getData()[0].tolist() == [0.0, 1.0]
    assert plot.curves["train"].path().elementCount() == 0
