"""A hostile lesson cannot freeze or break the lesson page, nor show the learner's files.

Each lesson here is written by the test into tmp_path: markup in every place an author's words
reach the page, exercise data of the wrong types, texts too large to parse on the GUI thread
or at all, and more blocks than a page draws.
"""

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QTextEdit, QToolTip

from hafiza.lessonlib.outline import read_outline
from hafiza.lessonlib.parser import MAX_MARKDOWN_BYTES
from hafiza.ui import course, i18n, lesson_page
from hafiza.ui.blocks import ExerciseCard, ProblemWidget, TextBlockWidget
from hafiza.ui.blocks.page_text import NoteBlock
from hafiza.ui.lesson_page import SYNC_PARSE_BYTES, LessonPage

SECRET = "file:///home/learner/secret.png"
MARKUP = f'<img src="{SECRET}"><b>bold</b>'
YAML = f"""id: hostile
order: 1
title: {{en: Hostile}}
glossary:
  trap: {{en: '{MARKUP}'}}
exercises:
  - id: broken
    title: {{en: '{MARKUP}'}}
    controls: 5
    model: 7
    goal: {{metric: loss, op: [1], value: .nan}}
"""
TEXT = f"""# Hostile

A [[trap]] in the text.

::: warning {MARKUP}
Inside.
:::

| head | {MARKUP} |
|------|------|
| <script>x</script> | cell |

```exercise
id: broken
```

The end.
"""


@pytest.fixture
def open_lesson(qtbot, qapp, tmp_path):
    i18n.apply_language(qapp, "en")

    def make(text: str = TEXT, yaml: str = YAML, wait: bool = True) -> LessonPage:
        folder = tmp_path / "lessons" / "hostile"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lesson.yaml").write_text(yaml, encoding="utf-8")
        (folder / "en.md").write_text(text, encoding="utf-8")
        outline = read_outline(tmp_path / "lessons")
        page = LessonPage()
        qtbot.addWidget(page)
        page.resize(800, 600)
        page.show_lesson(outline, outline.find("hostile"))
        if wait:
            qtbot.waitUntil(lambda: page.loading is None and not page.task_busy)
        return page

    return make


def notes(page) -> list[str]:
    return [block.text() for block in page.blocks if isinstance(block, NoteBlock)]


def test_markup_from_a_lesson_reaches_no_label_as_markup(open_lesson):
    page = open_lesson()
    for label in page.widget().findChildren(QLabel):
        assert label.textFormat() == label.textFormat().PlainText or "<" not in label.text()
    for text in page.widget().findChildren(QTextEdit):
        assert f'<img src="{SECRET}' not in text.toHtml()  # in the text, escaped
    headings = [label.text() for label in page.widget().findChildren(QLabel, "callout-heading")]
    assert f"Warning: {MARKUP}" in headings and f"Exercise: {MARKUP}" in headings
    cells = " ".join(t.plain_text() for t in page.widget().findChildren(TextBlockWidget))
    assert MARKUP in cells and "<script>x</script>" in cells


def test_exercise_data_of_the_wrong_types_still_leaves_the_whole_lesson(open_lesson):
    page = open_lesson()
    cards = [b for b in page.content_blocks if isinstance(b, ExerciseCard)]
    assert len(cards) == 1 and cards[0].model.text() == ""
    last = page.content_blocks[-1]
    assert isinstance(last, TextBlockWidget) and last.plain_text() == "The end."
    assert not [b for b in page.content_blocks if isinstance(b, ProblemWidget)]


def test_a_glossary_definition_is_shown_as_text(open_lesson, qtbot):
    page = open_lesson()
    page.show()
    qtbot.waitExposed(page)
    page.show_definition("trap")
    assert page.last_glossary == ("trap", MARKUP)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "&lt;img" in QToolTip.text() and "<img" not in QToolTip.text()
    QToolTip.hideText()


def long_text(size: int) -> str:
    paragraph = "A paragraph of a long lesson, written to be parsed in the background. " * 3
    paragraph += "\n\n"
    return "# Long\n\n" + paragraph * (size // len(paragraph) + 1)


def test_a_large_lesson_is_parsed_off_the_gui_thread(open_lesson, qtbot, monkeypatch):
    release, started = threading.Event(), threading.Event()
    read = course.read_lesson

    def slow_read(folder, variety):
        started.set()
        release.wait(30)
        return read(folder, variety)

    monkeypatch.setattr(course, "read_lesson", slow_read)
    page = open_lesson(long_text(SYNC_PARSE_BYTES * 2), wait=False)
    assert page.loading is not None and notes(page) == ["Loading the lesson…"]
    assert page.content_blocks == []
    page.restore_reading_position(0.5)  # asked for while loading: applied once drawn
    qtbot.waitUntil(started.is_set)
    ticks = []
    QTimer.singleShot(0, lambda: ticks.append("the window answered"))
    qtbot.waitUntil(lambda: ticks == ["the window answered"])  # while the parse still runs
    assert page.loading is not None
    release.set()
    qtbot.waitUntil(lambda: page.loading is None and not page.task_busy)
    assert len(page.content_blocks) > 100 and notes(page) == []
    qtbot.waitUntil(lambda: abs(page.reading_fraction() - 0.5) < 0.05)


def test_a_lesson_left_while_loading_does_not_come_back(open_lesson, qtbot):
    page = open_lesson(long_text(SYNC_PARSE_BYTES * 2), wait=False)
    page.show_welcome(read_outline())
    qtbot.waitUntil(lambda: not page.task_busy)
    assert page.lesson is None and page.content_blocks == []
    assert page.blocks[0].text() == "Welcome to Hafiza"


def test_a_text_over_the_cap_is_refused_with_a_note(open_lesson):
    page = open_lesson(long_text(MAX_MARKDOWN_BYTES + 100 * 1024))
    assert notes(page) == ["This lesson's text is too long to show: 1,124 KB, where a lesson "
                           "may have up to 1,024 KB."]
    assert page.content_blocks == [] and page.document is None


def test_a_page_draws_at_most_its_block_budget(open_lesson, monkeypatch):
    monkeypatch.setattr(lesson_page, "MAX_PAGE_BLOCKS", 5)
    text = "# Many\n\n" + "".join(f"Paragraph {n}.\n\n" for n in range(12))
    page = open_lesson(text)
    assert len(page.content_blocks) == 5
    assert notes(page) == ["The rest of this lesson (7 parts) is too long to show on one page."]


def test_a_reader_that_fails_in_the_worker_leaves_a_problem_box(open_lesson, monkeypatch):
    def broken(_folder, _variety):
        raise MemoryError
    monkeypatch.setattr(course, "read_lesson", broken)
    page = open_lesson(long_text(SYNC_PARSE_BYTES * 2))
    problems = [b for b in page.blocks if isinstance(b, ProblemWidget)]
    assert len(problems) == 1
    assert "the lesson could not be read (MemoryError)" in problems[0].detail.text()


def test_a_parser_bug_becomes_a_message_not_a_crash(open_lesson, monkeypatch):
    def broken(*_args):
        raise IndexError("a bug")
    # ui.course imports the parser when the first lesson is read (not at start-up).
    monkeypatch.setattr("hafiza.lessonlib.loader.read_document", broken)
    page = open_lesson()  # small: read on the GUI thread, where a raise would reach the user
    problems = [b for b in page.blocks if isinstance(b, ProblemWidget)]
    assert "the lesson could not be read (IndexError)" in problems[0].detail.text()
