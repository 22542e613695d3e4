"""Languages of the interface: gettext catalogs, number formatting, direction and fonts.

The varieties and their facts (names, direction, locale, fonts) are the table in
`hafiza.varieties`; this module puts them to work in Qt. Babel and Qt know no `ary`/`arz`,
so each variety names the locale used to format its numbers; QLocale gives the reader's
digits (Egyptian and Persian digits, Latin digits for Moroccan), which Babel never does.
The functions `_`, `ngettext` and `number` always speak the current language, so a
widget retranslates simply by reading its strings again.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from hafiza import paths, varieties, words
from hafiza.varieties import (
    ARABIC_FONT_FAMILY,
    FALLBACK_FONT_FAMILY,
    VARIETIES,
    Variety,
)
from hafiza.words import N_, _, load_translations, ngettext

__all__ = [
    "ARABIC_FONT_FAMILY", "DEFAULT_VARIETY", "FALLBACK_FONT_FAMILY", "N_", "VARIETIES", "Variety",
    "_", "apply_language", "current_variety", "direction", "font_families", "guess_variety",
    "isolate", "load_translations", "ngettext", "number", "qlocale", "register_bundled_fonts",
    "retranslate_windows", "text_direction",
]

LOCALES_DIR = paths.LOCALES_DIR
DOMAIN = words.DOMAIN
DEFAULT_VARIETY = varieties.DEFAULT


def qlocale(variety: Variety) -> QLocale:
    """The Qt locale that writes `variety`'s numbers and translates Qt's own dialogs."""
    return QLocale(variety.locale)


class _Language:
    """The one current interface language of the process; its words are hafiza.words'."""

    def __init__(self) -> None:
        self.variety = VARIETIES[DEFAULT_VARIETY]
        self.qt_translator: QTranslator | None = None

    def set(self, tag: str) -> None:
        self.variety = VARIETIES[tag]
        words.set_language(tag)


_current = _Language()


def current_variety() -> Variety:
    return _current.variety


def number(value: float, decimals: int = -1) -> str:
    """`value` in the reader's digits and separators (١٬٢٣٤ / ۱٬۲۳۴ / 1.234 / 1,234)."""
    locale = qlocale(_current.variety)
    if not math.isfinite(value):
        return locale.toString(float(value))
    if (isinstance(value, int) or decimals == 0) and abs(value) < 2**53:
        return locale.toString(int(round(value)))
    if decimals < 0:
        return locale.toString(float(value), "g", 6)
    return locale.toString(float(value), "f", decimals)


def percent(fraction: float, decimals: int = 1) -> str:
    """`fraction` (0.25) as a percentage in the reader's digits and percent sign (25٪)."""
    return number(100 * fraction, decimals) + QLocale().percent()


def isolate(text: str) -> str:
    """Wraps text in a first-strong isolate (FSI ... PDI), so a Latin name or version put
    into a right-to-left sentence keeps its place and does not pull the reader's digits
    after it into its own run ("PyTorch 2.13.0، ۱ رشته")."""
    return f"\u2068{text}\u2069"


def guess_variety(system_locale: QLocale | None = None) -> str:
    """The variety to preselect on first run, from the system locale."""
    return varieties.guess((system_locale or QLocale.system()).name())


def direction(variety: Variety) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if variety.rtl else Qt.LayoutDirection.LeftToRight


def register_bundled_fonts() -> bool:
    """Loads the fonts shipped on PyPI (`varieties.BUNDLED_FONT_FAMILIES`); False if one is
    missing or unreadable."""
    try:
        import fontpkg

        paths = [fontpkg.path(family) for family in varieties.BUNDLED_FONT_FAMILIES]
    except Exception:  # the packages are dependencies, but the app must still start without
        return False
    return all(QFontDatabase.addApplicationFont(str(path)) >= 0 for path in paths)


def font_families(variety: Variety) -> list[str]:
    return list(variety.fonts)


def apply_language(app: QApplication, tag: str) -> Variety:
    """Switches the whole process to `tag`: strings, digits, Qt's own dialogs, direction, font.

    The caller then asks its windows to retranslate (`retranslate()`), which reads every
    string again through `_`.
    """
    _current.set(tag)
    variety = _current.variety
    QLocale.setDefault(qlocale(variety))
    if _current.qt_translator is not None:
        app.removeTranslator(_current.qt_translator)
        _current.qt_translator = None
    translator = QTranslator(app)
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # Qt's standard buttons (OK, Cancel...) come translated from Qt's own catalogs.
    if translator.load(qlocale(variety), "qtbase", "_", qt_translations):
        app.installTranslator(translator)
        _current.qt_translator = translator
    elif variety.tag != "en":  # English needs none; a bundle that lost them shows here
        logging.getLogger(__name__).warning("Qt's own translations for %s are not in %s",
                                            variety.locale, qt_translations)
    app.setLayoutDirection(direction(variety))
    # The app's name in the reader's script. Qt appends the display name to every window
    # title that does not already end with it (QPlatformWindow::formatWindowTitle), so the
    # windows end their titles with this same word, or leave the name to Qt.
    app.setApplicationDisplayName(_("Hafiza"))
    font = app.font()
    font.setFamilies(font_families(variety))
    app.setFont(font)
    return variety


def retranslate_windows(app: QApplication) -> None:
    """Asks every window of the app that can (`retranslate()`) to read its strings again:
    the main window, exercise windows, open dialogs, hidden ones too (shown again later)."""
    for widget in app.topLevelWidgets():
        retranslate = getattr(widget, "retranslate", None)
        if callable(retranslate):
            retranslate()


def text_direction(tag: str) -> Qt.LayoutDirection:
    """Direction of a block of content written in variety `tag` (not of the interface)."""
    variety = VARIETIES.get(tag)
    return direction(variety) if variety else Qt.LayoutDirection.LeftToRight

