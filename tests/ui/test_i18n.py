"""Catalogs, plural forms and the reader's digits in every variety."""

import re

import pytest
from babel.messages.pofile import read_po

from hafiza.ui import catalogs, i18n

ARABIC_FORMS = {0: 0, 1: 1, 2: 2, 3: 3, 11: 4, 100: 5}
PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?\}")  # {name} and {name!r}


@pytest.fixture
def language(qapp):
    yield lambda tag: i18n.apply_language(qapp, tag)
    i18n.apply_language(qapp, "en")


def test_compiled_catalogs_match_their_sources():
    assert catalogs.stale_catalogs() == []


@pytest.mark.parametrize("tag", sorted(catalogs.CATALOGS))
def test_plural_header_is_the_corrected_one(tag):
    with catalogs.po_path(tag).open("rb") as file:
        catalog = read_po(file)
    expected = catalogs.CATALOGS[tag][1]
    assert catalog.plural_forms == expected
    if tag in ("ary", "arz", "ar"):
        # Babel's own header sends 11 to form 5 and 100 to form 4 (babel issue 816).
        assert "n%100>=11 ? 4 : 5" in expected


@pytest.mark.parametrize("tag", ["ary", "arz", "ar"])
@pytest.mark.parametrize("n", sorted(ARABIC_FORMS))
def test_arabic_plural_forms_pick_cldr_categories(tag, n):
    translations = i18n.load_translations(tag)
    with catalogs.po_path(tag).open("rb") as file:
        catalog = read_po(file)
    forms = catalog.get(("{n} lesson", "{n} lessons")).string
    assert len(forms) == 6 and len(set(forms)) >= 4
    assert translations.ngettext("{n} lesson", "{n} lessons", n) == forms[ARABIC_FORMS[n]]


def test_arabic_plural_texts_read_right():
    translations = i18n.load_translations("ar")
    lesson = [translations.ngettext("{n} lesson", "{n} lessons", n) for n in (1, 2, 3, 11, 100)]
    assert lesson == ["درس واحد", "درسان", "{n} دروس", "{n} درسًا", "{n} درس"]
    egyptian = i18n.load_translations("arz")
    assert egyptian.ngettext("{n} minute", "{n} minutes", 2) == "دقيقتين"
    darija = i18n.load_translations("ary")
    assert darija.ngettext("{n} lesson", "{n} lessons", 2) == "جوج دروس"


def test_persian_and_english_plurals():
    persian = i18n.load_translations("fa")
    assert persian.ngettext("{n} lesson", "{n} lessons", 1) == "{n} درس"
    assert persian.ngettext("{n} lesson", "{n} lessons", 5) == "{n} درس"
    english = i18n.load_translations("en")
    assert english.ngettext("{n} lesson", "{n} lessons", 1) == "{n} lesson"
    assert english.ngettext("{n} lesson", "{n} lessons", 0) == "{n} lessons"


@pytest.mark.parametrize("tag", sorted(catalogs.CATALOGS))
def test_every_string_is_translated_with_its_placeholders(tag):
    with catalogs.po_path(tag).open("rb") as file:
        catalog = read_po(file)
    with catalogs.TEMPLATE.open("rb") as file:
        template = read_po(file)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        ids.discard(msgid)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"{tag}: untranslated {msgid!r}"
        expected = set(PLACEHOLDER.findall(msgid)) - {"n"}
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) - {"n"} == expected, (tag, msgid, text)
            assert "&" not in text or "&" in msgid
    assert not ids, f"{tag}: missing {sorted(ids)}"


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("ary", "1.234.567"),  # Moroccan readers use Latin digits
        ("arz", "١٬٢٣٤٬٥٦٧"),
        ("ar", "١٬٢٣٤٬٥٦٧"),
        ("fa", "۱٬۲۳۴٬۵۶۷"),
        ("en", "1,234,567"),
    ],
)
def test_numbers_in_the_readers_digits(language, tag, expected):
    language(tag)
    assert i18n.number(1234567) == expected


def test_decimals_in_the_readers_digits(language):
    language("fa")
    assert i18n.number(0.25, 2) == "۰٫۲۵"
    language("arz")
    assert i18n.number(3.5, 1) == "٣٫٥"


def test_plural_with_digits_in_a_sentence(language):
    language("arz")
    text = i18n.ngettext("{n} lesson", "{n} lessons", 7).format(n=i18n.number(7))
    assert text == "٧ دروس"
    language("ary")
    assert i18n.ngettext("{n} lesson", "{n} lessons", 11).format(n=i18n.number(11)) == "11 درس"


def test_guess_variety_from_system_locale():
    from PySide6.QtCore import QLocale

    assert i18n.guess_variety(QLocale("ar_MA")) == "ary"
    assert i18n.guess_variety(QLocale("ar_EG")) == "arz"
    assert i18n.guess_variety(QLocale("ar_SA")) == "ar"
    assert i18n.guess_variety(QLocale("fa_IR")) == "fa"
    assert i18n.guess_variety(QLocale("de_DE")) == "en"


def test_bundled_arabic_font_is_registered(qapp):
    from PySide6.QtGui import QFontDatabase

    assert i18n.register_bundled_fonts()
    assert i18n.ARABIC_FONT_FAMILY in QFontDatabase.families()
    # listed before DejaVu, which also has Arabic glyphs and would otherwise win
    families = i18n.font_families(i18n.VARIETIES["fa"])
    assert families.index(i18n.ARABIC_FONT_FAMILY) < families.index(i18n.FALLBACK_FONT_FAMILY)
