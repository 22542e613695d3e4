"""Each kind of model learns a small task past a stated threshold (built-in exercises where
they exist, so the lessons' own settings are what is tested)."""

import numpy as np
import pytest
import torch

from hafiza.engine.data.lm import LanguageModelData
from hafiza.engine.events import EpochEnd, Finished
from hafiza.engine.exercises import apply_overrides, get_exercise, goal_met, prepare
from hafiza.engine.inspection import gradient_norms_through_time
from hafiza.engine.models import build_model
from hafiza.engine.train import TrainConfig, fit, predict

torch.set_num_threads(1)


def _train(name, **overrides):
    run = prepare(apply_overrides(get_exercise(name), overrides))
    events = list(run.fit())
    assert isinstance(events[-1], Finished), events[-1]
    return run, events[-1]


def test_perceptron_separates_a_linear_set():
    _, end = _train("perceptron_linear")
    assert end.metrics["val_accuracy"] >= 0.95


def test_mlp_learns_xor():
    _, end = _train("mlp_xor")
    assert end.metrics["val_accuracy"] >= 0.95


def test_a_single_neuron_cannot_learn_xor():
    _, end = _train("mlp_xor", **{"model.0": "Dense(1, linear)"})
    assert end.metrics["val_accuracy"] < 0.8


def test_mlp_learns_circles():
    _, end = _train("mlp_circles", epochs="30")
    assert end.metrics["val_accuracy"] >= 0.95


def test_seq003_lstm_fits_the_seed_sequence():
    run, end = _train("seq003")
    assert run.config.epochs == 300 and run.config.shuffle is False
    assert end.metrics["loss"] < 0.01 and goal_met(run.exercise["goal"], end.metrics)
    prediction = predict(run.model, run.data.x_train).ravel()
    assert np.abs(prediction - run.data.y_train.ravel()).max() < 0.15


def test_lstm_remembers_the_first_step_of_a_long_sequence():
    run, end = _train("rnn_vs_lstm_long")
    assert run.data.x_train.shape[1] == 100
    assert end.metrics["val_accuracy"] >= 0.9


def test_lstm_keeps_more_gradient_than_simple_rnn_when_tanh_saturates():
    # Inputs large enough to saturate tanh: the plain RNN's Jacobians shrink the gradient
    # at every step, the LSTM's additive cell path shrinks it less.
    x = np.random.default_rng(0).normal(0, 3, (16, 40, 1)).astype(np.float32)
    kept = {}
    for kind in ("SimpleRNN", "LSTM"):
        torch.manual_seed(0)
        norms = gradient_norms_through_time(build_model([f"{kind}(16)", "Dense(1)"],
                                                        (None, 1)), x)
        kept[kind] = norms[0] / norms[-1]
    assert kept["LSTM"] > 3 * kept["SimpleRNN"]


def test_tiny_language_model_perplexity_drops_far_below_the_vocabulary():
    rng = np.random.default_rng(0)
    subjects, verbs, objects = ["the cat", "a dog", "my friend"], ["eats", "sees"], \
        ["fish", "the ball", "a bird"]
    lines = [f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)}"
             for _ in range(600)]
    data = LanguageModelData.from_text("\n".join(lines), num_words=100, val_fraction=0.1)
    vocab = len(data.vocab)
    torch.manual_seed(0)
    model = build_model([f"Embedding({vocab}, 16)", "LSTM(32, return_sequences=True)",
                         f"Dense({vocab}, softmax)"])
    events = list(fit(model, data, TrainConfig(task="language_model", epochs=4, batch_size=8,
                                                bptt=10, learning_rate=0.01)))
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    first, last = epochs[0].metrics, epochs[-1].metrics
    assert last["val_perplexity"] < first["val_perplexity"]
    assert last["val_perplexity"] < vocab / 3  # uniform guessing scores the vocabulary size


@pytest.mark.parametrize("name", ["mlp_spirals", "sine_forecast"])
def test_other_builtin_exercises_learn(name):
    short = {"mlp_spirals": {"epochs": "60"}, "sine_forecast": {"epochs": "6"}}[name]
    run, end = _train(name, **short)
    first = end.history[0]
    assert end.metrics["val_loss"] < 0.5 * first["val_loss"]


def test_adaptive_softmax_language_model_learns_and_samples():
    from hafiza.engine.inspection import sample, top_k_next

    ids = np.tile(np.arange(1, 21), 150)  # 1 2 ... 20 1 2 ...: every next word is certain
    data = type("LM", (), {"train_ids": ids[:2700], "val_ids": ids[2700:]})()
    torch.manual_seed(0)
    model = build_model(["Embedding(21, 16)", "GRU(32, return_sequences=True)",
                         "AdaptiveSoftmax(21, cutoffs=[5])"])
    events = list(fit(model, data, TrainConfig(task="language_model", epochs=4, batch_size=4,
                                                bptt=10, learning_rate=0.02)))
    end = events[-1]
    assert isinstance(end, Finished) and end.metrics["val_perplexity"] < 2
    assert "accuracy" not in end.metrics and end.metrics["val_accuracy"] > 0.9
    assert top_k_next(model, [3, 4, 5], 1)[0][0] == 6
    assert sample(model, [3, 4], 3, temperature=0) == [5, 6, 7]
