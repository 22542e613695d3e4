"""The app's words in the reader's language, without Qt: gettext over locales/<tag>.

One language per process: the window's (ui.i18n.apply_language sets it) or the command
line's (`set_language`). The interface, the lesson checker (lessonlib) and the engine's
exercise checks word their messages through `_`, so an instructor reads the checker in their
own language wherever the app has it, in the window and in a terminal alike. The catalogs are
the interface's (python -m hafiza.ui.catalogs extracts from all three).
"""

from __future__ import annotations

import gettext

from hafiza import paths, varieties

DOMAIN = "hafiza"


class _Language:
    def __init__(self) -> None:
        self.tag = varieties.DEFAULT
        self.translations: gettext.NullTranslations = gettext.NullTranslations()


_current = _Language()


def load_translations(tag: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=paths.LOCALES_DIR, languages=[tag],
                               fallback=True)


def set_language(tag: str) -> None:
    """Speaks `tag` from now on (a known variety; anything else keeps the default)."""
    if not varieties.is_known(tag):
        tag = varieties.DEFAULT
    _current.tag = tag
    _current.translations = load_translations(tag)


def language() -> str:
    return _current.tag


def _(message: str) -> str:
    return _current.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction where it is translated later, at display time."""
    return message
