"""The language varieties Hafiza speaks: one table, one row per variety, read everywhere.

The command line's ``--lang``, the settings, the lesson files and their schema, the language
models' lesson corpora, the interface catalogs, number formatting, text direction, fonts and
the language chooser all take their list and their facts from ``VARIETIES`` below. Adding a
language is one row here plus its content (lessons, an interface catalog, a font if its script
needs one): see docs/translating.md, "Adding a language"; tests/test_varieties.py checks that
every place agrees with the table.

Base layer: no Qt, no torch, nothing from the rest of Hafiza, so that any layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Plural rules of the interface catalogs (gettext Plural-Forms). Babel writes a wrong Arabic
# one (python-babel issue 816: 11 gets the "other" form, 100 the "many" form), so the correct
# header is written out here and `ui.catalogs` puts it into every catalog it touches.
ARABIC_PLURALS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
)
PERSIAN_PLURALS = "nplurals=2; plural=(n > 1);"

# Arabic and Persian read best in the bundled Noto font; DejaVu also has Arabic glyphs and
# would win if listed first, so it only comes second for right-to-left varieties.
ARABIC_FONT_FAMILY = "Noto Sans Arabic"
FALLBACK_FONT_FAMILY = "DejaVu Sans"
# Font families shipped as Python packages (fontpkg; each one is a `fontpkg-*` dependency in
# pyproject.toml) and registered with Qt at start-up, so they need no system font.
BUNDLED_FONT_FAMILIES = (ARABIC_FONT_FAMILY,)

ARABIC_SCRIPT_FONTS = (ARABIC_FONT_FAMILY, FALLBACK_FONT_FAMILY)
LATIN_SCRIPT_FONTS = (FALLBACK_FONT_FAMILY, ARABIC_FONT_FAMILY)


@dataclass(frozen=True)
class Variety:
    tag: str  # the tag in file names (fa.md), settings, the database and `--lang`
    english_name: str
    native_name: str
    rtl: bool  # written right to left: the interface mirrors, its text blocks run RTL
    # Locale name (Babel and QLocale) for the variety's numbers, Qt's own dialog texts and
    # its interface catalog: Babel and Qt know no `ary` or `arz`.
    locale: str
    zero_digit: str  # the digits its numbers are shown in, as QLocale(locale) writes them
    fonts: tuple[str, ...]  # font families in order of preference
    # gettext Plural-Forms of its interface catalog, locales/<tag>/LC_MESSAGES/hafiza.po;
    # None for the source language, English, which needs no catalog.
    plural_forms: str | None
    fallback: str | None  # where a lesson missing in this variety is looked for next
    # System locales (a language, or language_TERRITORY) that preselect it on first run.
    system_locales: tuple[str, ...]
    prompt: str  # "Choose your language" in it, shown before any language is chosen

    @property
    def has_catalog(self) -> bool:
        return self.plural_forms is not None

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


VARIETIES: dict[str, Variety] = {
    variety.tag: variety
    for variety in (
        Variety("ary", "Moroccan Darija", "الدارجة المغربية", rtl=True, locale="ar_MA",
                zero_digit="0",  # Moroccan readers use Latin digits
                fonts=ARABIC_SCRIPT_FONTS, plural_forms=ARABIC_PLURALS, fallback="ar",
                system_locales=("ar_MA",), prompt="ختار اللغة ديالك"),
        Variety("arz", "Egyptian Arabic", "العامية المصرية", rtl=True, locale="ar_EG",
                zero_digit="٠", fonts=ARABIC_SCRIPT_FONTS, plural_forms=ARABIC_PLURALS,
                fallback="ar", system_locales=("ar_EG",), prompt="اختار لغتك"),
        Variety("ar", "Modern Standard Arabic", "العربية الفصحى", rtl=True, locale="ar",
                zero_digit="٠", fonts=ARABIC_SCRIPT_FONTS, plural_forms=ARABIC_PLURALS,
                fallback="en", system_locales=("ar",), prompt="اختر لغتك"),
        Variety("fa", "Persian", "فارسی", rtl=True, locale="fa_IR", zero_digit="۰",
                fonts=ARABIC_SCRIPT_FONTS, plural_forms=PERSIAN_PLURALS, fallback="en",
                system_locales=("fa",), prompt="زبان خود را انتخاب کنید"),
        Variety("en", "English", "English", rtl=False, locale="en", zero_digit="0",
                fonts=LATIN_SCRIPT_FONTS, plural_forms=None, fallback=None,
                system_locales=(), prompt="Choose your language"),
    )
}
TAGS: tuple[str, ...] = tuple(VARIETIES)
# The interface language before the learner chose one, and the last resort for lessons.
DEFAULT = "en"
# Varieties with an interface catalog, in table order.
CATALOG_TAGS: tuple[str, ...] = tuple(tag for tag, v in VARIETIES.items() if v.has_catalog)


def get(tag: str) -> Variety:
    """The row of `tag`; KeyError for a tag that is not in the table."""
    return VARIETIES[tag]


def is_known(tag: object) -> bool:
    return isinstance(tag, str) and tag in VARIETIES


def is_rtl(tag: str) -> bool:
    """True if `tag` is written right to left; an unknown tag reads left to right."""
    variety = VARIETIES.get(tag)
    return variety.rtl if variety else False


def fallback_chain(tag: str) -> tuple[str, ...]:
    """`tag` and where a text missing in it is looked for next, in order (ary, ar, en).
    An unknown tag gets the default language only."""
    if tag not in VARIETIES:
        return (DEFAULT,)
    chain = [tag]
    while (following := VARIETIES[chain[-1]].fallback) is not None and following not in chain:
        chain.append(following)
    return tuple(chain)


def every_font() -> tuple[str, ...]:
    """The font families of every variety, most preferred first: for text that shows all of
    them at once (the language chooser, before a language is chosen)."""
    return tuple(dict.fromkeys(family for v in VARIETIES.values() for family in v.fonts))


def guess(system_locale: str) -> str:
    """The variety to preselect on first run for a system locale name such as "ar_MA": the
    row naming that locale most precisely (ar_MA before ar), else the default."""
    language = system_locale.split("_")[0]
    best, best_length = DEFAULT, 0
    for tag, variety in VARIETIES.items():
        for name in variety.system_locales:
            if name in (system_locale, language) and len(name) > best_length:
                best, best_length = tag, len(name)
    return best
