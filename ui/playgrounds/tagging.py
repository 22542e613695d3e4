"""Tagging: type a sentence, see each word's tag (a person, a place, an organisation or no
name) and how sure the tagger is, the tag under each word in the sentence's reading order
(engine.playgrounds.tagging computes it, in a worker thread)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hafiza.engine.playgrounds.tagging import WordTag, tag_sentence
from hafiza.engine.text import unknown_words, words_with_ids
from hafiza.ui import colours
from hafiza.ui.i18n import N_, _, isolate, percent
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import (
    learner_line_edit,
    message_label,
    refresh_direction,
    rtl_mark,
    text_is_rtl,
)

# Each kind of name: its words in the learner's language and its colour.
KINDS = {
    "PER": (N_("person"), colours.BLUE),
    "LOC": (N_("place"), colours.GREEN),
    "ORG": (N_("organisation"), colours.ORANGE),
    "O": (N_("not a name"), None),
}
WORD_ROW, TAG_ROW, SURE_ROW = 0, 1, 2


def kind_of(tag: str) -> str:
    """"B-PER" -> "PER"; "O" stays "O"."""
    return tag.partition("-")[2] or tag


class TaggingPlayground(Playground):
    name = "tagging"

    def __init__(self, model, vocab, tags, length: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.vocab = vocab
        self.tags = tuple(tags)
        self.length = length  # the training sentences' length, padded to as in training
        self.found: list[WordTag] = []
        # the tagged sentence runs right to left; before one is typed, as the window does
        self._rtl = QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft

        self.sentence_label = QLabel()
        self.sentence = learner_line_edit()
        self.sentence_label.setBuddy(self.sentence)
        self.tag_button = QPushButton()
        self.tag_button.setDefault(True)
        self.message = message_label()
        self.table = QTableWidget(3, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(self.sentence, 1)
        row.addWidget(self.tag_button)
        layout = self.body()
        layout.addWidget(self.sentence_label)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        layout.addWidget(self.legend)
        layout.addStretch(1)
        self.setTabOrder(self.sentence, self.tag_button)
        self.setTabOrder(self.tag_button, self.table)
        self.tag_button.clicked.connect(self.tag_words)
        self.sentence.returnPressed.connect(self.tag_words)
        self.retranslate()

    def translate_texts(self) -> None:
        refresh_direction(self.sentence)
        self.sentence_label.setText(_("Your sentence:"))
        self.sentence.setPlaceholderText(
            _("Write a sentence with a person, a city or a company in it"))
        self.tag_button.setText(_("Tag the words"))
        self.table.setVerticalHeaderLabels([_("Word"), _("Tag"), _("Sure")])
        # rtl_mark: the legend starts with "B-", which would lay a Persian line out left to right
        self.legend.setText(rtl_mark() + _(
            "B- marks the first word of a name and I- a word that continues it; O is a word "
            "that is part of no name. \"Sure\" is the probability the model gives its tag."))
        self._show()

    @Slot()
    def tag_words(self) -> None:
        text = self.sentence.text()
        pairs = words_with_ids(self.vocab, text)
        if not pairs:
            self.forget_task("tagging")
            self._clear()
            self.show_message(lambda: _("Write a sentence first."))
            self.computed.emit()
            return
        # Unknown words are what the tagger learned to expect of a new name: it reads them
        # all, so even a sentence of unknown words is tagged, and the note only names them.
        unknown = unknown_words(self.vocab, pairs)
        self.show_message(lambda: _("Unknown to the model (read as a rare word): {words}")
                          .format(words=_(", ").join(isolate(word) for word in unknown))
                          if unknown else "")
        model, vocab, tags, length, device = (self.model, self.vocab, self.tags, self.length,
                                              self.device)
        rtl = text_is_rtl(text)
        self.tag_button.setEnabled(False)
        self.run_task("tagging", lambda: (rtl, tag_sentence(model, vocab, tags, text, length,
                                                            device)), self._on_result)

    def _on_result(self, result: tuple[bool, list[WordTag]]) -> None:
        self._rtl, self.found = result
        self._show()

    def task_ended(self) -> None:
        self.tag_button.setEnabled(not self.is_busy("tagging"))

    def _clear(self) -> None:
        self.found = []
        self._show()

    def _cell(self, text: str, background: QColor | None) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if background is not None:
            item.setBackground(background)
        return item

    def _show(self) -> None:
        """One column per word, in the sentence's reading order: a right-to-left sentence
        starts at the right whatever the window's direction."""
        self.table.setLayoutDirection(Qt.LayoutDirection.RightToLeft if self._rtl
                                      else Qt.LayoutDirection.LeftToRight)
        self.table.setColumnCount(len(self.found))
        base = self.palette().color(QPalette.ColorRole.Base)
        for column, item in enumerate(self.found):
            words, colour = KINDS.get(kind_of(item.tag), KINDS["O"])
            background = None
            if colour is not None:
                # The kind's colour, stronger the surer the model is, over the table's own
                # background so that light and dark themes both keep the text readable.
                tint = QColor(colour)
                share = 0.25 + 0.35 * item.confidence
                background = QColor(round(base.red() + (tint.red() - base.red()) * share),
                                    round(base.green() + (tint.green() - base.green()) * share),
                                    round(base.blue() + (tint.blue() - base.blue()) * share))
            self.table.setItem(WORD_ROW, column, self._cell(item.word, background))
            self.table.setItem(TAG_ROW, column,
                               self._cell(f"{_(words)}\n{isolate(item.tag)}", background))
            sure = percent(item.confidence, 0)
            self.table.setItem(SURE_ROW, column, self._cell(sure, background))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        # As tall as its three rows and a scroll bar for a long sentence, no taller.
        rows = sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        self.table.setFixedHeight(rows + 2 * self.table.frameWidth()
                                  + self.table.horizontalScrollBar().sizeHint().height())
