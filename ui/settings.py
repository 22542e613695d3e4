"""The learner's settings: language, theme, text size and window geometry.

Stored as an INI file in the user's config folder (platformdirs), or below $HAFIZA_HOME when
set, which tests and portable installs use.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.i18n import VARIETIES

THEMES = ("system", "light", "dark")
FONT_SIZE_RANGE = (8, 28)


def config_dir() -> Path:
    home = os.environ.get("HAFIZA_HOME")
    if home:
        return Path(home) / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir("Hafiza", appauthor=False))


def data_dir() -> Path:
    home = os.environ.get("HAFIZA_HOME")
    if home:
        return Path(home) / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir("Hafiza", appauthor=False))


class Settings:
    """Typed access to the settings file; unknown or damaged values fall back to defaults."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.ini"
        self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._qsettings.sync()

    @property
    def language(self) -> str | None:
        tag = self._qsettings.value("language")
        return tag if tag in VARIETIES else None

    @language.setter
    def language(self, tag: str) -> None:
        if tag not in VARIETIES:
            raise ValueError(f"unknown variety {tag!r}")
        self._qsettings.setValue("language", tag)

    @property
    def theme(self) -> str:
        theme = self._qsettings.value("theme", "system")
        return theme if theme in THEMES else "system"

    @theme.setter
    def theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}")
        self._qsettings.setValue("theme", theme)

    @property
    def font_size(self) -> int | None:
        """Point size chosen by the learner, or None for the system's size."""
        try:
            size = int(self._qsettings.value("font_size", 0))
        except (TypeError, ValueError):
            return None
        low, high = FONT_SIZE_RANGE
        return size if low <= size <= high else None

    @font_size.setter
    def font_size(self, size: int | None) -> None:
        if size is None:
            self._qsettings.remove("font_size")
        else:
            low, high = FONT_SIZE_RANGE
            self._qsettings.setValue("font_size", max(low, min(high, int(size))))

    def window_state(self, key: str) -> QByteArray | None:
        value = self._qsettings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self._qsettings.setValue(f"window/{key}", value)

    @property
    def last_lesson(self) -> str | None:
        value = self._qsettings.value("last_lesson")
        return str(value) if value else None

    @last_lesson.setter
    def last_lesson(self, lesson_id: str) -> None:
        self._qsettings.setValue("last_lesson", lesson_id)
