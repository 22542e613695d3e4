"""Every place that knows the language varieties agrees with the one table, hafiza.varieties.

Adding a language is a row in that table plus its content; these tests fail until the row and
the content (catalog, lessons) fit together, and if any place keeps a list of its own.
"""

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import ROOT

from hafiza import varieties
from hafiza.varieties import TAGS, VARIETIES

LOCALES = ROOT / "locales"
LESSONS = ROOT / "lessons"


# --- the table itself ---------------------------------------------------------------------

# Rows may be added; these pin the facts of the five the course is written in.
FIVE = ("ary", "arz", "ar", "fa", "en")


def test_the_table_holds_the_five_varieties_in_order():
    assert tuple(tag for tag in TAGS if tag in FIVE) == FIVE
    assert all(tag == variety.tag for tag, variety in VARIETIES.items())
    assert varieties.DEFAULT == "en" and not varieties.get("en").has_catalog


def test_facts_of_each_row():
    assert [varieties.get(tag).direction for tag in FIVE] == ["rtl"] * 4 + ["ltr"]
    assert [varieties.is_rtl(tag) for tag in FIVE] == [True] * 4 + [False]
    assert not varieties.is_rtl("de")
    assert [varieties.get(tag).locale for tag in FIVE] == ["ar_MA", "ar_EG", "ar", "fa_IR", "en"]
    assert [varieties.get(tag).zero_digit for tag in FIVE] == ["0", "٠", "٠", "۰", "0"]
    assert [varieties.get(tag).english_name for tag in FIVE] == [
        "Moroccan Darija", "Egyptian Arabic", "Modern Standard Arabic", "Persian", "English"]
    assert set(FIVE[:4]) <= set(varieties.CATALOG_TAGS)
    assert varieties.CATALOG_TAGS == tuple(t for t in TAGS if varieties.get(t).has_catalog)
    with pytest.raises(KeyError):
        varieties.get("de")
    assert varieties.is_known("fa") and not varieties.is_known("de")
    assert not varieties.is_known(["fa"])  # a damaged setting is no tag


def test_every_fallback_chain_ends_in_the_default_language():
    assert varieties.fallback_chain("ary") == ("ary", "ar", "en")
    assert varieties.fallback_chain("arz") == ("arz", "ar", "en")
    assert varieties.fallback_chain("fa") == ("fa", "en")
    assert varieties.fallback_chain("de") == ("en",)
    for tag in TAGS:
        chain = varieties.fallback_chain(tag)
        assert chain[0] == tag and chain[-1] == varieties.DEFAULT
        assert all(step in VARIETIES for step in chain)


def test_system_locales_preselect_the_most_precise_variety():
    assert varieties.guess("ar_MA") == "ary"
    assert varieties.guess("ar_EG") == "arz"
    assert varieties.guess("ar_SA") == "ar"
    assert varieties.guess("fa_AF") == "fa"
    assert varieties.guess("de_DE") == "en"
    assert varieties.guess("arn_CL") == "en"  # Mapudungun is not Arabic
    for tag, variety in VARIETIES.items():
        for name in variety.system_locales:
            assert varieties.guess(name) == tag


def test_bundled_fonts_serve_some_variety():
    used = {family for v in VARIETIES.values() for family in v.fonts}
    assert set(varieties.BUNDLED_FONT_FAMILIES) <= used
    assert all(v.fonts for v in VARIETIES.values())
    # right-to-left text prefers the bundled Arabic-script font over DejaVu
    assert varieties.get("fa").fonts[0] == varieties.ARABIC_FONT_FAMILY
    assert varieties.every_font()[:2] == (varieties.ARABIC_FONT_FAMILY,
                                          varieties.FALLBACK_FONT_FAMILY)
    assert set(varieties.every_font()) == used


# --- content: catalogs and lessons ------------------------------------------------------

def test_a_catalog_folder_for_exactly_the_varieties_with_a_catalog():
    folders = {path.name for path in LOCALES.iterdir() if path.is_dir()}
    assert folders == set(varieties.CATALOG_TAGS)
    for tag in varieties.CATALOG_TAGS:
        po = LOCALES / tag / "LC_MESSAGES" / "hafiza.po"
        assert po.is_file() and po.with_suffix(".mo").is_file(), tag
        with po.open("rb") as file:
            assert read_po(file).plural_forms == varieties.get(tag).plural_forms, tag


def _lesson_folders() -> list[Path]:
    return sorted(path.parent for path in LESSONS.glob("*/lesson.yaml"))


def test_builtin_lessons_are_written_in_the_varieties_they_claim():
    assert _lesson_folders()
    for folder in _lesson_folders():
        texts = {path.stem for path in folder.glob("*.md")}
        titles = yaml.safe_load((folder / "lesson.yaml").read_text(encoding="utf-8"))["title"]
        assert texts <= set(TAGS), folder.name
        assert set(titles) == texts, folder.name


def test_the_course_glossary_speaks_only_known_varieties():
    glossary = yaml.safe_load((LESSONS / "glossary.yaml").read_text(encoding="utf-8"))
    for term, entry in glossary.items():
        assert set(entry) <= set(TAGS), term


def test_no_source_module_keeps_its_own_list_of_tags():
    # A second list such as ("ary", "arz", ...) drifts from the table the day a row is added.
    listed = re.compile(r"""["']ary["']\s*,\s*["']arz["']""")
    table = ROOT / "hafiza" / "varieties.py"
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("hafiza", "engine", "lessonlib", "store", "ui")
        for path in (ROOT / folder).rglob("*.py")
        if path != table and listed.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- the places that read the table -----------------------------------------------------

def test_the_command_line_offers_every_variety_and_refuses_others():
    from hafiza.__main__ import parse_app_arguments

    for tag in TAGS:
        assert parse_app_arguments(["--lang", tag]).lang == tag
    with pytest.raises(SystemExit):
        parse_app_arguments(["--lang", "de"])


def test_the_settings_accept_exactly_the_varieties():
    from hafiza.store.preferences import valid_setting

    assert all(valid_setting("language", tag) for tag in TAGS)
    assert not valid_setting("language", "de")
    assert not valid_setting("language", None)


def test_the_lesson_schema_takes_its_varieties_from_the_table():
    from hafiza.lessonlib import schema

    assert schema.schema()["$defs"]["variety"] == {"enum": list(TAGS)}
    # the file itself lists no tags, so it cannot fall out of step
    on_disk = schema.SCHEMA_PATH.read_text(encoding="utf-8")
    assert "enum" not in re.search(r'"variety": \{[^}]*\}', on_disk).group(0)
    text = "id: x\norder: 1\ntitle:\n  fa: عنوان\n  de: Titel\n"
    data, node = schema.read_yaml(text)
    problems = schema.validate(data, node, "lesson.yaml")
    assert [(p.line, "'de'" in p.message) for p in problems] == [(5, True)]


def test_the_lesson_model_and_corpora_know_every_variety():
    from hafiza.engine.data import corpora
    from hafiza.lessonlib import model

    assert model.VARIETY_TAGS == TAGS
    assert model.fallback_chain("arz") == varieties.fallback_chain("arz")
    assert corpora.VARIETIES == TAGS
    assert {f"lessons:{tag}" for tag in TAGS} <= set(corpora.CORPORA)
    for tag in TAGS:  # a new variety may have no lessons yet: its learners read a fallback
        has_lessons = any(LESSONS.glob(f"*/{tag}.md"))
        assert bool(corpora.lesson_corpus(tag, LESSONS)) == has_lessons, tag


def test_a_new_lesson_in_every_variety_passes_the_checker(tmp_path):
    from hafiza.lessonlib import checker, skeleton

    folder = skeleton.new_lesson("all-varieties", list(TAGS), tmp_path)
    assert sorted(path.stem for path in folder.glob("*.md")) == sorted(TAGS)
    assert checker.check_lesson(folder) == []


def test_the_interface_catalogs_are_the_tables():
    from hafiza.ui import catalogs

    assert list(catalogs.CATALOGS) == list(varieties.CATALOG_TAGS)
    for tag, (locale, plural_forms) in catalogs.CATALOGS.items():
        assert (locale, plural_forms) == (varieties.get(tag).locale,
                                          varieties.get(tag).plural_forms)


def test_the_interface_languages_are_the_tables(qapp):
    import gettext

    from PySide6.QtCore import QLocale, Qt

    from hafiza.ui import i18n

    assert i18n.VARIETIES is VARIETIES
    for tag, variety in VARIETIES.items():
        # the row's digits are the ones Qt writes for its locale
        assert QLocale(variety.locale).toString(0) == variety.zero_digit, tag
        expected = Qt.LayoutDirection.RightToLeft if variety.rtl else \
            Qt.LayoutDirection.LeftToRight
        assert i18n.text_direction(tag) == expected
        assert i18n.font_families(variety) == list(variety.fonts)
        translations = i18n.load_translations(tag)
        assert isinstance(translations, gettext.GNUTranslations) == variety.has_catalog, tag


def test_the_language_chooser_lists_and_asks_in_every_variety(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from hafiza.ui.language_dialog import LanguageDialog

    dialog = LanguageDialog("fa")
    qtbot.addWidget(dialog)
    entries = [dialog.list.item(row).data(Qt.ItemDataRole.UserRole)
               for row in range(dialog.list.count())]
    assert entries == list(TAGS)
    prompts = [label.text() for label in dialog.findChildren(QLabel)]
    assert prompts == [v.prompt for v in VARIETIES.values()]
    assert dialog.chosen() == "fa"
