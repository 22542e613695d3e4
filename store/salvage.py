"""Rescuing a damaged progress database: what can still be read, row by row.

A file that fails its integrity check is moved aside (store.db); before a new one is
started, `rescue` builds it from what survives, like sqlite3's `.recover` but in Python:

- each table of the latest schema is read in rowid order, in chunks; a chunk that fails is
  read again one rowid at a time, and a run of unreadable rowids is stepped over, so one
  damaged page costs the rows on it, not the table (run_points, a WITHOUT ROWID table, is
  read run by run);
- rows go into a fresh database through the schema's own constraints, so a damaged value
  that breaks one is dropped rather than copied;
- the newest usable automatic or migration backup is compared with the result, and when it
  holds more (lessons, answers and runs together) it is used instead.

Only Hafiza's tables and columns are read, never the file's triggers or views.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from hafiza.store import backups, migrations, schema

log = logging.getLogger(__name__)

CHUNK = 256
# Unreadable rowids in a row after which a table is given up on: past a damaged stretch
# this long, what follows is most likely the same damage.
GIVE_UP_AFTER = 4096
SALVAGED, FROM_BACKUP, NOTHING = "salvaged", "backup", "nothing"


@dataclass(frozen=True)
class Recovery:
    """What a damaged database's replacement holds, and where it came from."""

    source: str  # SALVAGED, FROM_BACKUP or NOTHING
    lessons: int = 0
    answers: int = 0
    runs: int = 0
    backup: Path | None = None  # the backup used, for FROM_BACKUP

    @property
    def total(self) -> int:
        return self.lessons + self.answers + self.runs


def _scratch_copy(damaged: Path, scratch: Path) -> Path:
    """A copy of the damaged file (and its -wal) to read from, so the rescue copy stays as
    it was found. A truncated file's header still counts the pages it lost, and SQLite then
    refuses even its first page: the copy's header counts the pages really there."""
    shutil.copyfile(damaged, scratch)
    size = scratch.stat().st_size
    with scratch.open("r+b") as file:
        header = file.read(100)
        if len(header) == 100 and header[:16] == b"SQLite format 3\x00":
            page_size = int.from_bytes(header[16:18], "big")
            page_size = 65536 if page_size == 1 else page_size or 65536
            pages = size // page_size
            if int.from_bytes(header[28:32], "big") > pages:
                file.seek(28)
                file.write(pages.to_bytes(4, "big"))
    wal = Path(str(damaged) + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, Path(str(scratch) + "-wal"))
    return scratch


def _open_damaged(path: Path) -> sqlite3.Connection:
    try:
        conn = schema.connect(path)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        return schema.connect(f"{path.as_uri()}?immutable=1", uri=True)


def _readable_columns(damaged: sqlite3.Connection, table: str) -> list[str]:
    try:
        present = set(schema.columns(damaged, table))
    except sqlite3.Error:
        return []
    return [c for c in schema.reference().columns[table] if c in present]


def _insert(target: sqlite3.Connection, table: str, names: list[str], rows) -> int:
    marks = ", ".join("?" * len(names))
    sql = f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) VALUES ({marks})"
    copied = 0
    for row in rows:
        try:
            copied += target.execute(sql, tuple(row)).rowcount
        except sqlite3.Error:  # a value the schema refuses: damaged, left behind
            continue
    return copied


def _rowid_rows(damaged: sqlite3.Connection, table: str, names: list[str]):
    """Yields readable rows of a rowid table, stepping over damaged stretches."""
    select = f"SELECT rowid, {', '.join(names)} FROM {table}"
    try:
        last = damaged.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        last = None  # unknown: read on until GIVE_UP_AFTER rowids fail in a row
    position, misses = 0, 0
    while misses < GIVE_UP_AFTER and (last is None or position <= last):
        try:
            chunk = damaged.execute(f"{select} WHERE rowid > ? ORDER BY rowid LIMIT {CHUNK}",
                                    (position,)).fetchall()
        except sqlite3.Error:
            chunk = None
        if chunk == []:
            return  # past the last row
        if chunk:
            misses = 0
            position = chunk[-1][0]
            yield from (row[1:] for row in chunk)
            continue
        # The chunk is unreadable: one rowid at a time through it.
        for rowid in range(position + 1, position + CHUNK + 1):
            try:
                row = damaged.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.Error:
                row = None
                misses += 1
            if row is not None:
                misses = 0
                yield row[1:]
        position += CHUNK


def _copy_points(damaged, target, run_ids: list[int]) -> None:
    names = _readable_columns(damaged, "run_points")
    if "run_id" not in names:
        return
    for run_id in run_ids:
        try:
            rows = damaged.execute(
                f"SELECT {', '.join(names)} FROM run_points WHERE run_id = ?", (run_id,)
            ).fetchall()
        except sqlite3.Error:
            continue  # this run's curve is lost; the run itself is kept
        _insert(target, "run_points", names, rows)


def _copy_tables(damaged: sqlite3.Connection, target: sqlite3.Connection) -> None:
    for table in schema.HISTORY_TABLES:
        if table == "run_points":
            continue
        names = _readable_columns(damaged, table)
        if names:
            _insert(target, table, names, _rowid_rows(damaged, table, names))
    run_ids = [row[0] for row in target.execute("SELECT id FROM runs ORDER BY id")]
    _copy_points(damaged, target, run_ids)


def _fresh(path: Path) -> sqlite3.Connection:
    conn = schema.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    for step in range(1, migrations.LATEST + 1):
        conn.execute("BEGIN")
        migrations.STEPS[step](conn)
        conn.execute(f"PRAGMA user_version = {step}")
        conn.execute("COMMIT")
    return conn


def _remove(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(database) + suffix).unlink(missing_ok=True)


def _salvage(damaged_path: Path, target: Path) -> tuple[int, int, int]:
    conn = _fresh(target)
    scratch = target.with_name(target.name + "-source")
    try:
        damaged = None
        try:
            damaged = _open_damaged(_scratch_copy(damaged_path, scratch))
            conn.execute("BEGIN")
            _copy_tables(damaged, conn)
            conn.execute("COMMIT")
        except sqlite3.Error as error:  # the file is beyond reading: what was copied stays
            log.warning("salvaging %s stopped: %s", damaged_path, error)
            if conn.in_transaction:
                conn.execute("COMMIT")
        finally:
            if damaged is not None:
                damaged.close()
            _remove(scratch)
        return backups.counts(conn)
    finally:
        conn.close()


def _best_backup(database: Path) -> backups.BackupInfo | None:
    """The newest backup of the latest schema that passes its check (older-schema copies
    taken before a migration are listed for the learner, not restored silently)."""
    for info in backups.list_backups(database):
        try:
            conn = schema.connect(f"{info.path.as_uri()}?mode=ro", uri=True)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        if version == migrations.LATEST:
            return info
    return None


def rescue(damaged_path: Path, database: Path) -> Recovery:
    """Writes a new database at `database` from the damaged file at `damaged_path` (already
    moved aside) or from the newest backup when that holds more; never raises for what the
    damaged file holds. Raises OSError/sqlite3.Error only when the new file cannot be
    written at all (the caller then starts an empty one, or reports the disk)."""
    partial = database.with_name(database.name + ".salvage")
    _remove(partial)
    lessons, answers, runs = _salvage(damaged_path, partial)
    recovery = Recovery(SALVAGED if lessons + answers + runs else NOTHING, lessons, answers,
                        runs)
    best = _best_backup(database)
    if best is not None and best.total > recovery.total:
        source = schema.connect(f"{best.path.as_uri()}?mode=ro", uri=True)
        try:
            backups.copy_database(source, partial)
        finally:
            source.close()
        recovery = Recovery(FROM_BACKUP, best.lessons, best.answers, best.runs, best.path)
    os.replace(partial, database)
    _remove(partial)  # its -wal and -shm, if any were left
    log.warning("damaged %s: new database from %s (%d lessons, %d answers, %d runs)",
                damaged_path, recovery.source, recovery.lessons, recovery.answers, recovery.runs)
    return recovery
