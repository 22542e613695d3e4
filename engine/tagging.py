"""How well a tagger finds the entities of held-out sentences, against a baseline that only
counts: entity-level F1 and the most-frequent-tag-per-word baseline.

F1 is counted as seqeval counts it (its default, CoNLL-2000 mode): an entity is a run of
words that starts at B-X (or at an I-X that does not continue an X) and goes on over I-X; a
guess is right only when its type, first word and last word are all the true entity's.
Precision is the share of guessed entities that are right, recall the share of true entities
that were found, F1 their harmonic mean. Tags of padding (PADDING_TAG) are not words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Entity = tuple[str, int, int]  # (type, first word, last word)


def entity_spans(tags: Sequence[str]) -> set[Entity]:
    """The entities of one sentence's BIO tags."""
    spans: set[Entity] = set()
    kind, start = None, 0
    for index, tag in enumerate([*tags, "O"]):  # the O closes an entity at the end
        prefix, _, this = tag.partition("-")
        continues = prefix == "I" and this == kind
        if kind is not None and not continues:
            spans.add((kind, start, index - 1))
            kind = None
        if prefix in ("B", "I") and not continues:
            kind, start = this, index
    return spans


@dataclass(frozen=True)
class EntityScore:
    precision: float
    recall: float
    f1: float
    entities: int  # true entities counted


def entity_f1(true: Sequence[Sequence[str]], guessed: Sequence[Sequence[str]]) -> EntityScore:
    """Exact-span precision, recall and F1 over sentences of true and guessed tags (0 where
    nothing was guessed or nothing is to be found)."""
    right = n_true = n_guessed = 0
    for true_tags, guessed_tags in zip(true, guessed, strict=True):
        true_spans, guessed_spans = entity_spans(true_tags), entity_spans(guessed_tags)
        right += len(true_spans & guessed_spans)
        n_true += len(true_spans)
        n_guessed += len(guessed_spans)
    precision = right / n_guessed if n_guessed else 0.0
    recall = right / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return EntityScore(precision, recall, f1, n_true)


def as_tag_names(labels: np.ndarray, tags: Sequence[str], padding: int) -> list[list[str]]:
    """Each sentence's tag numbers as tag names, padding left out."""
    return [[tags[int(label)] for label in row if label != padding] for row in labels]


class MostFrequentTag:
    """The baseline: each word gets the tag it had most often in the training sentences; a
    word never seen there gets the tag most frequent overall (O). It reads no context."""

    def __init__(self, x_train: np.ndarray, y_train: np.ndarray, padding: int) -> None:
        counts: dict[int, Counter] = {}
        overall: Counter = Counter()
        for word_id, label in zip(x_train.ravel(), y_train.ravel(), strict=True):
            if label != padding:
                counts.setdefault(int(word_id), Counter())[int(label)] += 1
                overall[int(label)] += 1
        self.default = overall.most_common(1)[0][0] if overall else 0
        self.best = {word_id: counter.most_common(1)[0][0] for word_id, counter in counts.items()}

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.vectorize(lambda word_id: self.best.get(int(word_id), self.default),
                            otypes=[np.int64])(x)


@dataclass(frozen=True)
class TaggerScores:
    """A tagger's entity F1 on the held-out sentences beside the baseline's."""

    model: EntityScore
    baseline: EntityScore
    sentences: int


def score_tagger(model: Any, data: Any) -> TaggerScores:
    """The trained ``model`` and the baseline on ``data``'s held-out sentences (an
    engine.data.entities data set: its ``info["tags"]``)."""
    from hafiza.engine.data.entities import PADDING_TAG
    from hafiza.engine.train import predict

    tags = data.info["tags"]
    guessed = predict(model, data.x_val).argmax(axis=-1)
    true_names = as_tag_names(data.y_val, tags, PADDING_TAG)
    padding = data.y_val == PADDING_TAG
    model_names = as_tag_names(np.where(padding, PADDING_TAG, guessed), tags, PADDING_TAG)
    baseline = MostFrequentTag(data.x_train, data.y_train, PADDING_TAG).predict(data.x_val)
    baseline_names = as_tag_names(np.where(padding, PADDING_TAG, baseline), tags, PADDING_TAG)
    return TaggerScores(entity_f1(true_names, model_names),
                        entity_f1(true_names, baseline_names), len(data.y_val))
