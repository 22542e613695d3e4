"""The lesson page renders every block type in a right-to-left and a left-to-right variety,
keeps the reading position, and emits the signals the app and the progress store use."""

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, read_outline
from hafiza.ui import i18n
from hafiza.ui.blocks import (
    AdmonitionWidget,
    CodeWidget,
    ExerciseCard,
    FigureWidget,
    FormulaWidget,
    QuizWidget,
    TextBlockWidget,
)
from hafiza.ui.blocks.quiz import read_number
from hafiza.ui.lesson_page import LessonPage

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "lstm-gates"
RTL, LTR = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight


@pytest.fixture
def page_for(qtbot, qapp, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(DEMO, lessons / "lstm-gates")
    i18n.register_bundled_fonts()

    def make(tag):
        i18n.apply_language(qapp, tag)
        outline = read_outline(BUILTIN_LESSONS_DIR, lessons)
        page = LessonPage()
        qtbot.addWidget(page)
        page.resize(QSize(760, 700))
        page.show()
        qtbot.waitExposed(page)
        page.show_lesson(outline, outline.find("lstm-gates"))
        return page

    yield make
    i18n.apply_language(qapp, "en")


def of_type(page, cls):
    found = []
    for block in page.content_blocks:
        found += [block] if isinstance(block, cls) else block.findChildren(cls)
    return found


@pytest.mark.parametrize("tag, direction", [("fa", RTL), ("arz", RTL), ("en", LTR)])
def test_every_block_type_renders_in_its_direction(page_for, tag, direction):
    page = page_for(tag)
    types = {type(b) for b in page.content_blocks}
    assert {TextBlockWidget, FormulaWidget, CodeWidget, FigureWidget, AdmonitionWidget,
            QuizWidget, ExerciseCard} <= types
    for text in of_type(page, TextBlockWidget):
        assert text.layoutDirection() == direction
        document = text.document()
        block = document.begin()
        while block.isValid():  # explicitly set on every paragraph, even "LSTM ..." ones
            assert block.blockFormat().layoutDirection() == direction
            block = block.next()
        assert text.height() > 10
    # formulas and code stay left to right
    assert all(f.layoutDirection() == LTR and not f.image.isNull()
               for f in of_type(page, FormulaWidget))
    assert all(c.layoutDirection() == LTR for c in of_type(page, CodeWidget))
    assert all(not f.image.original.isNull() for f in of_type(page, FigureWidget))
    first = of_type(page, TextBlockWidget)[0]
    assert first.plain_text().startswith("LSTM")  # a Latin word first, still laid out RTL


def test_persian_keeps_zwnj_and_formulas_are_drawn(page_for):
    page = page_for("fa")
    text = of_type(page, TextBlockWidget)[0]
    assert "\u200c" in text.plain_text()
    image = text.document().resource(text.document().ResourceType.ImageResource.value,
                                     QUrl("formula:0"))
    assert image is not None and not image.isNull()
    # the drawn formula is not blank (ziamath svg2=False)
    assert any(image.pixelColor(x, y).alpha() > 0
               for x in range(image.width()) for y in range(image.height()))


def test_quizzes_grade_and_emit(page_for, qtbot):
    page = page_for("arz")
    single, multiple, numeric, order = of_type(page, QuizWidget)
    with qtbot.waitSignal(page.quiz_answered) as signal:
        single.buttons[0].setChecked(True)
        single.check_button.click()
    assert signal.args == ["lstm-gates", "forget-gate", 0, True]
    assert single.explanations[0].isVisibleTo(single)
    assert single.feedback.text() == "صح!"
    multiple.buttons[0].setChecked(True)
    with qtbot.waitSignal(page.quiz_answered) as signal:
        multiple.check_button.click()
    assert signal.args[1:] == ["sigmoid-gates", [0], False]
    numeric.entry.setText("٠٫٥")  # Egyptian digits are read too
    with qtbot.waitSignal(page.quiz_answered) as signal:
        numeric.check_button.click()
    assert signal.args[3] is True
    with qtbot.waitSignal(page.quiz_answered) as signal:
        order.check_button.click()
    assert signal.args[3] is False  # the steps start in a wrong order
    for target in range(order.steps.count()):  # the up/down buttons put them right
        row = next(r for r in range(order.steps.count())
                   if order.steps.item(r).data(Qt.ItemDataRole.UserRole) == target)
        order.steps.setCurrentRow(row)
        for _ in range(row - target):
            order.move_step(-1)
    with qtbot.waitSignal(page.quiz_answered) as signal:
        order.check_button.click()
    assert signal.args[2:] == [[0, 1, 2], True]


def test_read_number_in_every_digit_system():
    assert read_number("۰٫۲۵") == 0.25 and read_number("٠٫٥") == 0.5
    assert read_number("0,5") == 0.5 and read_number("abc") is None


def test_exercise_card_train_button_emits(page_for, qtbot):
    page = page_for("fa")
    card = of_type(page, ExerciseCard)[0]
    assert card.train_button.isEnabled()
    assert "LSTM(16)" in card.model.text() and card.model.layoutDirection() == LTR
    assert "۰٫۰۱" in card.summary.plain_text()  # the goal in Persian digits
    with qtbot.waitSignal(page.exercise_requested) as signal:
        card.train_button.click()
    assert signal.args == ["lstm-gates", "lstm-sine"]


def test_reading_position_is_reported_restored_and_kept(page_for, qtbot, qapp):
    page = page_for("fa")
    bar = page.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 500)
    with qtbot.waitSignal(page.reading_position_changed, timeout=3000) as signal:
        page.restore_reading_position(0.5)
        page._on_scrolled(bar.value())
    assert signal.args[0] == "lstm-gates" and signal.args[1] == pytest.approx(0.5, abs=0.02)
    anchor_block = page._anchor[0]
    page.resize(QSize(560, 700))  # narrower: the page gets longer
    qtbot.wait(100)
    top = page._block_top(page.blocks[anchor_block])
    assert abs(bar.value() - top) < page.blocks[anchor_block].height() + 5
    fraction = page.reading_fraction()
    i18n.apply_language(qapp, "arz")
    page.retranslate()
    qtbot.wait(50)
    assert page.reading_fraction() == pytest.approx(fraction, abs=0.15)


def test_links_ask_before_opening_and_anchors_scroll(page_for, monkeypatch):
    page = page_for("fa")
    asked, opened = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1:]) or QMessageBox.StandardButton.No)
    monkeypatch.setattr("hafiza.ui.lesson_page.QDesktopServices.openUrl", opened.append)
    page.open_link(QUrl("https://colah.github.io/"))
    assert asked and asked[0][0] == "صفحهٔ وب باز شود؟" and not opened
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.open_link(QUrl("https://colah.github.io/"))
    assert opened == [QUrl("https://colah.github.io/")]
    for unsafe in ("https://user:secret@example.com/", "file:///etc/passwd", "javascript:x"):
        page.open_link(QUrl(unsafe))  # never opened, whatever the learner would answer
    assert opened == [QUrl("https://colah.github.io/")]
    page.open_link(QUrl("mailto:teacher@example.org"))  # a lesson's address: after asking
    assert opened[-1] == QUrl("mailto:teacher@example.org")
    page.open_link(QUrl("mailto:a@b.org%0Abcc:x@y.org"))  # a hidden second recipient
    assert opened[-1] == QUrl("mailto:teacher@example.org") and len(opened) == 2
    assert page.scroll_to_anchor("gates")
    page.open_link(QUrl("glossary:LSTM"))
    assert page.last_glossary[1].startswith("حافظهٔ کوتاه‌مدت")


def test_live_reload_when_a_file_changes(page_for, qtbot):
    page = page_for("en")
    folder = page.lesson.folder
    text = (folder / "en.md").read_text(encoding="utf-8")
    with qtbot.waitSignal(page.rendered, timeout=5000):
        (folder / "en.md").write_text(text.replace("LSTM layers remember",
                                                   "LSTM layers (edited) remember"),
                                      encoding="utf-8")
    assert "(edited)" in of_type(page, TextBlockWidget)[0].plain_text()


def test_broken_block_is_shown_not_hidden(qtbot, qapp, tmp_path):
    folder = tmp_path / "lessons" / "broken"
    folder.mkdir(parents=True)
    (folder / "lesson.yaml").write_text("id: broken\norder: 1\ntitle: {en: B}\n")
    (folder / "en.md").write_text("# B\n\n```quiz\nid: q\ntype: single\nquestion: Q\n"
                                  "options: [a, b]\n```\n")
    outline = read_outline(tmp_path / "lessons")
    page = LessonPage()
    qtbot.addWidget(page)
    page.show_lesson(outline, outline.find("broken"))
    from hafiza.ui.blocks import ProblemWidget

    problem = [b for b in page.content_blocks if isinstance(b, ProblemWidget)]
    assert problem and "exactly one correct" in problem[0].detail.text()
