"""The activation functions a layer spec may name (Dense(8, relu), LSTM's gates use torch's),
by name, so every layer module reads the same table."""

from __future__ import annotations

import torch


def _step(x: torch.Tensor) -> torch.Tensor:
    # Binary step: 1 where x >= 0. `+ 0 * x` keeps it in the graph with a zero gradient, which
    # is what the lesson wants to show: a step unit inside a network stops learning.
    return (x >= 0).to(x.dtype) + 0 * x


def activation_function(name: str):
    return {
        "step": _step,
        "relu": torch.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "linear": lambda x: x,
        "softmax": lambda x: torch.softmax(x, dim=-1),
    }[name]
