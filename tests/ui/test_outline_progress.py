"""Progress shown: the outline's marks and quiz scores, answered quizzes restored, and
"continue where you left off" on the start page and in the Go menu."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from hafiza.store import open_store
from hafiza.ui.blocks import QuizWidget


def open_window(hafiza, qtbot, language):
    window = hafiza.create_window(language)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


def row(window, lesson_id):
    panel = window.outline_panel
    for index in range(panel.list.count()):
        item = panel.list.item(index)
        if item.data(Qt.ItemDataRole.UserRole) == lesson_id:
            return item
    raise AssertionError(lesson_id)


def test_the_outline_marks_each_lesson_and_updates_live(hafiza, qtbot):
    window = open_window(hafiza, qtbot, "fa")
    first = row(window, "neurons-activations")
    assert first.text().splitlines()[1].startswith("○ شروع‌نشده")
    window.open_lesson("neurons-activations")
    assert row(window, "neurons-activations").text().splitlines()[1].startswith("◐ در حال خواندن")
    page = window.lesson_page
    page.quiz_answered.emit("neurons-activations", "deep-vs-ml", 0, True)
    page.quiz_answered.emit("neurons-activations", "weighted-sum", 0.5, False)
    page.reading_position_changed.emit("neurons-activations", 1.0)  # read to the end
    item = row(window, "neurons-activations")
    # Persian digits, the Persian list separator, the mark a learner sees
    assert item.text().splitlines()[1] == "✓ تمام‌شده، ۳۵ دقیقه، ۱ از ۲ پرسش درست"
    spoken = item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("درس ۱: ") and spoken.endswith("تمام‌شده، ۳۵ دقیقه، ۱ از ۲ پرسش درست")
    assert window.outline_panel.current_lesson_id() == "neurons-activations"  # kept

    hafiza.set_language("ary")  # Latin digits for Moroccan readers, marks kept
    assert row(window, "neurons-activations").text().splitlines()[1] == \
        "✓ كمّلتيه، 35 دقيقة، جاوبتي صحيح على 1 من 2"
    hafiza.set_language("en")
    assert row(window, "neurons-activations").text().splitlines()[1] == \
        "✓ Completed, 35 minutes, 1 of 2 quizzes right"


def test_answered_quizzes_come_back_when_the_lesson_opens(hafiza, qtbot):
    progress = open_store().progress
    progress.record_answer("neurons-activations", "deep-vs-ml", 1, True)  # its right option
    progress.record_answer("neurons-activations", "relu-output", 0.0, True)
    window = open_window(hafiza, qtbot, "en")
    window.open_lesson("neurons-activations")
    quizzes = {quiz.quiz.id: quiz for quiz in window.lesson_page.findChildren(QuizWidget)}
    assert quizzes["deep-vs-ml"].buttons[1].isChecked()
    assert quizzes["deep-vs-ml"].feedback.text()  # shown as checked, not blank
    assert quizzes["relu-output"].entry.text() == "0"
    assert not quizzes["weighted-sum"].feedback.text()  # never answered: blank
    assert len(progress.answers("neurons-activations")) == 2  # restoring recorded nothing

    hafiza.set_language("fa")  # the page is drawn again: the answers come back again
    quizzes = {quiz.quiz.id: quiz for quiz in window.lesson_page.findChildren(QuizWidget)}
    assert quizzes["relu-output"].entry.text() == "۰"
    assert len(progress.answers("neurons-activations")) == 2


def test_restore_is_called_for_each_saved_answer(hafiza, qtbot, monkeypatch):
    """Against the quiz's `restore(answer, correct)`: every saved quiz, with its answer."""
    calls = []
    monkeypatch.setattr(QuizWidget, "restore",
                        lambda quiz, answer, correct: calls.append((quiz.quiz.id, answer, correct)))
    open_store().progress.record_answer("neurons-activations", "neuron-steps", [1, 0, 2, 3], False)
    window = open_window(hafiza, qtbot, "en")
    window.open_lesson("neurons-activations")
    assert set(map(repr, calls)) == {repr(("neuron-steps", [1, 0, 2, 3], False))}


def test_continue_where_you_left_off(hafiza, qtbot):
    progress = open_store().progress
    progress.lesson_opened("how-networks-learn")
    progress.set_position("how-networks-learn", 0.5)
    window = open_window(hafiza, qtbot, "en")
    assert window.continue_action.isEnabled()
    window.open_lesson("sequences-rnn")  # the learner looks elsewhere, then goes back
    window.start_page_action.trigger()
    assert window.lesson_page.lesson is None
    [button] = window.lesson_page.findChildren(QPushButton, "continue-button")
    assert button.text().startswith("Continue where you left off: ")
    # the lesson last opened: the learner looked at sequences-rnn last
    assert "Sequences and recurrent networks (RNN)" in button.text()
    button.click()
    assert window.lesson_page.lesson.id == "sequences-rnn"

    progress.set_position("sequences-rnn", 1.0)
    progress.mark_completed("sequences-rnn")
    window.show_start_page()
    window.continue_action.trigger()  # completed: on to the next lesson not completed
    assert window.lesson_page.lesson.id == "language-models"
    assert window.outline_panel.current_lesson_id() == "language-models"


def test_continue_restores_the_reading_position(hafiza, qtbot):
    progress = open_store().progress
    progress.lesson_opened("neurons-activations")
    progress.set_position("neurons-activations", 0.5)
    window = open_window(hafiza, qtbot, "en")
    window.continue_action.trigger()
    page = window.lesson_page
    assert page.lesson.id == "neurons-activations"
    qtbot.waitUntil(lambda: abs(page.reading_fraction() - 0.5) < 0.05, timeout=3000)
