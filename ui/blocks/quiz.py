"""Quiz blocks: single choice, multiple choice, a number with a tolerance, steps in order.

The grading is the model's (`QuizBlock.grade`, Qt-free and tested on its own); this widget
collects the answer, shows whether it is right and every option's explanation afterwards,
and emits `answered(quiz_id, answer, correct)`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.lessonlib.model import QuizBlock
from hafiza.ui import colours
from hafiza.ui.blocks.admonition import Callout
from hafiza.ui.blocks.images import PixelBudget
from hafiza.ui.blocks.text import RichText
from hafiza.ui.i18n import _, number

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


def read_number(text: str) -> float | None:
    """A number typed in Latin, Arabic-Indic or Persian digits ("۰٫۲۵", "٠٫٥", "0,5")."""
    cleaned = text.strip().translate(DIGITS).replace("٬", "").replace("\u066c", "")
    cleaned = cleaned.replace("−", "-").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


class QuizWidget(Callout):
    answered = Signal(str, object, bool)

    def __init__(self, quiz: QuizBlock, direction, parent=None,
                 images: PixelBudget | None = None) -> None:
        super().__init__("quiz", _("Question"), direction, parent)
        self.quiz = quiz
        self.direction = direction
        self.images = images
        # Question, options and explanations are the parser's safe HTML, drawn by RichText
        # like every paragraph; every QLabel here shows plain text.
        self.question = RichText(quiz.question_html, direction, quiz.formulas, "question",
                                 images=images)
        self.body.addWidget(self.question)
        self.buttons: list[QRadioButton | QCheckBox] = []
        self.explanations: list[RichText] = []
        self.marks: list[QLabel] = []
        self.entry: QLineEdit | None = None
        self.steps: QListWidget | None = None
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
        self.feedback = QLabel()
        self.feedback.setObjectName("quiz-feedback")
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setStyleSheet("border: none")
        self.feedback.setWordWrap(True)
        row.addWidget(self.check_button)
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
        for index, option in enumerate(self.quiz.options):
            row = QWidget()
            row.setLayoutDirection(self.direction)
            layout = QHBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 0)
            button = QRadioButton() if self.quiz.kind == "single" else QCheckBox()
            button.setAccessibleName(option.text)
            group.addButton(button, index)
            mark = QLabel()
            mark.setTextFormat(Qt.TextFormat.PlainText)
            mark.setFixedWidth(18)
            mark.setStyleSheet("border: none")
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
            self.buttons.append(button)
            self.marks.append(mark)
            self.explanations.append(explanation)

    def _numeric(self) -> None:
        self.entry = QLineEdit()
        self.entry.setObjectName("quiz-number")
        self.entry.setPlaceholderText(_("Your answer (a number)"))
        self.entry.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.entry.setMaximumWidth(240)
        self.entry.returnPressed.connect(self.check)
        self.body.addWidget(self.entry, 0, Qt.AlignmentFlag.AlignLeading)

    def _order(self) -> None:
        hint = QLabel(_("Drag the steps into the right order."))
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setStyleSheet("border: none")
        hint.setWordWrap(True)
        self.body.addWidget(hint)
        self.steps = QListWidget()
        self.steps.setObjectName("quiz-steps")
        self.steps.setLayoutDirection(self.direction)
        self.steps.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.steps.setDefaultDropAction(Qt.DropAction.MoveAction)
        for index in self.quiz.shuffled_order():
            item = QListWidgetItem(self.quiz.options[index].text)
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.steps.addItem(item)
        rows = len(self.quiz.options)
        self.steps.setFixedHeight(self.steps.sizeHintForRow(0) * rows + 8)
        row = QHBoxLayout()
        up, down = QPushButton(_("Move up")), QPushButton(_("Move down"))
        up.clicked.connect(lambda: self.move_step(-1))
        down.clicked.connect(lambda: self.move_step(1))
        row.addWidget(self.steps, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(up)
        buttons.addWidget(down)
        buttons.addStretch(1)
        row.addLayout(buttons)
        self.body.addLayout(row)

    def move_step(self, step: int) -> None:
        assert self.steps is not None
        row = self.steps.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.steps.count():
            return
        item = self.steps.takeItem(row)
        self.steps.insertItem(target, item)
        self.steps.setCurrentRow(target)

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
        return [self.steps.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(self.steps.count())]

    def check(self) -> None:
        answer = self.answer()
        if answer is None:
            self.feedback.setText(_("Choose an answer first.") if self.quiz.kind != "numeric"
                                  else _("Type a number first."))
            return
        correct = self.quiz.grade(answer)
        if correct:
            self.feedback.setText(_("Correct!"))
        elif self.quiz.kind == "numeric":
            self.feedback.setText(_("Not quite: the answer is {answer}.").format(
                answer=number(self.quiz.answer)))
        else:
            self.feedback.setText(_("Not quite. Read the explanations and try again."))
        colour = colours.CORRECT if correct else colours.ERROR
        self.feedback.setStyleSheet(f"border: none; color: {colour}; font-weight: bold")
        if self.quiz.kind == "multiple":
            chosen = set(answer)
        elif self.quiz.kind == "single":
            chosen = {answer}
        else:
            chosen = set()
        for index, option in enumerate(self.quiz.options):
            if index < len(self.marks):
                self.marks[index].setText("✓" if option.correct else
                                          ("✗" if index in chosen else ""))
                self.explanations[index].setVisible(bool(option.explanation_html))
        self.general.setVisible(bool(self.quiz.explanation_html))
        self.answered.emit(self.quiz.id, answer, correct)
