"""The preview of a lesson folder (ui.lesson_preview): drawn again at each save, however the
editor saves, keeping the reader's place, with the checker's problems beside the page.

The battery below is the instructor's side of issue 20's item 7: mistakes made while writing
with the preview open. Each row breaks a good lesson (made by `lessons new --dir`, outside the
library), saves, and the side panel must show the checker's line for it at the right
file:line, in words, with the right severity (the warnings are warnings by design: the lesson
still works for a learner).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser

from hafiza.lessonlib import skeleton
from hafiza.ui import i18n
from hafiza.ui.blocks import ExerciseCard, ProblemWidget
from hafiza.ui.lesson_preview import LessonPreview

PARAGRAPHS = 60  # a page several screens long, to scroll in
# The skeleton's en.md has 23 lines, the paragraphs 2 each: what is appended after a blank
# line is on line 145.
END = 23 + 2 * PARAGRAPHS + 2


@pytest.fixture
def lesson(tmp_path, hafiza_home) -> Path:
    """A good lesson in en and fa, outside the lesson library, long enough to scroll."""
    folder = skeleton.new_lesson("birnn", ["fa", "en"], tmp_path / "work")
    text = (folder / "en.md").read_text(encoding="utf-8")
    filler = "".join(f"\nParagraph {n} of the lesson, about bidirectional RNNs.\n"
                     for n in range(PARAGRAPHS))
    (folder / "en.md").write_text(text + filler, encoding="utf-8")
    assert len((text + filler).splitlines()) == END - 2
    return folder


@pytest.fixture
def preview(qtbot, qapp, lesson):
    i18n.apply_language(qapp, "en")
    window = LessonPreview(lesson, validate_exercises=False)
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    qtbot.waitUntil(lambda: window.problems.problems is not None, timeout=20_000)
    yield window
    window.shutdown()
    i18n.apply_language(qapp, "en")


def page_text(window: LessonPreview) -> str:
    body = window.page.widget()
    parts = [label.text() for label in body.findChildren(QLabel)]
    parts += [browser.toPlainText() for browser in body.findChildren(QTextBrowser)]
    return "\n".join(parts)


def panel_rows(window: LessonPreview) -> list[str]:
    rows = window.problems.rows
    # each row keeps the checker's own line (`file:line: [warning: ]message`)
    return [rows.item(index).data(Qt.ItemDataRole.UserRole) for index in range(rows.count())]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def save_by_rename(path: Path, text: str) -> None:
    """As vim, gedit or VS Code's safe write: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_a_lesson_made_with_dir_is_shown_without_the_library(preview, lesson, hafiza_home):
    assert not (hafiza_home / "data" / "lessons" / "birnn").exists()
    assert "Lesson title" in page_text(preview)
    assert "Paragraph 59 of the lesson" in page_text(preview)
    assert preview.windowTitle().startswith("Preview: ")
    # the skeleton is clean but for the varieties it lacks (a warning)
    assert all(": warning: " in row for row in panel_rows(preview))
    assert "0 problems must be fixed" in preview.problems.summary.text()


def test_saving_a_file_draws_the_page_again(preview, lesson, qtbot):
    edit(lesson / "en.md", "Paragraph 3 of", "Paragraph three, rewritten, of")
    qtbot.waitUntil(lambda: "Paragraph three, rewritten" in page_text(preview), timeout=5000)


def test_an_editor_that_saves_by_renaming_is_followed_save_after_save(preview, lesson, qtbot):
    path = lesson / "en.md"
    for word in ("first", "second", "third"):
        save_by_rename(path, path.read_text(encoding="utf-8") + f"\nThe {word} save.\n")
        qtbot.waitUntil(lambda word=word: f"The {word} save." in page_text(preview),
                        timeout=5000)


def test_a_save_keeps_the_readers_place(preview, lesson, qtbot):
    bar = preview.page.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 1000, timeout=5000)
    bar.setValue(bar.maximum() * 6 // 10)
    place = bar.value()
    edit(lesson / "en.md", "Paragraph 58 of", "Paragraph fifty-eight of")
    qtbot.waitUntil(lambda: "Paragraph fifty-eight" in page_text(preview)
                    and abs(bar.value() - place) <= 2, timeout=5000)


def test_a_new_title_in_lesson_yaml_shows_at_the_next_save(preview, lesson, qtbot):
    edit(lesson / "lesson.yaml", 'en: "Lesson title"', 'en: "Bidirectional RNNs"')
    qtbot.waitUntil(lambda: "Bidirectional RNNs" in page_text(preview), timeout=5000)
    qtbot.waitUntil(lambda: "Bidirectional RNNs" in preview.windowTitle(), timeout=5000)


def test_broken_yaml_is_shown_in_the_page_at_the_checkers_line(preview, lesson, qtbot):
    edit(lesson / "lesson.yaml", "order: 100", "order 100")
    qtbot.waitUntil(lambda: any(row.startswith("lesson.yaml:4: ")
                                for row in panel_rows(preview)), timeout=10_000)
    boxes = preview.page.widget().findChildren(ProblemWidget)
    assert len(boxes) == 1 and boxes[0].detail.text().startswith("line 4: ")
    edit(lesson / "lesson.yaml", "order 100", "order: 100")  # fixed: the page comes back
    qtbot.waitUntil(lambda: "Paragraph 59" in page_text(preview), timeout=5000)
    qtbot.waitUntil(lambda: not any("lesson.yaml:4" in row for row in panel_rows(preview)),
                    timeout=10_000)


def test_the_language_menu_shows_the_other_variety_right_to_left(preview, qtbot, qapp):
    combo = preview.languages
    combo.setCurrentIndex(combo.findData("fa"))
    qtbot.waitUntil(lambda: "عنوان درس" in page_text(preview), timeout=5000)
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # the checker's messages are Persian now: its rows read right to left too
    assert preview.problems.rows.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_an_exercise_card_says_how_to_train_it(preview, lesson, qtbot):
    edit(lesson / "lesson.yaml", "exercises: []", """exercises:
  - id: sine
    title: {en: "A sine wave"}
    task: regression
    dataset: {name: sine, n_samples: 100, window: 10}
    model: ["LSTM(4)", "Dense(1, linear)"]
    input_shape: [10, 1]
    loss: mse
    hyperparameters: {optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 32}""")
    edit(lesson / "en.md", "::: note", "```exercise\nid: sine\n```\n\n::: note")
    qtbot.waitUntil(lambda: bool(preview.page.widget().findChildren(ExerciseCard)),
                    timeout=5000)
    card = preview.page.widget().findChildren(ExerciseCard)[0]
    card.exercise_requested.emit("birnn", "sine")
    assert "hafiza train" in preview.statusBar().currentMessage()
    assert f'{lesson / "lesson.yaml"}:sine' in preview.statusBar().currentMessage()


@dataclass(frozen=True)
class Mistake:
    name: str
    file: str  # the file broken, relative to the lesson
    old: str  # what is replaced in it ("" appends `new`)
    new: str
    line: int  # where the checker must point (in `file` unless `at` names another)
    word: str  # a word the message must contain
    severity: str = "error"
    at: str = ""


QUIZ_OPTION = '    correct: true\n'
MISTAKES = [
    Mistake("yaml without a colon", "lesson.yaml", "order: 100", "order 100", 4, "colon"),
    Mistake("id differs from the folder", "lesson.yaml", "id: birnn", "id: other", 3,
            "folder"),
    Mistake("unknown prerequisite (warning by design: the lesson may come later)",
            "lesson.yaml", "prerequisites: []", "prerequisites: [nosuch]", 6, "prerequisite",
            "warning"),
    Mistake("missing figure", "en.md", "", "\n![A figure](figures/gone.png)\n", END,
            "gone.png"),
    Mistake("undefined glossary term", "en.md", "", "\nA [[GRU]] cell.\n", END, "glossary"),
    # a quiz without a correct answer is said at its options: line
    Mistake("quiz without a correct answer", "en.md", QUIZ_OPTION, "", 17, "correct"),
    Mistake("heading level jump (warning by design)", "en.md", "", "\n#### Too deep\n", END,
            "heading", "warning"),
    Mistake("raw HTML", "en.md", "", "\n<b>bold</b>\n", END, "HTML"),
    Mistake("exercise that lesson.yaml lacks", "en.md", "", "\n```exercise\nid: nosuch\n```\n",
            END, "nosuch"),
    Mistake("admonition never closed", "en.md", "", "\n::: note\nopen\n", END, ":::"),
    Mistake("formula with an unclosed brace", "en.md", "", "\nA $\\frac{1}{2$ formula.\n", END,
            "formula"),
    Mistake("empty text", "en.md", None, "", 1, "empty"),
    Mistake("stray file in the folder (warning by design: left out of packs)", "notes.txt",
            None, "draft", 1, "unexpected", "warning"),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_a_mistake_saved_shows_in_the_panel_at_its_line(preview, lesson, qtbot, mistake):
    path = lesson / mistake.file
    if mistake.old is None:  # the whole file
        path.write_text(mistake.new, encoding="utf-8")
    elif mistake.old == "":
        path.write_text(path.read_text(encoding="utf-8") + mistake.new, encoding="utf-8")
    else:
        edit(path, mistake.old, mistake.new)
    prefix = f"{mistake.at or mistake.file}:{mistake.line}: " + (
        "warning: " if mistake.severity == "warning" else "")

    def shown() -> bool:
        return any(row.startswith(prefix) and mistake.word.lower() in row.lower()
                   and (mistake.severity == "warning") == (": warning: " in row)
                   for row in panel_rows(preview))

    qtbot.waitUntil(shown, timeout=10_000)


def test_the_panel_reads_in_the_readers_language_and_direction(preview, lesson, qtbot, qapp):
    """A Persian instructor reads the checker in Persian, right to left, the place kept
    left to right (`file:line` as an isolate); the panel is wide enough for sentences."""
    from hafiza.ui import i18n

    i18n.apply_language(qapp, "fa")
    try:
        with qtbot.waitSignal(preview.checked, timeout=20_000):
            preview.check()
        rows = preview.problems.rows
        assert rows.layoutDirection() == Qt.LayoutDirection.RightToLeft
        shown = [rows.item(index).text() for index in range(rows.count())]
        assert shown and all(row.startswith("\u2068lesson.yaml:") for row in shown)
        assert any("هشدار" not in row and "ary" in row for row in shown)  # the message, fa
        assert preview.problems.width() >= 260
    finally:
        i18n.apply_language(qapp, "en")
