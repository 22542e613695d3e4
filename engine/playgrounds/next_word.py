"""Next word: the likeliest next words of a prompt at a temperature, in the spelling their text
used, beside those of counting alone (a Kneser-Ney trigram of the same training text), and a
continuation the model writes (engine.inspection does the model's part; a character model's
words are spelled out by engine.playgrounds.char_words)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from hafiza.engine.inspection import next_word_distribution, top_k, unwritable_ids
from hafiza.engine.text import EOS, Vocabulary, in_reader_letters

TOP_K = 10


@dataclass(frozen=True)
class Guess:
    id: int | None  # None: a word a character model spells, which has no id of its own
    word: str  # the vocabulary's (normalised) word
    written: str  # the word as its text wrote it (spelled_for_reader)
    probability: float  # at the temperature asked for
    rare: bool  # the OOV token: some word too rare to have an id of its own
    ends_line: bool  # the end-of-line token


class CountingBaseline:
    """The counting model (engine.ngram.fit_baseline) of a run's training text, in the ids of
    the model's vocabulary, fitted once, when first asked for: by the playground's worker
    thread, never the window's (a fit of 200k tokens takes about 0.1 s). ``available`` says,
    without fitting, whether there is a text to count: a run read back from *Earlier runs*
    whose text is gone has none."""

    def __init__(self, data: Any, vocab: Vocabulary) -> None:
        self._data = data
        self._vocab = vocab
        self._model = None
        self._lock = threading.Lock()  # two guesses in two threads fit it once

    @property
    def available(self) -> bool:
        data_vocab = getattr(self._data, "vocab", None)
        return (len(getattr(self._data, "train_ids", ())) > 1 and data_vocab is not None
                and getattr(data_vocab, "unit", "word") == getattr(self._vocab, "unit", "word"))

    def model(self):
        """The fitted engine.ngram.KneserNey, or None when there is no text to count."""
        if not self.available:
            return None
        with self._lock:
            if self._model is None:
                from hafiza.engine.ngram import fit_baseline

                self._model = fit_baseline(self._data, vocab=self._vocab)
            return self._model


def tempered(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(log p / T): the distribution engine.inspection.sample draws from at this
    temperature; T near 0 puts everything on the likeliest id."""
    if temperature < 1e-6:
        out = np.zeros(len(probabilities), dtype=np.float64)
        out[int(np.argmax(probabilities))] = 1.0
        return out
    logits = np.log(np.maximum(np.asarray(probabilities, dtype=np.float64), 1e-30))
    logits /= temperature
    logits -= logits.max()
    weights = np.exp(logits)
    return weights / weights.sum()


def spelled_for_reader(vocab: Vocabulary, word: str, persian: bool) -> str:
    """A vocabulary word in the spelling its text used (ى, أ: engine.text.usual_spellings);
    the reader's letters cover words it has none for (a checkpoint saved before them)."""
    return in_reader_letters(vocab.spelled(word), persian)


def next_word_guesses(probabilities: np.ndarray, vocab: Vocabulary, temperature: float = 1.0,
                      k: int = TOP_K, persian: bool = False) -> list[Guess]:
    """The k likeliest next words after tempering ``probabilities`` (from
    engine.inspection.next_word_distribution), likeliest first. Padding and non-words (a
    number, a stray mark) are left out; the unknown word and the end of a sentence stay, as
    the guesses a learner should see the model make."""
    shown_specials = {vocab.oov_index, vocab.word_index.get(EOS)}
    hidden = [i for i in unwritable_ids(vocab) if i not in shown_specials]
    best = top_k(tempered(probabilities, temperature), k, exclude=hidden)
    words = vocab.decode([i for i, _p in best])
    oov = vocab.oov_index
    return [Guess(i, word, spelled_for_reader(vocab, word, persian), p, i == oov, word == EOS)
            for (i, p), word in zip(best, words, strict=True)]


def next_word_distributions(model: Any, baseline: CountingBaseline | None,
                            context_ids: list[int], device: str = "cpu"
                            ) -> tuple[np.ndarray, np.ndarray | None]:
    """P(next word | context) of the network and of counting alone (None without a text to
    count), in a worker thread: the first call may fit the counting model."""
    network = next_word_distribution(model, context_ids, device)
    counting = baseline.model() if baseline is not None else None
    return network, (None if counting is None else counting.distribution(context_ids))
