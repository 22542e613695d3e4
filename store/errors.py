"""Typed store errors: a machine-readable `reason`, the path involved and a developer detail.

The store never words anything for the learner; `ui.store_errors` turns a reason into a
message in the learner's language.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from hafiza.safezip import ArchiveTooLarge, UnsafeArchive

# Why the database cannot be used or written.
READ_ONLY = "read_only"  # the folder or file cannot be written (permissions, read-only disk)
DISK_FULL = "disk_full"
CORRUPT = "corrupt"  # not a database, or it fails its integrity check
NEWER_SCHEMA = "newer_schema"  # written by a newer Hafiza: left untouched
BUSY = "busy"  # another process holds the write lock for too long
IO = "io"  # any other input/output failure

# Why an export file is refused on import (TransferError).
NOT_AN_EXPORT = "not_an_export"
UNSUPPORTED_VERSION = "unsupported_version"
INVALID = "invalid"  # a record, a value or a checksum is wrong
TOO_LARGE = "too_large"
UNSAFE_ARCHIVE = "unsafe_archive"  # names outside the archive, links, unexpected members
UNSAFE_CHECKPOINT = "unsafe_checkpoint"  # a model file holding more than weights
OVER_LIMIT = "over_limit"  # more records or longer ids than an import may hold (LimitExceeded)

# What opening a database changed, for the learner to be told once (notices, not failures).
FOREIGN_SCHEMA = "foreign_schema"  # triggers, views or tables Hafiza does not make: removed
MISSING_SCHEMA = "missing_schema"  # tables Hafiza needs were missing: created again


class StoreError(Exception):
    """The database could not do what was asked. `reason` is one of the constants above."""

    def __init__(self, reason: str, detail: str = "", path: Path | str | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.path = Path(path) if path is not None else None


class TransferError(StoreError):
    """An export file that is refused, or an export or import that failed."""


class LimitExceeded(TransferError):
    """An import holds more than a limit allows. `what` names the limit ("lessons",
    "quiz_answers", "runs", "models", "points", "id_length"), `limit` its value and
    `found` what the file holds."""

    def __init__(self, what: str, limit: int, found: int,
                 path: Path | str | None = None) -> None:
        super().__init__(OVER_LIMIT, f"{what}: {found} is over the limit of {limit}", path)
        self.what, self.limit, self.found = what, limit, found


def archive_refusal(error: UnsafeArchive, path: Path | str | None = None) -> TransferError:
    """The TransferError for an archive that `hafiza.safezip` refused."""
    reason = TOO_LARGE if isinstance(error, ArchiveTooLarge) else UNSAFE_ARCHIVE
    return TransferError(reason, str(error), path)


# SQLite primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26


def _writable(folder: Path | None) -> bool:
    return folder is None or not folder.exists() or os.access(folder, os.W_OK)


def reason_for(error: BaseException, path: Path | None = None) -> str:
    """The reason constant for an sqlite3 or OS error."""
    if isinstance(error, StoreError):
        return error.reason
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return READ_ONLY
        return IO
    if isinstance(error, sqlite3.Error):
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(error).lower()
        if code == _SQLITE_FULL or "disk is full" in text:
            return DISK_FULL
        if code == _SQLITE_READONLY or "readonly" in text:
            return READ_ONLY
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or (
            "not a database" in text
        ):
            return CORRUPT
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
            return BUSY
        if code == _SQLITE_CANTOPEN:
            return READ_ONLY if not _writable(path.parent if path else None) else IO
        return IO
    return IO


def wrap(error: BaseException, path: Path | None = None) -> StoreError:
    """A StoreError for an sqlite3 or OS error, keeping its text as the detail."""
    if isinstance(error, StoreError):
        return error
    return StoreError(reason_for(error, path), f"{type(error).__name__}: {error}", path)
