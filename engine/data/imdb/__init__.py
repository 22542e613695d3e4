"""The Large Movie Review Dataset (IMDB, Maas et al. 2011), imported once and used offline.

A learner brings the data in one of the forms people have (``import_imdb`` tells them apart):

- the official archive ``aclImdb_v1.tar.gz`` (streamed: the review files go straight into the
  parser, nothing is extracted; links, unsafe names, oversized or truncated archives are
  refused),
- the extracted ``aclImdb`` folder,
- Kaggle's ``IMDB Dataset.csv`` (50,000 rows, columns review and sentiment; no split, so the
  first half trains and the second half tests),
- Keras' ``imdb.npz`` (word ranks), with ``imdb_word_index.json`` beside it when present.
  Its arrays of lists are pickled; they are decoded here as data only (no pickle module,
  nothing is ever called), and ``np.load`` is only ever used with ``allow_pickle=False``.

Preprocessing is the lesson's: lower-case, ``<br />`` removed, punctuation dropped, words
ranked by frequency in the training reviews (rank 1 = most frequent, ties in order of first
appearance). The tokenised corpus is cached as arrays in the user data folder
(``datasets/imdb``: ``corpus.npz``, ``texts.npz``, ``manifest.json``), so the next start
takes seconds; the cache is rebuilt when its source file changes. ``num_words``,
``index_from`` and padding are applied when the data set is built (``make_imdb``), as in
Keras' ``imdb.load_data``: id 0 pads, 1 starts a review, 2 is out of vocabulary, and a word
of rank r gets id r + 3.

``download_archive`` fetches the official archive over HTTP with progress, cancel and
resume (a ``.part`` file and a Range request). Qt-free: the UI runs all of this in a worker.
"""

from __future__ import annotations

from hafiza.engine.data.imdb.cache import (  # noqa: F401
    ImportReport,
    cache_state,
    default_cache_dir,
    import_imdb,
    load_corpus,
    read_manifest,
    source_signature,
    write_cache,
)
from hafiza.engine.data.imdb.common import (  # noqa: F401
    ARCHIVE_NAME,
    CACHE_VERSION,
    CORRUPT,
    CSV_NAME,
    DOWNLOAD,
    HOME_PAGE,
    KERAS_NPZ,
    KERAS_WORD_INDEX,
    MAX_EXPANSION,
    MAX_MAXLEN,
    MAX_MEMBERS,
    MAX_NPY_BYTES,
    MAX_REVIEW_BYTES,
    MAX_REVIEWS,
    MAX_SOURCE_BYTES,
    MAX_TEXT_BYTES,
    MAX_TOTAL_BYTES,
    MAX_WORDS,
    NOT_IMDB,
    NOT_IMPORTED,
    OFFICIAL_MD5,
    OFFICIAL_SIZE,
    OFFICIAL_URL,
    OOV,
    PAD,
    PREPROCESSING,
    RESERVED,
    START,
    TOKENIZER,
    TOO_LARGE,
    UNSAFE,
    Cancelled,
    ImdbCancelled,
    ImdbError,
    Progress,
)
from hafiza.engine.data.imdb.corpus import (  # noqa: F401
    Corpus,
    RawReviews,
    build_corpus,
    readable,
    tokenize_review,
)
from hafiza.engine.data.imdb.dataset import (  # noqa: F401
    encode,
    make_imdb,
)
from hafiza.engine.data.imdb.download import (  # noqa: F401
    default_download_path,
    download_archive,
    partial_download,
)
from hafiza.engine.data.imdb.keras_npz import (  # noqa: F401
    read_keras_npz,
)
from hafiza.engine.data.imdb.sources import (  # noqa: F401
    detect_format,
    extract_archive,
    iter_archive_reviews,
    iter_folder_reviews,
    read_csv_reviews,
)
