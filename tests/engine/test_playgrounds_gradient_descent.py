"""The gradient-descent playground's walks: exact steps on a hand-made data set, and the
verdicts a learning rate earns (converges, oscillates, diverges, slow, noisy)."""

import numpy as np
import pytest

from hafiza.engine.playgrounds.gradient_descent import (
    BATCH_SIZES,
    START,
    TRUE_B,
    TRUE_W,
    VERDICTS,
    GradientDescentLab,
    descend,
    judge,
    least_squares_loss,
    make_data,
    mse,
)

X = np.array([0.0, 1.0])
Y = np.array([1.0, 3.0])  # exactly y = 2x + 1: the best loss is 0


def test_one_full_batch_step_by_hand():
    walk = descend(X, Y, learning_rate=0.1, steps=1, start=(0.0, 0.0))
    # errors (-1, -3): dL/dw = 2 * mean(error * x) = -3, dL/db = 2 * mean(error) = -4
    np.testing.assert_allclose(walk.path, [[0.0, 0.0], [0.3, 0.4]])
    np.testing.assert_allclose(walk.losses, [5.0, mse(X, Y, 0.3, 0.4)])
    assert mse(X, Y, 0.3, 0.4) == pytest.approx(((0.4 - 1) ** 2 + (0.7 - 3) ** 2) / 2)
    assert walk.best == pytest.approx(0.0, abs=1e-12)


def test_mse_on_a_grid_and_the_least_squares_bottom():
    grid = mse(X, Y, np.array([[2.0, 0.0]]), np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(grid, [[0.0, 5.0]])
    x, y = make_data()
    design = np.stack([x, np.ones_like(x)], axis=1)
    w, b = np.linalg.lstsq(design, y, rcond=None)[0]
    assert least_squares_loss(x, y) == pytest.approx(float(mse(x, y, w, b)))
    assert abs(w - TRUE_W) < 0.3 and abs(b - TRUE_B) < 0.3


def test_verdicts_follow_the_learning_rate():
    x, y = make_data()
    small = descend(x, y, 0.1, 0, 80)
    assert small.verdict == "converges" and small.losses[-1] < small.best + 0.02
    assert np.all(np.diff(small.losses) <= 1e-12)  # full batch, small rate: loss always falls
    assert descend(x, y, 0.8, 0, 80).verdict == "oscillates"
    large = descend(x, y, 1.3, 0, 80)
    assert large.verdict == "diverges" and large.losses[-1] > 1e3 * large.losses[0]
    assert descend(x, y, 0.005, 0, 40).verdict == "slow"
    sgd = descend(x, y, 0.1, 1, 200)
    assert sgd.losses[-1] < sgd.losses[0] / 5 and sgd.verdict in ("noisy", "converges")


def test_a_blown_up_walk_stops_early_and_diverges():
    walk = descend(X, Y, learning_rate=50.0, steps=500)
    assert len(walk.path) < 501 and np.abs(walk.path[-1]).max() > 1e8
    assert walk.verdict == "diverges"


def test_judge_rules_on_hand_made_walks():
    path = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0], [0.5, 0.5]])
    assert judge(path, np.array([5.0, 1.0, 0.5, 0.1, 0.01]), 0.0, False) == "oscillates"
    straight = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    assert judge(straight, np.array([5.0, 1.0, 0.01]), 0.0, False) == "converges"
    assert judge(straight, np.array([5.0, 1.0, 0.5]), 0.0, False) == "slow"
    assert judge(straight, np.array([5.0, 1.0, 6.0]), 0.0, False) == "diverges"
    assert judge(straight, np.array([5.0, 1.0, np.inf]), 0.0, False) == "diverges"
    assert judge(straight, np.array([5.0, 1.0, 0.2]), 0.0, True) == "noisy"
    assert judge(straight, np.array([5.0, 1.0, 0.01]), 0.0, True) == "converges"


def test_the_lab_walks_its_own_data_by_batch_type():
    lab = GradientDescentLab()
    x, y = make_data()
    np.testing.assert_array_equal(lab.x, x)
    assert lab.best == pytest.approx(least_squares_loss(x, y))
    surface = lab.loss_surface((-3.0, 7.0), (-4.0, 6.0), 11)
    assert surface.shape == (11, 11)
    assert surface[5, 5] == pytest.approx(float(mse(x, y, 2.0, 1.0)))  # w = 2, b = 1
    assert surface[0, 10] == pytest.approx(float(mse(x, y, -3.0, 6.0)))  # axis 0 is w
    assert np.unravel_index(surface.argmin(), surface.shape) == (5, 5)
    full = lab.descend(0.1, "full", 60)
    np.testing.assert_array_equal(full.path, descend(x, y, 0.1, 0, 60).path)
    assert tuple(full.path[0]) == START
    mini = lab.descend(0.1, "mini", 60)
    np.testing.assert_array_equal(mini.path, descend(x, y, 0.1, BATCH_SIZES["mini"], 60).path)
    assert lab.descend(1.3, "full", 20).verdict == "diverges"
    assert {full.verdict, mini.verdict} <= set(VERDICTS)
    with pytest.raises(KeyError):
        lab.descend(0.1, "half")
