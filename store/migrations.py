"""The schema, as a chain of migrations: version N is reached by running step N on N-1.

`PRAGMA user_version` holds the version. Each step runs in one transaction together with
the version bump, so a kill during a migration leaves the previous version intact. Before
migrating an existing database, `store.db` takes a backup with SQLite's backup API.
A fresh database runs every step from 0, so the chain itself is exercised on every start.

To change the schema: add a step, bump LATEST, and add a test that builds the previous
version by hand and checks the data after migrating (tests/store/test_migrations.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hafiza.store.db import Database


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Runs `;`-separated statements one by one: `executescript` would COMMIT first and
    break the migration's transaction."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    """The first schema: settings as text, one row per lesson, quiz answers without ids."""
    _script(
        conn,
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE lessons (
            lesson_id TEXT PRIMARY KEY,
            opened_at TEXT,
            completed INTEGER NOT NULL DEFAULT 0,
            position REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE quiz_answers (
            lesson_id TEXT, quiz_id TEXT, answer TEXT, correct INTEGER, answered_at TEXT
        );
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    """JSON settings, window state apart, lesson timestamps, answer ids, runs and curves."""
    _script(
        conn,
        """
        CREATE TABLE settings_v2 (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE window_state (key TEXT PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE lessons_v2 (
            lesson_id TEXT PRIMARY KEY,
            first_opened_at TEXT,
            last_opened_at TEXT,
            open_count INTEGER NOT NULL DEFAULT 0,
            completed_at TEXT,
            position REAL NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 1),
            position_at TEXT
        );
        CREATE TABLE quiz_answers_v2 (
            id INTEGER PRIMARY KEY,
            lesson_id TEXT NOT NULL,
            quiz_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            answered_at TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            exercise_id TEXT NOT NULL,
            lesson_id TEXT,
            settings TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('running', 'finished', 'stopped', 'failed', 'interrupted')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            final_metrics TEXT,
            checkpoint TEXT,
            failure TEXT
        );
        CREATE INDEX runs_by_exercise ON runs (exercise_id, started_at);
        CREATE TABLE run_points (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            step INTEGER NOT NULL,
            epoch INTEGER,
            value REAL,
            PRIMARY KEY (run_id, metric, step)
        ) WITHOUT ROWID;
        """
    )
    for key, value in conn.execute("SELECT key, value FROM settings").fetchall():
        if value is None:
            continue
        if key == "font_size":
            try:
                value = int(value)
            except ValueError:
                continue
        conn.execute("INSERT INTO settings_v2 VALUES (?, ?)", (key, json.dumps(value)))
    conn.execute(
        """
        INSERT INTO lessons_v2 (lesson_id, first_opened_at, last_opened_at, open_count,
                                completed_at, position, position_at)
        SELECT lesson_id, opened_at, opened_at, CASE WHEN opened_at IS NULL THEN 0 ELSE 1 END,
               CASE WHEN completed THEN COALESCE(opened_at, '') END,
               MIN(MAX(COALESCE(position, 0), 0), 1), opened_at
        FROM lessons WHERE lesson_id IS NOT NULL
        """
    )
    conn.execute(
        """
        INSERT INTO quiz_answers_v2 (lesson_id, quiz_id, answer, correct, answered_at)
        SELECT lesson_id, quiz_id, COALESCE(answer, 'null'), CASE WHEN correct THEN 1 ELSE 0 END,
               COALESCE(answered_at, '')
        FROM quiz_answers WHERE lesson_id IS NOT NULL AND quiz_id IS NOT NULL
        ORDER BY rowid
        """
    )
    _script(
        conn,
        """
        DROP TABLE settings;
        DROP TABLE lessons;
        DROP TABLE quiz_answers;
        ALTER TABLE settings_v2 RENAME TO settings;
        ALTER TABLE lessons_v2 RENAME TO lessons;
        ALTER TABLE quiz_answers_v2 RENAME TO quiz_answers;
        CREATE INDEX quiz_answers_by_lesson ON quiz_answers (lesson_id, quiz_id, id);
        """
    )


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2}
LATEST = max(STEPS)


def migrate(db: Database, target: int = LATEST) -> int:
    """Runs the missing steps up to `target`, each in its own transaction."""
    version = db.schema_version
    while version < target:
        step = STEPS[version + 1]
        with db.transaction() as conn:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        version += 1
    return version
