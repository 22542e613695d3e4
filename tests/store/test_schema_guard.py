"""A copied progress.db holds exactly what Hafiza's migrations create: a trigger, a view or a
table of someone else's is dropped when the file is opened, and nothing from inside one
ever runs; missing tables are created again instead of failing every write later."""

import sqlite3

import pytest

from hafiza.store import errors, open_store, schema, transfer
from hafiza.store.db import open_database

WIPE = ("CREATE TRIGGER wipe AFTER INSERT ON quiz_answers "
        "BEGIN DELETE FROM lessons; DELETE FROM runs; END")


def _learner_file(path):
    """A real progress file with some history: two lessons and a run."""
    store = open_store(path)
    store.progress.lesson_opened("sequences-rnn")
    store.progress.lesson_opened("language-models")
    store.runs.create("mlp_xor", {"epochs": 3})
    store.close()
    return path


def _tamper(path, *statements):
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _objects(path):
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    conn.close()
    return set(rows)


def _expected():
    return {key for key in schema.reference().objects}


def test_a_trigger_in_a_copied_file_is_dropped_and_answering_deletes_nothing(tmp_path):
    path = _learner_file(tmp_path / "progress.db")
    _tamper(path, WIPE)
    store = open_store(path)
    store.progress.record_answer("sequences-rnn", "q1", "b", True)
    assert {lesson.lesson_id for lesson in store.progress.lessons()} == {
        "sequences-rnn", "language-models"}
    assert len(store.runs.list()) == 1
    assert store.db.schema_report.dropped == ["trigger wipe"]
    assert store.db.schema_report.reason == errors.FOREIGN_SCHEMA
    store.close()
    assert ("trigger", "wipe") not in _objects(path)


def test_every_foreign_object_goes_and_the_schema_is_exactly_the_migrations(tmp_path):
    path = _learner_file(tmp_path / "progress.db")
    _tamper(path,
            "CREATE VIEW everything AS SELECT * FROM lessons",
            "CREATE TABLE notes (x)",
            "CREATE INDEX lessons_by_count ON lessons (open_count)",
            "CREATE TRIGGER on_run AFTER UPDATE ON runs BEGIN DELETE FROM settings; END")
    store = open_store(path)
    assert sorted(store.db.schema_report.dropped) == [
        "index lessons_by_count", "table notes", "trigger on_run", "view everything"]
    store.close()
    assert _objects(path) == _expected()
    again = open_store(path)  # told once: the next start finds nothing to drop
    assert not again.db.schema_report.changed and again.db.schema_report.reason is None
    again.close()


def test_a_view_in_place_of_a_table_is_replaced_by_the_table(tmp_path):
    path = _learner_file(tmp_path / "progress.db")
    _tamper(path, "DROP TABLE window_state",
            "CREATE VIEW window_state AS SELECT 'geometry' AS key, x'00' AS data")
    store = open_store(path)
    assert "view window_state" in store.db.schema_report.dropped
    assert "table window_state" in store.db.schema_report.created
    store.prefs.set_window_state("geometry", b"\x01\x02")
    assert store.prefs.window_state("geometry") == b"\x01\x02"
    store.close()


def test_statements_from_a_trigger_are_refused_even_on_an_open_connection(tmp_path):
    """Belt and braces: a trigger added behind the store's back (another process) makes the
    write fail with a StoreError; it never deletes anything."""
    path = _learner_file(tmp_path / "progress.db")
    store = open_store(path)
    _tamper(path, WIPE)
    with pytest.raises(errors.StoreError):
        store.progress.record_answer("sequences-rnn", "q1", "b", True)
    assert len(store.progress.lessons()) == 2 and len(store.runs.list()) == 1
    store.close()


def test_connections_do_not_trust_the_schema(tmp_path):
    store = open_store(tmp_path / "progress.db")
    assert store.db.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    store.close()


def test_runs_still_cascade_to_their_curves(tmp_path):
    """The authorizer refuses triggers, not foreign-key actions."""
    store = open_store(tmp_path / "progress.db")
    run = store.runs.create("mlp_xor", {})
    store.runs.append_points(run.id, [{"step": 1, "loss": 0.5}])
    store.runs.delete(run.id)
    assert store.db.query_one("SELECT COUNT(*) FROM run_points")[0] == 0
    store.close()


@pytest.mark.parametrize("missing", ["runs", "quiz_answers", "settings"])
def test_missing_tables_are_created_again_and_said(tmp_path, missing):
    path = _learner_file(tmp_path / "progress.db")
    _tamper(path, "PRAGMA foreign_keys = OFF", f"DROP TABLE {missing}")
    store = open_store(path)
    assert f"table {missing}" in store.db.schema_report.created
    assert store.db.schema_report.reason == errors.MISSING_SCHEMA
    store.progress.record_answer("sequences-rnn", "q1", "a", False)
    store.runs.create("mlp_xor", {})
    store.prefs.set("theme", "dark")
    store.close()
    assert _objects(path) == _expected()


def test_a_missing_index_is_created_again(tmp_path):
    path = _learner_file(tmp_path / "progress.db")
    _tamper(path, "DROP INDEX quiz_answers_by_lesson")
    store = open_store(path)
    assert store.db.schema_report.created == ["index quiz_answers_by_lesson"]
    store.close()


def test_a_table_with_other_columns_makes_the_file_salvaged(tmp_path):
    path = _learner_file(tmp_path / "progress.db")
    _tamper(path, "ALTER TABLE lessons ADD COLUMN payload TEXT")
    store = open_store(path)
    assert store.db.recovered_from is not None
    assert {lesson.lesson_id for lesson in store.progress.lessons()} == {
        "sequences-rnn", "language-models"}
    assert store.db.recovery.lessons == 2 and store.db.recovery.runs == 1
    store.close()


def test_an_unversioned_file_full_of_tables_is_emptied_then_migrated(tmp_path):
    path = tmp_path / "progress.db"
    _tamper(path, "CREATE TABLE lessons (x)", "CREATE TABLE loot (y)",
            "CREATE TRIGGER t AFTER INSERT ON loot BEGIN DELETE FROM lessons; END")
    store = open_store(path)
    assert sorted(store.db.schema_report.dropped) == ["table lessons", "table loot",
                                                      "trigger t"]
    store.progress.lesson_opened("sequences-rnn")
    store.close()
    assert _objects(path) == _expected()


def test_a_database_given_as_a_progress_file_is_refused(tmp_path):
    """Progress travels only as JSON in a zip: a database (triggers and all) is not read."""
    path = _learner_file(tmp_path / "theirs.db")
    _tamper(path, WIPE)
    store = open_store(tmp_path / "mine.db")
    with pytest.raises(errors.TransferError) as caught:
        transfer.import_progress(store, path)
    assert caught.value.reason == errors.NOT_AN_EXPORT
    store.close()


def test_a_trigger_in_a_read_only_file_is_dropped_from_what_is_shown(tmp_path, monkeypatch):
    from hafiza.store import db as store_db

    path = _learner_file(tmp_path / "progress.db")
    _tamper(path, WIPE)

    def refuse_writes(conn, wal):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_db, "_prepare", refuse_writes)
    database = open_database(path)
    assert database.holding and database.schema_report.dropped == ["trigger wipe"]
    assert ("trigger", "wipe") not in {
        tuple(row) for row in database.conn.execute("SELECT type, name FROM sqlite_master")}
    database.close()


def test_peeking_at_a_setting_runs_nothing_from_the_file(tmp_path):
    """A second copy of the app reads the language straight from the file: a view in place
    of the settings table is not trusted to call anything."""
    from hafiza.store.preferences import peek_setting

    path = tmp_path / "progress.db"
    _tamper(path, "CREATE VIEW settings AS SELECT 'language' AS key, '\"fa\"' AS value")
    assert peek_setting(path, "language") is None  # refused, read as "not known"
