"""Quiz feedback does not give the answer away, and a saved answer can be put back.

A first wrong try says why the chosen option is wrong (its explanation) or only "not quite";
the right option, every explanation and the worked solution come after a second wrong try or
on request. `restore` shows a saved answer as it was checked, without emitting `answered`."""

import pytest
from PySide6.QtCore import Qt

from hafiza.lessonlib.model import QuizFeedback
from hafiza.lessonlib.parser import parse_markdown
from hafiza.ui import i18n
from hafiza.ui.blocks.quiz import QuizWidget, read_number

SINGLE = """```quiz
id: single
type: single
question: Which gate decides what the cell forgets?
options:
  - text: the forget gate
    correct: true
    explain: Yes, it multiplies the old state.
  - text: the output gate
    explain: No, the output gate decides what is shown.
  - text: the input gate
explain: The forget gate's output multiplies the cell state.
```
"""

MULTIPLE = """```quiz
id: multiple
type: multiple
question: Which of these use a sigmoid?
options:
  - text: the forget gate
    correct: true
  - text: the input gate
    correct: true
  - text: the candidate
    explain: The candidate uses tanh, so it can be negative.
```
"""

NUMERIC = """```quiz
id: numeric
type: numeric
question: What is sigma(0)?
answer: 0.5
tolerance: 0.01
explain: The sigmoid is symmetric around 0, where it is one half.
```
"""

ORDER = """```quiz
id: order
type: order
question: Put the steps in order.
options:
  - compute the gates
  - update the cell state
  - compute the output
explain: The gates come first, then the state, then the output.
```
"""


def quiz_of(markdown: str):
    return parse_markdown(markdown, "t.md", variety="en").blocks[0]


@pytest.fixture
def make(qtbot, qapp):
    i18n.apply_language(qapp, "en")

    def build(markdown: str) -> QuizWidget:
        widget = QuizWidget(quiz_of(markdown), Qt.LayoutDirection.LeftToRight)
        qtbot.addWidget(widget)
        widget.resize(700, 500)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return build


def marks(widget: QuizWidget) -> list[str]:
    return [mark.text() for mark in widget.marks]


def shown_explanations(widget: QuizWidget) -> list[bool]:
    return [explanation.isVisible() for explanation in widget.explanations]


def check(widget: QuizWidget, qtbot) -> list:
    with qtbot.waitSignal(widget.answered) as signal:
        widget.check_button.click()
    return signal.args


# -- the model's rule, without Qt ---------------------------------------------------------

def test_feedback_names_the_wrong_choices_and_reveals_on_the_second_try():
    single, multiple = quiz_of(SINGLE), quiz_of(MULTIPLE)
    assert single.feedback(0, 0) == QuizFeedback(True)
    assert single.feedback(1, 1) == QuizFeedback(False, (1,), reveal=False)
    assert single.feedback(2, 2) == QuizFeedback(False, (2,), reveal=True)
    assert multiple.feedback([0, 2], 1) == QuizFeedback(False, (2,), reveal=False)
    assert multiple.feedback([0], 1) == QuizFeedback(False, (), reveal=False)  # one missing
    assert quiz_of(NUMERIC).feedback(0.7, 1) == QuizFeedback(False)
    assert quiz_of(ORDER).feedback([2, 1, 0], 2) == QuizFeedback(False, reveal=True)


@pytest.mark.parametrize("markdown, good, bad", [
    (SINGLE, [0, 2], [3, -1, True, "0", [0], None]),
    (MULTIPLE, [[0, 1], [2]], [[], [0, 0], [3], 1, "01"]),
    (NUMERIC, [0.5, 2, -1e-3], [float("nan"), float("inf"), "0.5", True, [0.5]]),
    (ORDER, [[0, 1, 2], [2, 0, 1]], [[0, 1], [0, 1, 1], [0, 1, 2, 3], [0, 1, True]]),
])
def test_a_quiz_accepts_only_answers_of_its_form(markdown, good, bad):
    quiz = quiz_of(markdown)
    assert all(quiz.accepts(answer) for answer in good)
    assert not any(quiz.accepts(answer) for answer in bad)


# -- the widget, step by step -------------------------------------------------------------

def test_single_first_wrong_try_explains_only_the_chosen_option(make, qtbot):
    widget = make(SINGLE)
    widget.buttons[1].setChecked(True)
    assert check(widget, qtbot) == ["single", 1, False]
    assert marks(widget) == ["", "✗", ""]  # the right option is not marked
    assert shown_explanations(widget) == [False, True, False]
    assert not widget.general.isVisible()  # nor the worked solution
    assert widget.feedback.text() == "Not quite. Read the note under your choice and try again."
    assert widget.show_button.isVisible() and widget.check_button.isEnabled()


def test_a_wrong_option_without_explanation_gets_a_neutral_word(make, qtbot):
    widget = make(SINGLE)
    widget.buttons[2].setChecked(True)
    check(widget, qtbot)
    assert marks(widget) == ["", "", "✗"]
    assert shown_explanations(widget) == [False, False, False]
    assert widget.feedback.text() == "Not quite, try again."


def test_single_second_wrong_try_reveals_the_answer(make, qtbot):
    widget = make(SINGLE)
    widget.buttons[1].setChecked(True)
    check(widget, qtbot)
    widget.buttons[2].setChecked(True)
    assert check(widget, qtbot) == ["single", 2, False]
    assert marks(widget) == ["✓", "", "✗"]
    assert shown_explanations(widget) == [True, True, False]  # the third has none
    assert widget.general.isVisible()
    assert widget.feedback.text() == "The right answer is marked ✓."
    assert widget.revealed and not widget.check_button.isEnabled()
    assert not widget.show_button.isVisible()


def test_a_right_try_after_a_wrong_one_is_marked_right(make, qtbot):
    widget = make(SINGLE)
    widget.buttons[1].setChecked(True)
    check(widget, qtbot)
    widget.buttons[0].setChecked(True)
    assert check(widget, qtbot) == ["single", 0, True]
    assert marks(widget) == ["✓", "", ""]
    assert widget.feedback.text() == "Correct!" and widget.general.isVisible()
    assert not widget.show_button.isVisible()


def test_show_the_answer_on_request(make, qtbot):
    widget = make(MULTIPLE)
    widget.buttons[0].setChecked(True)
    widget.buttons[2].setChecked(True)
    check(widget, qtbot)
    assert marks(widget) == ["", "", "✗"] and shown_explanations(widget) == [False, False, True]
    with qtbot.assertNotEmitted(widget.answered):
        widget.show_button.click()
    assert marks(widget) == ["✓", "✓", "✗"]
    assert widget.revealed and not any(button.isEnabled() for button in widget.buttons)


def test_numeric_keeps_the_answer_until_the_second_try(make, qtbot):
    widget = make(NUMERIC)
    widget.entry.setText("0.7")
    assert check(widget, qtbot) == ["numeric", 0.7, False]
    assert widget.feedback.text() == "Not quite, try again."
    assert "0.5" not in widget.feedback.text() and not widget.general.isVisible()
    widget.entry.setText("0.8")
    check(widget, qtbot)
    assert widget.feedback.text() == "The answer is 0.5."
    assert widget.general.isVisible() and not widget.entry.isEnabled()


def test_order_keeps_the_learners_order_until_the_second_try(make, qtbot):
    widget = make(ORDER)
    start = widget.answer()
    assert check(widget, qtbot)[1:] == [start, False]
    assert widget.answer() == start and not widget.general.isVisible()
    assert widget.feedback.text() == "Not quite, try again."
    check(widget, qtbot)
    assert widget.answer() == [0, 1, 2]  # shown in the right order
    assert widget.feedback.text() == "Here are the steps in the right order."
    assert widget.general.isVisible() and not widget.steps.isEnabled()


# -- restoring a saved answer ---------------------------------------------------------------

@pytest.mark.parametrize("markdown, answer", [
    (SINGLE, 0), (MULTIPLE, [0, 1]), (NUMERIC, 0.5), (ORDER, [0, 1, 2]),
])
def test_restore_a_right_answer(make, qtbot, markdown, answer):
    widget = make(markdown)
    with qtbot.assertNotEmitted(widget.answered):
        assert widget.restore(answer, True)
    assert widget.answer() == answer
    assert widget.feedback.text() == "Correct!"
    assert widget.general.isVisible() == bool(widget.quiz.explanation_html)
    assert widget.check_button.isEnabled() and not widget.show_button.isVisible()


@pytest.mark.parametrize("markdown, answer, feedback", [
    (SINGLE, 1, "Not quite. Read the note under your choice and try again."),
    (MULTIPLE, [0], "Not quite, try again."),
    (NUMERIC, 0.25, "Not quite, try again."),
    (ORDER, [1, 0, 2], "Not quite, try again."),
])
def test_restore_a_wrong_answer_as_after_that_try(make, qtbot, markdown, answer, feedback):
    widget = make(markdown)
    with qtbot.assertNotEmitted(widget.answered):
        assert widget.restore(answer, False)
    assert widget.answer() == answer
    assert widget.feedback.text() == feedback
    assert not widget.general.isVisible() and widget.show_button.isVisible()
    assert "✓" not in marks(widget)
    # the learner tries again: a second wrong try now reveals
    assert check(widget, qtbot)[2] is False
    assert widget.revealed


def test_restore_shows_the_chosen_options_marks(make):
    widget = make(SINGLE)
    widget.restore(1, False)
    assert marks(widget) == ["", "✗", ""] and shown_explanations(widget) == [False, True, False]


def test_restore_a_number_in_the_readers_digits(make, qapp):
    widget = make(NUMERIC)
    i18n.apply_language(qapp, "fa")
    try:
        assert widget.restore(0.5, True)
        assert widget.entry.text() == "۰٫۵" and widget.answer() == 0.5
    finally:
        i18n.apply_language(qapp, "en")


@pytest.mark.parametrize("markdown, answer, correct", [
    (SINGLE, 5, False),  # an option the lesson no longer has
    (SINGLE, 1, True),  # saved as right, but wrong for this version of the quiz
    (ORDER, [0, 1], False),
    (NUMERIC, "0.5", True),
    (MULTIPLE, None, False),
])
def test_restore_leaves_a_quiz_blank_when_the_answer_no_longer_fits(make, qtbot, markdown,
                                                                     answer, correct):
    widget = make(markdown)
    before = widget.answer()
    with qtbot.assertNotEmitted(widget.answered):
        assert not widget.restore(answer, correct)
    assert widget.answer() == before and widget.feedback.text() == ""


def test_read_number_with_grouping():
    assert read_number("1,234.5") == 1234.5 and read_number("1.234,5") == 1234.5
    assert read_number("۱٬۲۳۴٫۵") == 1234.5 and read_number("٠٫٥") == 0.5
