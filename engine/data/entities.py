"""Sentences with their people, places and organisations tagged, one tag per word (BIO), in
each variety: the data set ``entities`` that a tagger (task ``tagging``) learns from.

    data = make_entities("fa", n_samples=2000)
    data.x_train[0]  # word ids, padded with 0 after the sentence
    data.y_train[0]  # tag numbers (TAGS), PADDING_TAG where there is no word

The sentences are generated from the templates and word lists of ``entities_words``. The
held-out sentences (``val_fraction`` of them) come from templates the training sentences never
use, filled with names the training sentences never contain, so a tagger scores well on them
only by reading the context ("lives in ..."), not by remembering names. To teach it that an
unknown word may be a name, some training words are replaced by the unknown word (<oov>):
half of the entities' words and a tenth of the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from hafiza.engine.data.base import (
    ArrayDataset,
    DatasetError,
    check_fraction,
    check_setting,
    seeded_rng,
)
from hafiza.engine.data.entities_words import WORDS, EntityWords
from hafiza.engine.text import Vocabulary, tokenize
from hafiza.words import _

# The tags, by number: O is "no entity", B- begins one and I- continues it (a two-word city,
# "بني ملال", is B-LOC I-LOC). Cities and countries are both LOC, as in CoNLL-2003's tags.
TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
# The label of padding, which the loss and the accuracy skip: engine.objectives.IGNORE_LABEL
# (a test keeps them equal; the data floor may not import the training floor's torch module).
PADDING_TAG = -100
ENTITY_DROPOUT = 0.5  # share of an entity's training words shown as <oov>
WORD_DROPOUT = 0.1  # share of the other training words shown as <oov>
# Every fourth name of each list is held out (0-based index 3, 7, ...).
HELD_OUT_EVERY = 4
_SLOT = re.compile(r"\{(PER|LOC|ORG)2?\}")
_AGREEMENT = re.compile(r"\[([^\]|]*)\|([^\]]*)\]")


class _Names:
    """The names one half of the data set (training or held out) draws from."""

    def __init__(self, words: EntityWords, held_out: bool) -> None:
        def part(items: Sequence[str]) -> tuple[str, ...]:
            return tuple(item for index, item in enumerate(items)
                         if (index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == held_out)

        self.male, self.female = part(words.male_names), part(words.female_names)
        self.family = part(words.family_names)
        self.places, self.organisations = part(words.places), part(words.organisations)
        self.templates = words.held_out_templates if held_out else words.templates


def _person(rng: np.random.Generator, names: _Names) -> tuple[str, bool]:
    """A first name, with a family name two times in three; and whether she is a woman."""
    female = bool(rng.random() < 0.5)
    first = str(rng.choice(names.female if female else names.male))
    if rng.random() < 2 / 3:
        first = f"{first} {rng.choice(names.family)}"
    return first, female


def tagged_words(text: str, kind: str | None) -> list[tuple[str, str]]:
    """The words of ``text`` (as engine.text tokenises them) with their BIO tags: all O, or
    B-kind then I-kind for the words of one entity."""
    words = tokenize(text)
    if kind is None:
        return [(word, "O") for word in words]
    return [(word, f"{'B' if index == 0 else 'I'}-{kind}") for index, word in enumerate(words)]


def make_sentence(rng: np.random.Generator, names: _Names) -> list[tuple[str, str]]:
    """One sentence as (word, tag) pairs: a template with its slots filled and its
    [masculine|feminine] words agreeing with the first person."""
    template = str(rng.choice(names.templates))
    fillers, female = [], None
    for match in _SLOT.finditer(template):
        kind = match.group(1)
        if kind == "PER":
            name, is_female = _person(rng, names)
            female = is_female if female is None else female
        else:
            name = str(rng.choice(names.places if kind == "LOC" else names.organisations))
        fillers.append((kind, name))
    template = _AGREEMENT.sub(lambda m: m.group(2 if female else 1), template)
    pairs: list[tuple[str, str]] = []
    for index, part in enumerate(_SLOT.split(template)):
        # re.split keeps the slot's group: even parts are text, odd parts the slots' kinds
        if index % 2 == 0:
            pairs += tagged_words(part, None)
        else:
            kind, name = fillers[index // 2]
            pairs += tagged_words(name, kind)
    return pairs


def _encode(sentences: list[list[tuple[str, str]]], vocab: Vocabulary, length: int,
            rng: np.random.Generator | None) -> tuple[np.ndarray, np.ndarray]:
    """Word ids and tag numbers, padded after each sentence; with ``rng``, some words become
    the unknown word (the training sentences: see the module's docstring)."""
    x = np.zeros((len(sentences), length), dtype=np.int64)
    y = np.full((len(sentences), length), PADDING_TAG, dtype=np.int64)
    oov = vocab.oov_index
    for row, sentence in enumerate(sentences):
        words = [word for word, _tag in sentence]
        ids = vocab.encode(words)
        for step, (word_id, (_word, tag)) in enumerate(zip(ids, sentence, strict=True)):
            if rng is not None and rng.random() < (WORD_DROPOUT if tag == "O"
                                                   else ENTITY_DROPOUT):
                word_id = oov
            x[row, step] = word_id
            y[row, step] = TAGS.index(tag)
    return x, y


def make_entities(variety: str = "ary", n_samples: int = 2000, val_fraction: float = 0.2,
                  seed: int = 0) -> ArrayDataset:
    """``n_samples`` tagged sentences in ``variety``, ``val_fraction`` of them held out (other
    templates, other names). The vocabulary is the training sentences' words; the held-out
    names are not among them."""
    if variety not in WORDS:
        raise DatasetError(_("variety must be one of {varieties}, not {variety}").format(
            varieties=", ".join(WORDS), variety=repr(variety)))
    n_samples = check_setting("n_samples", n_samples)
    val_fraction = check_fraction("val_fraction", val_fraction)
    rng = seeded_rng(seed)
    n_val = min(round(n_samples * val_fraction), n_samples - 1)
    train_names = _Names(WORDS[variety], held_out=False)
    held_names = _Names(WORDS[variety], held_out=True)
    train = [make_sentence(rng, train_names) for _ in range(n_samples - n_val)]
    held = [make_sentence(rng, held_names) for _ in range(n_val)]
    vocab = Vocabulary.build([[word for word, _tag in sentence] for sentence in train])
    length = max(len(sentence) for sentence in train + held)
    x_train, y_train = _encode(train, vocab, length, rng)
    x_val, y_val = _encode(held, vocab, length, None)
    return ArrayDataset("entities", "tagging", x_train, y_train, x_val, y_val,
                        n_classes=len(TAGS),
                        info={"vocabulary": vocab, "num_words": len(vocab), "tags": TAGS,
                              "time_steps": length, "variety": variety})
