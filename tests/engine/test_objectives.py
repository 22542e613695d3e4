"""Counting right answers: an epoch counted from its batches' records (``keep`` + ``total``)
is exactly the count of all its answers at once (``count``)."""

import pytest
import torch

from hafiza.engine.models import build_model
from hafiza.engine.objectives import IGNORE_LABEL, make_correct_counter


def _split_total(counter, scores, targets, size):
    kept = [counter.keep(scores[i:i + size], targets[i:i + size])
            for i in range(0, len(scores), size)]
    return counter.total(kept)


@pytest.mark.parametrize("loss, head", [("binary_crossentropy", "sigmoid"),
                                        ("mse", "linear"), ("mse", "sigmoid")])
def test_binary_answers(loss, head):
    model = build_model(["Dense(4, relu)", f"Dense(1, {head})"], (3,))
    counter = make_correct_counter("binary", loss, model)
    scores = torch.tensor([[-2.0], [0.0], [0.4], [0.6], [3.0]])
    targets = torch.tensor([[0.0], [1.0], [0.0], [1.0], [0.0]])
    threshold = 0.5 if (loss, head) == ("mse", "linear") else 0.0
    expected = sum(int((s >= threshold) == (t >= 0.5)) for s, t in zip(scores, targets,
                                                                       strict=True))
    assert counter.count(scores, targets) == expected
    assert _split_total(counter, scores, targets, 2) == expected
    assert counter.total([]) == 0


def test_categorical_and_tagging_answers_skip_padding():
    model = build_model(["Embedding(10, 4)", "LSTM(4, return_sequences=True)",
                         "Dense(3, softmax)"], (None,))
    counter = make_correct_counter("tagging", "categorical_crossentropy", model)
    scores = torch.tensor([[[5.0, 0, 0], [0, 5.0, 0], [0, 0, 5.0]],
                           [[0, 5.0, 0], [5.0, 0, 0], [0, 0, 5.0]]], requires_grad=True)
    targets = torch.tensor([[0, 1, IGNORE_LABEL], [2, 0, 2]])
    # right: (0,0) (0,1) (1,1) (1,2); the padded step never counts
    assert counter.count(scores, targets) == 4
    assert _split_total(counter, scores, targets, 1) == 4
    kept_scores, _targets = counter.keep(scores, targets)
    assert not kept_scores.requires_grad  # no graph is held for the epoch


def test_regression_counts_nothing():
    model = build_model(["Dense(1, linear)"], (2,))
    assert make_correct_counter("regression", "mse", model) is None
