"""The plot's series stays small however long the run, and keeps the curve's shape."""

import numpy as np
import pytest

from ui.plots import Series


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
    assert series.x == list(range(99)) and series.y == [i * 0.5 for i in range(99)]


def test_averaging_keeps_a_spike_visible_in_the_bounds():
    series = Series(max_points=10)
    for i in range(40):
        series.add(i, 100.0 if i == 7 else 1.0)
    assert series.high > 1.0  # the spike is averaged into its group, not lost
    assert series.low == pytest.approx(1.0)


def test_a_falling_loss_is_drawn_from_zero_without_moving_the_axis(qtbot):
    from ui.plots import MetricPlot

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
