"""Next word: the likeliest next words of a prompt at a temperature, in the spelling their text
used, and a continuation the model writes (engine.inspection does the model's part)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hafiza.engine.inspection import top_k, unwritable_ids
from hafiza.engine.text import EOS, Vocabulary, in_reader_letters

TOP_K = 10


@dataclass(frozen=True)
class Guess:
    id: int
    word: str  # the vocabulary's (normalised) word
    written: str  # the word as its text wrote it (spelled_for_reader)
    probability: float  # at the temperature asked for
    rare: bool  # the OOV token: some word too rare to have an id of its own
    ends_line: bool  # the end-of-line token


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
