"""Inspection tools: next-word guesses, sampling, gradients through time, gates."""

import numpy as np
import pytest
import torch

from hafiza.engine.inspection import (
    embedding_matrix,
    gradient_norms_through_time,
    hidden_states,
    lstm_gates,
    next_word_distribution,
    on_device,
    sample,
    top_k,
    top_k_next,
)
from hafiza.engine.models import build_model

torch.set_num_threads(1)


def _lm(vocab=20, seed=0):
    torch.manual_seed(seed)
    model = build_model([f"Embedding({vocab}, 8)", "LSTM(12, return_sequences=True)",
                         f"Dense({vocab}, softmax)"])
    with torch.no_grad():  # give the untrained output clear favourites to sample from
        model.layers[-1].linear.weight.mul_(20)
        model.layers[-1].linear.bias.copy_(torch.randn(vocab) * 2)
    return model


def test_top_k_is_sorted_and_a_probability():
    model = _lm()
    guesses = top_k_next(model, [1, 2, 3], k=5)
    ids = [i for i, _ in guesses]
    probabilities = [p for _, p in guesses]
    assert len(set(ids)) == 5
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 < sum(probabilities) <= 1 + 1e-6
    full = next_word_distribution(model, [1, 2, 3])
    assert full.sum() == pytest.approx(1, abs=1e-5)
    assert ids[0] == int(full.argmax()) and probabilities[0] == pytest.approx(full.max())
    assert sum(p for _, p in top_k_next(model, [1, 2, 3], k=100)) == pytest.approx(1, abs=1e-5)


def test_sampling_temperature_and_seed():
    model = _lm()
    greedy = sample(model, [1, 2], 15, temperature=0.0)
    assert greedy == sample(model, [1, 2], 15, temperature=0.0, seed=99)
    # greedy follows the top-1 guess at every step
    context = [1, 2]
    for word in greedy[:5]:
        assert word == top_k_next(model, context, 1)[0][0]
        context.append(word)
    assert sample(model, [1, 2], 30, 1.0, seed=5) == sample(model, [1, 2], 30, 1.0, seed=5)
    assert sample(model, [1, 2], 30, 1.0, seed=5) != sample(model, [1, 2], 30, 1.0, seed=6)
    cold = sample(model, [1, 2], 200, temperature=0.05, seed=1)
    hot = sample(model, [1, 2], 200, temperature=5.0, seed=1)
    agree_cold = np.mean(np.array(cold[:15]) == np.array(greedy))
    assert agree_cold >= 0.9
    assert len(set(hot)) > len(set(cold))
    assert 3 not in sample(model, [1, 2], 200, temperature=5.0, seed=1, banned=[3])


def test_lstm_gates_follow_the_fused_layer():
    torch.manual_seed(0)
    model = build_model(["Embedding(20, 6)", "LSTM(5, return_sequences=True)",
                         "LSTM(4)", "Dense(1)"])
    x = torch.randint(0, 20, (3, 9))
    gates = lstm_gates(model, x)
    for name in ("input", "forget", "output"):
        assert gates[name].shape == (3, 9, 5)
        assert gates[name].min() >= 0 and gates[name].max() <= 1
    assert np.abs(gates["cell"]).max() <= 1
    fused = hidden_states(model, x)
    assert set(fused) == {"lstm", "lstm_1"} and fused["lstm_1"].shape == (3, 9, 4)
    np.testing.assert_allclose(gates["h"], fused["lstm"], atol=1e-5)
    second = lstm_gates(model, x, layer_index=2)
    np.testing.assert_allclose(second["h"], fused["lstm_1"], atol=1e-5)
    with pytest.raises(ValueError):
        lstm_gates(model, x, layer_index=3)


def test_gradient_norms_per_time_step():
    torch.manual_seed(0)
    rnn = build_model(["SimpleRNN(16)", "Dense(1)"], (40, 1))
    x = np.random.default_rng(0).normal(size=(8, 40, 1)).astype(np.float32)
    norms = gradient_norms_through_time(rnn, x)
    assert norms.shape == (40,) and np.all(norms >= 0)
    assert norms[0] < norms[-1] / 10  # the early steps barely reach the loss
    with_target = gradient_norms_through_time(rnn, x, target=np.zeros((8, 1)))
    assert with_target.shape == (40,)
    lm = _lm()
    assert gradient_norms_through_time(lm, np.array([1, 2, 3, 4])).shape == (4,)


def test_embedding_matrix():
    assert embedding_matrix(_lm(vocab=20)).shape == (20, 8)
    bag = build_model(["EmbeddingBag(30, 4, bigrams=True)", "Dense(1)"])
    assert embedding_matrix(bag).shape == (30, 4)


def test_top_k_orders_by_probability_then_id_and_skips_excluded_ids():
    probabilities = np.array([0.3, 0.1, 0.2, 0.2, 0.05, 0.15], dtype=np.float32)
    assert top_k(probabilities, 3) == [(0, pytest.approx(0.3)), (2, pytest.approx(0.2)),
                                       (3, pytest.approx(0.2))]
    assert [i for i, _p in top_k(probabilities, 3, exclude=[0])] == [2, 3, 5]
    assert [i for i, _p in top_k(probabilities, 99, exclude=(0, 0))] == [2, 3, 5, 1, 4]
    assert top_k(probabilities, 0) == []
    assert probabilities[0] == pytest.approx(0.3)  # the caller's array is left as it was


def test_top_k_next_is_top_k_of_the_distribution():
    model = _lm()
    full = next_word_distribution(model, [4, 5], device="cpu")
    assert top_k_next(model, [4, 5], k=7, device="cpu") == top_k(full, 7)


def test_on_device_moves_only_a_model_that_is_elsewhere():
    model = _lm()
    weight = model.layers[-1].linear.weight
    assert on_device(model, "cpu") is model
    assert model.layers[-1].linear.weight is weight  # untouched: nothing written
    assert next(model.parameters()).device.type == "cpu"
    meta = on_device(_lm(), "meta")  # a second device every machine has
    assert next(meta.parameters()).device.type == "meta"
