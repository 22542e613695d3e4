"""The activations playground's numbers: each function and its derivative (numpy only)."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from hafiza.engine.playgrounds.activations import (
    ACTIVATION_NAMES,
    activation_curve,
    curves,
    values_at,
)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activation_derivatives_match_finite_differences(name):
    grid = np.linspace(-4, 4, 161)
    grid = grid[np.abs(grid) > 0.05]  # step and ReLU have a corner at 0
    values, derivative = activation_curve(name, grid)
    h = 1e-5
    numeric = (activation_curve(name, grid + h)[0] - activation_curve(name, grid - h)[0]) / (2 * h)
    np.testing.assert_allclose(derivative, numeric, atol=1e-6)
    assert values.shape == grid.shape


def test_activation_values():
    x = np.array([-2.0, 0.0, 2.0])
    assert activation_curve("step", x)[0].tolist() == [0, 1, 1]
    assert activation_curve("relu", x)[0].tolist() == [0, 0, 2]
    assert activation_curve("sigmoid", [0.0])[0][0] == 0.5
    assert activation_curve("sigmoid", [1000.0])[0][0] == 1.0  # no overflow
    with pytest.raises(ValueError):
        activation_curve("swish", x)


def test_values_at_one_input_and_curves_on_a_grid():
    s = 1 / (1 + np.exp(-0.5))
    assert values_at(0.5) == {
        "step": (1.0, 0.0), "relu": (0.5, 1.0), "sigmoid": (pytest.approx(s), pytest.approx(
            s * (1 - s))), "tanh": (pytest.approx(np.tanh(0.5)), pytest.approx(
                1 - np.tanh(0.5) ** 2)), "linear": (0.5, 1.0)}
    assert list(values_at(-1.0)) == list(ACTIVATION_NAMES)
    grid = np.linspace(-1, 1, 5)
    on_grid = curves(grid)
    assert list(on_grid) == list(ACTIVATION_NAMES)
    np.testing.assert_array_equal(on_grid["relu"][0], [0, 0, 0, 0.5, 1])


def test_numpy_only_playgrounds_load_without_torch():
    """A lesson page may show these before PyTorch is loaded (it loads in a worker)."""
    code = ("import sys, hafiza.engine.playgrounds.activations, "
            "hafiza.engine.playgrounds.gradient_descent\n"
            "assert 'torch' not in sys.modules, 'torch'\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
