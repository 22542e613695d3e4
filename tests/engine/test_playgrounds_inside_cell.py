"""The inside-the-cell playground: per word, the states and gates engine.inspection reads,
taken at each word's last id."""

import numpy as np
import pytest
import torch

from hafiza.engine.inspection import hidden_states, lstm_gates
from hafiza.engine.models import build_model
from hafiza.engine.playgrounds.inside_cell import LSTM_VIEWS, cell_traces, views_for


def model_of(kind):
    torch.manual_seed(0)
    return build_model(["Embedding(12, 4)", f"{kind}(6, return_sequences=True)",
                        "Dense(12, softmax)"])


def test_views_follow_the_recurrent_layer():
    assert views_for(model_of("LSTM")) == LSTM_VIEWS
    assert views_for(model_of("GRU")) == ("h",)
    with pytest.raises(ValueError):
        views_for(build_model(["Embedding(12, 4)", "Dense(12, softmax)"]))


def test_lstm_traces_are_the_gates_at_each_words_last_id():
    model = model_of("LSTM")
    traces = cell_traces(model, [[2, 3], [4], [5, 6, 7]], device="cpu")
    assert set(traces) == set(LSTM_VIEWS)
    gates = lstm_gates(model, np.array([2, 3, 4, 5, 6, 7]))
    for view in LSTM_VIEWS:
        assert traces[view].shape == (3, 6)  # (words, units)
        np.testing.assert_allclose(traces[view], gates[view][0][[1, 2, 5]], atol=1e-6)
    assert np.all((traces["forget"] >= 0) & (traces["forget"] <= 1))


def test_other_recurrent_layers_show_their_hidden_state():
    model = model_of("GRU")
    traces = cell_traces(model, [[2], [3], [4]])
    states = next(iter(hidden_states(model, np.array([2, 3, 4])).values()))
    assert list(traces) == ["h"]
    np.testing.assert_allclose(traces["h"], states[0], atol=1e-6)
    with pytest.raises(ValueError):
        cell_traces(model, [])
