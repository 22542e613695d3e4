"""The cache in the user's data folder (``datasets/imdb``) and ``import_imdb``, which
fills it from any of the sources."""

from __future__ import annotations

import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hafiza.engine.data.imdb.common import (
    CACHE_VERSION,
    NOT_IMPORTED,
    OFFICIAL_MD5,
    PREPROCESSING,
    Cancelled,
    ImdbError,
    Progress,
    _check_cancel,
    _never,
    _quiet,
)
from hafiza.engine.data.imdb.corpus import (
    Corpus,
    build_corpus,
)
from hafiza.engine.data.imdb.keras_npz import (
    read_keras_npz,
)
from hafiza.engine.data.imdb.sources import (
    _collect,
    _folder_files,
    _folder_root,
    detect_format,
    iter_archive_reviews,
    iter_folder_reviews,
    read_csv_reviews,
)
from hafiza.engine.files import PARTIAL_SUFFIX, atomic_write, sweep_partial


def default_cache_dir() -> Path:
    from hafiza.paths import data_dir

    return data_dir() / "datasets" / "imdb"


def source_signature(path: Path) -> dict:
    """What says whether the source changed: size and modification time (for a folder, the
    number of review files, their total size and the latest time)."""
    path = Path(path).resolve()
    if path.is_dir():
        files = _folder_files(_folder_root(path))
        stats = [file.stat() for *_, file in files]
        return {"path": str(path), "kind": "folder", "files": len(files),
                "size": sum(s.st_size for s in stats),
                "mtime_ns": max((s.st_mtime_ns for s in stats), default=0)}
    stat = path.stat()
    return {"path": str(path), "kind": "file", "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns}


# Files written before the engine's shared rule (engine.files) ended so; swept as well.
OLD_PARTIAL_SUFFIX = ".tmp"


def _atomic_savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    atomic_write(path, lambda file: np.savez(file, **arrays))


def sweep_partial_files(cache_dir: Path | None = None) -> int:
    """Removes the cache files an interrupted import left half-written; returns how many."""
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return sweep_partial(cache_dir, (PARTIAL_SUFFIX, OLD_PARTIAL_SUFFIX))


def write_cache(corpus: Corpus, texts: dict[str, np.ndarray] | None, manifest: dict,
                cache_dir: Path) -> None:
    """corpus.npz + texts.npz, then manifest.json last: a cache without a manifest (a crash
    halfway) is not a cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    sweep_partial_files(cache_dir)
    (cache_dir / "manifest.json").unlink(missing_ok=True)
    words = "\n".join(corpus.words).encode("utf-8")
    arrays = {key: getattr(corpus, key) for key in (
        "train_ranks", "train_offsets", "train_labels", "test_ranks", "test_offsets",
        "test_labels")}
    arrays["words"] = np.frombuffer(words, dtype=np.uint8)
    _atomic_savez(cache_dir / "corpus.npz", arrays)
    if texts:
        _atomic_savez(cache_dir / "texts.npz", texts)
    else:
        (cache_dir / "texts.npz").unlink(missing_ok=True)
    text = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
    atomic_write(cache_dir / "manifest.json", lambda file: file.write(text))


def read_manifest(cache_dir: Path | None = None) -> dict | None:
    path = (cache_dir or default_cache_dir()) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != CACHE_VERSION:
        return None
    return manifest


def cache_state(cache_dir: Path | None = None) -> str:
    """"missing", "fresh", or "stale" (the source file is still there and has changed, or the
    cache was made with other preprocessing). A source that has gone away leaves the cache
    fresh: the learner may delete the download once imported."""
    cache_dir = cache_dir or default_cache_dir()
    manifest = read_manifest(cache_dir)
    if manifest is None or not (cache_dir / "corpus.npz").exists():
        return "missing"
    if manifest.get("preprocessing") != PREPROCESSING:
        return "stale"
    source = manifest.get("source", {})
    path = Path(source.get("path", ""))
    if not source.get("path") or not path.exists():
        return "fresh"
    try:
        now = source_signature(path)
    except (OSError, ImdbError):
        return "fresh"
    keys = ("size", "mtime_ns", "files")
    return "fresh" if all(now.get(k) == source.get(k) for k in keys) else "stale"


def load_corpus(cache_dir: Path | None = None, *, rebuild_if_stale: bool = True,
                progress: Progress = _quiet, cancelled: Cancelled = _never) -> Corpus:
    """The cached corpus; re-imported from its source first when that changed."""
    cache_dir = cache_dir or default_cache_dir()
    state = cache_state(cache_dir)
    if state == "stale" and rebuild_if_stale:
        manifest = read_manifest(cache_dir) or {}
        source = manifest.get("source", {})
        import_imdb(Path(source["path"]), cache_dir=cache_dir, progress=progress,
                    cancelled=cancelled,
                    word_index_path=source.get("word_index_path") and
                    Path(source["word_index_path"]))
        state = cache_state(cache_dir)
    if state == "missing":
        raise ImdbError(NOT_IMPORTED, "the IMDB reviews have not been imported yet")
    manifest = read_manifest(cache_dir)
    try:
        with np.load(cache_dir / "corpus.npz", allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        words = bytes(arrays.pop("words")).decode("utf-8").split("\n")
        corpus = Corpus(words=words, manifest=manifest, cache_dir=cache_dir, **arrays)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise ImdbError(NOT_IMPORTED, f"the imported data is damaged ({error}); "
                        "import it again") from None
    for split in ("train", "test"):
        ranks, offsets, labels = corpus.split(split)
        if len(offsets) != len(labels) + 1 or offsets[-1] != len(ranks):
            raise ImdbError(NOT_IMPORTED, "the imported data is damaged; import it again")
    return corpus


@dataclass
class ImportReport:
    format: str
    n_train: int
    n_test: int
    seconds: float
    md5: str | None
    official: bool  # the archive's checksum is the official one
    notes: list[str]
    cache_dir: Path


def import_imdb(source: Path, *, cache_dir: Path | None = None, progress: Progress = _quiet,
                cancelled: Cancelled = _never,
                word_index_path: Path | None = None) -> ImportReport:
    """Reads any supported source, tokenises it and writes the cache. Raises ImdbError (with
    a reason) or ImdbCancelled; the previous cache is kept until the new one is complete."""
    start = time.monotonic()
    source = Path(source)
    cache_dir = cache_dir or default_cache_dir()
    kind = detect_format(source)
    info: dict[str, Any] = {}
    notes: list[str] = []
    texts: dict[str, np.ndarray] | None = None

    def reading(fraction: float, phase: str) -> None:
        progress(0.5 * fraction, phase)

    def parsing(fraction: float, phase: str) -> None:
        progress(0.5 + 0.45 * fraction, phase)

    if kind == "npz":
        corpus = read_keras_npz(source, word_index_path, progress, cancelled, info)
        if "word_index" not in info:
            notes.append("no word index: words show as their rank numbers")
    else:
        if kind == "archive":
            raw = _collect(iter_archive_reviews(source, reading, cancelled, info), source.name)
        elif kind == "folder":
            raw = _collect(iter_folder_reviews(source, reading, cancelled), str(source))
        else:
            raw = read_csv_reviews(source, reading, cancelled, info)
            notes.append("the CSV has no split: its first half trains, its second half tests")
        corpus, texts = build_corpus(raw, parsing, cancelled)
    md5 = info.get("md5")
    official = md5 == OFFICIAL_MD5
    if kind == "archive" and not official:
        notes.append(f"checksum {md5} is not the official one ({OFFICIAL_MD5}); the archive "
                     "has the official layout, so it is accepted")
    _check_cancel(cancelled)
    progress(0.96, "save")
    signature = source_signature(source)
    signature.update(format=kind, md5=md5, official=official)
    if word_index_path is not None:
        signature["word_index_path"] = str(Path(word_index_path).resolve())
    manifest = {
        "version": CACHE_VERSION,
        "source": signature,
        "preprocessing": PREPROCESSING,
        "counts": {"train": corpus.size("train"), "test": corpus.size("test"),
                   "words": len(corpus.words),
                   "train_positive": int(corpus.train_labels.sum()),
                   "test_positive": int(corpus.test_labels.sum())},
        "has_texts": texts is not None,
        "notes": notes,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    write_cache(corpus, texts, manifest, cache_dir)
    progress(1.0, "done")
    return ImportReport(kind, corpus.size("train"), corpus.size("test"),
                        time.monotonic() - start, md5, official, notes, cache_dir)


