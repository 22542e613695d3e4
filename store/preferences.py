"""The learner's settings as JSON values by key, and window geometry as bytes apart.

Window geometry is kept in its own table: it is opaque Qt bytes that only make sense on the
screen that wrote them, so it is never exported, while settings travel with the progress.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from hafiza import varieties
from hafiza.engine.runtime import DEVICE_CHOICES
from hafiza.store.db import Database
from hafiza.store.schema import harden

MAX_VALUE_CHARS = 10_000

# The settings that exist, with what a valid value is (ui.settings reads them through these).
THEMES = ("system", "light", "dark")
FONT_SIZE_RANGE = (8, 28)


def valid_setting(key: str, value: Any) -> bool:
    """True if `value` is a valid value for the known setting `key`."""
    if key == "language":
        return varieties.is_known(value)
    if key == "theme":
        return value in THEMES
    if key == "font_size":
        low, high = FONT_SIZE_RANGE
        return value is None or (type(value) is int and low <= value <= high)
    if key == "device":
        return value in DEVICE_CHOICES
    if key == "last_lesson":
        return isinstance(value, str) and 0 < len(value) <= 200
    if key == "quiz_order_key":  # the learner's own shuffle of quiz options (Settings)
        return isinstance(value, str) and 0 < len(value) <= 64 and value.isascii() \
            and value.isalnum()
    return False


KNOWN_SETTINGS = ("language", "theme", "font_size", "last_lesson", "device", "quiz_order_key")


def peek_setting(database: Path, key: str) -> Any:
    """A setting's valid value read straight from the database file, or None; for a process
    that must not open the store (a second copy of the app while the first runs: opening
    migrates, backs up, or moves aside a file it cannot read). A read-only connection
    changes nothing, creates no file; any problem only means "not known"."""
    if not database.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            harden(connection)  # a copied file's views or triggers run nothing here either
            row = connection.execute("SELECT value FROM settings WHERE key = ?",
                                     (key,)).fetchone()
        finally:
            connection.close()
        value = json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError, TypeError):
        return None
    return value if value is not None and valid_setting(key, value) else None


class Preferences:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:  # a damaged value reads as unset
            return default

    def set(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        if len(text) > MAX_VALUE_CHARS:
            raise ValueError(f"setting {key!r} is too long")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, text),
            )

    def remove(self, key: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    def all(self) -> dict[str, Any]:
        result = {}
        for row in self.db.query("SELECT key, value FROM settings ORDER BY key"):
            try:
                result[row[0]] = json.loads(row[1])
            except ValueError:
                continue
        return result

    def window_state(self, key: str) -> bytes | None:
        row = self.db.query_one("SELECT data FROM window_state WHERE key = ?", (key,))
        return bytes(row[0]) if row else None

    def set_window_state(self, key: str, data: bytes) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO window_state (key, data) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
                (key, bytes(data)),
            )
