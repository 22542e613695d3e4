"""Copies of the progress database, and putting one back.

Every copy goes through SQLite's online backup API (consistent while the app writes), into
a temporary name that is renamed once complete, so a backups folder never holds half a
file. They sit in the `backups` folder beside the database (the data folder's, for the
learner's own `progress.db`):

    progress-auto-<stamp>.db     taken at start when the newest is older than a day;
                                 the last KEEP_AUTOMATIC are kept
    progress-v<N>-<stamp>.db     before migrating from schema N (the last KEEP_BACKUPS)
    progress-import-<stamp>.db   before an import replaced the progress
    progress-restore-<stamp>.db  before a backup was restored
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hafiza.store import errors, migrations, schema
from hafiza.store.errors import StoreError

if TYPE_CHECKING:
    from hafiza.store.db import Database

log = logging.getLogger(__name__)

KEEP_BACKUPS = 5  # of each kind
KEEP_AUTOMATIC = 5
AUTOMATIC = "auto"
AUTOMATIC_EVERY_S = 24 * 3600


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + f"{time.time_ns() % 1_000_000:06d}"


def folder_for(database: Path) -> Path:
    return database.parent / "backups"


def backup_path(database: Path, occasion: str) -> Path:
    """Where a copy of `database` taken before `occasion` (a migration "v3", an "import",
    "auto") goes: the backups folder beside the database, wherever that database lives."""
    return folder_for(database) / f"{database.stem}-{occasion}-{_stamp()}.db"


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """Writes a consistent copy of `source` to `target` (via a temporary name)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise errors.wrap(error, target) from error
    return target


def prune(folder: Path, occasion_glob: str, keep: int = KEEP_BACKUPS) -> None:
    """Keeps the newest `keep` backups whose occasion matches `occasion_glob`."""
    backups = sorted(folder.glob(f"*-{occasion_glob}-*.db"), key=lambda p: p.stat().st_mtime)
    for old in backups[:-keep] if keep else backups:
        old.unlink(missing_ok=True)


# -- what a backup holds -----------------------------------------------------------------------
@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # local time, from the file's modification time
    lessons: int
    answers: int
    runs: int

    @property
    def total(self) -> int:
        return self.lessons + self.answers + self.runs


def _open_read_only(path: Path) -> sqlite3.Connection:
    return schema.connect(f"{path.as_uri()}?mode=ro", uri=True)


def counts(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """(lessons, quiz answers, runs) in a database of the latest schema."""
    return tuple(int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                 for table in ("lessons", "quiz_answers", "runs"))


def inspect(path: Path) -> BackupInfo | None:
    """The backup's counts, or None when it is not a readable database Hafiza can restore
    (damaged, written by a newer version, or not holding Hafiza's tables)."""
    try:
        conn = _open_read_only(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if not 1 <= version <= migrations.LATEST:
                return None
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return None
            if version < migrations.LATEST:  # a copy taken before a migration: its tables
                numbers = _old_counts(conn)  # are named the same, runs came with v2
            else:
                numbers = counts(conn)
        finally:
            conn.close()
        taken = datetime.fromtimestamp(path.stat().st_mtime)
    except (sqlite3.Error, OSError):
        return None
    return BackupInfo(path, taken, *numbers)


def _old_counts(conn: sqlite3.Connection) -> tuple[int, int, int]:
    lessons = conn.execute("SELECT COUNT(*) FROM lessons").fetchone()[0]
    answers = conn.execute("SELECT COUNT(*) FROM quiz_answers").fetchone()[0]
    return int(lessons), int(answers), 0


def list_backups(database: Path) -> list[BackupInfo]:
    """The usable backups of `database`, newest first."""
    folder = folder_for(database)
    if not folder.is_dir():
        return []
    found = (inspect(path) for path in folder.glob(f"{database.stem}-*.db"))
    return sorted((info for info in found if info is not None),
                  key=lambda info: info.taken_at, reverse=True)


# -- automatic backups -------------------------------------------------------------------------
def newest_automatic(database: Path) -> Path | None:
    folder = folder_for(database)
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"{database.stem}-{AUTOMATIC}-*.db"),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def take_automatic(db: Database, every_s: float = AUTOMATIC_EVERY_S) -> Path | None:
    """A backup of the live database when the newest automatic one is older than `every_s`
    (or there is none); keeps the last KEEP_AUTOMATIC. Returns the new file, or None when
    none was due or the database is not a file that is being written."""
    if not db.persistent or db.path is None:
        return None
    newest = newest_automatic(db.path)
    if newest is not None and time.time() - newest.stat().st_mtime < every_s:
        return None
    target = copy_database(db.conn, backup_path(db.path, AUTOMATIC))
    prune(target.parent, AUTOMATIC, KEEP_AUTOMATIC)
    log.info("automatic backup: %s", target)
    return target


# -- restoring ---------------------------------------------------------------------------------
def restore(db: Database, backup: Path) -> Path | None:
    """Puts the backup's content in place of the live database's, through the same
    connection (the store's objects stay valid). The current content is backed up first;
    the restored copy is cleaned of foreign schema objects and migrated like any file.
    Returns the backup of the content that was replaced (None for an in-memory store)."""
    info = inspect(backup)
    if info is None:
        raise StoreError(errors.CORRUPT, "not a usable backup", backup)
    before = None
    if db.persistent and db.path is not None:
        before = copy_database(db.conn, backup_path(db.path, "restore"))
        prune(before.parent, "restore")
    try:
        source = _open_read_only(backup)
        try:
            source.backup(db.conn)
        finally:
            source.close()
        version = db.schema_version
        db.schema_report = schema.sanitize(db.conn, version, backup)
        migrations.migrate(db)
    except sqlite3.Error as error:
        raise errors.wrap(error, db.path) from error
    log.info("restored %s (previous content kept as %s)", backup, before)
    return before
