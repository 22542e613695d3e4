"""Which playgrounds a trained model gets is asked of the model and its data, never of the
exercise's name: a new lesson's exercise gets the right ones without a change in the code."""

from types import SimpleNamespace

import numpy as np
import pytest

from hafiza.engine.models import build_model
from hafiza.ui import playgrounds
from hafiza.ui.run_history import LoadedModel

A_NEW_LESSON = {"id": "my-new-exercise", "task": "binary", "dataset": {"name": "somewhere"}}
WORDS = SimpleNamespace(name="a vocabulary")  # names_for only asks whether there is one


def run_of(spec, input_shape=None, task="binary", vocabulary=None, vocab=None):
    data = SimpleNamespace(task=task, vocabulary=vocabulary,
                           x_train=np.zeros((3, *(input_shape or [4])), np.float32))
    return SimpleNamespace(model=build_model(spec, input_shape), data=data, vocab=vocab)


@pytest.mark.parametrize("spec, input_shape, task, words, expected", [
    # any regression on sequences of numbers gets the prediction table, not only seq003
    (["LSTM(4)", "Dense(1)"], [7, 1], "regression", None, ["regression"]),
    (["SimpleRNN(3)", "Dense(1)"], [1, 1], "regression", None, ["regression"]),
    # a regression on plain features is no sequence
    (["Dense(1)"], [2], "regression", None, []),
    # a binary classifier of word ids, with the words' vocabulary -> sentiment
    (["Embedding(50, 4)", "GlobalMaxPool", "Dense(1, sigmoid)"], None, "binary", WORDS,
     ["sentiment"]),
    (["EmbeddingBag(50, 4)", "Dense(1, sigmoid)"], None, "binary", WORDS, ["sentiment"]),
    # without a vocabulary no text can be typed in
    (["Embedding(50, 4)", "GlobalMaxPool", "Dense(1, sigmoid)"], None, "binary", None, []),
    # a binary classifier of numbers (xor) has no playground
    (["Dense(4, tanh)", "Dense(1, sigmoid)"], [2], "binary", None, []),
])
def test_the_data_and_the_model_choose_the_playgrounds(spec, input_shape, task, words,
                                                      expected):
    run = run_of(spec, input_shape, task, vocabulary=words)
    assert playgrounds.names_for(A_NEW_LESSON, run) == expected


def test_a_language_model_gets_the_next_word_and_the_inside_of_its_cell():
    recurrent = run_of(["Embedding(50, 4)", "LSTM(8, return_sequences=True)", "Dense(50)"],
                       task="language_model", vocab=WORDS)
    assert playgrounds.names_for(A_NEW_LESSON, recurrent) == ["next_word", "inside_cell"]
    plain = run_of(["Embedding(50, 4)", "Dense(50)"], task="language_model", vocab=WORDS)
    assert playgrounds.names_for(A_NEW_LESSON, plain) == ["next_word"]


def test_a_model_read_back_without_its_data_falls_back_on_the_exercises_task():
    model = build_model(["Embedding(50, 4)", "GlobalMaxPool", "Dense(1, sigmoid)"])
    loaded = LoadedModel(model, WORDS, A_NEW_LESSON, {"accuracy": 0.5})
    assert (loaded.task, loaded.vocabulary) == ("binary", WORDS)
    assert playgrounds.names_for(A_NEW_LESSON, loaded) == ["sentiment"]
    data = SimpleNamespace(task="binary", vocabulary=WORDS)
    from_data = LoadedModel(model, None, {"task": "binary"}, {}, data)
    assert from_data.vocabulary is WORDS  # IMDB's vocabulary lives on its data
    assert playgrounds.names_for({}, from_data) == ["sentiment"]
