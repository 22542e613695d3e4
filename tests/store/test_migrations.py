"""Migrating an older schema keeps the data and leaves a backup taken before it."""

import json
import sqlite3

import pytest

from hafiza.store import StoreError, errors, migrations, open_store
from hafiza.store.db import open_database

V1_SCHEMA = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE lessons (lesson_id TEXT PRIMARY KEY, opened_at TEXT,
                      completed INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL DEFAULT 0);
CREATE TABLE quiz_answers (lesson_id TEXT, quiz_id TEXT, answer TEXT, correct INTEGER,
                           answered_at TEXT);
PRAGMA user_version = 1;
"""


def build_v1(path):
    """A version-1 database as the first release wrote it, built by hand."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.executemany("INSERT INTO settings VALUES (?, ?)",
                     [("language", "ary"), ("theme", "dark"), ("font_size", "14"),
                      ("last_lesson", "sequences-rnn")])
    conn.executemany("INSERT INTO lessons VALUES (?, ?, ?, ?)", [
        ("neurons-activations", "2025-01-02T10:00:00.000Z", 1, 1.0),
        ("sequences-rnn", "2025-01-05T09:30:00.000Z", 0, 0.35),
    ])
    conn.executemany("INSERT INTO quiz_answers VALUES (?, ?, ?, ?, ?)", [
        ("neurons-activations", "q1", '{"choice": 2}', 0, "2025-01-02T10:05:00.000Z"),
        ("neurons-activations", "q1", '{"choice": 1}', 1, "2025-01-02T10:06:00.000Z"),
        ("sequences-rnn", "q-order", '["x", "h"]', 1, "2025-01-05T09:40:00.000Z"),
    ])
    conn.commit()
    conn.close()


def test_v1_database_is_migrated_with_its_data_and_a_backup(hafiza_home):
    path = hafiza_home / "data" / "progress.db"
    path.parent.mkdir(parents=True)
    build_v1(path)
    store = open_store()
    assert store.db.schema_version == migrations.LATEST == 2
    assert store.db.integrity() == "ok"
    assert store.prefs.all() == {"language": "ary", "theme": "dark", "font_size": 14,
                                 "last_lesson": "sequences-rnn"}
    done = store.progress.lesson("neurons-activations")
    assert done.completed and done.position == 1.0 and done.open_count == 1
    reading = store.progress.lesson("sequences-rnn")
    assert not reading.completed and reading.position == pytest.approx(0.35)
    assert reading.first_opened_at == "2025-01-05T09:30:00.000Z"
    answers = store.progress.answers("neurons-activations")
    assert [(a.answer, a.correct) for a in answers] == [({"choice": 2}, False),
                                                        ({"choice": 1}, True)]
    assert store.progress.score("neurons-activations").correct == 1
    # the new tables work
    run = store.runs.create("xor-mlp", {"lr": 0.1})
    store.runs.append_points(run.id, [{"step": 1, "loss": 0.5}])

    # the backup is the untouched v1 file, written with the backup API before migrating
    (backup,) = store.db.backups
    assert backup.parent == path.parent / "backups" and "-v1-" in backup.name
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert old.execute("SELECT COUNT(*) FROM quiz_answers").fetchone()[0] == 3
    assert old.execute("SELECT value FROM settings WHERE key='font_size'").fetchone()[0] == "14"
    old.close()
    store.close()

    # opening again does not migrate or back up again
    again = open_store()
    assert again.db.backups == [] and again.progress.lesson("sequences-rnn") == reading
    again.close()


def test_a_failed_migration_step_leaves_the_old_version_intact(hafiza_home, monkeypatch):
    path = hafiza_home / "data" / "progress.db"
    path.parent.mkdir(parents=True)
    build_v1(path)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut in the middle of the step")

    monkeypatch.setitem(migrations.STEPS, 2, broken)
    with pytest.raises(RuntimeError):
        open_database(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables and "lessons" in tables
    conn.close()
    monkeypatch.undo()
    assert open_store(path).db.schema_version == 2


def test_a_database_from_a_newer_version_is_left_untouched(hafiza_home):
    path = hafiza_home / "data" / "progress.db"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store()
    assert caught.value.reason == errors.NEWER_SCHEMA
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.corrupt-*"))  # not mistaken for damage


def test_old_backups_are_pruned(hafiza_home):
    path = hafiza_home / "data" / "progress.db"
    path.parent.mkdir(parents=True)
    for _ in range(7):
        path.unlink(missing_ok=True)
        build_v1(path)
        open_store().close()
    assert len(list((path.parent / "backups").glob("*.db"))) == 5
    assert json.loads(open_store().db.query_one(
        "SELECT value FROM settings WHERE key='language'")[0]) == "ary"
