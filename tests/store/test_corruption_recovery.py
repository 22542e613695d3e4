"""A damaged database is moved aside with a timestamp and a new one started from what it
still holds (tests/store/test_salvage.py): no crash loop."""

import os
import sqlite3

import pytest

from hafiza.store import open_store
from hafiza.store.db import open_database


def _damaged_home(hafiza_home):
    path = hafiza_home / "data" / "progress.db"
    store = open_store()
    store.progress.lesson_opened("sequences-rnn")
    for i in range(300):  # enough pages that a cut lands inside the tables
        store.progress.record_answer("sequences-rnn", f"q{i}", {"text": "x" * 200}, True)
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def _garbage(path):
    path.write_bytes(os.urandom(8192))


def _truncated(path):
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.truncate(size // 2)


def _header_only(path):
    data = path.read_bytes()
    path.write_bytes(data[:50])


def _scribbled_pages(path):
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 + 8: page * 4096 + 200] = os.urandom(192)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage, _truncated, _header_only, _scribbled_pages])
def test_damaged_database_is_moved_aside_and_a_fresh_one_started(hafiza_home, damage):
    path = _damaged_home(hafiza_home)
    damage(path)
    damaged_bytes = path.read_bytes()
    store = open_store()
    moved = store.db.recovered_from
    assert moved is not None and moved.name.startswith("progress.db.corrupt-")
    assert moved.read_bytes() == damaged_bytes  # kept for a rescue, not deleted
    assert store.db.integrity() == "ok"
    recovery = store.db.recovery  # what was salvaged is exactly what the new file holds
    assert len(store.progress.lessons()) == recovery.lessons
    assert len(store.progress.answers("sequences-rnn")) == recovery.answers
    store.progress.lesson_opened("language-models")
    store.close()
    # the next start is normal: nothing moved again
    again = open_store()
    assert again.db.recovered_from is None
    assert again.progress.last_opened() == "language-models"
    moved_files = {p.name.removesuffix("-wal").removesuffix("-shm")
                   for p in path.parent.glob("progress.db.corrupt-*")}
    assert moved_files == {moved.name}
    again.close()


def test_the_wal_beside_a_damaged_database_moves_aside_with_it(hafiza_home):
    """Kept for a rescue: SQLite would delete it when the last connection closes."""
    path = _damaged_home(hafiza_home)
    writer = open_store()
    writer.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
    for i in range(20):
        writer.progress.record_answer("language-models", f"w{i}", i, True)
    wal_bytes = path.with_name("progress.db-wal").read_bytes()
    snapshot = hafiza_home / "snapshot"
    snapshot.mkdir()
    for name in ("progress.db", "progress.db-wal"):  # the files as a crash would leave them
        (snapshot / name).write_bytes((path.parent / name).read_bytes())
    writer.close()
    _garbage(snapshot / "progress.db")
    store = open_store(snapshot / "progress.db")
    moved = store.db.recovered_from
    assert moved.with_name(moved.name + "-wal").read_bytes() == wal_bytes
    assert store.db.integrity() == "ok"


def test_recovery_gives_up_with_an_error_instead_of_looping(hafiza_home, monkeypatch):
    """If even a fresh file reads as damaged, the store reports it once and stops."""
    from hafiza.store import StoreError, db

    path = _damaged_home(hafiza_home)
    _garbage(path)
    calls = []

    def always_damaged(conn):
        calls.append(1)
        raise db._Damaged("simulated failing disk")

    monkeypatch.setattr(db, "_check", always_damaged)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert caught.value.reason == "io" and len(calls) == 1  # the garbage fails earlier


def test_integrity_of_an_independent_reader_after_recovery(hafiza_home):
    path = _damaged_home(hafiza_home)
    _truncated(path)
    open_store().close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
