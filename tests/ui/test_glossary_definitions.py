"""A glossary definition reads in right-to-left text as it was written: its formulas keep
their left-to-right order («−log p», not «log p-») and the numbers of its prose are in the
variety's digits, in Go > Glossary… and in the definition a clicked term shows on the page.
The glossary's own small lines (the term count, the English key) are readable: 4.5:1."""

import shutil
from pathlib import Path

import pytest
from contrast import contrast
from drawn_text import drawn_x
from PySide6.QtCore import QSize
from PySide6.QtGui import QPalette

from hafiza.lessonlib.glossary import course_glossary
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, read_outline
from hafiza.ui import i18n, theme
from hafiza.ui.glossary_dialog import GlossaryDialog, readable_definition
from hafiza.ui.i18n import isolate
from hafiza.ui.lesson_page import LessonPage

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "lstm-gates"


def definition(key: str, tag: str) -> str:
    return course_glossary(BUILTIN_LESSONS_DIR)[key][tag].partition(" — ")[2]


def test_formulas_are_isolated_and_prose_numbers_take_the_varietys_digits():
    persian = readable_definition(definition("sigmoid", "fa"), "fa")
    assert isolate("σ(z) = 1 / (1 + e^(−z))") in persian  # the formula as written
    assert "بین ۰ و ۱" in persian and isolate("LSTM") in persian
    assert readable_definition(definition("cross-entropy", "fa"), "fa").endswith(
        f"یعنی {isolate('−log p')}.")
    egyptian = readable_definition(definition("tanh", "arz"), "arz")
    assert "بين \u061c-١ و١" in egyptian  # the prose rule: the number is the reader's
    assert "بين -1 و1" in readable_definition(definition("tanh", "ary"), "ary").replace(
        "\u200e", "")
    english = definition("cross-entropy", "en")
    assert readable_definition(english, "en") == english  # nothing to isolate or convert


def test_the_minus_of_a_formula_is_drawn_on_its_left(qapp):
    raw = definition("cross-entropy", "fa")
    shown = readable_definition(raw, "fa")
    minus, log, p = (shown.index("−log p") + offset for offset in (0, 1, 5))
    assert drawn_x(shown, minus) < drawn_x(shown, log) < drawn_x(shown, p)
    # As written, the right-to-left sentence took the minus to the far end: «log p-».
    raw_minus, raw_p = raw.index("−log p"), raw.index("−log p") + 5
    assert drawn_x(raw, raw_minus) > drawn_x(raw, raw_p)


@pytest.fixture
def persian(qapp):
    i18n.apply_language(qapp, "fa")
    yield
    i18n.apply_language(qapp, "en")
    theme.apply_theme(qapp, "light")


def test_the_glossary_dialog_shows_the_readable_definition(qtbot, persian):
    dialog = GlossaryDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("cross-entropy")
    assert dialog.shown_terms() == ["آنتروپی متقاطع"]
    assert dialog.definition.text() == readable_definition(definition("cross-entropy", "fa"),
                                                           "fa")
    assert isolate("−log p") in dialog.definition.text()




@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_term_count_and_the_english_key_are_readable(qtbot, qapp, persian, scheme):
    dialog = GlossaryDialog()
    qtbot.addWidget(dialog)
    theme.apply_theme(qapp, "dark" if scheme == "light" else "light")  # then switched
    dialog.show()
    theme.apply_theme(qapp, scheme)
    qapp.processEvents()
    dialog.search.setText("gradient descent")
    assert dialog.key.text() == "gradient descent" and dialog.key.isVisible()
    for label in (dialog.count, dialog.key):
        assert label.isEnabled()  # not the disabled grey
        palette = label.palette()
        ink = palette.color(QPalette.ColorRole.WindowText)
        paper = palette.color(QPalette.ColorRole.Window)
        assert paper == qapp.palette().color(QPalette.ColorRole.Window)
        assert contrast(ink, paper) >= 4.5, (label.objectName(), scheme)
        assert ink != qapp.palette().color(QPalette.ColorRole.WindowText)  # still muted


def test_a_clicked_term_shows_its_formula_left_to_right(qtbot, qapp, tmp_path, persian):
    lessons = tmp_path / "lessons"
    shutil.copytree(DEMO, lessons / "lstm-gates")
    shutil.copy(BUILTIN_LESSONS_DIR / "glossary.yaml", lessons / "glossary.yaml")
    outline = read_outline(BUILTIN_LESSONS_DIR, lessons)
    page = LessonPage()
    qtbot.addWidget(page)
    page.resize(QSize(760, 700))
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.rendered, timeout=10_000):
        page.show_lesson(outline, outline.find("lstm-gates"))
    qtbot.waitUntil(lambda: page.lesson_data is not None, timeout=10_000)
    page.show_definition("cross-entropy")
    term, text = page.last_glossary
    assert term == "cross-entropy" and isolate("−log p") in text
    assert text.startswith("آنتروپی متقاطع")
