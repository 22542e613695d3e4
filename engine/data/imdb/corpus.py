"""Tokenising reviews and the tokenised corpus (word ranks in flat arrays)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hafiza.engine.data.imdb.common import (
    MAX_WORDS,
    OOV,
    RESERVED,
    TOO_LARGE,
    Cancelled,
    ImdbError,
    Progress,
    _check_cancel,
    _never,
    _quiet,
)

_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LONE_APOSTROPHE_RE = re.compile(r"\B'|'\B")


def _punctuation_table() -> dict[int, str]:
    table = {}
    for code in range(0x3000):
        char = chr(code)
        if char == "'":
            continue
        if unicodedata.category(char)[0] in "PSCZ":
            table[code] = " "
    for char in "\u2019\u00b4\u2018`":  # typographic apostrophes and accents read as '
        table[ord(char)] = "'"
    return table


_TABLE = _punctuation_table()


def readable(text: str) -> str:
    """A review as a person reads it: its ``<br />`` tags as line breaks."""
    return _BR_RE.sub("\n", text)


def tokenize_review(text: str) -> list[str]:
    """The lesson's preprocessing: lower-case, ``<br />`` removed, punctuation dropped,
    apostrophes kept inside words ("don't"). Fast: one pass of C-level string methods."""
    text = _BR_RE.sub(" ", text).lower().translate(_TABLE)
    return _LONE_APOSTROPHE_RE.sub(" ", text).split()



@dataclass
class RawReviews:
    """Reviews as read from a source, before tokenising: texts and labels (1 = positive)."""

    train_texts: list[str] = field(default_factory=list)
    train_labels: list[int] = field(default_factory=list)
    test_texts: list[str] = field(default_factory=list)
    test_labels: list[int] = field(default_factory=list)


@dataclass
class Corpus:
    """The cached, tokenised data: each review a run of word ranks in a flat array.

    Review i of a split is ``ranks[offsets[i]:offsets[i + 1]]``; ``words[r - 1]`` is the word
    of rank r. ``texts`` (the original reviews) are loaded only on demand (``review_text``).
    """

    train_ranks: np.ndarray
    train_offsets: np.ndarray
    train_labels: np.ndarray
    test_ranks: np.ndarray
    test_offsets: np.ndarray
    test_labels: np.ndarray
    words: list[str]
    manifest: dict
    cache_dir: Path | None = None
    _texts: dict | None = None
    _vocabularies: dict = field(default_factory=dict, repr=False)

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if name not in ("train", "test"):
            raise ValueError(f'split is "train" or "test", not {name!r}')
        return (getattr(self, f"{name}_ranks"), getattr(self, f"{name}_offsets"),
                getattr(self, f"{name}_labels"))

    def size(self, name: str) -> int:
        return len(self.split(name)[2])

    def review_ranks(self, name: str, index: int) -> np.ndarray:
        ranks, offsets, _ = self.split(name)
        return ranks[offsets[index]:offsets[index + 1]]

    def review_text(self, name: str, index: int) -> str | None:
        """The original review, or None when the source had no texts (Keras' npz)."""
        if self._texts is None:
            self._texts = {}
            path = self.cache_dir / "texts.npz" if self.cache_dir else None
            if path is not None and path.exists():
                with np.load(path, allow_pickle=False) as data:
                    self._texts = {key: data[key] for key in data.files}
        blob = self._texts.get(f"{name}_text")
        if blob is None:
            return None
        offsets = self._texts[f"{name}_text_offsets"]
        return bytes(blob[offsets[index]:offsets[index + 1]]).decode("utf-8")

    def vocabulary(self, num_words: int | None = 10_000, index_from: int = 3):
        """An ``engine.text.Vocabulary`` that decodes ids made with these settings."""
        key = (num_words, index_from)
        if key not in self._vocabularies:
            self._vocabularies[key] = self._vocabulary(num_words, index_from)
        return self._vocabularies[key]

    def _vocabulary(self, num_words: int | None, index_from: int):
        from hafiza.engine.text import Vocabulary

        word_index = {token: i for i, token in enumerate(RESERVED, start=1) if i < index_from}
        word_index.setdefault("<oov>", OOV)
        for rank, word in enumerate(self.words, start=1):
            index = rank + index_from
            if num_words is not None and index >= num_words:
                break
            word_index.setdefault(word, index)
        return Vocabulary(word_index, oov_token="<oov>", num_words=num_words, index_from=1,
                          reserved=tuple(t for t in RESERVED if t in word_index))


def build_corpus(raw: RawReviews, progress: Progress = _quiet,
                 cancelled: Cancelled = _never) -> tuple[Corpus, dict[str, np.ndarray]]:
    """Tokenise, rank words by training frequency, and pack the arrays (plus the texts).

    Each review is kept as numbers from the start (a word's number is the order it was
    first seen in), never as lists of word strings: 4 bytes a word instead of about 60, and
    past MAX_WORDS the import stops. Ranks are then frequency in the training reviews, ties
    in order of first appearance (as Counter.most_common gives them); words only the test
    reviews use rank after them the same way, so decoding always works."""
    first_seen: dict[str, int] = {}
    numbered: dict[str, list[np.ndarray]] = {"train": [], "test": []}
    total = max(1, len(raw.train_texts) + len(raw.test_texts))
    done = words_read = 0
    for name in ("train", "test"):
        for text in getattr(raw, f"{name}_texts"):
            words = tokenize_review(text)
            words_read += len(words)
            if words_read > MAX_WORDS:
                raise ImdbError(TOO_LARGE, f"the reviews hold more than {MAX_WORDS:,} words")
            numbered[name].append(np.fromiter(
                (first_seen.setdefault(word, len(first_seen)) for word in words),
                dtype=np.int32, count=len(words)))
            done += 1
            if done % 2000 == 0:
                _check_cancel(cancelled)
                progress(0.6 * done / total, "parse")
    progress(0.7, "parse")
    _check_cancel(cancelled)
    flat = {name: np.concatenate(parts) if parts else np.zeros(0, np.int32)
            for name, parts in numbered.items()}
    train_counts = np.bincount(flat["train"], minlength=len(first_seen))
    test_counts = np.bincount(flat["test"], minlength=len(first_seen))
    seen_in_train = np.flatnonzero(train_counts)
    only_in_test = np.flatnonzero((train_counts == 0) & (test_counts > 0))
    order = np.concatenate([
        seen_in_train[np.argsort(-train_counts[seen_in_train], kind="stable")],
        only_in_test[np.argsort(-test_counts[only_in_test], kind="stable")]])
    spelled = list(first_seen)
    words = [spelled[number] for number in order]
    rank_of = np.zeros(len(first_seen), dtype=np.int32)
    rank_of[order] = np.arange(1, len(order) + 1, dtype=np.int32)
    arrays: dict[str, Any] = {}
    for name in ("train", "test"):
        lengths = np.fromiter((len(r) for r in numbered[name]), dtype=np.int64,
                              count=len(numbered[name]))
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        arrays[f"{name}_ranks"] = rank_of[flat[name]]
        arrays[f"{name}_offsets"] = offsets
        arrays[f"{name}_labels"] = np.asarray(getattr(raw, f"{name}_labels"), dtype=np.int8)
        _check_cancel(cancelled)
        progress(0.85 if name == "train" else 0.95, "parse")
    texts = {}
    for name in ("train", "test"):
        encoded = [t.encode("utf-8") for t in getattr(raw, f"{name}_texts")]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        texts[f"{name}_text"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        texts[f"{name}_text_offsets"] = offsets
    corpus = Corpus(words=words, manifest={}, **arrays)
    corpus._texts = texts
    return corpus, texts


