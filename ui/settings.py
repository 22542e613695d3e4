"""The learner's settings: language, theme, text size, window geometry and the last lesson.

Kept in the progress database (`store`, in the data folder of `hafiza.paths`: platformdirs,
or below $HAFIZA_HOME when set, which tests and portable installs use), beside the progress, so one
file holds everything and it is written with the same crash-safe transactions. Settings are
JSON values; window geometry is Qt's opaque bytes in a table of its own (never exported: it
only fits the screen that wrote it). A settings.ini from earlier versions is imported once.

When the database cannot be used (read-only folder, full disk, newer version), the settings
live in memory for the session: `store.problem` says why and the app says so.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from hafiza.paths import config_dir
from hafiza.store import Store, StoreError, memory_store, open_store_or_memory, paths
from hafiza.store.preferences import FONT_SIZE_RANGE, THEMES, valid_setting

__all__ = ["FONT_SIZE_RANGE", "THEMES", "Settings"]


class Settings:
    """Typed access to the settings; unknown or damaged values fall back to defaults.

    `read_only=True` (screenshots) never creates a database: without one, defaults in memory.
    Setters raise `store.StoreError` when the value cannot be saved (the caller words it)."""

    def __init__(self, store: Store | None = None, read_only: bool = False) -> None:
        if store is None:
            if read_only and not paths.database_path().exists():
                store = memory_store()
            else:
                store = open_store_or_memory()
        self.store = store
        self._prefs = store.prefs
        if store.persistent and not read_only:
            self._import_ini(config_dir() / "settings.ini")

    def sync(self) -> None:
        """Nothing to do: every change is committed when it is made."""

    def _get(self, key: str):
        try:
            value = self._prefs.get(key)
        except StoreError:
            return None
        return value if valid_setting(key, value) else None

    def _set(self, key: str, value) -> None:
        if value is None:
            self._prefs.remove(key)
        else:
            self._prefs.set(key, value)

    @property
    def language(self) -> str | None:
        return self._get("language")

    @language.setter
    def language(self, tag: str) -> None:
        if not valid_setting("language", tag):
            raise ValueError(f"unknown variety {tag!r}")
        self._set("language", tag)

    @property
    def theme(self) -> str:
        return self._get("theme") or "system"

    @theme.setter
    def theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}")
        self._set("theme", theme)

    @property
    def device(self) -> str:
        """Where to train: "auto" (the best present), "cpu", "cuda" or "mps"."""
        value = self._get("device")
        return value if valid_setting("device", value) else "auto"

    @device.setter
    def device(self, device: str) -> None:
        if not valid_setting("device", device):
            raise ValueError(f"unknown device {device!r}")
        self._set("device", device)

    @property
    def font_size(self) -> int | None:
        """Point size chosen by the learner, or None for the system's size."""
        return self._get("font_size")

    @font_size.setter
    def font_size(self, size: int | None) -> None:
        if size is not None:
            low, high = FONT_SIZE_RANGE
            size = max(low, min(high, int(size)))
        self._set("font_size", size)

    def window_state(self, key: str) -> QByteArray | None:
        try:
            data = self._prefs.window_state(key)
        except StoreError:
            return None
        return QByteArray(data) if data else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self._prefs.set_window_state(key, bytes(value.data()))

    @property
    def last_lesson(self) -> str | None:
        return self._get("last_lesson")

    @last_lesson.setter
    def last_lesson(self, lesson_id: str) -> None:
        self._set("last_lesson", lesson_id)

    @property
    def quiz_order_key(self) -> str:
        """The learner's key to the order quiz options are shown in: made once, kept with the
        progress (and in its export), so a learner sees the same order each time, on any
        computer, while two learners side by side see different ones."""
        key = self._get("quiz_order_key")
        if key is None:
            key = os.urandom(8).hex()  # (secrets would bring hmac into the start-up)
            try:
                self._set("quiz_order_key", key)
            except StoreError:
                pass  # the store can't be written: this session's order still holds
        return key

    # -- earlier versions ----------------------------------------------------------------------
    def _import_ini(self, ini: Path) -> None:
        """Copies the settings of the INI file earlier versions wrote, once, then renames it."""
        if not ini.is_file():
            return
        try:
            if self._prefs.all():
                return
            old = QSettings(str(ini), QSettings.Format.IniFormat)
            for key in ("language", "theme", "last_lesson"):
                value = old.value(key)
                if valid_setting(key, value):
                    self._prefs.set(key, value)
            try:
                size = int(old.value("font_size", 0))
            except (TypeError, ValueError):
                size = 0
            if valid_setting("font_size", size):
                self._prefs.set("font_size", size)
            for key in ("geometry", "splitter"):
                value = old.value(f"window/{key}")
                if isinstance(value, QByteArray) and not value.isEmpty():
                    self._prefs.set_window_state(key, bytes(value.data()))
            ini.replace(ini.with_name(ini.name + ".imported"))
        except (StoreError, OSError):
            return  # tried again next start
