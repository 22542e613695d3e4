"""Next word: type the start of a sentence, see the ten likeliest next words with bars, and
let the model write on, hotter or colder with the temperature slider. The model runs in a
worker thread (engine.inspection); engine.playgrounds.next_word ranks its guesses."""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import QLocale, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hafiza.engine.inspection import generate_text, next_word_distribution
from hafiza.engine.playgrounds.next_word import TOP_K, Guess, next_word_guesses, spelled_for_reader
from hafiza.engine.text import vocabulary_is_persian, words_with_ids
from hafiza.ui.exercise_spin_boxes import ClampNote, WholeSpinBox
from hafiza.ui.i18n import _, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import (
    learner_line_edit,
    learner_text_edit,
    message_label,
    refresh_direction,
    unknown_words_note,
)

LIVE_DELAY_MS = 150  # guesses follow the typing, once it pauses
# Writing on draws each word among this many likeliest (0: among all of them): sampling from
# the whole vocabulary lets the long tail of rare words through, one word in a few.
WRITE_AMONG = 10


class NextWordPlayground(Playground):
    name = "next_word"

    def __init__(self, model, vocab, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.vocab = vocab
        self._persian = vocabulary_is_persian(vocab)
        self.guesses: list[Guess] = []  # at the slider's temperature
        self.generated: list[str] = []
        self._seeds = itertools.count()
        self._probabilities: np.ndarray | None = None

        self.prompt_label = QLabel()
        self.prompt = learner_line_edit()
        self.prompt_label.setBuddy(self.prompt)
        self.temperature_label = QLabel()
        self.temperature = QSlider(Qt.Orientation.Horizontal)
        self.temperature.setRange(5, 200)  # hundredths
        self.temperature.setValue(100)
        self.temperature.setPageStep(10)
        self.temperature_value = QLabel()
        self.temperature_label.setBuddy(self.temperature)
        self.length_label = QLabel()
        self.length = WholeSpinBox()
        self.length.setRange(1, 500)
        self.length.setValue(20)
        self.length_label.setBuddy(self.length)
        self.generate_button = QPushButton()
        self.among_label = QLabel()
        self.among = WholeSpinBox()
        self.among.setRange(0, 1000)
        self.among.setValue(WRITE_AMONG)
        self.among_label.setBuddy(self.among)
        self.stop_at_end = QCheckBox()
        self.stop_at_end.setChecked(True)
        self.message = message_label()

        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.output_label = QLabel()
        self.output = learner_text_edit()
        self.output.setReadOnly(True)
        self.output.setMaximumHeight(110)
        self.output_label.setBuddy(self.output)

        form = QFormLayout()
        # In a narrow window (or with a larger text size) a long label puts its field below
        # it, rather than making the playground wider than its window.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.prompt_label, self.prompt)
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.temperature, 1)
        slider_row.addWidget(self.temperature_value)
        form.addRow(self.temperature_label, slider_row)
        generate_row = QHBoxLayout()
        generate_row.addWidget(self.length)
        generate_row.addWidget(self.generate_button)
        generate_row.addWidget(ClampNote(self.length), 1)
        generate_row.addStretch(0)  # the room, while the note is hidden
        form.addRow(self.length_label, generate_row)
        among_row = QHBoxLayout()
        among_row.addWidget(self.among)
        among_row.addWidget(self.stop_at_end)
        among_row.addWidget(ClampNote(self.among), 1)
        among_row.addStretch(0)
        form.addRow(self.among_label, among_row)
        layout = self.body()
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.output_label)
        layout.addWidget(self.output)
        self.setTabOrder(self.prompt, self.temperature)
        self.setTabOrder(self.temperature, self.length)
        self.setTabOrder(self.length, self.generate_button)
        self.setTabOrder(self.generate_button, self.among)
        self.setTabOrder(self.among, self.stop_at_end)
        self.setTabOrder(self.stop_at_end, self.table)
        self.setTabOrder(self.table, self.output)

        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_DELAY_MS)
        self._live.timeout.connect(self.update_guesses)
        self.prompt.textChanged.connect(self._live.start)
        self.prompt.returnPressed.connect(self.update_guesses)
        self.temperature.valueChanged.connect(self._on_temperature)
        self.generate_button.clicked.connect(self.generate)
        self.retranslate()

    # -- settings -----------------------------------------------------------------------------
    @property
    def temperature_value_float(self) -> float:
        return self.temperature.value() / 100

    def set_temperature(self, value: float) -> None:
        self.temperature.setValue(round(value * 100))

    def translate_texts(self) -> None:
        refresh_direction(self.prompt, self.output)
        self.prompt_label.setText(_("Start of a sentence:"))
        self.prompt.setPlaceholderText(_("Type a few words in your language"))
        self.temperature_label.setText(_("Temperature:"))
        self.temperature_value.setText(number(self.temperature_value_float, 2))
        self.temperature.setToolTip(_("Below 1 the likeliest words win more often; above 1 "
                                      "the choice is more surprising."))
        self.length_label.setText(_("Words to write:"))
        self.generate_button.setText(_("Write on"))
        self.among_label.setText(_("Choose each word among the likeliest:"))
        self.among.setSpecialValueText(_("all"))
        self.among.setToolTip(_("Each written word is drawn among this many likeliest next "
                                "words; fewer keeps the text on track, more surprises."))
        self.stop_at_end.setText(_("Stop at the end of the sentence"))
        self.output_label.setText(_("The model writes on:"))
        self.table.setHorizontalHeaderLabels([_("Next word"), _("Probability")])
        if self._probabilities is not None:
            self._show_guesses()

    # -- next word -----------------------------------------------------------------------------
    def _prompt_ids(self) -> list[int] | None:
        """The prompt's ids, or None after showing why there are none."""
        text = self.prompt.text()
        pairs = words_with_ids(self.vocab, text)
        if not pairs:
            self._clear_guesses()
            self.show_message(lambda: _("Type a few words first."))
            return None
        readable, note = unknown_words_note(self.vocab, pairs)
        self.show_message(note)
        if not readable:
            self._clear_guesses()
            return None
        return [i for _word, ids in pairs for i in ids]

    def _clear_guesses(self) -> None:
        self.forget_task("guesses")  # a guess still on its way is for an older prompt
        self._probabilities = None
        self.guesses = []
        self.table.setRowCount(0)

    @Slot()
    def update_guesses(self) -> None:
        """Guesses for the prompt, computed in a worker; ``computed`` once they are shown."""
        self._live.stop()
        ids = self._prompt_ids()
        if ids is None:
            self.computed.emit()
            return
        model, device = self.model, self.device
        self.run_task("guesses", lambda: next_word_distribution(model, ids, device),
                      self._on_distribution)

    def _on_distribution(self, probabilities: np.ndarray) -> None:
        self._probabilities = probabilities
        self._show_guesses()

    @Slot(int)
    def _on_temperature(self, _value: int) -> None:
        self.temperature_value.setText(number(self.temperature_value_float, 2))
        if self._probabilities is not None:
            self._show_guesses()

    def _show_guesses(self) -> None:
        self.guesses = next_word_guesses(self._probabilities, self.vocab,
                                         self.temperature_value_float, TOP_K, self._persian)
        self.table.setRowCount(len(self.guesses))
        percent = QLocale().percent()
        for row, guess in enumerate(self.guesses):
            if guess.rare:
                shown = _("(a rare word)")
            elif guess.ends_line:
                shown = _("(end of the line)")
            else:
                shown = guess.written
            p = guess.probability
            item = QTableWidgetItem(shown)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 0, item)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(round(1000 * p))
            bar.setFormat(number(100 * p, 1) + percent)
            bar.setAccessibleName(f"{shown} {number(100 * p, 1)}{percent}")
            self.table.setCellWidget(row, 1, bar)
        self.table.resizeColumnToContents(0)

    # -- writing on ----------------------------------------------------------------------------
    @Slot()
    def generate(self) -> None:
        ids = self._prompt_ids()
        if ids is None:
            self.computed.emit()
            return
        model, vocab, prompt, device = self.model, self.vocab, self.prompt.text(), self.device
        n, temperature, seed = self.length.value(), self.temperature_value_float, next(self._seeds)
        among, stop = self.among.value() or None, self.stop_at_end.isChecked()
        self.generate_button.setEnabled(False)
        self.output.setPlainText(_("Writing…"))
        self.run_task("generate",
                      lambda: generate_text(model, vocab, prompt, n, temperature, seed, device,
                                            top_k=among, stop_at_sentence_end=stop),
                      self._show_generated)

    def _show_generated(self, words: list[str]) -> None:
        self.generated = list(words)
        # A character model's pieces join without spaces (vocab.join knows its unit).
        space = "" if getattr(self.vocab, "unit", "word") == "char" else " "
        self.output.setPlainText(self.prompt.text().strip() + space
                                 + self.vocab.join([self._as_written(word) for word in words]))

    def _as_written(self, word: str) -> str:
        return spelled_for_reader(self.vocab, word, self._persian)

    def task_ended(self) -> None:
        self.generate_button.setEnabled(not self.is_busy("generate"))
