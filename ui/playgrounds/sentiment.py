"""Sentiment: type a review, see the probability that it is positive and which words pushed
it, by occlusion: how much the probability changes when each word is left out
(engine.playgrounds.sentiment computes it, in a worker thread)."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hafiza.engine.playgrounds.sentiment import Occlusion, occlusion_scores
from hafiza.engine.text import words_with_ids
from hafiza.ui import colours
from hafiza.ui.i18n import _, isolate, percent
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import (
    change_ink,
    learner_text_edit,
    message_label,
    refresh_direction,
    rounded_number,
    text_is_rtl,
    unknown_words_note,
)

POSITIVE = colours.GREEN
NEGATIVE = colours.RED


class SentimentPlayground(Playground):
    name = "sentiment"

    def __init__(self, model, vocab, maxlen: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.vocab = vocab
        self.maxlen = maxlen  # None: the model's own input length
        self.probability: float | None = None
        self.words: list[str] = []
        self.contributions = np.zeros(0)
        self._rtl = False  # the shown review runs right to left

        self.review_label = QLabel()
        self.review = learner_text_edit()
        self.review.setMaximumHeight(120)
        self.review_label.setBuddy(self.review)
        self.analyse_button = QPushButton()
        self.analyse_button.setDefault(True)
        self.shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.shortcut.activated.connect(self.analyse)
        self.message = message_label()
        self.result_label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.chips_label = QLabel()
        self.chips = QLabel()
        self.chips.setWordWrap(True)
        self.chips.setTextFormat(Qt.TextFormat.RichText)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.analyse_button)
        buttons.addStretch(1)
        layout = self.body()
        layout.addWidget(self.review_label)
        layout.addWidget(self.review)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.result_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.chips_label)
        layout.addWidget(self.chips)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.review, self.analyse_button)
        self.setTabOrder(self.analyse_button, self.table)
        self.analyse_button.clicked.connect(self.analyse)
        self.retranslate()

    def translate_texts(self) -> None:
        refresh_direction(self.review)
        self.review_label.setText(_("Your review:"))
        self.review.setPlaceholderText(_("Write a short review of a film in your language"))
        self.analyse_button.setText(_("Read the review"))
        # The keys read left to right ("Ctrl+Return") inside a right-to-left tooltip.
        self.analyse_button.setToolTip(isolate(self.shortcut.key().toString(
            QKeySequence.SequenceFormat.NativeText)))
        self.chips_label.setText(_("Which words pushed the verdict:"))
        self.legend.setText(_("Green words pushed towards positive, red words towards negative; "
                              "the number is how much the probability changes when the word "
                              "is left out."))
        self.table.setHorizontalHeaderLabels([_("Word"), _("Change without it")])
        self._show()

    @Slot()
    def analyse(self) -> None:
        text = self.review.toPlainText()
        pairs = words_with_ids(self.vocab, text)
        if not pairs:
            self.forget_task("occlusion")
            self._clear()
            self.show_message(lambda: _("Write a review first."))
            self.computed.emit()
            return
        readable, note = unknown_words_note(self.vocab, pairs)
        if not readable:
            self.forget_task("occlusion")
            self._clear()
            self.show_message(note)
            self.computed.emit()
            return
        self.show_message(note)
        model, maxlen, device = self.model, self.maxlen, self.device
        word_ids = [ids for _word, ids in pairs]
        words = [word for word, _ids in pairs]
        rtl = text_is_rtl(text)
        self.analyse_button.setEnabled(False)
        self.run_task("occlusion",
                      lambda: (words, rtl, occlusion_scores(model, word_ids, maxlen, device)),
                      self._on_result)

    def _on_result(self, result: tuple[list[str], bool, Occlusion]) -> None:
        self.words, self._rtl, occlusion = result
        self.probability, self.contributions = occlusion.probability, occlusion.changes
        self._show()

    def task_ended(self) -> None:
        self.analyse_button.setEnabled(not self.is_busy("occlusion"))

    def _clear(self) -> None:
        self.probability = None
        self.words = []
        self.contributions = np.zeros(0)
        self._show()

    def _show(self) -> None:
        if self.probability is None:
            self.result_label.setText("")
            self.bar.setValue(0)
            self.bar.setFormat("")
            self.chips.setText("")
            self.table.setRowCount(0)
            return
        shown = percent(self.probability, 1)
        self.result_label.setText(_("Probability that the review is positive: {p}").format(
            p=shown))
        self.bar.setValue(round(1000 * self.probability))
        self.bar.setFormat(shown)
        scale = max(1e-6, float(np.max(np.abs(self.contributions))) if self.words else 1.0)
        chips = []
        for word, change in zip(self.words, self.contributions, strict=True):
            strength = min(1.0, abs(change) / scale)
            color = POSITIVE if change > 0 else NEGATIVE
            alpha = int(40 + 180 * strength)
            background = f"rgba({int(color[1:3], 16)},{int(color[3:5], 16)}," \
                         f"{int(color[5:7], 16)},{alpha})"
            # The change in small type beside the word (a <sub> shrank it to dots).
            change_text = isolate(rounded_number(change, 2))
            chips.append(f'<span style="background-color:{background};">'
                         f"&nbsp;{html.escape(word)}&nbsp;<small>{change_text}</small>"
                         "&nbsp;</span>")
        direction = "rtl" if self._rtl else "ltr"
        self.chips.setText(f'<div dir="{direction}" style="line-height:160%;">'
                           + " ".join(chips) + "</div>")
        order = np.argsort(-np.abs(self.contributions), kind="stable")
        self.table.setRowCount(len(order))
        for row, index in enumerate(order):
            word_item = QTableWidgetItem(self.words[index])
            change = float(self.contributions[index])
            change_item = QTableWidgetItem(rounded_number(change, 3))
            change_item.setForeground(change_ink(change))
            self.table.setItem(row, 0, word_item)
            self.table.setItem(row, 1, change_item)
        self.table.resizeColumnToContents(0)
