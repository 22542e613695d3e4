"""IMDB import: every source format built here in its official layout, hostile and damaged
files refused, the cache and its invalidation, Keras' id layout and the exercises."""

from __future__ import annotations

import csv
import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hafiza.engine import builtin_exercises
from hafiza.engine.data import DatasetError, get_dataset, imdb
from hafiza.engine.text import pad_sequences

# (split, polarity, id, rating, text): a few reviews in the official naming id_rating.txt.
REVIEWS = [
    ("train", "neg", 0, 2, "A dull film.<br /><br />Bad acting, bad plot. Bad!"),
    ("train", "neg", 1, 1, "Terrible. I didn't like the film at all; bad."),
    ("train", "neg", 10, 3, "Boring and bad, the plot is dull."),
    ("train", "pos", 0, 9, "A great film! Great acting and a great plot.<br />Loved it."),
    ("train", "pos", 2, 10, "Wonderful film, I loved the acting."),
    ("train", "pos", 3, 8, "Great fun, don't miss it."),
    ("test", "neg", 0, 1, "Bad film, dull acting."),
    ("test", "neg", 5, 4, "Not good: boring and weird."),
    ("test", "pos", 0, 10, "Great, wonderful acting."),
    ("test", "pos", 7, 9, "I loved this film, superb."),
]


def _member_name(split, polarity, review_id, rating):
    return f"aclImdb/{split}/{polarity}/{review_id}_{rating}.txt"


def _add_bytes(tar, name, data, **attrs):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attrs.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data))


def make_archive(path: Path, reviews=REVIEWS, extra=None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for folder in ("aclImdb", "aclImdb/train", "aclImdb/test"):
            info = tarfile.TarInfo(folder)
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            tar.addfile(info)
        _add_bytes(tar, "aclImdb/README", b"Large Movie Review Dataset v1.0\n")
        _add_bytes(tar, "aclImdb/imdb.vocab", b"the\nand\n")
        _add_bytes(tar, "aclImdb/train/urls_pos.txt", b"http://www.imdb.com/title/tt1/\n")
        for split, polarity, review_id, rating, text in reviews:
            _add_bytes(tar, _member_name(split, polarity, review_id, rating),
                       text.encode("utf-8"))
        if extra:
            extra(tar)
    return path


def make_folder(root: Path, reviews=REVIEWS) -> Path:
    for split, polarity, review_id, rating, text in reviews:
        file = root / _member_name(split, polarity, review_id, rating)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return root / "aclImdb"


def make_csv(path: Path, reviews=REVIEWS) -> Path:
    # Kaggle's CSV has no split: its first half trains, its second half tests.
    ordered = sorted(reviews, key=lambda r: (r[0] != "train", r[1] != "neg", r[2]))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["review", "sentiment"])
        for _, polarity, _, _, text in ordered:
            writer.writerow([text, "positive" if polarity == "pos" else "negative"])
    return path


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def test_tokenize_review_is_the_lessons_preprocessing():
    assert imdb.tokenize_review("Great FILM!<br /><br />I didn't like 'it'.") == [
        "great", "film", "i", "didn't", "like", "it"]
    assert imdb.tokenize_review("footage\x97all, it\u00b4s  \t x") == [
        "footage", "all", "it's", "x"]


def test_archive_import_streams_reviews_into_the_cache(tmp_path, cache):
    archive = make_archive(tmp_path / imdb.ARCHIVE_NAME)
    seen = []
    report = imdb.import_imdb(archive, cache_dir=cache, progress=lambda f, p: seen.append(f))
    assert (report.format, report.n_train, report.n_test) == ("archive", 6, 4)
    assert not report.official and report.md5 == imdb.common._md5_of(archive)
    assert any("not the official" in note for note in report.notes)
    assert seen[-1] == 1.0
    assert sorted(p.name for p in cache.iterdir()) == ["corpus.npz", "manifest.json",
                                                       "texts.npz"]
    manifest = json.loads((cache / "manifest.json").read_text())
    assert manifest["source"]["size"] == archive.stat().st_size
    assert manifest["source"]["md5"] == report.md5
    assert manifest["preprocessing"]["lowercase"] is True
    assert manifest["counts"]["train_positive"] == 3
    corpus = imdb.load_corpus(cache)
    # Sorted negative first, then by id; "bad" is the most frequent training word.
    assert corpus.train_labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert corpus.words[0] == "bad"
    assert corpus.review_text("train", 0).startswith("A dull film.<br />")
    first = [corpus.words[r - 1] for r in corpus.review_ranks("train", 0)]
    assert first == imdb.tokenize_review(REVIEWS[0][4])
    # Words seen only in the test reviews still decode.
    assert "superb" in corpus.words


def test_folder_and_archive_give_the_same_corpus(tmp_path):
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"), cache_dir=tmp_path / "c1")
    folder = make_folder(tmp_path / "extracted")
    report = imdb.import_imdb(folder, cache_dir=tmp_path / "c2")
    assert report.format == "folder" and report.md5 is None
    # The parent of aclImdb is accepted too.
    imdb.import_imdb(folder.parent, cache_dir=tmp_path / "c3")
    a, b, c = (imdb.load_corpus(tmp_path / name) for name in ("c1", "c2", "c3"))
    for key in ("train_ranks", "train_offsets", "train_labels", "test_ranks", "test_labels"):
        assert np.array_equal(getattr(a, key), getattr(b, key))
        assert np.array_equal(getattr(a, key), getattr(c, key))
    assert a.words == b.words == c.words


def test_csv_import_splits_in_half(tmp_path, cache):
    report = imdb.import_imdb(make_csv(tmp_path / imdb.CSV_NAME), cache_dir=cache)
    assert (report.format, report.n_train, report.n_test) == ("csv", 5, 5)
    assert any("no split" in note for note in report.notes)
    corpus = imdb.load_corpus(cache)
    assert corpus.train_labels.tolist() == [0, 0, 0, 1, 1]
    assert corpus.review_text("test", 4) == "I loved this film, superb."


def test_csv_without_the_columns_is_not_imdb(tmp_path, cache):
    path = tmp_path / "other.csv"
    path.write_text("text,label\nhello,1\n")
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(path, cache_dir=cache)
    assert error.value.reason == imdb.NOT_IMDB
    assert not cache.exists()


def _keras_like(tmp_path: Path, padded: bool = False) -> Path:
    train = [[1, 14, 22], [5, 2], [3, 3, 3, 9]]
    test = [[7], [1, 2, 3]]
    arrays = {"y_train": np.array([1, 0, 1]), "y_test": np.array([0, 1])}
    if padded:
        arrays["x_train"] = pad_sequences(train, 4)
        arrays["x_test"] = pad_sequences(test, 4)
    else:  # Keras' own layout: object arrays of lists (pickled inside the npz)
        arrays["x_train"] = np.array([list(r) for r in train], dtype=object)
        arrays["x_test"] = np.array([list(r) for r in test], dtype=object)
    path = tmp_path / imdb.KERAS_NPZ
    np.savez(path, **arrays)
    return path


def test_keras_npz_is_read_without_unpickling(tmp_path, cache):
    path = _keras_like(tmp_path)
    (tmp_path / imdb.KERAS_WORD_INDEX).write_text(json.dumps(
        {"the": 1, "and": 2, "a": 3, "film": 5, "great": 7, "bad": 9, "good": 14, "plot": 22}))
    report = imdb.import_imdb(path, cache_dir=cache)
    assert (report.format, report.n_train, report.n_test) == ("npz", 3, 2)
    corpus = imdb.load_corpus(cache)
    assert corpus.review_ranks("train", 0).tolist() == [1, 14, 22]
    assert corpus.review_text("train", 0) is None  # the npz has no texts
    ids = imdb.encode(corpus.train_ranks, corpus.train_offsets, num_words=20, maxlen=5)
    # Keras: start 1, word rank r -> r + 3, ids >= num_words -> 2, padded "pre".
    assert ids[0].tolist() == [0, 1, 4, 17, 2]
    vocabulary = corpus.vocabulary(num_words=20)
    assert vocabulary.decode(ids[0], skip_padding=True) == ["<start>", "the", "good", "<oov>"]


def test_keras_npz_without_word_index_and_padded(tmp_path, cache):
    report = imdb.import_imdb(_keras_like(tmp_path, padded=True), cache_dir=cache)
    assert any("no word index" in note for note in report.notes)
    corpus = imdb.load_corpus(cache)
    assert corpus.review_ranks("train", 2).tolist() == [3, 3, 3, 9]
    assert corpus.words[8] == "<#9>"


def _npy_object_member(payload: bytes) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    return buffer.getvalue() + payload


def test_keras_npz_asking_to_run_code_is_refused(tmp_path, cache):
    # A pickle that would call os.system("touch pwned") if it were unpickled.
    hostile = b"\x80\x02cos\nsystem\nq\x00X\x0b\x00\x00\x00touch pwnedq\x01\x85q\x02Rq\x03."
    path = tmp_path / "imdb.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x_train.npy", _npy_object_member(hostile))
        for key in ("y_train", "x_test", "y_test"):
            buffer = io.BytesIO()
            np.save(buffer, np.array([1]))
            archive.writestr(f"{key}.npy", buffer.getvalue())
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(imdb.ImdbError) as error:
            imdb.import_imdb(path, cache_dir=cache)
    finally:
        os.chdir(cwd)
    assert error.value.reason == imdb.UNSAFE
    assert not (tmp_path / "pwned").exists()
    assert imdb.cache_state(cache) == "missing"


def test_npz_with_other_members_or_damage_is_refused(tmp_path, cache):
    path = tmp_path / "imdb.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../x_train.npy", b"x")
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(path, cache_dir=cache)
    assert error.value.reason == imdb.UNSAFE
    good = _keras_like(tmp_path)
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(good, cache_dir=cache)
    assert error.value.reason == imdb.CORRUPT


def _traversal(tar):
    _add_bytes(tar, "aclImdb/../../evil.txt", b"owned")


def _absolute(tar):
    _add_bytes(tar, "/tmp/evil.txt", b"owned")


def _symlink(tar):
    info = tarfile.TarInfo("aclImdb/train/pos/99_10.txt")
    info.type = tarfile.SYMTYPE
    info.linkname = "/etc/passwd"
    tar.addfile(info)


def _hardlink(tar):
    info = tarfile.TarInfo("aclImdb/train/pos/98_10.txt")
    info.type = tarfile.LNKTYPE
    info.linkname = "aclImdb/README"
    tar.addfile(info)


def _device(tar):
    info = tarfile.TarInfo("aclImdb/dev")
    info.type = tarfile.CHRTYPE
    tar.addfile(info)


@pytest.mark.parametrize("extra", [_traversal, _absolute, _symlink, _hardlink, _device])
def test_hostile_archives_are_refused(tmp_path, cache, extra):
    imdb.import_imdb(make_archive(tmp_path / "good.tar.gz"), cache_dir=cache)
    before = (cache / "corpus.npz").read_bytes()
    archive = make_archive(tmp_path / "bad.tar.gz", extra=extra)
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(archive, cache_dir=cache)
    assert error.value.reason == imdb.UNSAFE
    assert (cache / "corpus.npz").read_bytes() == before  # the old cache is kept
    with pytest.raises(imdb.ImdbError):
        imdb.extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()
    assert not any(p.is_symlink() for p in (tmp_path / "out").rglob("*"))


def test_truncated_and_garbage_archives_are_corrupt(tmp_path, cache):
    archive = make_archive(tmp_path / "a.tar.gz")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(archive, cache_dir=cache)
    assert error.value.reason == imdb.CORRUPT
    garbage = tmp_path / "b.tar.gz"
    garbage.write_bytes(b"\x1f\x8b" + os.urandom(2000))
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(garbage, cache_dir=cache)
    assert error.value.reason == imdb.CORRUPT
    assert imdb.cache_state(cache) == "missing"


def test_archive_without_reviews_and_oversized_reviews(tmp_path, cache, monkeypatch):
    empty = make_archive(tmp_path / "empty.tar.gz", reviews=[])
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(empty, cache_dir=cache)
    assert error.value.reason == imdb.NOT_IMDB
    monkeypatch.setattr(imdb.sources, "MAX_REVIEW_BYTES", 20)
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(make_archive(tmp_path / "big.tar.gz"), cache_dir=cache)
    assert error.value.reason == imdb.TOO_LARGE


def test_folder_with_a_symlinked_review_is_refused(tmp_path, cache):
    folder = make_folder(tmp_path / "x")
    (folder / "train" / "pos" / "50_10.txt").symlink_to("/etc/hostname")
    with pytest.raises(imdb.ImdbError) as error:
        imdb.import_imdb(folder, cache_dir=cache)
    assert error.value.reason == imdb.UNSAFE


def test_extract_archive_writes_only_reviews_inside(tmp_path):
    out = tmp_path / "out"
    written = imdb.extract_archive(make_archive(tmp_path / "a.tar.gz"), out)
    assert written == len(REVIEWS) + 1  # reviews and README
    assert (out / "aclImdb" / "train" / "pos" / "0_9.txt").is_file()
    assert not (out / "aclImdb" / "imdb.vocab").exists()


def test_cancel_keeps_the_previous_cache(tmp_path, cache):
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"), cache_dir=cache)
    with pytest.raises(imdb.ImdbCancelled):
        imdb.import_imdb(make_csv(tmp_path / "b.csv"), cache_dir=cache,
                         cancelled=lambda: True)
    assert imdb.read_manifest(cache)["source"]["format"] == "archive"


def test_cache_is_rebuilt_when_the_source_changes(tmp_path, cache):
    archive = make_archive(tmp_path / "a.tar.gz")
    imdb.import_imdb(archive, cache_dir=cache)
    assert imdb.cache_state(cache) == "fresh"
    more = REVIEWS + [("train", "pos", 11, 9, "Superb and great.")]
    make_archive(archive, reviews=more)
    os.utime(archive, ns=(1, 1))
    assert imdb.cache_state(cache) == "stale"
    corpus = imdb.load_corpus(cache)  # re-imported from the changed archive
    assert corpus.size("train") == 7
    assert imdb.cache_state(cache) == "fresh"
    archive.unlink()  # the download may go once imported: the cache stays usable
    assert imdb.cache_state(cache) == "fresh"
    assert imdb.load_corpus(cache).size("train") == 7


def test_cache_is_stale_after_a_preprocessing_change(tmp_path, cache, monkeypatch):
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"), cache_dir=cache)
    monkeypatch.setattr(imdb.cache, "PREPROCESSING", {**imdb.PREPROCESSING, "tokenizer": "v2"})
    assert imdb.cache_state(cache) == "stale"


def test_folder_source_change_is_seen(tmp_path, cache):
    folder = make_folder(tmp_path / "x")
    imdb.import_imdb(folder, cache_dir=cache)
    assert imdb.cache_state(cache) == "fresh"
    (folder / "test" / "neg" / "9_2.txt").write_text("Awful.")
    assert imdb.cache_state(cache) == "stale"
    assert imdb.load_corpus(cache).size("test") == 5


def test_damaged_cache_says_import_again(tmp_path, cache):
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"), cache_dir=cache)
    (cache / "corpus.npz").write_bytes(b"not a zip")
    with pytest.raises(imdb.ImdbError) as error:
        imdb.load_corpus(cache)
    assert error.value.reason == imdb.NOT_IMPORTED


def test_dataset_not_imported_is_a_clear_dataset_error(hafiza_home):
    with pytest.raises(DatasetError) as error:
        get_dataset("imdb")
    assert error.value.reason == imdb.NOT_IMPORTED
    assert "not been imported" in str(error.value)


def test_the_data_says_whether_it_must_be_imported_and_whether_it_is(hafiza_home, tmp_path):
    from hafiza.engine.data import is_imported, needs_import

    assert needs_import("imdb") and not is_imported("imdb")
    assert not needs_import("xor") and is_imported("xor")
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"))
    assert is_imported("imdb")
    data = get_dataset("imdb", maxlen=12, val_fraction=0.5)
    assert data.has_test_set and len(data.test_set[1]) == 4
    assert data.vocabulary is not None and data.vocabulary.decode([1])  # words, not ids
    assert not get_dataset("xor").has_test_set and get_dataset("xor").vocabulary is None


def test_dataset_from_the_cache(hafiza_home, tmp_path):
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"))
    assert (hafiza_home / "data" / "datasets" / "imdb" / "manifest.json").exists()
    data = get_dataset("imdb", num_words=12, maxlen=6, val_fraction=0.0)
    assert data.task == "binary" and data.x_train.shape == (6, 6)
    assert data.x_val.shape == (4, 6) and np.array_equal(data.x_val, data.info["x_test"])
    assert data.x_train.max() < 12 and data.y_train.dtype == np.int64
    assert sorted(data.y_train.tolist()) == [0, 0, 0, 1, 1, 1]
    post = get_dataset("imdb", maxlen=40, padding="post", val_fraction=0.5)
    assert len(post.x_train) == 3 and len(post.x_val) == 3
    assert (post.x_train[:, 0] == imdb.START).all()  # start first, padding after
    words = post.info["vocabulary"].decode(post.info["x_test"][3], skip_padding=True)
    assert words == ["<start>"] + imdb.tokenize_review(REVIEWS[9][4])
    with pytest.raises(DatasetError):
        get_dataset("imdb", padding="middle")
    with pytest.raises(DatasetError):
        get_dataset("imdb", maxlen=0)


@settings(max_examples=60, deadline=None)
@given(reviews=st.lists(st.lists(st.integers(1, 40), max_size=12), min_size=1, max_size=6),
       num_words=st.integers(4, 45), maxlen=st.integers(1, 15),
       padding=st.sampled_from(["pre", "post"]), truncating=st.sampled_from(["pre", "post"]))
def test_encode_matches_keras_load_data_and_pad_sequences(reviews, num_words, maxlen, padding,
                                                          truncating):
    ranks = np.array([r for review in reviews for r in review], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in reviews])]).astype(np.int64)
    got = imdb.encode(ranks, offsets, num_words=num_words, maxlen=maxlen, padding=padding,
                      truncating=truncating)
    keras = [[1] + [r + 3 if r + 3 < num_words else 2 for r in review] for review in reviews]
    expected = pad_sequences(keras, maxlen, padding=padding, truncating=truncating)
    assert np.array_equal(got, expected)


def test_exercises_validate():
    from hafiza.engine.exercises import validate_exercise

    assert list(builtin_exercises.IMDB_EXERCISES) == ["imdb", "imdb_simplernn", "imdb_gru_pooling",
                                         "imdb_bag_bigrams", "imdb_nbsvm"]
    for exercise in builtin_exercises.IMDB_EXERCISES.values():
        checked = validate_exercise(exercise)
        assert checked["dataset"]["name"] == "imdb"
    lesson = builtin_exercises.IMDB_EXERCISES["imdb"]
    assert lesson["model"] == ["Embedding(vocab_size, 32)", "Dropout(0.5)", "LSTM(64)",
                               "Dropout(0.5)", "Dense(1, sigmoid)"]
    assert lesson["dataset"]["num_words"] == 10000


def test_exercises_train_on_a_tiny_import(hafiza_home, tmp_path):
    from hafiza.engine.events import Finished, Tested
    from hafiza.engine.exercises import apply_overrides, prepare
    from hafiza.engine.train import predict

    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"))
    for exercise in builtin_exercises.IMDB_EXERCISES.values():
        run = prepare(apply_overrides(exercise, {"epochs": 1, "dataset.maxlen": 12}))
        events = list(run.fit())
        # The run finishes, then is scored once on the 4 held-out test reviews.
        assert isinstance(events[-2], Finished), events[-2]
        assert isinstance(events[-1], Tested) and events[-1].count == 4
        x_test, y_test = run.data.test_set
        expected = ((predict(run.model, x_test).reshape(-1) >= 0.5) == (y_test == 1)).mean()
        assert events[-1].accuracy == pytest.approx(expected)


def test_the_command_line_reports_test_accuracy(hafiza_home, tmp_path):
    """The held-out test set is scored by the engine, so the command line says it too."""
    import io

    from hafiza.engine import cli

    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"))
    out = io.StringIO()
    code = cli.main(["train", "imdb_bag_bigrams", "--set", "epochs=1", "--set",
                     "dataset.maxlen=12"], out=out)
    lines = out.getvalue().splitlines()
    # Trained; whether one epoch on four reviews meets the goal is not this test's question.
    assert code in (cli.EXIT_OK, cli.EXIT_GOAL_NOT_MET)
    tested = [line for line in lines if line.startswith("Test accuracy: ")]
    assert len(tested) == 1 and tested[0].endswith(" on 4 held-out samples")
    assert 0 <= float(tested[0].split()[2]) <= 1


def test_encode_in_chunks_matches_pad_sequences():
    rng = np.random.default_rng(0)
    reviews = [rng.integers(1, 50, size=rng.integers(0, 40)).tolist() for _ in range(2000)]
    ranks = np.array([r for review in reviews for r in review], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in reviews])]).astype(np.int64)
    got = imdb.encode(ranks, offsets, num_words=30, maxlen=3000)  # 1398 rows per chunk
    keras = [[1] + [r + 3 if r + 3 < 30 else 2 for r in review] for review in reviews]
    assert np.array_equal(got, pad_sequences(keras, 3000))
