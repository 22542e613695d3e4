"""The next-word playground's guesses: a manual softmax of log p / T, ranked, without
padding, with the rare word and the end of a line marked and words in their text's spelling."""

import numpy as np
import pytest
import torch

from hafiza.engine.data.lm import LanguageModelData
from hafiza.engine.inspection import next_word_distribution, top_k_next_words
from hafiza.engine.models import build_model
from hafiza.engine.playgrounds.next_word import (
    next_word_guesses,
    spelled_for_reader,
    tempered,
)
from hafiza.engine.text import Vocabulary

VOCAB = Vocabulary.build([["the", "cat", "<eos>", "the", "sat", "cat", "the"]])
# ids: 0 padding, 1 <oov>, 2 the, 3 cat, 4 <eos>, 5 sat


def manual(probabilities, temperature):
    logits = np.log(probabilities) / temperature
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def test_tempered_is_a_softmax_of_log_probabilities_over_the_temperature():
    p = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(tempered(p, 1.0), p)
    np.testing.assert_allclose(tempered(p, 0.5), p ** 2 / np.sum(p ** 2))
    np.testing.assert_allclose(tempered(p, 2.0), manual(p, 2.0))
    np.testing.assert_array_equal(tempered(p, 0.0), [0, 0, 0, 1])  # greedy
    assert tempered(np.array([0.0, 1.0]), 1.0)[0] == pytest.approx(0.0)  # log 0 is no error


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_guesses_are_the_top_k_of_the_manual_softmax_without_padding(temperature):
    p = np.array([0.30, 0.05, 0.25, 0.10, 0.20, 0.10])
    guesses = next_word_guesses(p, VOCAB, temperature, k=3)
    expected = manual(p, temperature)
    expected[0] = -1  # padding is never a guess
    order = np.argsort(-expected, kind="stable")[:3]
    assert [g.id for g in guesses] == [2, 4, 3] == order.tolist()
    np.testing.assert_allclose([g.probability for g in guesses], expected[order])
    assert [g.word for g in guesses] == ["the", "<eos>", "cat"]
    everything = next_word_guesses(p, VOCAB, temperature, k=99)
    assert len(everything) == 5  # every id but padding
    assert sum(g.probability for g in everything) == pytest.approx(1 - manual(p, temperature)[0])


def test_the_rare_word_and_the_end_of_a_line_are_marked():
    p = np.array([0.0, 0.5, 0.1, 0.1, 0.3, 0.0])
    first, second = next_word_guesses(p, VOCAB, 1.0, k=2)
    assert (first.id, first.rare, first.ends_line) == (1, True, False)
    assert (second.word, second.rare, second.ends_line) == ("<eos>", False, True)


def test_words_are_written_as_their_text_wrote_them():
    data = LanguageModelData.from_text("مشى حتى الليل الأولى\nحتى الصباح\n", val_fraction=0.0)
    vocab = data.vocab
    p = np.full(len(vocab), 0.01)
    p[vocab.word_index["حتی"]] = 1.0
    guess = next_word_guesses(p / p.sum(), vocab, 1.0, k=1)[0]
    assert (guess.word, guess.written) == ("حتی", "حتى")
    assert spelled_for_reader(vocab, "اللیل", persian=True) == "الليل"  # as the text wrote it
    # A word the text gave no spelling for: the reader's letters, ي and ك outside Persian.
    assert spelled_for_reader(vocab, "کتابی", persian=False) == "كتابي"
    assert spelled_for_reader(vocab, "کتابی", persian=True) == "کتابی"


def test_guesses_of_a_model_agree_with_the_engines_top_k():
    torch.manual_seed(0)
    model = build_model([f"Embedding({len(VOCAB)}, 4)", "LSTM(5, return_sequences=True)",
                         f"Dense({len(VOCAB)}, softmax)"])
    ids = VOCAB.encode("the cat")
    probabilities = next_word_distribution(model, ids, device="cpu")
    guesses = next_word_guesses(probabilities, VOCAB, 1.0, k=4)
    engine = [(w, p) for w, p in top_k_next_words(model, VOCAB, "the cat", 5) if w != "<pad>"]
    assert [g.word for g in guesses] == [w for w, _p in engine][:4]
    np.testing.assert_allclose([g.probability for g in guesses],
                               [p for _w, p in engine][:4], atol=1e-6)
