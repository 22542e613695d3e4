"""The SQLite connection: pragmas, transactions, opening, corruption and backups.

Durability: WAL with `synchronous=FULL`. In WAL mode `NORMAL` already survives a killed
process (a commit is in the WAL file once `COMMIT` returns, and the OS keeps it), but a power
cut or OS crash can lose the last commits; `FULL` syncs the WAL at every commit, so a write
the app has acknowledged survives that too. Hafiza writes rarely (a debounced reading
position, a quiz answer, a batch of metric points a few times a second), so one fsync per
commit costs nothing a learner notices (see tests/store/test_kill_durability.py).

One `Database` per thread: sqlite3 connections stay in the thread that opened them.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from hafiza.store import errors, migrations, paths
from hafiza.store.errors import StoreError

BUSY_TIMEOUT_MS = 5000
KEEP_BACKUPS = 5


def now() -> str:
    """UTC timestamp as stored: ISO 8601 with milliseconds, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() % 1_000_000:06d}"


class Database:
    """An open progress database. `persistent` is False for the in-memory stand-in used
    when the real file cannot be used; `problem` then says why. `recovered_from` is where a
    damaged file was moved aside, `backups` the files written before migrations."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self.persistent = path is not None
        self.problem: StoreError | None = None
        self.recovered_from: Path | None = None
        self.backups: list[Path] = []

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """`BEGIN IMMEDIATE` ... `COMMIT`: all or nothing. When it returns, the write is
        durable; any sqlite3 error leaves as a StoreError after rolling back."""
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
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        try:
            copy = sqlite3.connect(partial)
            try:
                self.conn.backup(copy)
            finally:
                copy.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as error:
            partial.unlink(missing_ok=True)
            raise errors.wrap(error, target) from error
        return target

    def close(self) -> None:
        self.conn.close()


def _connect(target: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


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


def _open_file(path: Path) -> Database:
    conn = _connect(path)
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Read-only checks first: a newer version's file must not even switch to WAL.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > migrations.LATEST:
                raise StoreError(
                    errors.NEWER_SCHEMA,
                    f"schema {version} is newer than this version's {migrations.LATEST}",
                    path,
                )
            _check(conn)
            _prepare(conn, wal=True)
        except sqlite3.DatabaseError as error:
            if errors.reason_for(error, path) == errors.CORRUPT:
                raise _Damaged(str(error), conn) from error
            raise
        except _Damaged as damage:
            damage.conn = conn
            raise
        db = Database(conn, path)
        if version < migrations.LATEST:
            if version > 0:
                backup = backup_path(path, f"v{version}")
                db.backups.append(db.backup_to(backup))
                _prune_backups(backup.parent)
            migrations.migrate(db)
        return db
    except _Damaged:
        raise  # the caller closes the connection once the files are moved aside
    except BaseException:
        conn.close()
        raise


def backup_path(database: Path, occasion: str) -> Path:
    """Where a copy of `database` taken before `occasion` (a migration "v3", an "import")
    goes: the backups folder beside the database, wherever that database lives."""
    return database.parent / "backups" / f"{database.stem}-{occasion}-{_stamp()}.db"


def _prune_backups(folder: Path) -> None:
    backups = sorted(folder.glob("*-v*-*.db"), key=lambda p: p.stat().st_mtime)
    for old in backups[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)


def move_aside(path: Path) -> Path:
    """Renames a damaged database (and its -wal and -shm files) with a timestamp."""
    target = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            os.replace(part, Path(str(target) + suffix))
    return target


def open_database(path: Path | None = None) -> Database:
    """Opens (creating or migrating as needed) the database at `path` (default: the data
    folder's). A damaged file is moved aside and a fresh one started, once: never a loop.
    Raises StoreError when the file cannot be used (read-only folder, full disk, newer
    schema); the caller can then fall back to `memory_database()`."""
    path = Path(path) if path is not None else paths.database_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise errors.wrap(error, path) from error
    try:
        return _open_file(path)
    except _Damaged as damage:
        detail, damaged_conn = str(damage), damage.conn
    except sqlite3.Error as error:
        raise errors.wrap(error, path) from error
    try:
        moved = move_aside(path)
    except OSError as error:
        raise StoreError(
            errors.CORRUPT, f"{detail}; cannot move it aside: {error}", path
        ) from error
    finally:
        if damaged_conn is not None:
            damaged_conn.close()
    try:
        db = _open_file(path)
    except _Damaged as damage:  # a fresh file damaged at once: the disk itself is failing
        if damage.conn is not None:
            damage.conn.close()
        raise StoreError(errors.IO, f"a new database is damaged too: {damage}", path) from None
    except sqlite3.Error as error:
        raise errors.wrap(error, path) from error
    db.recovered_from = moved
    return db


def memory_database(problem: StoreError | None = None) -> Database:
    """The same schema in memory: the app keeps working, nothing is kept."""
    conn = _connect(":memory:")
    _prepare(conn, wal=False)
    db = Database(conn, None)
    migrations.migrate(db)
    db.problem = problem
    return db
