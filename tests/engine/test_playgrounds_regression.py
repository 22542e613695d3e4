"""The regression playground's table and own input on a hand-made linear model."""

import numpy as np
import pytest
import torch

from hafiza.engine.models import build_model
from hafiza.engine.playgrounds.regression import (
    PredictionTable,
    predict,
    predict_constant,
    prediction_table,
)


@pytest.fixture
def linear_model():
    """prediction = x0 + 3 * x1 + 0.5"""
    model = build_model(["Dense(1)"], (2,))
    with torch.no_grad():
        model.layers[0].linear.weight.copy_(torch.tensor([[1.0, 3.0]]))
        model.layers[0].linear.bias.fill_(0.5)
    return model


def test_prediction_table_by_hand(linear_model):
    x = np.array([[0.0, 0.1], [0.1, 0.2], [1.0, -1.0]])
    y = np.array([[0.8], [1.0], [-1.5]])
    table = prediction_table(linear_model, x, y)
    np.testing.assert_allclose(table.inputs, [0.1, 0.2, -1.0])  # each sample's last value
    np.testing.assert_allclose(table.targets, [0.8, 1.0, -1.5])
    np.testing.assert_allclose(table.predictions, [0.8, 1.2, -1.5], atol=1e-6)
    np.testing.assert_allclose(table.errors, [0.0, 0.2, 0.0], atol=1e-6)
    assert table.mse == pytest.approx(0.04 / 3, abs=1e-6)
    np.testing.assert_allclose(predict(linear_model, x, device="cpu"), table.predictions)


def test_the_learners_own_input_fills_a_whole_sample(linear_model):
    assert predict_constant(linear_model, 0.1, (2,)) == pytest.approx(0.9, abs=1e-6)
    assert predict_constant(linear_model, -2.0, (2,), device="cpu") == pytest.approx(-7.5)


def test_an_empty_table_has_no_error():
    empty = np.zeros(0, dtype=np.float32)
    assert PredictionTable(empty, empty, empty, empty).mse == 0.0
