"""Quiz blocks: single choice, multiple choice, a number with a tolerance, steps in order.

The grading and what to show after a try are the model's (`QuizBlock.grade` and
`QuizBlock.feedback`, Qt-free and tested on their own); this widget collects the answer and
emits `answered(quiz_id, answer, correct)` on every check. Feedback does not give the answer
away: a first wrong try says why the chosen option is wrong (its own explanation) or only
"not quite"; the answer, every explanation and the worked solution come after a second wrong
try or when the learner asks for them. `restore` puts a saved answer back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.lessonlib.model import QuizBlock, QuizFeedback
from hafiza.ui import colours
from hafiza.ui.blocks.admonition import Callout
from hafiza.ui.blocks.images import PixelBudget
from hafiza.ui.blocks.quiz_steps import StepList
from hafiza.ui.blocks.text import RichText
from hafiza.ui.i18n import _, number
from hafiza.ui.theme import error_colour

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


def read_number(text: str) -> float | None:
    """A number typed in Latin, Arabic-Indic or Persian digits ("۰٫۲۵", "٠٫٥", "0,5"), with
    or without grouping ("1,234.5", "1.234,5", "۱٬۲۳۴")."""
    cleaned = text.strip().translate(DIGITS).replace("٬", "").replace("\u066c", "")
    cleaned = cleaned.replace("−", "-").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." in cleaned:  # the later one is the decimal point
        grouping = "," if cleaned.rfind(",") < cleaned.rfind(".") else "."
        cleaned = cleaned.replace(grouping, "").replace(",", ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


class QuizWidget(Callout):
    answered = Signal(str, object, bool)

    def __init__(self, quiz: QuizBlock, direction, parent=None,
                 images: PixelBudget | None = None, learner_key: str = "") -> None:
        super().__init__("quiz", _("Question"), direction, parent)
        self.quiz = quiz
        self.learner_key = learner_key  # the learner's own shuffle of the options
        self.direction = direction
        self.images = images
        self.wrong_tries = 0
        self.revealed = False
        # Question, options and explanations are the parser's safe HTML, drawn by RichText
        # like every paragraph (formulas as images); every QLabel here shows plain text.
        self.question = RichText(quiz.question_html, direction, quiz.formulas, "question",
                                 images=images)
        self.body.addWidget(self.question)
        self.buttons: list[QRadioButton | QCheckBox] = []
        self.explanations: list[RichText] = []
        self.marks: list[QLabel] = []
        self.entry: QLineEdit | None = None
        self.steps: StepList | None = None
        self.inputs: list[QWidget] = []  # what the learner answers with; locked once shown
        if quiz.kind in ("single", "multiple"):
            self._choices()
        elif quiz.kind == "numeric":
            self._numeric()
        else:
            self._order()
        row = QHBoxLayout()
        self.check_button = QPushButton(_("Check my answer"))
        self.check_button.setObjectName("quiz-check")
        self.check_button.clicked.connect(self.check)
        self.show_button = QPushButton(_("Show the answer"))
        self.show_button.setObjectName("quiz-show")
        self.show_button.clicked.connect(self.show_answer)
        self.show_button.setVisible(False)
        self.feedback = _plain_label("quiz-feedback")
        row.addWidget(self.check_button)
        row.addWidget(self.show_button)
        row.addWidget(self.feedback, 1)
        self.body.addLayout(row)
        self.general = RichText(quiz.explanation_html, direction, quiz.formulas, "explanation",
                                images=images)
        self.general.setVisible(False)
        self.body.addWidget(self.general)

    # -- the kinds -------------------------------------------------------------------------
    def _choices(self) -> None:
        group = QButtonGroup(self)
        group.setExclusive(self.quiz.kind == "single")
        # Rows are laid out (and reached with Tab) in the learner's shuffled order; the lists
        # below stay in the authored order, the one answers are graded and stored in.
        count = len(self.quiz.options)
        self.buttons = [None] * count
        self.marks = [None] * count
        self.explanations = [None] * count
        for index in self.quiz.display_order(self.learner_key):
            option = self.quiz.options[index]
            row = QWidget()
            row.setLayoutDirection(self.direction)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            button = QRadioButton() if self.quiz.kind == "single" else QCheckBox()
            button.setAccessibleName(option.text)
            group.addButton(button, index)
            mark = _plain_label("quiz-mark")
            mark.setFixedWidth(18)
            text = RichText(option.html, self.direction, self.quiz.formulas, "option",
                            images=self.images)
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(text)
            explanation = RichText(option.explanation_html, self.direction,
                                   self.quiz.formulas, "option-explanation",
                                   images=self.images)
            explanation.setVisible(False)
            column.addWidget(explanation)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(column, 1)
            self.body.addWidget(row)
            self.buttons[index] = button
            self.marks[index] = mark
            self.explanations[index] = explanation
        self.inputs += self.buttons

    def _numeric(self) -> None:
        self.entry = QLineEdit()
        self.entry.setObjectName("quiz-number")
        hint = _("Your answer (a number)")
        self.entry.setPlaceholderText(hint)
        self.entry.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        # Wide enough for its hint in the reader's language and text size (it was cut to
        # "Your answer (a n…"), narrow enough to read as a box for one number.
        width = self.entry.fontMetrics().horizontalAdvance(hint) + 32
        self.entry.setMinimumWidth(min(width, 420))
        self.entry.setMaximumWidth(max(240, min(width, 420)))
        self.entry.returnPressed.connect(self.check)
        self.body.addWidget(self.entry, 0, Qt.AlignmentFlag.AlignLeading)
        self.inputs.append(self.entry)

    def _order(self) -> None:
        hint = _plain_label("quiz-hint")
        hint.setText(_("Drag the steps into the right order."))
        self.body.addWidget(hint)
        self.steps = StepList(self.quiz, self.direction, self.images)
        row = QHBoxLayout()
        up, down = QPushButton(_("Move up")), QPushButton(_("Move down"))
        up.clicked.connect(lambda: self.move_step(-1))
        down.clicked.connect(lambda: self.move_step(1))
        row.addWidget(self.steps, 1, Qt.AlignmentFlag.AlignTop)
        buttons = QVBoxLayout()
        buttons.addWidget(up)
        buttons.addWidget(down)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.body.addLayout(row)
        self.inputs += [self.steps, up, down]

    def move_step(self, step: int) -> None:
        assert self.steps is not None
        self.steps.move_current(step)

    # -- answering -------------------------------------------------------------------------
    def answer(self):
        """The learner's current answer in the form `QuizBlock.grade` takes; None if none."""
        if self.quiz.kind == "single":
            chosen = [i for i, b in enumerate(self.buttons) if b.isChecked()]
            return chosen[0] if chosen else None
        if self.quiz.kind == "multiple":
            chosen = [i for i, b in enumerate(self.buttons) if b.isChecked()]
            return chosen or None
        if self.quiz.kind == "numeric":
            assert self.entry is not None
            return read_number(self.entry.text())
        assert self.steps is not None
        return self.steps.order()

    def check(self) -> None:
        answer = self.answer()
        if answer is None:
            self._say(_("Choose an answer first.") if self.quiz.kind != "numeric"
                      else _("Type a number first."))
            return
        correct = self.quiz.grade(answer)
        self.wrong_tries = 0 if correct else self.wrong_tries + 1
        self._show(self.quiz.feedback(answer, self.wrong_tries), answer)
        self.answered.emit(self.quiz.id, answer, correct)

    def show_answer(self) -> None:
        """The learner asks for the answer: shown as after a second wrong try, and said."""
        self._reveal(self.answer())
        self._say(self._answer_sentence())

    def restore(self, answer: Any, correct: bool) -> bool:
        """Puts a saved answer back and shows it as it was checked: marked right, or as
        after a first wrong try (the learner may try again). Emits nothing. False, leaving
        the quiz blank, when the answer no longer fits the quiz (the lesson changed since,
        or it was answered in another variety whose options differ)."""
        if not self.quiz.accepts(answer) or self.quiz.grade(answer) != bool(correct):
            return False
        if self.quiz.kind in ("single", "multiple"):
            chosen = {answer} if self.quiz.kind == "single" else set(answer)
            for index, button in enumerate(self.buttons):
                button.setChecked(index in chosen)
        elif self.quiz.kind == "numeric":
            assert self.entry is not None
            self.entry.setText(number(answer))
        else:
            assert self.steps is not None
            self.steps.set_order(list(answer))
        self.wrong_tries = 0 if correct else 1
        self._show(self.quiz.feedback(answer, self.wrong_tries), answer)
        return True

    # -- what is shown ---------------------------------------------------------------------
    def _show(self, feedback: QuizFeedback, answer: Any) -> None:
        self._clear_marks()
        if feedback.correct:
            for index in self._chosen(answer):
                self.marks[index].setText("✓")
            self._show_explanations(range(len(self.explanations)))
            self.general.setVisible(bool(self.quiz.explanation_html))
            self.show_button.setVisible(False)
            self._say(_("Correct!"), colours.CORRECT)
        elif feedback.reveal:
            self._reveal(answer)
            self._say(self._answer_sentence(), error_colour())
        else:
            for index in feedback.wrong_choices:
                self.marks[index].setText("✗")
            explained = self._show_explanations(feedback.wrong_choices)
            self.show_button.setVisible(True)
            self._say(_("Not quite. Read the note under your choice and try again.")
                      if explained else _("Not quite, try again."), error_colour())

    def _reveal(self, answer: Any) -> None:
        """The right answer, every explanation and the worked solution; the quiz is done."""
        self.revealed = True
        self._clear_marks()
        chosen = self._chosen(answer)
        for index, option in enumerate(self.quiz.options[:len(self.marks)]):
            self.marks[index].setText("✓" if option.correct else "✗" if index in chosen
                                      else "")
        self._show_explanations(range(len(self.explanations)))
        if self.steps is not None:
            self.steps.set_order(list(range(len(self.quiz.options))))
        self.general.setVisible(bool(self.quiz.explanation_html))
        self.show_button.setVisible(False)
        self.check_button.setEnabled(False)
        for widget in self.inputs:
            widget.setEnabled(False)

    def _answer_sentence(self) -> str:
        if self.quiz.kind == "numeric":
            return _("The answer is {answer}.").format(answer=number(self.quiz.answer))
        if self.quiz.kind == "order":
            return _("Here are the steps in the right order.")
        return _("The right answer is marked ✓.")

    def _chosen(self, answer: Any) -> set[int]:
        if self.quiz.kind == "single" and isinstance(answer, int):
            return {answer}
        if self.quiz.kind == "multiple" and isinstance(answer, list):
            return set(answer)
        return set()

    def _clear_marks(self) -> None:
        for mark, explanation in zip(self.marks, self.explanations, strict=True):
            mark.setText("")
            explanation.setVisible(False)

    def _show_explanations(self, indexes) -> bool:
        """Shows the explanations of the options `indexes` that have one; whether any."""
        shown = False
        for index in indexes:
            if self.quiz.options[index].explanation_html:
                self.explanations[index].setVisible(True)
                shown = True
        return shown

    def _say(self, text: str, colour: str | None = None) -> None:
        self.feedback.setText(text)
        weight = f"; color: {colour}; font-weight: bold" if colour else "; font-weight: bold"
        self.feedback.setStyleSheet(f"border: none{weight}")


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("border: none")
    label.setWordWrap(True)
    return label
