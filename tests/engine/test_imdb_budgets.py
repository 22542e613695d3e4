"""A small IMDB file must not take gigabytes: reviews, their text, their words, the bytes an
archive unpacks to and the arrays of an npz are all counted while reading, and past their
budget the import stops with TOO_LARGE, keeping the previous cache. (The budgets are lowered
here so that the hostile files the tests build stay small.)"""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

from hafiza.engine.data import imdb
from hafiza.engine.data.imdb import cache as imdb_cache
from hafiza.engine.data.imdb import common, corpus, keras_npz, sources


def _add(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _archive(path: Path, per_split: int = 2, text: bytes = b"A good film.", extra=None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for split in ("train", "test"):
            for polarity in ("neg", "pos"):
                for n in range(per_split):
                    _add(tar, f"aclImdb/{split}/{polarity}/{n}_7.txt", text)
        if extra:
            extra(tar)
    return path


def _refused(source: Path, cache: Path) -> imdb.ImdbError:
    with pytest.raises(imdb.ImdbError) as caught:
        imdb.import_imdb(source, cache_dir=cache)
    assert not (cache / "manifest.json").exists()
    return caught.value


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def test_a_small_archive_still_imports(tmp_path, cache):
    report = imdb.import_imdb(_archive(tmp_path / "a.tar.gz"), cache_dir=cache)
    assert (report.n_train, report.n_test) == (4, 4)


def test_review_text_past_its_budget_is_refused(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(common, "MAX_TEXT_BYTES", 10_000)
    source = _archive(tmp_path / "a.tar.gz", per_split=5, text=b"word " * 300)
    error = _refused(source, cache)
    assert error.reason == imdb.TOO_LARGE and "review text" in error.detail


def test_more_reviews_than_the_budget_are_refused(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(common, "MAX_REVIEWS", 5)
    error = _refused(_archive(tmp_path / "a.tar.gz", per_split=2), cache)
    assert error.reason == imdb.TOO_LARGE and "more than 5 reviews" in error.detail


def test_an_archive_unpacking_past_its_expansion_is_refused(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(sources, "EXPANSION_FLOOR", 1 << 20)
    source = _archive(tmp_path / "bomb.tar.gz",
                      extra=lambda tar: _add(tar, "aclImdb/zeros.bin", bytes(8 << 20)))
    assert source.stat().st_size < 100_000
    error = _refused(source, cache)
    assert error.reason == imdb.TOO_LARGE and "unpacks to more than" in error.detail


def test_extracting_a_bomb_stops_too(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "EXPANSION_FLOOR", 1 << 20)
    source = _archive(tmp_path / "bomb.tar.gz",
                      extra=lambda tar: _add(tar, "aclImdb/train/pos/99_9.txt", bytes(200_000)
                                             ) or _add(tar, "aclImdb/z.bin", bytes(8 << 20)))
    with pytest.raises(imdb.ImdbError) as caught:
        imdb.extract_archive(source, tmp_path / "out")
    assert caught.value.reason == imdb.TOO_LARGE


def test_one_review_larger_than_any_real_one_is_refused(tmp_path, cache):
    source = _archive(tmp_path / "a.tar.gz", text=b"a " * (common.MAX_REVIEW_BYTES // 2 + 1))
    assert _refused(source, cache).reason == imdb.TOO_LARGE


def test_words_past_their_budget_are_refused(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(corpus, "MAX_WORDS", 50)
    source = _archive(tmp_path / "a.tar.gz", per_split=2, text=b"ab " * 10)
    error = _refused(source, cache)
    assert error.reason == imdb.TOO_LARGE and "words" in error.detail


def test_csv_and_folder_sources_count_their_text_too(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(common, "MAX_TEXT_BYTES", 5_000)
    csv_file = tmp_path / "IMDB Dataset.csv"
    csv_file.write_text("review,sentiment\n" + "".join(
        f"{'word ' * 100},{'positive' if n % 2 else 'negative'}\n" for n in range(20)))
    assert _refused(csv_file, cache).reason == imdb.TOO_LARGE
    folder = tmp_path / "aclImdb"
    for split in ("train", "test"):
        for polarity in ("neg", "pos"):
            (folder / split / polarity).mkdir(parents=True)
            for n in range(5):
                (folder / split / polarity / f"{n}_7.txt").write_text("word " * 100)
    assert _refused(folder, cache).reason == imdb.TOO_LARGE


# --- Keras' npz -------------------------------------------------------------------------------

def _npy(array: np.ndarray | None = None, *, shape=None, dtype="<i8", body: bytes = b"") -> bytes:
    """An npy file; with ``shape`` its header claims that shape whatever ``body`` holds."""
    stream = io.BytesIO()
    if array is not None:
        np.lib.format.write_array(stream, array, allow_pickle=True)
        return stream.getvalue()
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(stream, header)
    return stream.getvalue() + body


def _npz(path: Path, **members: bytes) -> Path:
    arrays = {"x_train": _npy(np.array([[1, 2, 3], [4, 5]], dtype=object)),
              "y_train": _npy(np.array([0, 1])),
              "x_test": _npy(np.array([[1, 2], [3]], dtype=object)),
              "y_test": _npy(np.array([1, 0])), **members}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, data in arrays.items():
            archive.writestr(f"{key}.npy", data)
    return path


def test_a_small_npz_still_imports(tmp_path, cache):
    report = imdb.import_imdb(_npz(tmp_path / "imdb.npz"), cache_dir=cache)
    assert (report.format, report.n_train, report.n_test) == ("npz", 2, 2)


def test_an_npz_claiming_a_huge_array_is_refused_from_its_header(tmp_path, cache, monkeypatch):
    read = []
    real = keras_npz.CheckedZip.read_member
    monkeypatch.setattr(keras_npz.CheckedZip, "read_member",
                        lambda self, name, cap=None: read.append(name) or real(self, name, cap))
    source = _npz(tmp_path / "imdb.npz", x_train=_npy(shape=(25_000, 10**9)))
    error = _refused(source, cache)
    assert error.reason == imdb.TOO_LARGE and "x_train.npy" not in read


def test_an_npz_member_unpacking_past_its_header_is_refused(tmp_path, cache):
    bomb = _npy(shape=(2,), body=bytes(32 << 20))  # two numbers claimed, 32 MB of zeros
    source = _npz(tmp_path / "imdb.npz", y_train=bomb)
    assert source.stat().st_size < 200_000
    assert _refused(source, cache).reason == imdb.TOO_LARGE


def test_an_object_array_of_too_many_words_is_refused(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(keras_npz, "MAX_WORDS", 20)
    monkeypatch.setattr(keras_npz, "MAX_REVIEWS", 1)
    long_review = np.empty(1, dtype=object)
    long_review[0] = list(range(1, 200))
    source = _npz(tmp_path / "imdb.npz", x_train=_npy(long_review))
    assert _refused(source, cache).reason == imdb.TOO_LARGE


@pytest.mark.parametrize("member", [
    {"y_train": _npy(np.array([0, 1], dtype=object))},  # labels as objects
    {"x_train": _npy(np.array([[0.5, 1.5], [2.0, 3.0]]))},  # words as real numbers
    {"x_train": _npy(np.zeros((2, 2, 2), dtype=np.int64))},  # a cube of words
])
def test_arrays_of_the_wrong_kind_are_refused_from_their_header(tmp_path, cache, member):
    assert _refused(_npz(tmp_path / "imdb.npz", **member), cache).reason == imdb.NOT_IMDB


def test_an_npz_with_more_reviews_than_the_budget_is_refused(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(keras_npz, "MAX_REVIEWS", 1)
    assert _refused(_npz(tmp_path / "imdb.npz"), cache).reason == imdb.TOO_LARGE


# --- the cache's own files --------------------------------------------------------------------

def test_an_interrupted_cache_write_leaves_nothing_the_next_import_keeps(tmp_path, cache):
    cache.mkdir()
    (cache / "corpus.npz.tmp").write_bytes(b"half")
    (cache / "texts.npz.tmp").write_bytes(b"half")
    assert imdb_cache.sweep_partial_files(cache) == 2
    (cache / "corpus.npz.tmp").write_bytes(b"half")
    imdb.import_imdb(_archive(tmp_path / "a.tar.gz"), cache_dir=cache)
    assert sorted(p.name for p in cache.iterdir()) == ["corpus.npz", "manifest.json",
                                                       "texts.npz"]


def test_a_failed_cache_write_keeps_no_temporary_file(tmp_path, monkeypatch):
    def dies(file, **arrays):
        file.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(imdb_cache.np, "savez", dies)
    with pytest.raises(OSError):
        imdb_cache._atomic_savez(tmp_path / "corpus.npz", {"a": np.zeros(2)})
    assert list(tmp_path.iterdir()) == []
