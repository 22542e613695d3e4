"""Inside the cell: the hidden state of a recurrent model over the words of a sentence and, for
an LSTM, its cell state and gates; one row per word, one column per unit."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hafiza.engine.inspection import hidden_states, lstm_gates
from hafiza.engine.models import RecurrentLayer, SequentialModel

# What can be shown: the hidden state h of any recurrent layer; an LSTM adds its cell state c,
# its gates and its candidate values (the keys of engine.inspection.lstm_gates).
LSTM_VIEWS = ("h", "c", "input", "forget", "output", "cell")
GATES = ("input", "forget", "output")  # values in [0, 1]


def views_for(model: SequentialModel) -> tuple[str, ...]:
    """The views a model offers: all of LSTM_VIEWS when it has an LSTM layer, else ("h",)."""
    kinds = [layer.kind for layer in model.layers if isinstance(layer, RecurrentLayer)]
    if not kinds:
        raise ValueError("the model has no recurrent layer")
    return LSTM_VIEWS if "LSTM" in kinds else ("h",)


def cell_traces(model: SequentialModel, word_ids: Sequence[Sequence[int]],
                device: str = "cpu") -> dict[str, np.ndarray]:
    """Each view of views_for(model) as a (words, units) array over the sentence whose words
    have these ids. A word split into several ids is read at its last id. The first LSTM layer
    when there is one, otherwise the first recurrent layer."""
    if not word_ids:
        raise ValueError("the sentence needs at least one word")
    ids = np.asarray([i for ids in word_ids for i in ids])
    last = np.cumsum([len(ids) for ids in word_ids]) - 1
    if views_for(model) == LSTM_VIEWS:
        traces = lstm_gates(model, ids, device=device)
    else:
        traces = {"h": next(iter(hidden_states(model, ids, device=device).values()))}
    return {view: values[0][last] for view, values in traces.items()}
