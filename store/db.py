"""The SQLite connection: pragmas, transactions, opening, corruption and backups.

Durability: WAL with `synchronous=FULL`. In WAL mode `NORMAL` already survives a killed
process (a commit is in the WAL file once `COMMIT` returns, and the OS keeps it), but a power
cut or OS crash can lose the last commits; `FULL` syncs the WAL at every commit, so a write
the app has acknowledged survives that too. Hafiza writes rarely (a debounced reading
position, a quiz answer, a batch of metric points a few times a second), so one fsync per
commit costs nothing a learner notices (see tests/store/test_kill_durability.py).

Every connection is hardened and every file's schema checked against the migrations'
(store.schema); a damaged file is salvaged (store.salvage); a file that cannot be written is
held in memory until it can (store.held).

One `Database` per thread: sqlite3 connections stay in the thread that opened them.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from hafiza.store import backups, errors, held, migrations, paths, salvage, schema
from hafiza.store.backups import KEEP_BACKUPS, backup_path
from hafiza.store.errors import StoreError

__all__ = ["BUSY_TIMEOUT_MS", "KEEP_BACKUPS", "Database", "backup_path", "memory_database",
           "move_aside", "now", "open_database"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = schema.BUSY_TIMEOUT_MS
# While progress is held in memory, how often a write tries to put it back into the file.
WRITE_BACK_EVERY_S = 30.0
# Failures after which the progress is held in memory rather than lost.
HOLDABLE = (errors.READ_ONLY, errors.DISK_FULL)
T = TypeVar("T")


def now() -> str:
    """UTC timestamp as stored: ISO 8601 with milliseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() % 1_000_000:06d}"


class Database:
    """An open progress database.

    `persistent`: writes go to the file at `path`. It is False for the in-memory stand-in
    used when no file can be used (`path` None), and while the file's content is *held* in
    memory because the file cannot be written (`path` set, `holding` True); `problem` then
    says why. `recovered_from` is where a damaged file was moved aside and `recovery` what
    was rescued from it; `schema_report` what opening changed in the schema; `backups` the
    files written before migrations."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None,
                 persistent: bool | None = None) -> None:
        self.conn = conn
        self.path = path
        self.persistent = path is not None if persistent is None else persistent
        self.problem: StoreError | None = None
        self.recovered_from: Path | None = None
        self.recovery: salvage.Recovery | None = None
        self.schema_report: schema.SchemaReport | None = None
        self.backups: list[Path] = []
        self.write_back_every_s = WRITE_BACK_EVERY_S
        self.may_write_back = True
        self._last_write_back = time.monotonic()

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """`BEGIN IMMEDIATE` ... `COMMIT`: all or nothing. When it returns, the write is
        durable (or, while `holding`, kept in memory); any sqlite3 error leaves as a
        StoreError after rolling back."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise errors.wrap(error, self.path) from error
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(error, sqlite3.Error):
                raise errors.wrap(error, self.path) from error
            raise
        if self.holding:
            self.try_write_back()

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise errors.wrap(error, self.path) from error

    def query_one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def integrity(self) -> str:
        """`PRAGMA integrity_check`: "ok" or the first problems found."""
        rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(row[0] for row in rows)

    def backup_to(self, target: Path) -> Path:
        """A consistent copy through SQLite's online backup API (safe while in use)."""
        return backups.copy_database(self.conn, target)

    def close(self) -> None:
        self.conn.close()

    # -- holding the progress in memory --------------------------------------------------------
    @property
    def holding(self) -> bool:
        """The file's content is in memory because the file cannot be written."""
        return self.path is not None and not self.persistent

    def hold_in_memory(self, problem: StoreError) -> bool:
        """After a write the file refused (read-only, full): goes on with a copy in memory,
        so the caller can write again and nothing is lost. True when now holding."""
        if self.holding:
            return True
        if not self.persistent or problem.reason not in HOLDABLE:
            return False
        try:
            memory = held.memory_copy(self.conn)
        except sqlite3.Error as error:
            log.warning("cannot hold %s in memory: %s", self.path, error)
            return False
        self.conn.close()
        self.conn, self.persistent, self.problem = memory, False, problem
        self._last_write_back = time.monotonic()
        log.warning("%s cannot be written (%s): progress is held in memory", self.path,
                    problem.reason)
        return True

    def try_write_back(self, force: bool = False) -> bool:
        """While holding: puts the progress back into the file if it can be written now (at
        most every `write_back_every_s` unless forced). True once it is on the file again."""
        if not self.holding or not self.may_write_back:
            return False
        if not force and time.monotonic() - self._last_write_back < self.write_back_every_s:
            return False
        self._last_write_back = time.monotonic()
        try:
            target = held.write_back(self.conn, self.path)
        except (sqlite3.Error, OSError, StoreError) as error:
            log.info("%s still cannot be written: %s", self.path, error)
            return False
        self.conn.close()
        self.conn, self.persistent, self.problem = target, True, None
        return True

    def write(self, change: Callable[[], T]) -> T:
        """Runs `change` (a store write); when the file refuses it and the progress can be
        held in memory, runs it again there. The StoreError still leaves when nothing could
        keep the change; `problem` says why the file is not being written."""
        try:
            return change()
        except StoreError as error:
            if not self.hold_in_memory(error):
                raise
        return change()


def _prepare(conn: sqlite3.Connection, wal: bool) -> None:
    """Pragmas for every connection. Raises sqlite3.DatabaseError on a damaged file."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if wal:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use WAL journal mode (got {mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


class _Damaged(Exception):
    """The file is not a usable database. Carries the still-open connection: closing it
    before the file is moved aside would let SQLite delete the -wal file beside it."""

    def __init__(self, detail: str, conn: sqlite3.Connection | None = None) -> None:
        super().__init__(detail)
        self.conn = conn


def _check(conn: sqlite3.Connection) -> None:
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        if errors.reason_for(error) == errors.CORRUPT:
            raise _Damaged(str(error)) from error
        raise
    if result != ["ok"]:
        raise _Damaged("; ".join(result[:3]))


def _version(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; a newer version's file is refused before anything else,
    so it is not even switched to WAL."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > migrations.LATEST:
        raise StoreError(errors.NEWER_SCHEMA,
                         f"schema {version} is newer than this version's {migrations.LATEST}",
                         path)
    return version


def _sanitize(conn: sqlite3.Connection, version: int, path: Path) -> schema.SchemaReport:
    """Drops what the migrations did not create, creates what is missing; a table with
    other columns than the migrations' makes the file count as damaged (it is salvaged)."""
    report = schema.sanitize(conn, version, path)
    if report.mismatched:
        raise _Damaged(f"tables with unexpected columns: {', '.join(report.mismatched)}")
    return report


def _open_file(path: Path) -> Database:
    conn = schema.connect(path)
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = _version(conn, path)
            _check(conn)
            _prepare(conn, wal=True)
            report = _sanitize(conn, version, path)
        except sqlite3.DatabaseError as error:
            if errors.reason_for(error, path) == errors.CORRUPT:
                raise _Damaged(str(error), conn) from error
            raise
        except _Damaged as damage:
            damage.conn = conn
            raise
        db = Database(conn, path)
        db.schema_report = report
        if version < migrations.LATEST:
            if version > 0:
                backup = backup_path(path, f"v{version}")
                db.backups.append(db.backup_to(backup))
                backups.prune(backup.parent, "v*")
            migrations.migrate(db)
        return db
    except _Damaged:
        raise  # the caller closes the connection once the files are moved aside
    except BaseException:
        conn.close()
        raise


def _open_held(path: Path, problem: StoreError) -> Database:
    """The file that cannot be written, read into memory (store.held): the learner sees
    their history, and what they do is kept and written back when the file allows it."""
    try:
        conn, complete = held.copy_of_file(path)
    except sqlite3.Error as error:
        raise problem from error
    try:
        version = _version(conn, path)
        _check(conn)
        report = schema.sanitize(conn, version, path)
        if report.mismatched:
            raise StoreError(errors.CORRUPT, f"unexpected columns in {report.mismatched}",
                             path)
        db = Database(conn, path, persistent=False)
        db.problem, db.schema_report, db.may_write_back = problem, report, complete
        migrations.migrate(db)
    except _Damaged as damage:  # damaged and unwritable: nothing can be moved aside
        conn.close()
        raise StoreError(errors.CORRUPT, str(damage), path) from None
    except sqlite3.Error as error:
        conn.close()
        raise errors.wrap(error, path) from error
    except BaseException:
        conn.close()
        raise
    log.warning("%s cannot be written (%s): opened read-only, changes held in memory",
                path, problem.reason)
    return db


def move_aside(path: Path) -> Path:
    """Renames a damaged database (and its -wal and -shm files) with a timestamp."""
    target = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            os.replace(part, Path(str(target) + suffix))
    return target


def _rescue(moved: Path, path: Path) -> salvage.Recovery:
    """A new file from what the damaged one still holds, or the best backup; an empty one
    (as before salvaging existed) when even that fails."""
    try:
        return salvage.rescue(moved, path)
    except (sqlite3.Error, OSError, StoreError) as error:
        log.error("salvaging %s failed, starting empty: %s", moved, error)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + ".salvage" + suffix).unlink(missing_ok=True)
        return salvage.Recovery(salvage.NOTHING)


def open_database(path: Path | None = None) -> Database:
    """Opens (creating or migrating as needed) the database at `path` (default: the data
    folder's). A damaged file is moved aside and what it still holds salvaged into a new
    one, once: never a loop. A file that cannot be written (read-only, full disk) is opened
    read-only and held in memory (`Database.holding`, `problem` says why). Raises StoreError
    when the file cannot be used at all (no file in a read-only folder, newer schema); the
    caller can then fall back to `memory_database()`."""
    path = Path(path) if path is not None else paths.database_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise errors.wrap(error, path) from error
    try:
        return _open_file(path)
    except _Damaged as damage:
        detail, damaged_conn = str(damage), damage.conn
    except (sqlite3.Error, StoreError) as error:
        problem = errors.wrap(error, path)
        if problem.reason in HOLDABLE and path.is_file():
            return _open_held(path, problem)
        raise problem from error
    try:
        moved = move_aside(path)
    except OSError as error:
        raise StoreError(
            errors.CORRUPT, f"{detail}; cannot move it aside: {error}", path
        ) from error
    finally:
        if damaged_conn is not None:
            damaged_conn.close()
    recovery = _rescue(moved, path)
    try:
        db = _open_file(path)
    except _Damaged as damage:  # a fresh file damaged at once: the disk itself is failing
        if damage.conn is not None:
            damage.conn.close()
        raise StoreError(errors.IO, f"a new database is damaged too: {damage}", path) from None
    except sqlite3.Error as error:
        raise errors.wrap(error, path) from error
    db.recovered_from, db.recovery = moved, recovery
    return db


def memory_database(problem: StoreError | None = None) -> Database:
    """The same schema in memory: the app keeps working, nothing is kept."""
    conn = schema.connect(":memory:")
    _prepare(conn, wal=False)
    db = Database(conn, None)
    migrations.migrate(db)
    db.problem = problem
    return db
