"""The next-word playground's engine: counting's guesses beside the network's (the same
non-words left out, the model's own ids even when the text is numbered otherwise), and a
character model's guesses spelled into words by a bounded, deterministic beam search."""

import numpy as np
import pytest
import torch

from hafiza.engine.data.lm import LanguageModelData
from hafiza.engine.models import build_model
from hafiza.engine.ngram import fit_baseline
from hafiza.engine.playgrounds.char_words import (
    CountingChars,
    char_prompt_ids,
    char_word_guesses,
    likeliest_words,
    words_of_letters,
)
from hafiza.engine.playgrounds.next_word import (
    CountingBaseline,
    next_word_distributions,
    next_word_guesses,
)
from hafiza.engine.text import Vocabulary

SENTENCES = "\n".join(["the cat sat on the mat .", "the dog ate 49 of the rats ."] * 30)


def _untrained(vocab):
    torch.manual_seed(0)
    return build_model([f"Embedding({len(vocab)}, 4)", "LSTM(4, return_sequences=True)",
                        f"Dense({len(vocab)}, softmax)"])


# --- counting beside the network ----------------------------------------------------------

def test_counting_guesses_come_from_the_same_training_text_without_non_words():
    data = LanguageModelData.from_text(SENTENCES, val_fraction=0.1)
    vocab = data.vocab
    baseline = CountingBaseline(data, vocab)
    assert baseline.available
    ids = vocab.encode("sat on the")
    network_p, counting_p = next_word_distributions(_untrained(vocab), baseline, ids)
    assert network_p.shape == counting_p.shape == (len(vocab),)
    np.testing.assert_allclose(counting_p, fit_baseline(data).distribution(ids))
    guesses = next_word_guesses(counting_p, vocab, 1.0, k=len(vocab))
    assert guesses[0].word == "mat" and guesses[0].probability > 0.5
    # "49" is a token of the text but no word: neither list ever offers it.
    assert "49" in vocab.word_index and "49" not in [g.word for g in guesses]
    # The same temperature reshapes both lists alike: colder, the favourite takes more.
    assert next_word_guesses(counting_p, vocab, 0.5, k=1)[0].probability > 0.9


def test_counting_speaks_in_the_models_ids_when_the_text_is_numbered_otherwise():
    """A run read back from Earlier runs keeps its vocabulary while its text is read again:
    the counting model is fitted in the model's ids, so the same ids mean the same words."""
    data = LanguageModelData.from_text(SENTENCES, val_fraction=0.1)
    words = [w for w in data.vocab.word_index if w != "<oov>"]
    words = words[1:] + words[:1]  # every word one place on
    model_vocab = Vocabulary({"<oov>": 1, **{w: i + 2 for i, w in enumerate(words)}},
                             punctuation=True)
    assert model_vocab.word_index["mat"] != data.vocab.word_index["mat"]
    baseline = CountingBaseline(data, model_vocab)
    counting = baseline.model()
    best = next_word_guesses(counting.distribution(model_vocab.encode("on the")),
                             model_vocab, 1.0, k=1)[0]
    assert best.word == "mat"
    assert baseline.model() is counting  # fitted once


def test_there_is_no_counting_without_a_text_to_count():
    vocab = LanguageModelData.from_text(SENTENCES).vocab
    chars = LanguageModelData.from_text(SENTENCES, unit="char")
    for baseline in (CountingBaseline(None, vocab), CountingBaseline(chars, vocab)):
        assert not baseline.available and baseline.model() is None
    network_p, counting_p = next_word_distributions(_untrained(vocab), CountingBaseline(
        None, vocab), vocab.encode("the cat"))
    assert counting_p is None and network_p.sum() == pytest.approx(1.0, abs=1e-5)


# --- a character model's words ------------------------------------------------------------

CHAR_VOCAB = LanguageModelData.from_text("cad. x7\n", unit="char", val_fraction=0.0).vocab


class TableChars:
    """A character 'model' whose next character depends only on the letters since the last
    space, from a fixed table: every probability of a word can be worked out by hand."""

    TABLE = {"": {"c": 0.6, "d": 0.25, ".": 0.15},
             "c": {"a": 0.7, " ": 0.3},
             "ca": {" ": 1.0},
             "d": {" ": 0.5, "7": 0.5}}  # "7" is no letter: never spelled
    calls = 0

    def _row(self, text):
        word = text.split(" ")[-1] if not text.endswith(".") else ""
        p = np.full(len(CHAR_VOCAB), 1e-12)
        for char, probability in self.TABLE.get(word, {" ": 1.0}).items():
            p[CHAR_VOCAB.word_index[char]] = probability
        return np.log(p / p.sum())

    def start(self, prompt_ids):
        text = "".join(CHAR_VOCAB.decode(prompt_ids))
        return self._row(text)[None], [text]

    def step(self, state, parents, chars):
        TableChars.calls += 1
        texts = [state[p] + CHAR_VOCAB.decode([c])[0] for p, c in zip(parents, chars, strict=True)]
        return np.stack([self._row(t) for t in texts]), texts


def _words(guesses):
    """(word, probability) of the guesses worth a glance (the table gives the rest ~1e-12)."""
    return [(g.word, round(g.probability, 6)) for g in guesses if g.probability > 1e-9]


def test_the_next_word_after_a_space_is_spelled_with_its_probability():
    guesses = likeliest_words(TableChars(), CHAR_VOCAB, char_prompt_ids(CHAR_VOCAB, "x "))
    # ca: 0.6 * 0.7 * 1; d: 0.25 * 0.5 (its "7" half is no word); c: 0.6 * 0.3; ".": 0.15
    assert _words(guesses) == [("ca", 0.42), ("c", 0.18), (".", 0.15), ("d", 0.125)]
    assert all(g.id is None and g.written == g.word for g in guesses)


def test_a_word_begun_in_the_prompt_is_completed():
    guesses = likeliest_words(TableChars(), CHAR_VOCAB, char_prompt_ids(CHAR_VOCAB, "x c"))
    assert _words(guesses) == [("ca", 0.7), ("c", 0.3)]


def test_the_prompts_last_space_is_kept():
    """A character vocabulary strips a line's ends; the playground's prompt keeps its space."""
    assert CHAR_VOCAB.decode(char_prompt_ids(CHAR_VOCAB, "x c "))[-1] == " "
    assert CHAR_VOCAB.decode(char_prompt_ids(CHAR_VOCAB, "x c"))[-1] == "c"


def test_words_are_spelled_at_the_temperature_generation_writes_at():
    guesses = dict(_words(likeliest_words(TableChars(), CHAR_VOCAB,
                                          char_prompt_ids(CHAR_VOCAB, "x "), temperature=0.5)))
    first = np.array([0.6, 0.25, 0.15]) ** 2 / np.sum(np.array([0.6, 0.25, 0.15]) ** 2)
    after_c = np.array([0.7, 0.3]) ** 2 / np.sum(np.array([0.7, 0.3]) ** 2)
    assert guesses["ca"] == pytest.approx(first[0] * after_c[0], abs=1e-6)
    assert guesses["c"] == pytest.approx(first[0] * after_c[1], abs=1e-6)
    assert guesses["d"] == pytest.approx(first[1] * 0.5, abs=1e-6)  # " " and "7" stay even


def test_the_search_is_bounded_in_width_and_length():
    TableChars.calls = 0
    narrow = likeliest_words(TableChars(), CHAR_VOCAB, char_prompt_ids(CHAR_VOCAB, "x "),
                             width=1, max_chars=5)
    # Only the likeliest spelling goes on ("c", then "ca"); "." ends where a word begins.
    assert [w for w, _p in _words(narrow)] == ["ca", "c", "."]
    assert TableChars.calls <= 5  # one step of the model per character, at most
    short = likeliest_words(TableChars(), CHAR_VOCAB, char_prompt_ids(CHAR_VOCAB, "x "),
                            max_chars=1)
    assert "ca" not in [g.word for g in short] and "c" in [g.word for g in short]
    # Once k words are found, a spelling less likely than the k-th is not followed: the
    # one word wanted is found after two characters, and the search ends there.
    TableChars.calls = 0
    assert _words(likeliest_words(TableChars(), CHAR_VOCAB,
                                  char_prompt_ids(CHAR_VOCAB, "x "), k=1)) == [("ca", 0.42)]
    assert TableChars.calls == 2


def test_counting_characters_spell_the_words_of_their_text():
    text = "\n".join(["the cat sat on the mat."] * 20)
    data = LanguageModelData.from_text(text, unit="char", val_fraction=0.0)
    counting = fit_baseline(data)
    words = likeliest_words(CountingChars(counting), data.vocab,
                            char_prompt_ids(data.vocab, "sat on "))
    assert words[0].word == "the" and words[0].probability > 0.5
    # Three characters of context: after "the " it cannot tell "cat" from "mat".
    after_the = _words(likeliest_words(CountingChars(counting), data.vocab,
                                       char_prompt_ids(data.vocab, "on the ")))
    assert {w for w, _p in after_the[:2]} == {"cat", "mat"}
    assert after_the[0][1] == pytest.approx(after_the[1][1])
    again = likeliest_words(CountingChars(counting), data.vocab,
                            char_prompt_ids(data.vocab, "sat on "))
    assert _words(again) == _words(words)  # deterministic


def test_a_trained_character_network_and_counting_both_spell_whole_words():
    from hafiza.engine.train import TrainConfig, fit

    torch.manual_seed(0)
    data = LanguageModelData.from_text("\n".join(["hafiza writes words"] * 60), unit="char",
                                       val_fraction=0.1)
    model = build_model(["Embedding(vocab_size, 16)", "LSTM(48, return_sequences=True)",
                         "Dense(vocab_size, softmax)"], None, {"vocab_size": len(data.vocab)})
    list(fit(model, data, TrainConfig(task="language_model", learning_rate=0.02,
                                      batch_size=16, bptt=20, epochs=20, seed=0)))
    network, counting = char_word_guesses(model, CountingBaseline(data, data.vocab),
                                          data.vocab, "hafiza ")
    assert network[0].word == "writes" and network[0].probability > 0.5
    # Counting sees two characters back: after " w" comes "r" (writes) or "o" (words), even;
    # the network has learned that "hafiza" is followed by "writes".
    assert {g.word for g in counting[:2]} == {"writes", "words"}
    completed, _counting = char_word_guesses(model, None, data.vocab, "hafiza wr")
    assert completed[0].word == "writes" and _counting is None


def test_written_letters_group_into_words_that_start_with_their_spaces():
    assert words_of_letters(list("ab cd.")) == [["a", "b"], [" ", "c", "d", "."]]
    assert words_of_letters(["a", "<eos>", "b", " ", " ", "c"]) == [["a"], ["<eos>", "b"],
                                                                    [" ", " ", "c"]]
    assert words_of_letters([" ", "a"]) == [[" ", "a"]] and words_of_letters([]) == []
