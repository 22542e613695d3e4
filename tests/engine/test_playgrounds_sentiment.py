"""Occlusion on a hand-made bag-of-words model: each word's score is P(positive | review)
minus P(positive | review without that word), computed here by hand."""

import numpy as np
import pytest
import torch

from hafiza.engine.models import build_model
from hafiza.engine.playgrounds.sentiment import (
    occlusion_scores,
    positive_probabilities,
    review_length,
)

GOOD, BAD, FILM = 2, 3, 4  # ids; 1 is the OOV token


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.fixture
def bag_model():
    """P(positive) = sigmoid(mean of the words' scores): good +2, bad -2, film 0."""
    model = build_model(["EmbeddingBag(5, 1)", "Dense(1, sigmoid)"])
    with torch.no_grad():
        model.layers[0].bag.weight.copy_(torch.tensor([[0.0], [0.0], [2.0], [-2.0], [0.0]]))
        model.layers[1].linear.weight.fill_(1.0)
        model.layers[1].linear.bias.zero_()
    return model


def test_occlusion_scores_by_hand(bag_model):
    result = occlusion_scores(bag_model, [[GOOD], [BAD], [FILM]])
    assert result.probability == pytest.approx(0.5)  # mean(2, -2, 0) = 0
    np.testing.assert_allclose(result.changes, [0.5 - sigmoid(-1.0),  # without good: mean -1
                                                0.5 - sigmoid(1.0),  # without bad: mean 1
                                                0.0],  # without film: mean 0
                               atol=1e-6)
    assert result.changes[0] > 0 > result.changes[1]


def test_a_word_of_several_ids_is_left_out_whole(bag_model):
    result = occlusion_scores(bag_model, [[GOOD, GOOD], [BAD]])
    assert result.probability == pytest.approx(sigmoid(2 / 3), abs=1e-6)
    np.testing.assert_allclose(result.changes, [sigmoid(2 / 3) - sigmoid(-2.0),
                                                sigmoid(2 / 3) - sigmoid(2.0)], atol=1e-6)


def test_a_one_word_review_without_its_word_is_padding_alone(bag_model):
    result = occlusion_scores(bag_model, [[GOOD]])
    assert result.probability == pytest.approx(sigmoid(2.0), abs=1e-6)
    np.testing.assert_allclose(result.changes, [sigmoid(2.0) - 0.5], atol=1e-6)


def test_reviews_are_cut_at_their_start_to_the_length_read(bag_model):
    # Keras' "pre" truncation keeps the end: [good, bad, film] read at length 2 is [bad, film]
    probabilities = positive_probabilities(bag_model, [[GOOD, BAD, FILM], [GOOD]], maxlen=2)
    np.testing.assert_allclose(probabilities, [sigmoid(-1.0), sigmoid(2.0)], atol=1e-6)
    assert review_length(bag_model) is None  # a bag reads any length
    fixed = build_model(["Embedding(5, 2)", "LSTM(3)", "Dense(1, sigmoid)"], (7,))
    assert review_length(fixed) == 7


def test_the_model_stays_on_the_device_asked_for(bag_model):
    result = occlusion_scores(bag_model, [[GOOD], [FILM]], device="cpu")
    assert next(bag_model.parameters()).device.type == "cpu"
    assert not bag_model.training  # read in eval mode, left so: tasks may read side by side
    assert result.probability == pytest.approx(sigmoid(1.0), abs=1e-6)
