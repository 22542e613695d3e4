"""The data set: ranks encoded as padded id arrays, as Keras' ``imdb.load_data`` does."""

from __future__ import annotations

import numpy as np

from hafiza.engine.data.base import (
    ArrayDataset,
    DatasetError,
    check_fraction,
    check_setting,
    seeded_rng,
)
from hafiza.engine.data.imdb.cache import (
    load_corpus,
)
from hafiza.engine.data.imdb.common import (
    OOV,
    PAD,
    START,
)


def encode(ranks: np.ndarray, offsets: np.ndarray, *, num_words: int | None = 10_000,
           maxlen: int | None = 200, padding: str = "pre", truncating: str = "pre",
           index_from: int = 3, start_char: int | None = START,
           oov_char: int = OOV) -> np.ndarray:
    """Keras' ``imdb.load_data`` + ``pad_sequences``, vectorised: ids = rank + index_from,
    a start id before each review, ids >= num_words become oov_char, then padded or cut
    ("pre" keeps the end of a long review) with 0 to ``maxlen``. Returns int32 (n, maxlen)."""
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise DatasetError('padding and truncating are "pre" or "post"')
    ids = ranks.astype(np.int64) + index_from
    if num_words is not None:
        ids[ids >= num_words] = oov_char
    n = len(offsets) - 1
    starts, ends = offsets[:-1].copy(), offsets[1:].copy()
    if start_char is not None:
        ids = np.insert(ids, starts, start_char)
        shift = np.arange(n, dtype=np.int64)
        starts, ends = starts + shift, ends + shift + 1
    lengths = ends - starts
    if maxlen is None:
        maxlen = int(lengths.max(initial=0))
    kept = np.minimum(lengths, maxlen)
    first = ends - kept if truncating == "pre" else starts  # first kept position in ids
    column0 = maxlen - kept if padding == "pre" else np.zeros_like(kept)
    columns = np.arange(maxlen, dtype=np.int64)[None, :]
    out = np.zeros((n, maxlen), dtype=np.int32)
    rows = max(1, (1 << 22) // max(maxlen, 1))  # a few MB of temporaries at a time
    for low in range(0, n, rows):
        high = min(n, low + rows)
        position = columns - column0[low:high, None]  # index into the kept run
        valid = (position >= 0) & (position < kept[low:high, None])
        if len(ids):
            source = np.where(valid, first[low:high, None] + position, 0)
            out[low:high] = np.where(valid, ids[source], PAD)
    return out


def make_imdb(num_words: int = 10_000, maxlen: int = 200, padding: str = "pre",
              truncating: str = "pre", index_from: int = 3, val_fraction: float = 0.2,
              seed: int = 0) -> ArrayDataset:
    """The imported IMDB reviews as padded id arrays (binary task, 1 = positive).

    Validation is ``val_fraction`` of the 25,000 training reviews (shuffled with ``seed``);
    the 25,000 test reviews are in ``info["x_test"]``/``info["y_test"]``, for one final test
    (``test_accuracy``). With ``val_fraction=0`` the test set is the validation data, as in
    the Keras examples that pass ``validation_data=(x_test, y_test)``."""
    num_words = check_setting("num_words", num_words)
    maxlen = check_setting("maxlen", maxlen)
    index_from = check_setting("index_from", index_from)
    val_fraction = check_fraction("val_fraction", val_fraction)
    for name, value in (("padding", padding), ("truncating", truncating)):
        if value not in ("pre", "post"):
            raise DatasetError(f'{name} must be "pre" or "post", not {value!r}')
    corpus = load_corpus()
    settings = {"num_words": num_words, "maxlen": maxlen, "padding": padding,
                "truncating": truncating, "index_from": index_from}
    x = {split: encode(*corpus.split(split)[:2], **settings) for split in ("train", "test")}
    y = {split: corpus.split(split)[2].astype(np.int64) for split in ("train", "test")}
    rng = seeded_rng(seed)
    order = rng.permutation(len(y["train"]))
    x_train, y_train = x["train"][order], y["train"][order]
    if val_fraction > 0:
        n_val = min(max(1, round(len(x_train) * val_fraction)), len(x_train) - 1)
        x_val, y_val = x_train[-n_val:], y_train[-n_val:]
        x_train, y_train = x_train[:-n_val], y_train[:-n_val]
    else:
        x_val, y_val = x["test"], y["test"]
    info = {"time_steps": maxlen, "num_words": num_words, "x_test": x["test"],
            "y_test": y["test"], "test_is_validation": val_fraction == 0,
            "vocabulary": corpus.vocabulary(num_words, index_from), "settings": settings,
            "source": corpus.manifest.get("source", {})}
    return ArrayDataset("imdb", "binary", x_train, y_train, x_val, y_val, 2, info)


