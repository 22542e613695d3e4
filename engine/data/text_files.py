"""A learner's own text file, read whatever its encoding: UTF-8 (with or without a byte-order
mark), UTF-16 with a byte-order mark, or the Windows code pages learners' files are often
saved in, cp1256 (Windows Arabic, which also covers Persian) and cp1252 (Windows Western).

    decoded = decode_text(path.read_bytes())   # DecodedText(text, encoding)
    decoded = decode_text(data, "cp1256")      # the learner chose the encoding

Qt-free and torch-free: the app's dialog shows the encoding found and lets the learner
change it; the engine reads the text that results.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hafiza.words import _

# Each encoding a learner may pick, in the order a chooser lists them.
ENCODINGS = ("utf-8", "utf-16", "cp1256", "cp1252")

_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


class TextFileError(ValueError):
    """A file that is not text Hafiza can read, said so the learner knows what to do."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "too_big", "empty", "binary", "undecodable"


@dataclass(frozen=True)
class DecodedText:
    text: str  # line ends are "\n"; no byte-order mark
    encoding: str  # one of ENCODINGS


def _unreadable_count(text: str) -> int:
    """Characters no real text holds: replacement marks and control characters other than
    tabs and line ends (what a wrong code page turns some bytes into)."""
    return sum(1 for ch in text if ch == "\ufffd" or (
        unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"))


def _script_evidence(text: str, encoding: str) -> int:
    """How strongly ``text`` looks like what ``encoding`` is for. Only letters outside ASCII
    count (ASCII reads the same in both code pages): Arabic-script letters in words
    without Latin letters for cp1256; accented Latin letters inside words that also have
    ASCII letters ("café", "straße") for cp1252. Arabic bytes read as cp1252 give words of
    accented letters only ("ÇáÚÑÈíÉ"), and Latin ones read as cp1256 put an Arabic letter
    in a Latin word ("straكe"): neither counts."""
    score = 0
    for word in _WORD.findall(text):
        has_ascii = bool(_ASCII_LETTER.search(word))
        if encoding == "cp1256" and not has_ascii:
            score += len(_ARABIC_LETTER.findall(word))
        elif encoding == "cp1252" and has_ascii:
            score += sum(1 for ch in word if ord(ch) > 127)
    return score


def _code_page(data: bytes) -> str:
    """cp1256 or cp1252 for bytes that are not UTF-8: the one whose reading has more of its
    own script's letters, less what neither script has; cp1252 on a tie."""
    def score(encoding: str) -> int:
        text = data.decode(encoding, errors="replace")
        return _script_evidence(text, encoding) - 3 * _unreadable_count(text)

    return "cp1256" if score("cp1256") > score("cp1252") else "cp1252"


def detect_encoding(data: bytes) -> str:
    """The encoding ``data`` is most likely in, one of ENCODINGS."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")  # a UTF-8 byte-order mark is valid UTF-8 too
    except UnicodeDecodeError:
        return _code_page(data)
    return "utf-8"


def decode_text(data: bytes, encoding: str | None = None) -> DecodedText:
    """The text in ``data``, read in ``encoding`` (None: the one detect_encoding finds).

    A byte-order mark is dropped and line ends become "\\n". Raises TextFileError for no
    text at all, for bytes that are not text (NUL bytes outside UTF-16) and for bytes the
    chosen encoding cannot read."""
    encoding = encoding or detect_encoding(data)
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}, not {encoding!r}")
    if encoding != "utf-16" and b"\x00" in data:
        raise TextFileError("binary", _("this file is not text (it holds NUL bytes)"))
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise TextFileError("undecodable", _("byte {position} cannot be read as {encoding}")
                            .format(position=error.start, encoding=encoding)) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TextFileError("empty", _("there is no text in it"))
    return DecodedText(text, encoding)


def read_text_file(path: str | Path, max_bytes: int,
                   encoding: str | None = None) -> DecodedText:
    """A learner's text file, at most ``max_bytes`` long, decoded (see decode_text)."""
    path = Path(path)
    with path.open("rb") as file:  # read no more than the limit, whatever the size says
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TextFileError("too_big", _("{file} is more than {limit} bytes, the most a text "
                                         "may be").format(file=path.name,
                                                          limit=f"{max_bytes:,}"))
    return decode_text(data, encoding)


# The settings of a language model's data that mean the same for any text; the others
# (variety, lessons_dir) choose among the built-in texts and are dropped with them.
_KEPT_TEXT_SETTINGS = ("num_words", "val_fraction", "punctuation", "unit")


def with_text_file(exercise: dict, path: str) -> dict:
    """A copy of a language-model exercise that trains on the text file ``path`` instead
    of its own text, with the same vocabulary size, split and tokens (the app's *Use my own
    text…* and the command line's ``--set dataset.text_file=PATH``)."""
    dataset = exercise.get("dataset", {})
    kept = {key: dataset[key] for key in _KEPT_TEXT_SETTINGS if key in dataset}
    return {**exercise, "dataset": {"name": "text_file", "path": str(path), **kept}}


_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+|\n+")


@dataclass(frozen=True)
class TextSummary:
    words: int  # the words in it, punctuation marks not counted
    first_sentences: list[list[str]]  # the opening sentences, as those tokens
    # Words of it whose word it has fewer than engine.text.MIN_COUNT times: a model
    # trained on it reads each as <oov>, "a rare word" (the share tells a short text).
    rare_words: int = 0


def summarize_text(text: str, sentences: int = 3, max_tokens: int = 60) -> TextSummary:
    """How a language model will read ``text``: its word count and its first sentences as
    tokens (at most ``max_tokens`` of them), the preview a learner checks before training."""
    from hafiza.engine.text import MIN_COUNT, tokenize

    preview: list[list[str]] = []
    shown = 0
    for sentence in _SENTENCE_END.split(text):
        tokens = tokenize(sentence, punctuation=True)[:max_tokens - shown]
        if tokens:
            preview.append(tokens)
            shown += len(tokens)
        if len(preview) == sentences or shown >= max_tokens:
            break
    words = tokenize(text)
    counts = Counter(words)
    rare = sum(n for n in counts.values() if n < MIN_COUNT)
    return TextSummary(len(words), preview, rare)


_OWN_TEXT_NAME = re.compile(r"own-text-[0-9a-f]{16}\.txt")


def own_text_name(text: str) -> str:
    """The file name a learner's own text is saved under: named by its content, so a run
    records only this name and the same text is stored once."""
    return f"own-text-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"


def is_own_text(exercise: dict) -> bool:
    """The exercise trains on a learner's own text saved by the app (not a lesson's file)."""
    dataset = exercise.get("dataset") or {}
    return (dataset.get("name") == "text_file"
            and bool(_OWN_TEXT_NAME.fullmatch(str(dataset.get("path", "")))))
