"""What a progress database may hold: exactly the objects Hafiza's migrations create.

A `progress.db` copied from someone else can carry triggers, views or tables of its own: a
trigger that deletes every lesson when a quiz is answered runs with Hafiza's writes. So
every connection is opened hardened (`harden`: `trusted_schema=OFF`, and an authorizer that
refuses any statement run from inside a trigger or a view, which Hafiza never creates), and
every database is compared, when it is opened, with a reference built by running the
migrations in memory (`sanitize`): what the migrations did not create is dropped and
logged, what they create but is missing is created again from the reference, and a table
whose columns differ is reported so the file can be salvaged instead of trusted.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from hafiza.store import errors, migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# The tables a learner's history lives in, as named by the latest migration.
HISTORY_TABLES = ("settings", "window_state", "lessons", "quiz_answers", "runs", "run_points")


def _deny_inside_triggers_and_views(_action, _arg1, _arg2, _database, inner) -> int:
    """sqlite3 authorizer: `inner` names the trigger or view a statement comes from. Hafiza
    has neither, so anything coming from one was put there by someone else. (Foreign key
    actions, such as the cascade from runs to run_points, run without a name here.)"""
    return sqlite3.SQLITE_DENY if inner is not None else sqlite3.SQLITE_OK


def harden(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.set_authorizer(_deny_inside_triggers_and_views)
    return conn


def connect(target: str | Path, uri: bool = False) -> sqlite3.Connection:
    """A connection as the store uses them: autocommit (the store opens its own
    transactions), rows by name, hardened against what a copied file may hold."""
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           uri=uri)
    conn.row_factory = sqlite3.Row
    try:
        return harden(conn)
    except sqlite3.Error:
        conn.close()
        raise


# -- the reference -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    """The schema the migrations create at one version."""

    objects: dict[tuple[str, str], str | None]  # (type, name) -> its CREATE statement
    columns: dict[str, tuple[str, ...]]  # table -> column names, in order


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str | None]:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {(row[0], row[1]): row[2] for row in rows}


def columns(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in conn.execute(f'PRAGMA table_xinfo("{table}")').fetchall())


@functools.cache
def reference(version: int = migrations.LATEST) -> Reference:
    """Runs the migrations up to `version` on an empty in-memory database and reads back what
    they created. Cached: the chain never changes while the app runs."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in range(1, version + 1):
            conn.execute("BEGIN")
            migrations.STEPS[step](conn)
            conn.execute("COMMIT")
        objects = _objects(conn)
        tables = {name: columns(conn, name) for kind, name in objects if kind == "table"}
    finally:
        conn.close()
    return Reference(objects, tables)


# -- comparing and repairing -------------------------------------------------------------------
@dataclass
class SchemaReport:
    """What opening a database changed in its schema, or found wrong with it."""

    dropped: list[str] = field(default_factory=list)  # "trigger wipe_all", "view x", ...
    created: list[str] = field(default_factory=list)  # objects that were missing
    mismatched: list[str] = field(default_factory=list)  # tables whose columns differ

    @property
    def changed(self) -> bool:
        return bool(self.dropped or self.created)

    @property
    def reason(self) -> str | None:
        """What the learner is told (store.errors): foreign objects removed, which matters
        more, else missing ones made again; None when nothing changed."""
        if self.dropped:
            return errors.FOREIGN_SCHEMA
        return errors.MISSING_SCHEMA if self.created else None


def _internal(name: str) -> bool:
    """SQLite's own objects (autoindexes, sqlite_sequence, sqlite_stat1): no code in them."""
    return name.startswith("sqlite_")


def foreign_objects(conn: sqlite3.Connection, version: int) -> list[tuple[str, str]]:
    """(type, name) of every object the migrations up to `version` did not create."""
    expected = reference(version).objects
    return sorted(key for key in _objects(conn)
                  if key not in expected and not _internal(key[1]))


def missing_objects(conn: sqlite3.Connection, version: int) -> list[tuple[str, str]]:
    present = _objects(conn)
    return [key for key, sql in reference(version).objects.items()
            if key not in present and sql is not None]  # an autoindex comes with its table


def mismatched_tables(conn: sqlite3.Connection, version: int) -> list[str]:
    wanted = reference(version).columns
    present = {name for kind, name in _objects(conn) if kind == "table"}
    return sorted(table for table, cols in wanted.items()
                  if table in present and columns(conn, table) != cols)


def _drop(conn: sqlite3.Connection, kind: str, name: str) -> None:
    quoted = '"' + name.replace('"', '""') + '"'
    conn.execute(f"DROP {kind.upper()} IF EXISTS {quoted}")


def sanitize(conn: sqlite3.Connection, version: int, path: Path | None = None) -> SchemaReport:
    """Makes the schema exactly the reference's at `version`, in one transaction: drops
    foreign objects (triggers and views first, so dropping a table fires nothing), then
    creates what is missing. Tables whose columns differ are only reported. Raises
    sqlite3.Error when the file cannot be written (the caller decides what then)."""
    report = SchemaReport()
    foreign = foreign_objects(conn, version)
    missing = missing_objects(conn, version)
    report.mismatched = mismatched_tables(conn, version)
    if not foreign and not missing:
        return report
    order = {"trigger": 0, "view": 1, "index": 2, "table": 3}
    conn.execute("BEGIN IMMEDIATE")
    try:
        for kind, name in sorted(foreign, key=lambda key: order.get(key[0], 4)):
            _drop(conn, kind, name)
            report.dropped.append(f"{kind} {name}")
        statements = reference(version).objects
        for kind, name in sorted(missing, key=lambda key: order.get(key[0], 4), reverse=True):
            conn.execute(statements[(kind, name)])
            report.created.append(f"{kind} {name}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if report.dropped:
        log.warning("%s: removed schema objects Hafiza does not create: %s",
                    path or "database", ", ".join(report.dropped))
    if report.created:
        log.warning("%s: created missing schema objects: %s", path or "database",
                    ", ".join(report.created))
    return report
