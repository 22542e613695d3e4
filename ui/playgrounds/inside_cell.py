"""Inside the cell: the hidden state and, for an LSTM, the gates over the words of a sentence,
as a heat map: one column per word (in the sentence's own direction), one row per unit.
engine.playgrounds.inside_cell computes them, in a worker thread."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hafiza.engine.playgrounds.inside_cell import GATES, LSTM_VIEWS, cell_traces, views_for
from hafiza.engine.text import words_with_ids
from hafiza.ui.i18n import N_, _, isolate, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import (
    Message,
    diverging_color,
    learner_line_edit,
    message_label,
    refresh_direction,
    rounded_number,
    sequential_color,
    text_color_on,
    text_is_rtl,
    unknown_words_note,
)

# How each of the engine's views (engine.playgrounds.inside_cell.LSTM_VIEWS) is named.
VIEWS = {
    "h": N_("hidden state h"),
    "c": N_("cell state c"),
    "input": N_("input gate i"),
    "forget": N_("forget gate f"),
    "output": N_("output gate o"),
    "cell": N_("candidate values g"),
}
MAX_WORDS = 200  # a longer sentence is cut: a table of more columns is unreadable


class InsideCellPlayground(Playground):
    name = "inside_cell"

    def __init__(self, model, vocab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.vocab = vocab
        views = views_for(model)  # ValueError without a recurrent layer
        self.is_lstm = views == LSTM_VIEWS
        self.words: list[str] = []
        self.traces: dict[str, np.ndarray] = {}  # view -> (T words, units)
        self.values = np.zeros((0, 0))  # the table's values: (units, words)

        self.sentence_label = QLabel()
        self.sentence = learner_line_edit()
        self.sentence_label.setBuddy(self.sentence)
        self.view_label = QLabel()
        self.view = QComboBox()
        for key in views:
            self.view.addItem("", key)
        self.view_label.setBuddy(self.view)
        self.show_button = QPushButton()
        self.message = message_label()
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        font = self.table.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        self.table.setFont(font)

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.sentence, 1)
        row.addWidget(self.show_button)
        form.addRow(self.sentence_label, row)
        form.addRow(self.view_label, self.view)
        layout = self.body()
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.explain)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.sentence, self.show_button)
        self.setTabOrder(self.show_button, self.view)
        self.setTabOrder(self.view, self.table)
        self.sentence.returnPressed.connect(self.inspect)
        self.show_button.clicked.connect(self.inspect)
        self.view.currentIndexChanged.connect(self._fill)
        self.retranslate()

    def set_view(self, key: str) -> None:
        self.view.setCurrentIndex(self.view.findData(key))

    def translate_texts(self) -> None:
        refresh_direction(self.sentence)
        self.sentence_label.setText(_("Sentence:"))
        self.sentence.setPlaceholderText(_("Type a sentence in your language"))
        self.view_label.setText(_("Show:"))
        for index in range(self.view.count()):
            self.view.setItemText(index, _(VIEWS[self.view.itemData(index)]))
        self.show_button.setText(_("Look inside"))
        self._fill()

    @Slot()
    def inspect(self) -> None:
        """Traces for the sentence, computed in a worker; ``computed`` once they are shown."""
        text = self.sentence.text()
        pairs = words_with_ids(self.vocab, text)[:MAX_WORDS]
        if not pairs:
            self._clear(lambda: _("Type a few words first."))
            return
        readable, note = unknown_words_note(self.vocab, pairs)
        if not readable:
            self._clear(note)
            return
        self.show_message(note)
        model, device = self.model, self.device
        words = [word for word, _ids in pairs]
        word_ids = [ids for _word, ids in pairs]
        rtl = text_is_rtl(text)
        self.run_task("traces", lambda: (words, rtl, cell_traces(model, word_ids, device)),
                      self._on_traces)

    def _on_traces(self, result: tuple[list[str], bool, dict[str, np.ndarray]]) -> None:
        self.words, rtl, self.traces = result
        self.table.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl
                                      else Qt.LayoutDirection.LeftToRight)
        self._fill()

    def _clear(self, message: Message) -> None:
        self.forget_task("traces")  # traces still on their way are for an older sentence
        self.words = []
        self.traces = {}
        self.show_message(message)
        self._fill()
        self.computed.emit()

    @Slot()
    def _fill(self) -> None:
        key = self.view.currentData()
        if key in GATES:
            self.explain.setText(_("A gate's values lie between 0 (closed) and 1 (open)."))
        elif key == "c":
            self.explain.setText(_("The cell state is the LSTM's long memory; blue is "
                                   "positive, red negative."))
        else:
            # The numbers are the reader's, each isolated: its sign stays on its own side of
            # its digits («−۱» in Persian), not pulled to the far side by the sentence.
            self.explain.setText(_("Values between {low} and {high}: blue is positive, red "
                                   "negative.").format(low=isolate(number(-1)),
                                                       high=isolate(number(1))))
        if not self.traces or key not in self.traces:
            self.values = np.zeros((0, 0))
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        self.values = self.traces[key].T  # (units, words)
        units, words = self.values.shape
        self.table.setRowCount(units)
        self.table.setColumnCount(words)
        self.table.setHorizontalHeaderLabels(self.words)
        self.table.setVerticalHeaderLabels([number(u + 1) for u in range(units)])
        span = max(1.0, float(np.max(np.abs(self.values)))) if key == "c" else 1.0
        for unit in range(units):
            for column in range(words):
                value = float(self.values[unit, column])
                color = sequential_color(value) if key in GATES else \
                    diverging_color(value, -span, span)
                item = QTableWidgetItem(rounded_number(value, 2))
                item.setBackground(color)
                item.setForeground(text_color_on(color))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(unit, column, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
