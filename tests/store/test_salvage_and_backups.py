"""A damaged database is salvaged row by row (or replaced by a backup holding more), and
automatic backups are taken, kept, listed and restored."""

import os
import sqlite3

import pytest

from hafiza.store import backups, errors, open_store, salvage


def _history(path, answers=300):
    store = open_store(path)
    store.progress.lesson_opened("sequences-rnn")
    store.progress.lesson_opened("language-models")
    for i in range(answers):  # enough pages that a cut lands inside the tables
        store.progress.record_answer("sequences-rnn", f"q{i}", {"text": "x" * 200}, True)
    run = store.runs.create("mlp_xor", {"epochs": 2})
    store.runs.append_points(run.id, [{"step": 1, "loss": 0.5}])
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store


def _truncate_to_half(path):
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def test_a_truncated_file_gives_back_what_it_still_holds(tmp_path):
    path = tmp_path / "progress.db"
    _history(path).close()
    _truncate_to_half(path)
    store = open_store(path)
    recovery = store.db.recovery
    assert recovery.source == salvage.SALVAGED
    assert recovery.lessons == 2 and 0 < recovery.answers < 300
    answers = store.progress.answers("sequences-rnn")
    assert len(answers) == recovery.answers
    # what came back is the learner's own, value for value: the first answers, in order
    assert [a.quiz_id for a in answers] == [f"q{i}" for i in range(len(answers))]
    assert all(a.answer == {"text": "x" * 200} for a in answers)
    assert store.db.integrity() == "ok"
    store.close()


def test_a_damaged_page_in_the_middle_costs_only_its_rows(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path)
    root = store.db.query_one(
        "SELECT rootpage FROM sqlite_master WHERE name = 'quiz_answers'")[0]
    leaves = [row[0] for row in store.db.query(
        "SELECT pageno FROM dbstat WHERE name = 'quiz_answers' AND pagetype = 'leaf'")] \
        if _has_dbstat(store) else []
    store.close()
    if not leaves:
        pytest.skip("this SQLite has no dbstat table to find a leaf page")
    victim = leaves[len(leaves) // 2]
    assert victim != root
    with path.open("r+b") as file:
        file.seek((victim - 1) * 4096)
        file.write(b"\xff" * 4096)
    again = open_store(path)
    recovered = again.db.recovery.answers
    ids = {int(a.quiz_id[1:]) for a in again.progress.answers("sequences-rnn")}
    assert 200 < recovered < 300  # one leaf's rows are lost, the rest on both sides kept
    assert 0 in ids and 299 in ids
    assert again.db.recovery.runs == 1 and again.runs.curves(1) == {"loss": [(1, 0.5)]}
    again.close()


def _has_dbstat(store):
    try:
        store.db.query("SELECT 1 FROM dbstat LIMIT 1")
    except errors.StoreError:
        return False
    return True


def test_a_backup_holding_more_than_the_salvage_is_used(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path, answers=20)
    taken = backups.take_automatic(store.db)
    store.close()
    path.write_bytes(os.urandom(8192))  # nothing to salvage
    again = open_store(path)
    recovery = again.db.recovery
    assert recovery.source == salvage.FROM_BACKUP and recovery.backup == taken
    assert (recovery.lessons, recovery.answers, recovery.runs) == (2, 20, 1)
    assert len(again.progress.answers("sequences-rnn")) == 20
    again.close()


def test_nothing_readable_and_no_backup_starts_empty_and_says_so(tmp_path):
    path = tmp_path / "progress.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    store = open_store(path)
    assert store.db.recovery.source == salvage.NOTHING and store.db.recovery.total == 0
    assert store.db.recovered_from.is_file()
    store.close()


def test_automatic_backups_once_a_day_the_last_five_kept(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path, answers=3)
    first = backups.take_automatic(store.db)
    assert first is not None and first.parent == path.parent / "backups"
    assert backups.take_automatic(store.db) is None  # not due again the same day
    old = first.stat().st_mtime - 2 * 24 * 3600
    os.utime(first, (old, old))
    assert backups.take_automatic(store.db) is not None  # the newest is two days old
    for _ in range(6):
        backups.take_automatic(store.db, every_s=0)
    kept = sorted((path.parent / "backups").glob("progress-auto-*.db"))
    assert len(kept) == backups.KEEP_AUTOMATIC and first not in kept
    assert not list((path.parent / "backups").glob("*.partial"))
    store.close()


def test_backups_are_listed_newest_first_with_their_counts(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path, answers=3)
    older = backups.take_automatic(store.db)
    os.utime(older, (older.stat().st_mtime - 3600,) * 2)
    store.progress.record_answer("language-models", "q1", 1, True)
    newer = backups.take_automatic(store.db, every_s=0)
    (path.parent / "backups" / "progress-auto-broken.db").write_bytes(b"not a database")
    listed = backups.list_backups(path)
    assert [info.path for info in listed] == [newer, older]  # the broken one is left out
    assert (listed[0].lessons, listed[0].answers, listed[0].runs) == (2, 4, 1)
    assert listed[0].taken_at > listed[1].taken_at
    store.close()


def test_restoring_a_backup_keeps_the_current_progress_first(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path, answers=3)
    taken = backups.take_automatic(store.db)
    store.progress.lesson_opened("neurons-activations")
    before = backups.restore(store.db, taken)
    assert {lesson.lesson_id for lesson in store.progress.lessons()} == {
        "sequences-rnn", "language-models"}
    kept = backups.inspect(before)
    assert kept.lessons == 3  # the replaced progress is itself a backup
    store.progress.record_answer("sequences-rnn", "after", 1, True)  # the store works on
    store.close()


def test_a_restored_backup_with_a_trigger_is_cleaned(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path, answers=3)
    taken = backups.take_automatic(store.db)
    conn = sqlite3.connect(taken)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON quiz_answers "
                 "BEGIN DELETE FROM lessons; DELETE FROM runs; END")
    conn.commit()
    conn.close()
    backups.restore(store.db, taken)
    assert store.db.schema_report.dropped == ["trigger wipe"]
    store.progress.record_answer("sequences-rnn", "q9", 1, True)
    assert len(store.progress.lessons()) == 2 and len(store.runs.list()) == 1
    store.close()


def test_a_backup_from_before_a_migration_is_migrated_when_restored(tmp_path):
    from hafiza.store import migrations
    from hafiza.store.db import Database

    old = tmp_path / "backups" / "progress-v1-20250101T000000000000.db"
    old.parent.mkdir()
    conn = sqlite3.connect(old, isolation_level=None)
    legacy = Database(conn, None)
    migrations.migrate(legacy, target=1)
    conn.execute("INSERT INTO lessons (lesson_id, opened_at, completed, position) "
                 "VALUES ('sequences-rnn', '2024-01-01T00:00:00Z', 1, 0.5)")
    conn.close()
    store = open_store(tmp_path / "progress.db")
    backups.restore(store.db, old)
    assert store.db.schema_version == migrations.LATEST
    assert store.progress.completed_lessons() == {"sequences-rnn"}
    store.close()


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "progress.db"
    store = _history(path, answers=3)
    broken = tmp_path / "broken.db"
    broken.write_bytes(os.urandom(4096))
    with pytest.raises(errors.StoreError) as caught:
        backups.restore(store.db, broken)
    assert caught.value.reason == errors.CORRUPT
    assert len(store.progress.lessons()) == 2
    store.close()
