"""Tagging a typed sentence: each word's tag (engine.data.entities.TAGS) and how sure the
tagger is of it, for the tagging playground."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from hafiza.engine.inspection import on_device
from hafiza.engine.models import SequentialModel
from hafiza.engine.text import Vocabulary, pad_sequences, words_with_ids


@dataclass(frozen=True)
class WordTag:
    word: str  # as the learner typed it
    tag: str  # one of the data set's tags, "B-PER"...
    confidence: float  # the model's probability of that tag
    known: bool  # the word is in the vocabulary (else it was read as the unknown word)


@torch.no_grad()
def tag_sentence(model: SequentialModel, vocab: Vocabulary, tags: Sequence[str], text: str,
                 length: int | None = None, device: str = "cpu") -> list[WordTag]:
    """The words of ``text`` with their most likely tags. The ids are padded after the
    sentence to ``length`` (the training sentences' length) as in training, so the backward
    half of a bidirectional layer starts from padding as it learned to; a longer sentence is
    read whole."""
    pairs = words_with_ids(vocab, text)
    if not pairs:
        return []
    ids = [word_ids[0] for _word, word_ids in pairs]  # a word is one token here
    steps = max(len(ids), length or 0)
    on_device(model, device).eval()  # for good: tasks may read the model side by side
    batch = torch.as_tensor(pad_sequences([ids], steps, padding="post"), dtype=torch.long,
                            device=torch.device(device))
    probabilities = model.predict(batch)[0, :len(ids)].double().cpu().numpy()
    best = probabilities.argmax(axis=-1)
    oov = vocab.oov_index
    return [WordTag(word, tags[int(choice)], float(probabilities[step, choice]),
                    word_id != oov)
            for step, ((word, _ids), word_id, choice) in enumerate(zip(pairs, ids, best,
                                                                         strict=True))]


def entity_kinds(found: Sequence[WordTag]) -> list[str]:
    """Each word's kind without its B-/I- prefix ("PER", "LOC", "ORG", or "O")."""
    return [item.tag.partition("-")[2] or item.tag for item in found]

