"""A read-only or full disk never hides the learner's history: the file is read, what they
do is held in memory, written back as soon as the file allows it, and exported meanwhile."""

import json
import os
import sqlite3
import zipfile

import pytest

from hafiza.store import cli, errors, held, open_store, open_store_or_memory, transfer


def _history(path):
    store = open_store(path)
    store.progress.lesson_opened("sequences-rnn")
    store.progress.record_answer("sequences-rnn", "q1", "b", True)
    store.runs.create("mlp_xor", {"epochs": 2})
    store.close()


def test_a_read_only_file_shows_the_history_and_says_read_only(tmp_path, read_only_writes):
    path = tmp_path / "progress.db"
    _history(path)
    read_only_writes.refuse()
    store = open_store_or_memory(path)
    assert store.db.holding and store.problem.reason == errors.READ_ONLY
    assert [lesson.lesson_id for lesson in store.progress.lessons()] == ["sequences-rnn"]
    assert len(store.runs.list()) == 1 and store.progress.score("sequences-rnn").correct == 1
    store.close()


def test_changes_are_held_then_written_when_the_file_allows_it(tmp_path, read_only_writes):
    path = tmp_path / "progress.db"
    _history(path)
    read_only_writes.refuse()
    store = open_store(path)
    store.db.write_back_every_s = 0  # try at every write (the app waits between tries)
    store.progress.set_position("sequences-rnn", 0.4)
    store.progress.record_answer("sequences-rnn", "q2", "c", False)
    run = store.runs.create("mlp_xor", {"epochs": 5})
    assert store.db.holding and store.progress.position("sequences-rnn") == 0.4
    read_only_writes.allow()  # the disk is writable again
    store.progress.lesson_opened("language-models")
    assert store.db.persistent and store.problem is None
    store.close()
    again = open_store(path)
    assert again.progress.position("sequences-rnn") == 0.4
    assert {a.quiz_id for a in again.progress.answers("sequences-rnn")} == {"q1", "q2"}
    assert again.runs.get(run.id).settings == {"epochs": 5}
    assert again.progress.last_opened() == "language-models"
    again.close()


def test_a_full_disk_mid_session_holds_the_change_and_writes_it_back(tmp_path):
    """SQLite's page limit raises the same SQLITE_FULL a full disk does."""
    path = tmp_path / "progress.db"
    _history(path)
    store = open_store(path)
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
    answers = [f"q{i}" for i in range(60)]
    for quiz in answers:  # the disk fills up on the way: every answer is kept all the same
        store.db.write(lambda q=quiz: store.progress.record_answer(
            "sequences-rnn", q, "x" * 2000, True))
    assert store.db.holding and store.problem.reason == errors.DISK_FULL
    assert len(store.progress.answers("sequences-rnn")) == 61
    assert store.db.try_write_back(force=True)  # a new connection has no page limit
    store.close()
    again = open_store(path)
    assert len(again.progress.answers("sequences-rnn")) == 61
    assert again.db.integrity() == "ok"
    again.close()


def test_a_write_that_fails_for_another_reason_is_not_held(tmp_path):
    store = open_store(tmp_path / "progress.db")

    def busy():
        raise errors.StoreError(errors.BUSY, "simulated")

    with pytest.raises(errors.StoreError):
        store.db.write(busy)
    assert store.db.persistent and not store.db.holding
    store.close()


def test_export_works_from_a_read_only_database(tmp_path, read_only_writes, monkeypatch,
                                               capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("HAFIZA_HOME", str(home))
    _history(home / "data" / "progress.db")
    read_only_writes.refuse()
    target = tmp_path / "out.hafiza-progress"
    assert cli.main(["export", str(target)]) == 0
    out = capsys.readouterr()
    assert "exported 1 lessons, 1 quiz answers, 1 runs" in out.out
    assert "cannot be written (read_only)" in out.err
    with zipfile.ZipFile(target) as archive:
        data = json.loads(archive.read("progress.json"))
    assert [lesson["lesson_id"] for lesson in data["lessons"]] == ["sequences-rnn"]
    assert cli.main(["import", str(target)]) == 1  # nothing can be imported into it
    assert "nothing was imported" in capsys.readouterr().err


def test_an_immutable_copy_with_a_wal_beside_it_is_never_written_back(tmp_path, monkeypatch):
    """Only `immutable` could read it, so its -wal was not read: writing back would lose it."""
    path = tmp_path / "progress.db"
    _history(path)
    Path = type(path)
    Path(str(path) + "-wal").write_bytes(b"\x00" * 32)
    real_connect = held.schema.connect

    def no_read_only_mode(target, uri=False):
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, uri)

    monkeypatch.setattr(held.schema, "connect", no_read_only_mode)
    memory, complete = held.copy_of_file(path)
    assert not complete
    assert memory.execute("SELECT COUNT(*) FROM lessons").fetchone()[0] == 1
    memory.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod")
def test_a_chmod_read_only_folder_shows_the_history(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    _history(folder / "progress.db")
    os.chmod(folder / "progress.db", 0o444)
    os.chmod(folder, 0o555)
    try:
        store = open_store_or_memory(folder / "progress.db")
        assert store.db.holding and store.problem.reason == errors.READ_ONLY
        assert store.progress.last_opened() == "sequences-rnn"
        store.close()
    finally:
        os.chmod(folder, 0o755)


def test_export_from_a_held_store_includes_what_is_only_in_memory(tmp_path, read_only_writes):
    path = tmp_path / "progress.db"
    _history(path)
    read_only_writes.refuse()
    store = open_store(path)
    store.progress.lesson_opened("language-models")  # not on the disk, only in memory
    summary = transfer.export_progress(store, tmp_path / "out.zip", include_models=False)
    assert summary.lessons == 2
    store.close()
