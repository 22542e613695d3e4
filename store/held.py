"""Progress held in memory while its file cannot be written (read-only folder or disk,
full disk), and written back once it can be.

The learner's history must not vanish because the disk refuses writes: the file is read
(read-only, or `immutable` when even a read-only connection cannot be made, e.g. a WAL
file whose shared-memory file cannot be created beside it) and copied into memory through
SQLite's backup API; the app then reads and writes that copy. Later, a write tries to put
the whole copy back into the file (the backup API again, the other way); once that works
the store is on the file again and nothing the learner did in between is lost.

A copy made with `immutable` did not read the file's -wal: writing it back would drop
what that -wal holds, so such a copy is never written back.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from hafiza.store import backups, migrations, schema

log = logging.getLogger(__name__)


def memory_copy(source: sqlite3.Connection) -> sqlite3.Connection:
    """A hardened in-memory database holding what `source` holds."""
    memory = schema.connect(":memory:")
    try:
        source.backup(memory)
        memory.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error:
        memory.close()
        raise
    return memory


def _has_wal(path: Path) -> bool:
    wal = Path(str(path) + "-wal")
    try:
        return wal.is_file() and wal.stat().st_size > 0
    except OSError:
        return True  # cannot tell: treat it as holding commits


def copy_of_file(path: Path) -> tuple[sqlite3.Connection, bool]:
    """The file's content in memory, and whether it may be written back (False when only an
    immutable read worked while a -wal lies beside the file)."""
    attempts = ((f"{path.as_uri()}?mode=ro", True),
                (f"{path.as_uri()}?immutable=1", not _has_wal(path)))
    last_error: sqlite3.Error | None = None
    for uri, complete in attempts:
        try:
            source = schema.connect(uri, uri=True)
            try:
                source.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                return memory_copy(source), complete
            finally:
                source.close()
        except sqlite3.Error as error:
            last_error = error
    raise last_error


def write_back(memory: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """Puts the in-memory copy into the file and returns a connection to the file, ready for
    the store; raises sqlite3.Error, OSError or StoreError while the file still refuses."""
    target = schema.connect(path)
    try:
        target.execute(f"PRAGMA busy_timeout = {schema.BUSY_TIMEOUT_MS}")
        version = target.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < migrations.LATEST:  # the copy was migrated in memory: as at an
            backups.copy_database(target, backups.backup_path(path, f"v{version}"))  # open
        memory.backup(target)
        mode = target.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use WAL journal mode (got {mode})")
        target.execute("PRAGMA synchronous = FULL")
        target.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        target.close()
        raise
    log.info("progress held in memory was written back to %s", path)
    return target
