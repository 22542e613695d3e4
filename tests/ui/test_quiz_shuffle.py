"""Choice quizzes show their options in the learner's own shuffled order (issue 19: every
right answer was authored first, so always picking the top option scored 100 %), the same
order each time for that learner and in every variety, while answers are still graded and
stored by the authored option."""

from PySide6.QtCore import Qt

from hafiza.lessonlib.parser import parse_markdown
from hafiza.ui import i18n
from hafiza.ui.blocks.quiz import QuizWidget

FIVE = """```quiz
id: gates
type: single
question: Which gate decides what the cell forgets?
options:
  - text: the forget gate
    correct: true
  - text: the output gate
  - text: the input gate
  - text: the candidate
  - text: the update gate
```
"""


def quiz(markdown: str = FIVE, variety: str = "en"):
    return parse_markdown(markdown, f"{variety}.md", variety=variety).blocks[0]


def test_the_order_is_a_stable_permutation_per_learner():
    block = quiz()
    order = block.display_order("learner-a")
    assert sorted(order) == [0, 1, 2, 3, 4]
    assert block.display_order("learner-a") == order  # the same when they come back
    orders = {tuple(block.display_order(f"learner-{n}")) for n in range(40)}
    assert len(orders) > 10  # learners see different orders
    # the right option (authored first) is not always on top
    assert sum(block.display_order(f"learner-{n}")[0] == 0 for n in range(200)) < 80


def test_the_order_is_the_same_in_every_variety():
    persian = FIVE.replace("Which gate decides what the cell forgets?", "کدام دریچه؟")
    assert quiz(persian, "fa").display_order("k") == quiz().display_order("k")


def test_numeric_and_order_quizzes_keep_their_own_order():
    numeric = quiz("```quiz\nid: n\ntype: numeric\nquestion: Q?\nanswer: 1\n```\n")
    assert numeric.display_order("k") == []


def test_the_window_lays_options_out_shuffled_and_grades_the_authored_option(qtbot, qapp):
    i18n.apply_language(qapp, "en")
    block = quiz()
    key = next(f"k{n}" for n in range(100) if block.display_order(f"k{n}")[0] != 0)
    widget = QuizWidget(block, Qt.LayoutDirection.LeftToRight, learner_key=key)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    # top to bottom on screen, the buttons come in the learner's order
    on_screen = sorted(range(5), key=lambda i: widget.buttons[i].mapTo(widget, widget.buttons[i]
                                                                       .rect().topLeft()).y())
    assert on_screen == block.display_order(key)
    assert widget.buttons[0].accessibleName() == "the forget gate"
    top = on_screen[0]
    with qtbot.waitSignal(widget.answered) as signal:
        widget.buttons[top].setChecked(True)
        widget.check()
    assert signal.args == ["gates", top, False]  # the authored index, not the place on screen
    with qtbot.waitSignal(widget.answered) as signal:
        widget.buttons[0].setChecked(True)
        widget.check()
    assert signal.args == ["gates", 0, True]


def test_the_number_box_shows_its_whole_hint(qtbot, qapp):
    i18n.apply_language(qapp, "en")
    block = quiz("```quiz\nid: n\ntype: numeric\nquestion: Q?\nanswer: 1\n```\n")
    widget = QuizWidget(block, Qt.LayoutDirection.LeftToRight)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    entry = widget.entry
    hint = entry.fontMetrics().horizontalAdvance(entry.placeholderText())
    assert entry.width() >= hint + 16  # the hint and the frame's margins
