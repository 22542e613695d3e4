"""Languages of the interface: gettext catalogs, number formatting, direction and fonts.

Content varieties are `ary`, `arz`, `ar`, `fa` and `en`. Babel and Qt know no `ary`/`arz`,
so each variety names the locale used to format its numbers; QLocale gives the reader's
digits (Egyptian and Persian digits, Latin digits for Moroccan), which Babel never does.
The functions `_`, `ngettext` and `number` always speak the current language, so a
widget retranslates simply by reading its strings again.
"""

from __future__ import annotations

import gettext
import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "hafiza"


@dataclass(frozen=True)
class Variety:
    tag: str  # content language tag used in files, settings and the database
    native_name: str
    english_name: str
    locale_name: str  # formatting locale (Babel and QLocale)
    rtl: bool

    @property
    def qlocale(self) -> QLocale:
        return QLocale(self.locale_name)


VARIETIES: dict[str, Variety] = {
    v.tag: v
    for v in (
        Variety("ary", "الدارجة المغربية", "Moroccan Darija", "ar_MA", True),
        Variety("arz", "العامية المصرية", "Egyptian Arabic", "ar_EG", True),
        Variety("ar", "العربية الفصحى", "Modern Standard Arabic", "ar", True),
        Variety("fa", "فارسی", "Persian", "fa_IR", True),
        Variety("en", "English", "English", "en", False),
    )
}
DEFAULT_VARIETY = "en"

# Arabic and Persian text read best in the bundled Noto font; DejaVu also has Arabic glyphs
# and would win if listed first, so it only comes after.
ARABIC_FONT_FAMILY = "Noto Sans Arabic"
FALLBACK_FONT_FAMILY = "DejaVu Sans"


def N_(message: str) -> str:
    """Marks a string for extraction where it is translated later, at display time."""
    return message


class _Language:
    """The one current interface language of the process."""

    def __init__(self) -> None:
        self.variety = VARIETIES[DEFAULT_VARIETY]
        self.translations: gettext.NullTranslations = gettext.NullTranslations()
        self.qt_translator: QTranslator | None = None

    def set(self, tag: str) -> None:
        self.variety = VARIETIES[tag]
        self.translations = load_translations(tag)


_current = _Language()


def load_translations(tag: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[tag], fallback=True)


def current_variety() -> Variety:
    return _current.variety


def _(message: str) -> str:
    return _current.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.translations.ngettext(singular, plural, n)


def number(value: float, decimals: int = -1) -> str:
    """`value` in the reader's digits and separators (١٬٢٣٤ / ۱٬۲۳۴ / 1.234 / 1,234)."""
    qlocale = _current.variety.qlocale
    if not math.isfinite(value):
        return qlocale.toString(float(value))
    if (isinstance(value, int) or decimals == 0) and abs(value) < 2**53:
        return qlocale.toString(int(round(value)))
    if decimals < 0:
        return qlocale.toString(float(value), "g", 6)
    return qlocale.toString(float(value), "f", decimals)


def isolate(text: str) -> str:
    """Wraps text in a first-strong isolate (FSI ... PDI), so a Latin name or version put
    into a right-to-left sentence keeps its place and does not pull the reader's digits
    after it into its own run ("PyTorch 2.13.0، ۱ رشته")."""
    return f"\u2068{text}\u2069"


def guess_variety(system_locale: QLocale | None = None) -> str:
    """The variety to preselect on first run, from the system locale."""
    locale = system_locale or QLocale.system()
    name = locale.name()
    if name.startswith("fa"):
        return "fa"
    if name == "ar_MA":
        return "ary"
    if name == "ar_EG":
        return "arz"
    if name.startswith("ar"):
        return "ar"
    return "en"


def direction(variety: Variety) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if variety.rtl else Qt.LayoutDirection.LeftToRight


def register_bundled_fonts() -> bool:
    """Loads the Arabic/Persian font shipped on PyPI; False if it is missing or unreadable."""
    try:
        import fontpkg

        path = fontpkg.path(ARABIC_FONT_FAMILY)
    except Exception:  # the package is a dependency, but the app must still start without it
        return False
    return QFontDatabase.addApplicationFont(str(path)) >= 0


def font_families(variety: Variety) -> list[str]:
    if variety.rtl:
        return [ARABIC_FONT_FAMILY, FALLBACK_FONT_FAMILY]
    return [FALLBACK_FONT_FAMILY, ARABIC_FONT_FAMILY]


def apply_language(app: QApplication, tag: str) -> Variety:
    """Switches the whole process to `tag`: strings, digits, Qt's own dialogs, direction, font.

    The caller then asks its windows to retranslate (`retranslate()`), which reads every
    string again through `_`.
    """
    _current.set(tag)
    variety = _current.variety
    QLocale.setDefault(variety.qlocale)
    if _current.qt_translator is not None:
        app.removeTranslator(_current.qt_translator)
        _current.qt_translator = None
    translator = QTranslator(app)
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # Qt's standard buttons (OK, Cancel...) come translated from Qt's own catalogs.
    if translator.load(variety.qlocale, "qtbase", "_", qt_translations):
        app.installTranslator(translator)
        _current.qt_translator = translator
    app.setLayoutDirection(direction(variety))
    font = app.font()
    font.setFamilies(font_families(variety))
    app.setFont(font)
    return variety


def text_direction(tag: str) -> Qt.LayoutDirection:
    """Direction of a block of content written in variety `tag` (not of the interface)."""
    variety = VARIETIES.get(tag)
    return direction(variety) if variety else Qt.LayoutDirection.LeftToRight

