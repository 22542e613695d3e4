"""A look inside the data: one IMDB review, the ids the model reads, and those ids decoded.

The learner sees exactly what the lesson describes: the review lower-cased and stripped of
`<br />`, each word replaced by its frequency rank + 3, a 1 at the start, 2 for words outside
`num_words`, and 0s padding to `maxlen` ("pre" or "post"). The review and its ids are
English and numbers: they are laid out left to right even in a right-to-left window.
"""

from __future__ import annotations

import random

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hafiza.engine.data import imdb
from hafiza.ui.controls_form import SIDES  # the form's words for pre and post: one table
from hafiza.ui.i18n import _, current_variety, number, qlocale
from hafiza.ui.imdb_import import error_message


def _left_to_right(editor: QPlainTextEdit) -> None:
    """English text and ids: left to right and left aligned, whatever the window's direction."""
    editor.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    option.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    editor.document().setDefaultTextOption(option)
    editor.setReadOnly(True)


def compress_padding(words: list[str]) -> str:
    """"<pad> × 150 great film ..." rather than 150 times <pad>."""
    parts: list[str] = []
    run = 0
    for word in words + [None]:
        if word == "<pad>":
            run += 1
            continue
        if run:
            parts.append("<pad>" if run == 1 else f"<pad> \u00d7 {run}")
            run = 0
        if word is not None:
            parts.append(word)
    return " ".join(parts)


class ReviewBrowser(QWidget):
    """Browse the imported reviews with the exercise's settings (num_words, maxlen, padding)."""

    def __init__(self, corpus: imdb.Corpus | None = None, parent: QWidget | None = None, *,
                 num_words: int = 10_000, maxlen: int = 200, padding: str = "pre") -> None:
        super().__init__(parent)
        self.setObjectName("review-browser")
        self.corpus = corpus
        self._random = random.Random(0)

        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        self.split = QComboBox()
        self.index = QSpinBox()
        self.index.setMinimum(1)
        self.random_button = QPushButton()
        self.sentiment = QLabel()
        self.sentiment.setObjectName("review-sentiment")
        for widget in (self.split, self.index, self.random_button, self.sentiment):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout.addLayout(controls)

        settings = QHBoxLayout()
        self.num_words = QSpinBox()
        self.num_words.setRange(4, 200_000)
        self.num_words.setSingleStep(1000)
        self.num_words.setValue(num_words)
        self.maxlen = QSpinBox()
        self.maxlen.setRange(1, imdb.MAX_MAXLEN)
        self.maxlen.setValue(maxlen)
        self.padding = QComboBox()
        for value in SIDES:
            self.padding.addItem("", value)  # worded in retranslate
        self.padding.setCurrentIndex(max(0, self.padding.findData(padding)))
        self.num_words_label, self.maxlen_label, self.padding_label = QLabel(), QLabel(), QLabel()
        for label, widget in ((self.num_words_label, self.num_words),
                              (self.maxlen_label, self.maxlen),
                              (self.padding_label, self.padding)):
            settings.addWidget(label)
            settings.addWidget(widget)
        settings.addStretch(1)
        layout.addLayout(settings)

        form = QFormLayout()
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("review-text")
        self.ids_view = QPlainTextEdit()
        self.ids_view.setObjectName("review-ids")
        self.words_view = QPlainTextEdit()
        self.words_view.setObjectName("review-decoded")
        for editor in (self.text_view, self.ids_view, self.words_view):
            _left_to_right(editor)
        self.text_label, self.ids_label, self.words_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.text_label, self.text_view)
        form.addRow(self.ids_label, self.ids_view)
        form.addRow(self.words_label, self.words_view)
        layout.addLayout(form, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.split.currentIndexChanged.connect(self._on_split)
        self.index.valueChanged.connect(self.refresh)
        self.random_button.clicked.connect(self.show_random)
        self.num_words.valueChanged.connect(self.refresh)
        self.maxlen.valueChanged.connect(self.refresh)
        self.padding.currentIndexChanged.connect(self.refresh)
        self.retranslate()
        self.set_corpus(corpus)

    @property
    def padding_value(self) -> str:
        """"pre" or "post", as engine.data.imdb.encode takes it."""
        return self.padding.currentData()

    def retranslate(self) -> None:
        self.setLocale(qlocale(current_variety()))  # the spin boxes' digits
        for index in range(self.padding.count()):
            self.padding.setItemText(index, _(SIDES[self.padding.itemData(index)]))
        current = max(0, self.split.currentIndex())
        self.split.blockSignals(True)
        self.split.clear()
        self.split.addItems([_("Training reviews"), _("Test reviews")])
        self.split.setCurrentIndex(current)
        self.split.blockSignals(False)
        self.random_button.setText(_("Random review"))
        self.num_words_label.setText(_("Words kept (num_words):"))
        self.maxlen_label.setText(_("Length (maxlen):"))
        self.padding_label.setText(_("Padding:"))
        self.text_label.setText(_("Review"))
        self.ids_label.setText(_("Ids"))
        self.words_label.setText(_("Ids read back"))
        self.refresh()

    def set_corpus(self, corpus: imdb.Corpus | None) -> None:
        self.corpus = corpus
        for widget in (self.split, self.index, self.random_button, self.num_words, self.maxlen,
                       self.padding):
            widget.setEnabled(corpus is not None)
        self._on_split()

    @property
    def split_name(self) -> str:
        return "test" if self.split.currentIndex() == 1 else "train"

    @Slot()
    def _on_split(self) -> None:
        if self.corpus is not None:
            self.index.setMaximum(self.corpus.size(self.split_name))
        self.refresh()

    @Slot()
    def show_random(self) -> None:
        if self.corpus is not None:
            self.index.setValue(self._random.randint(1, self.corpus.size(self.split_name)))

    def show_review(self, split: str, index: int) -> None:
        """Shows review `index` (0-based) of "train" or "test"."""
        self.split.setCurrentIndex(1 if split == "test" else 0)
        self.index.setValue(index + 1)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self.corpus is None:
            for editor in (self.text_view, self.ids_view, self.words_view):
                editor.setPlainText("")
            self.sentiment.setText("")
            self.summary.setText(error_message(imdb.NOT_IMPORTED))
            return
        split, index = self.split_name, self.index.value() - 1
        if not 0 <= index < self.corpus.size(split):
            return
        ranks = self.corpus.review_ranks(split, index)
        num_words, maxlen = self.num_words.value(), self.maxlen.value()
        padding = self.padding_value
        offsets = np.array([0, len(ranks)], dtype=np.int64)
        ids = imdb.encode(ranks, offsets, num_words=num_words, maxlen=maxlen, padding=padding,
                          truncating=padding)[0]
        vocabulary = self.corpus.vocabulary(num_words)
        text = self.corpus.review_text(split, index)
        if text is None:
            text = _("(this file has no review texts, only word numbers)")
        self.text_view.setPlainText(imdb.readable(text))
        self.ids_view.setPlainText("[" + ", ".join(str(int(i)) for i in ids) + "]")
        self.words_view.setPlainText(compress_padding(vocabulary.decode(ids)))
        positive = bool(self.corpus.split(split)[2][index])
        self.sentiment.setText(_("Positive") if positive else _("Negative"))
        unknown = int((ids == imdb.OOV).sum())
        self.summary.setText(
            _("{words} words; the model reads {kept} ids: {oov} outside the {num_words} "
              "kept words, {pad} padding.").format(
                words=number(len(ranks)), kept=number(maxlen), oov=number(unknown),
                num_words=number(num_words), pad=number(int((ids == 0).sum()))))
