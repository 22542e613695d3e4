"""Next word: type the start of a sentence, see the ten likeliest next words with bars, beside
the guesses of counting alone (a trigram of the same training text), and let the model write
on, hotter or colder with the temperature slider, its words appearing one by one. The model
runs in a worker thread (engine.inspection); engine.playgrounds.next_word ranks its guesses
and counts, engine.playgrounds.char_words spells a character model's guesses into words."""

from __future__ import annotations

import itertools

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QWidget,
)

from hafiza.engine.inspection import generate_text
from hafiza.engine.playgrounds.char_words import char_word_guesses, words_of_letters
from hafiza.engine.playgrounds.next_word import (
    TOP_K,
    CountingBaseline,
    Guess,
    next_word_distributions,
    next_word_guesses,
    spelled_for_reader,
)
from hafiza.engine.text import vocabulary_is_persian, words_with_ids
from hafiza.ui.exercise_spin_boxes import ClampNote, WholeSpinBox
from hafiza.ui.i18n import _, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import (
    learner_line_edit,
    message_label,
    refresh_direction,
    unknown_words_note,
)
from hafiza.ui.playgrounds.next_word_parts import GuessList, WrittenText

LIVE_DELAY_MS = 150  # guesses follow the typing, once it pauses
WORDS_TO_WRITE = 20
CHARACTERS_TO_WRITE = 150  # about 25 words of Persian or Darija
# Writing on draws each word among this many likeliest (0: among all of them): sampling from
# the whole vocabulary lets the long tail of rare words through, one word in a few.
WRITE_AMONG = 10


class NextWordPlayground(Playground):
    name = "next_word"

    def __init__(self, model, vocab, parent: QWidget | None = None, *, data=None) -> None:
        """``data`` is the run's training text (engine.data.lm.LanguageModelData), counted
        for the guesses beside the network's; None (or a text no longer readable): none."""
        super().__init__(parent)
        self.model = model
        self.vocab = vocab
        self.baseline = CountingBaseline(data, vocab)
        self._persian = vocabulary_is_persian(vocab)
        # A character model guesses letters; the lists show the words they spell.
        self._chars = getattr(vocab, "unit", "word") == "char"
        self.guesses: list[Guess] = []  # the network's, at the slider's temperature
        self.counting_guesses: list[Guess] = []  # counting's, at the same temperature
        self.generated: list[str] = []
        self._seeds = itertools.count()
        # What the lists are drawn from: a word model's two distributions, re-ranked at each
        # temperature here; a character model's words, spelled again in a worker.
        self._distributions: tuple[np.ndarray, np.ndarray | None] | None = None
        self._char_guesses: tuple[list[Guess], list[Guess] | None] | None = None

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
        # About four words either way: a character model writes a letter at a time.
        self.length.setValue(CHARACTERS_TO_WRITE if self._chars else WORDS_TO_WRITE)
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

        self.network_list = GuessList()
        self.counting_list = GuessList()
        self.table = self.network_list.table  # the network's guesses
        self.output_label = QLabel()
        self.output = WrittenText()
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
        lists = QHBoxLayout()  # the network first, in the reader's direction
        lists.addWidget(self.network_list, 1)
        lists.addWidget(self.counting_list, 1)
        layout = self.body()
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(lists, 1)
        layout.addWidget(self.output_label)
        layout.addWidget(self.output)
        self.setTabOrder(self.prompt, self.temperature)
        self.setTabOrder(self.temperature, self.length)
        self.setTabOrder(self.length, self.generate_button)
        self.setTabOrder(self.generate_button, self.among)
        self.setTabOrder(self.among, self.stop_at_end)
        self.setTabOrder(self.stop_at_end, self.network_list.table)
        self.setTabOrder(self.network_list.table, self.counting_list.table)
        self.setTabOrder(self.counting_list.table, self.output)

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
        # A character model writes (and counts) letters, spaces and marks.
        self.length_label.setText(_("Characters to write:") if self._chars
                                  else _("Words to write:"))
        self.generate_button.setText(_("Write on"))
        self.among.setSpecialValueText(_("all"))
        if self._chars:
            self.among_label.setText(_("Choose each letter among the likeliest:"))
            self.among.setToolTip(_("Each written letter is drawn among this many likeliest "
                                    "next letters; fewer keeps the text on track, more "
                                    "surprises."))
        else:
            self.among_label.setText(_("Choose each word among the likeliest:"))
            self.among.setToolTip(_("Each written word is drawn among this many likeliest "
                                    "next words; fewer keeps the text on track, more "
                                    "surprises."))
        self.stop_at_end.setText(_("Stop at the end of the sentence"))
        self.output_label.setText(_("The model writes on:"))
        self.output.setToolTip(_("Your words are paler; the model's words appear one by one, "
                                 "the newest highlighted."))
        self._translate_lists()
        self.output.repaint_colours()  # after a switch between light and dark, too

    def _translate_lists(self) -> None:
        if self._chars:
            network = _("Your network guesses one letter at a time: these are the words its "
                        "likeliest letters spell, at the temperature above.")
            counting = _("No network: how often each letter followed the two before it in "
                         "the same training text, spelled into words the same way. Where the "
                         "network guesses better than this, its training was worth it.")
        else:
            network = _("Your trained network's likeliest next words, at the temperature "
                        "above.")
            counting = _("No network: how often each word followed the two before it in the "
                         "same training text (a Kneser-Ney trigram), at the same temperature. "
                         "Where the network guesses better than this, its training was worth "
                         "it.")
        self.network_list.retranslate(_("Your network's guesses"), network)
        self.counting_list.retranslate(_("Counting's guesses (no network)"), counting)
        self.counting_list.show_note("" if self.baseline.available else _(
            "Nothing to compare with: the text this model learned from cannot be read "
            "again."))
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
        self._distributions = self._char_guesses = None
        self._show_guesses()

    @Slot()
    def update_guesses(self) -> None:
        """Guesses for the prompt, computed in a worker (the first also counts the training
        text); ``computed`` once they are shown."""
        self._live.stop()
        ids = self._prompt_ids()
        if ids is None:
            self.computed.emit()
            return
        model, baseline, vocab, device = self.model, self.baseline, self.vocab, self.device
        if self._chars:
            # The list is of next words, as a word model's: the prompt's words are taken as
            # whole (the engine would otherwise complete the last one: «عمیق» -> «عمیقی»).
            prompt = self.prompt.text().rstrip() + " "
            temperature = self.temperature_value_float
            self.run_task("guesses", lambda: char_word_guesses(
                model, baseline, vocab, prompt, temperature, device, TOP_K),
                self._on_char_guesses)
        else:
            self.run_task("guesses", lambda: next_word_distributions(model, baseline, ids,
                                                                     device),
                          self._on_distributions)

    def _on_distributions(self, distributions) -> None:
        self._distributions = distributions
        self._show_guesses()

    def _on_char_guesses(self, guesses) -> None:
        self._char_guesses = guesses
        self._show_guesses()

    @Slot(int)
    def _on_temperature(self, _value: int) -> None:
        self.temperature_value.setText(number(self.temperature_value_float, 2))
        if self._chars:  # its words are spelled at a temperature: spell them again
            if self._char_guesses is not None:
                self._live.start()
        else:
            self._show_guesses()

    def _show_guesses(self) -> None:
        network, counting = [], None
        if self._char_guesses is not None:
            network, counting = self._char_guesses
        elif self._distributions is not None:
            temperature = self.temperature_value_float
            network_p, counting_p = self._distributions
            network = next_word_guesses(network_p, self.vocab, temperature, TOP_K,
                                        self._persian)
            if counting_p is not None:
                counting = next_word_guesses(counting_p, self.vocab, temperature, TOP_K,
                                             self._persian)
        self.guesses, self.counting_guesses = network, counting or []
        self.network_list.show_guesses(self.guesses)
        self.counting_list.show_guesses(self.counting_guesses)

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
        self.output.show_message(_("Writing…"))
        self.run_task("generate",
                      lambda: generate_text(model, vocab, prompt, n, temperature, seed, device,
                                            top_k=among, stop_at_sentence_end=stop),
                      self._show_generated)

    def _show_generated(self, words: list[str]) -> None:
        """The model's words after the prompt, shown one by one (WrittenText)."""
        self.generated = list(words)
        prompt = self.prompt.text().strip()
        if self._chars:  # letters join without spaces, and appear a word at a time
            self.output.show_writing(prompt, words_of_letters(self.generated),
                                     lambda groups: self.vocab.join(itertools.chain(*groups)),
                                     separator="")
        else:
            self.output.show_writing(prompt, self.generated, self._join)

    def _join(self, words: list[str]) -> str:
        return self.vocab.join([spelled_for_reader(self.vocab, word, self._persian)
                                for word in words])

    def task_ended(self) -> None:
        self.generate_button.setEnabled(not self.is_busy("generate"))
