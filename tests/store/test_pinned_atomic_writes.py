"""Writes of several statements are all or nothing: a failure between two statements (or in
the middle of a batch) leaves the database exactly as it was, to the store's own connection
and to an independent reader, and the store keeps working afterwards.

The failure is planted by wrapping the store's sqlite3 connection: the statement the test
names raises instead of running, after the earlier statements of the same write have run.
"""

import sqlite3

import pytest

from hafiza.store import open_store, transfer


class PlantedFailure(Exception):
    """Stands for anything going wrong mid-write: a full disk, a bug, a KeyboardInterrupt."""


class FailingConnection:
    """The store's connection, except that the first statement starting with `fail_at`
    raises. `executemany` runs its rows one by one and fails half way, so that part of the
    batch has been written when it fails."""

    def __init__(self, conn: sqlite3.Connection, fail_at: str):
        self.conn = conn
        self.fail_at = fail_at
        self.failed = False
        self.statements = 0  # statements run before the failure

    def _due(self, sql: str) -> bool:
        return not self.failed and sql.lstrip().upper().startswith(self.fail_at.upper())

    def execute(self, sql, params=()):
        if self._due(sql):
            self.failed = True
            raise PlantedFailure(sql)
        self.statements += 1
        return self.conn.execute(sql, params)

    def executemany(self, sql, rows):
        rows = list(rows)
        if not self._due(sql):
            self.statements += 1
            return self.conn.executemany(sql, rows)
        assert len(rows) >= 2, "the batch must be long enough to fail half way"
        for row in rows[: len(rows) // 2]:
            self.conn.execute(sql, row)
        self.failed = True
        raise PlantedFailure(sql)

    def __getattr__(self, name):
        return getattr(self.conn, name)


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {table: sorted(tuple(row) for row in conn.execute(f"SELECT * FROM {table}"))
            for table in tables}


def independent_dump(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return dump(conn)
    finally:
        conn.close()


@pytest.fixture
def store(hafiza_home):
    opened = open_store()
    yield opened
    opened.close()


def fill(store):
    store.prefs.set("language", "fa")
    store.progress.lesson_opened("sequences-rnn")
    store.progress.set_position("sequences-rnn", 0.25)
    store.progress.record_answer("sequences-rnn", "q1", {"choice": 1}, True)
    run = store.runs.create("xor-mlp", {"epochs": 2})
    store.runs.append_points(run.id, [{"step": 1, "epoch": 1, "loss": 0.9},
                                      {"step": 2, "epoch": 2, "loss": 0.7}])
    store.runs.finish(run.id, "finished", {"loss": 0.9})
    return run


def fail_during(store, fail_at, write):
    """Runs `write()` with the failure planted; checks nothing changed; returns the
    failing connection for further checks."""
    real = store.db.conn
    before = dump(real)
    assert before == independent_dump(store.db.path)
    failing = FailingConnection(real, fail_at)
    store.db.conn = failing
    try:
        with pytest.raises(PlantedFailure):
            write()
    finally:
        store.db.conn = real
    assert failing.failed and failing.statements >= 2  # BEGIN and at least one write ran
    assert not real.in_transaction  # rolled back, not left open
    assert dump(real) == before
    assert independent_dump(store.db.path) == before
    return failing


def test_completing_a_lesson_is_one_write(store):
    fill(store)
    # INSERT the lesson's row, then UPDATE its completion: fail at the UPDATE
    fail_during(store, "UPDATE lessons", lambda: store.progress.mark_completed("lstm-gates"))
    assert store.progress.lesson("lstm-gates") is None
    assert store.progress.mark_completed("lstm-gates") is True  # the store still works


def test_a_batch_of_points_is_stored_whole_or_not_at_all(store):
    run = fill(store)
    points = [{"step": step, "epoch": 1, "loss": 1 / step, "accuracy": 0.5}
              for step in range(2, 22)]
    fail_during(store, "INSERT INTO run_points",
                lambda: store.runs.append_points(run.id, points))
    assert store.runs.curves(run.id) == {"loss": [(1, 0.9), (2, 0.7)]}
    assert store.runs.append_points(run.id, points) == 40  # steps 2-21: step 2 replaced
    assert len(store.runs.curves(run.id)["loss"]) == 21


def _export_with_a_model(tmp_path):
    """An export from another computer: lessons, an answer, a run with points and a model."""
    torch = pytest.importorskip("torch")
    from hafiza.engine.checkpoints import save_checkpoint
    from hafiza.engine.models import build_model

    source = open_store(tmp_path / "elsewhere" / "progress.db")
    try:
        run = fill(source)
        source.progress.lesson_opened("language-models")
        torch.manual_seed(0)
        path = source.runs.model_path(run)
        save_checkpoint(path, build_model(["Dense(1, sigmoid)"], (2,)))
        source.runs.finish(run.id, "finished", {"loss": 0.5}, checkpoint=path)
        target = tmp_path / "progress.hafiza-progress"
        transfer.export_progress(source, target)
    finally:
        source.close()
    return target


def test_an_import_that_fails_half_way_merges_nothing_and_leaves_no_model(store, tmp_path):
    exported = _export_with_a_model(tmp_path)
    store.progress.lesson_opened("neurons-activations")
    # settings, lessons and answers come first, then each run: its model file is copied,
    # then its row written. Fail at that row.
    failing = fail_during(store, "INSERT INTO runs",
                          lambda: transfer.import_progress(store, exported, "merge"))
    assert failing.statements > 4  # it did fail in the middle, not at the start
    assert [lesson.lesson_id for lesson in store.progress.lessons()] == ["neurons-activations"]
    models = store.runs.models_folder
    assert not models.exists() or list(models.iterdir()) == []  # the copied model is gone
    summary = transfer.import_progress(store, exported, "merge")  # and works after
    assert (summary.runs, summary.models, summary.lessons) == (1, 1, 2)
    assert store.runs.list()[0].checkpoint.is_file()


def test_a_replacing_import_that_fails_half_way_deletes_nothing(store, tmp_path):
    exported = _export_with_a_model(tmp_path)
    fill(store)
    store.progress.lesson_opened("only-here")
    # replace deletes every table first; the points come last: fail half way through them
    fail_during(store, "INSERT INTO run_points",
                lambda: transfer.import_progress(store, exported, "replace"))
    assert store.progress.lesson("only-here") is not None
    assert len(store.runs.list()) == 1
