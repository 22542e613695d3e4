"""Constants, errors and the progress/cancel callbacks every IMDB step shares."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from hafiza.engine.data.base import (
    DatasetError,
)
from hafiza.engine.tables import DATASET_LIMITS

OFFICIAL_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
HOME_PAGE = "https://ai.stanford.edu/~amaas/data/sentiment/"
OFFICIAL_MD5 = "7c2ac02c03563afcf9b574c7e56c153a"
OFFICIAL_SIZE = 84_125_825
ARCHIVE_NAME = "aclImdb_v1.tar.gz"
CSV_NAME = "IMDB Dataset.csv"
KERAS_NPZ = "imdb.npz"
KERAS_WORD_INDEX = "imdb_word_index.json"

PAD, START, OOV = 0, 1, 2
RESERVED = ("<start>", "<oov>", "<unused>")  # ids 1, 2, 3 with index_from=3, as in Keras
CACHE_VERSION = 1
TOKENIZER = "lower+br+punct-v1"
PREPROCESSING = {"lowercase": True, "remove_br": True, "punctuation": "dropped",
                 "apostrophes": "kept inside words", "word_rank": "frequency in train",
                 "tokenizer": TOKENIZER}

# Sizes that no real IMDB file comes near: a hostile or wrong file stops early, before its
# text multiplies into gigabytes (a 1.5 MB archive of repeated words once took 5.7 GB).
MAX_SOURCE_BYTES = 2 << 30  # archive, CSV or npz on disk
MAX_REVIEW_BYTES = 256 << 10  # one review (the longest real one is about 14 KB)
MAX_TOTAL_BYTES = 1 << 30  # an archive's tar stream, uncompressed (the official: ~300 MB)
# An archive unpacks to at most this many times its own size (the official: under 4), or
# EXPANSION_FLOOR, whichever is more (a small archive's tar headers alone weigh more).
MAX_EXPANSION = 20
EXPANSION_FLOOR = 64 << 20
MAX_MEMBERS = 250_000  # the full official archive has about 100,000
MAX_REVIEWS = 200_000  # the official train and test sets: 50,000
MAX_TEXT_BYTES = 256 << 20  # all reviews' text together (the official: ~65 MB)
MAX_WORDS = 40_000_000  # all reviews' words together (the official: ~12 million)
MAX_NPY_BYTES = 128 << 20  # one array of Keras' npz (its x_train: ~20 MB)
MAX_MAXLEN = int(DATASET_LIMITS["maxlen"].maximum)  # the table's row, for the review browser

# Reasons an import fails (ImdbError.reason), worded for the learner by the UI.
NOT_IMPORTED = "not imported"
NOT_IMDB = "not imdb"  # a readable file without IMDB reviews in a known layout
CORRUPT = "corrupt"  # truncated or damaged
UNSAFE = "unsafe"  # links, names leaving the folder, pickled code, ...
TOO_LARGE = "too large"
DOWNLOAD = "download"  # the server could not be reached or sent something else
_REVIEW_RE = re.compile(r"^(?:[^/]+/)?(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")


class ImdbError(DatasetError):
    """Why the IMDB data cannot be used; ``reason`` is one of the constants above."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"IMDB: {reason}: {detail}" if detail else f"IMDB: {reason}")
        self.reason = reason
        self.detail = detail


class ImdbCancelled(Exception):
    """The learner cancelled; a download keeps its ``.part`` file to resume from."""


Progress = Callable[[float, str], None]  # (fraction done, phase: "read"/"parse"/"save"...)
Cancelled = Callable[[], bool]


def _never() -> bool:
    return False


def _quiet(fraction: float, phase: str) -> None:
    pass


def _check_cancel(cancelled: Cancelled) -> None:
    if cancelled():
        raise ImdbCancelled

class ReviewBudget:
    """Counts the reviews read from a source and their text: past MAX_REVIEWS or
    MAX_TEXT_BYTES the import stops (TOO_LARGE) instead of filling the memory."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.reviews = 0
        self.text_bytes = 0

    def add(self, size: int) -> None:
        self.reviews += 1
        self.text_bytes += size
        if self.reviews > MAX_REVIEWS:
            raise ImdbError(TOO_LARGE, f"{self.where} holds more than {MAX_REVIEWS:,} reviews")
        if self.text_bytes > MAX_TEXT_BYTES:
            raise ImdbError(TOO_LARGE, f"{self.where} holds more than "
                            f"{MAX_TEXT_BYTES >> 20} MB of review text")


def _md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with Path(path).open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
