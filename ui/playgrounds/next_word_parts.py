"""The pieces of the next-word playground: a list of guesses with bars (the network's, and
counting's beside it), and the text the model writes on, its words appearing one by one with
the newest highlighted and the learner's own words in a quieter ink."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hafiza.engine.playgrounds.next_word import Guess
from hafiza.ui.i18n import _, percent
from hafiza.ui.playgrounds.common import refresh_direction

# Words of a written text appear one at a time, this far apart, and all of them within
# REVEAL_TOTAL_MS: a 500-word text does not keep the learner waiting a minute.
REVEAL_STEP_MS = 140
REVEAL_TOTAL_MS = 3000


def shown_guess(guess: Guess) -> str:
    """A guess as a reader sees it: the word as its text wrote it, or what a token means."""
    if guess.rare:
        return _("(a rare word)")
    if guess.ends_line:
        return _("(end of the line)")
    return guess.written


class GuessList(QWidget):
    """A heading over a table of guesses: the word and its probability as a bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setObjectName("guess-heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.note = QLabel()  # why the list is empty, when it is
        self.note.setWordWrap(True)
        self.note.hide()
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.heading.setBuddy(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def retranslate(self, heading: str, tooltip: str) -> None:
        self.heading.setText(heading)
        self.heading.setToolTip(tooltip)
        self.table.setToolTip(tooltip)
        self.table.setAccessibleName(heading)
        self.table.setHorizontalHeaderLabels([_("Next word"), _("Probability")])

    def show_note(self, text: str) -> None:
        """Says why there are no guesses (empty: no note)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def show_guesses(self, guesses: Sequence[Guess]) -> None:
        self.table.setRowCount(len(guesses))
        for row, guess in enumerate(guesses):
            shown = shown_guess(guess)
            p = guess.probability
            item = QTableWidgetItem(shown)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 0, item)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(round(1000 * p))
            chance = percent(p, 1)
            bar.setFormat(chance)
            bar.setAccessibleName(f"{shown} {chance}")
            self.table.setCellWidget(row, 1, bar)
        self.table.resizeColumnToContents(0)

    def words(self) -> list[str]:
        """The words shown, top to bottom."""
        return [self.table.item(row, 0).text() for row in range(self.table.rowCount())]


def quiet_ink(palette: QPalette) -> QColor:
    """The learner's own words in the written text: the text's ink 40% of the way to the
    paper, 5.7:1 on the light theme's white and about 6:1 on the dark base (WCAG AA: 4.5)."""
    ink, paper = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    mix = 0.4
    return QColor.fromRgbF(*(a + (b - a) * mix for a, b in
                             zip(ink.getRgbF()[:3], paper.getRgbF()[:3], strict=True)))


def _length(text: str) -> int:
    """Positions ``text`` takes in a Qt document (UTF-16 units, as QString counts them)."""
    return len(text.encode("utf-16-le")) // 2


class WrittenText(QPlainTextEdit):
    """What the model writes on after the prompt. The whole text is laid out at once (the
    lines do not move as it grows), and its words are shown one by one: each new word is
    highlighted, those still to come are drawn in no ink. The prompt keeps a quieter ink, so
    the learner's words and the model's stay apart."""

    revealed = Signal(int)  # how many of the model's words are shown now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # as learner_text_edit: Tab moves on
        refresh_direction(self)  # the text block in the learner's direction
        self.setReadOnly(True)
        self._prompt = ""
        self._ends: list[int] = []  # where each written word ends, after the prompt
        self.shown_words = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._reveal_next)

    def show_writing(self, prompt: str, words: Sequence[str],
                     join: Callable[[Sequence[str]], str], separator: str = " ") -> None:
        """Lays out ``prompt`` and the model's ``words`` (joined by ``join``: spaces, none
        before a comma; a character model's letters touch) and starts showing the words."""
        self._timer.stop()
        self._prompt = prompt + separator if words else prompt
        # join() of the first i words is the start of join() of all (tokens join in order).
        self._ends = [_length(join(words[:i])) for i in range(1, len(words) + 1)]
        self.setPlainText(self._prompt + join(words))
        self.shown_words = 0
        self._paint()
        if self._ends:
            self._timer.start(max(15, min(REVEAL_STEP_MS, REVEAL_TOTAL_MS // len(self._ends))))

    def show_message(self, text: str) -> None:
        """A line instead of a text ("Writing…")."""
        self._timer.stop()
        self._prompt, self._ends, self.shown_words = "", [], 0
        self.setPlainText(text)

    @property
    def revealing(self) -> bool:
        return self._timer.isActive()

    def finish(self) -> None:
        """Shows every word at once (the newest, the last, highlighted)."""
        self._timer.stop()
        self.shown_words = len(self._ends)
        self._paint()
        self.revealed.emit(self.shown_words)

    @Slot()
    def _reveal_next(self) -> None:
        self.shown_words += 1
        if self.shown_words >= len(self._ends):
            self._timer.stop()
        self._paint()
        self.revealed.emit(self.shown_words)

    def repaint_colours(self) -> None:
        """Draws the formats again in the palette's colours (after a theme switch)."""
        if self._ends:
            self._paint()

    def _paint(self) -> None:
        palette = QApplication.palette()
        start = _length(self._prompt)
        total = start + (self._ends[-1] if self._ends else 0)
        written_until = start + (self._ends[self.shown_words - 1] if self.shown_words else 0)
        newest_from = start + (self._ends[self.shown_words - 2] if self.shown_words > 1 else 0)
        quiet, plain, newest, unseen = (QTextCharFormat() for _i in range(4))
        quiet.setForeground(quiet_ink(palette))
        plain.setForeground(palette.color(QPalette.ColorRole.Text))
        newest.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
        newest.setBackground(palette.color(QPalette.ColorRole.Highlight))
        unseen.setForeground(QColor(0, 0, 0, 0))
        # The newest word without the space before it: a highlight starts at its first letter.
        document = self.document()
        while newest_from < written_until and document.characterAt(newest_from).isspace():
            newest_from += 1
        for begin, end, style in ((0, start, quiet), (start, newest_from, plain),
                                  (newest_from, written_until, newest),
                                  (written_until, total, unseen)):
            if end > begin:
                cursor = QTextCursor(document)
                cursor.setPosition(begin)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(style)
