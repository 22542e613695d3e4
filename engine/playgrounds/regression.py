"""Sequence regression: what a trained model predicts for each input of its data, the errors,
and its prediction for an input of the learner's choice."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from hafiza.engine.inspection import on_device
from hafiza.engine.models import SequentialModel


@torch.no_grad()
def predict(model: SequentialModel, x: np.ndarray, device: str = "cpu") -> np.ndarray:
    """The model's first output for each sample of ``x``, shape (samples,)."""
    on_device(model, device).eval()  # for good: tasks may read the model side by side
    inputs = torch.as_tensor(np.asarray(x, dtype=np.float32), device=torch.device(device))
    return model.predict(inputs).cpu().numpy().reshape(len(inputs), -1)[:, 0]


@dataclass
class PredictionTable:
    inputs: np.ndarray  # the last value of each sample's sequence, (samples,)
    targets: np.ndarray  # (samples,)
    predictions: np.ndarray  # (samples,)
    errors: np.ndarray  # prediction - target

    @property
    def mse(self) -> float:
        return float(np.mean(self.errors ** 2)) if len(self.errors) else 0.0


def prediction_table(model: SequentialModel, x: np.ndarray, y: np.ndarray,
                     device: str = "cpu") -> PredictionTable:
    """The model's predictions beside the targets ``y`` (first value of each) for ``x``."""
    x = np.asarray(x, dtype=np.float32)
    targets = np.asarray(y, dtype=np.float32).reshape(len(x), -1)[:, 0]
    predictions = predict(model, x, device)
    inputs = x.reshape(len(x), -1)[:, -1]
    return PredictionTable(inputs, targets, predictions, predictions - targets)


def predict_constant(model: SequentialModel, value: float, sample_shape: tuple[int, ...],
                     device: str = "cpu") -> float:
    """The prediction for one sample of ``sample_shape`` (time steps, features) holding
    ``value`` everywhere: the learner's own input."""
    return float(predict(model, np.full((1, *sample_shape), value), device)[0])
