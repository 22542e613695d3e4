"""The language-models lesson offers characters as well as words: its next-char exercise has
a "Read the text as" control whose choices are the engine's units, and the choice is what the
run trains on (a CharVocabulary for characters)."""

import pytest

from hafiza.engine.tables import TEXT_UNITS
from hafiza.engine.text import CharVocabulary, Vocabulary
from tests.ui.test_exercise_window import card_button

# The control's label and its two choices, as the learner reads them.
WORDING = {
    "en": ("Read the text as", ["words", "characters"]),
    "fa": ("خواندن متن", ["کلمه به کلمه", "حرف به حرف"]),
}


def next_char_panel(hafiza, qtbot, tag):
    window = hafiza.create_window(tag)
    qtbot.addWidget(window)
    window.open_lesson("language-models")
    card_button(window, "next-char").click()
    exercise_window = hafiza.exercise_windows[("language-models", "next-char")]
    qtbot.addWidget(exercise_window)
    return exercise_window.panel


@pytest.mark.parametrize("tag", ["fa", "en"])
def test_the_unit_control_offers_the_engines_units_and_the_run_reads_characters(
        hafiza, qtbot, tag):
    panel = next_char_panel(hafiza, qtbot, tag)
    (combo,) = panel.controls.editors["dataset.unit"]
    label, choices = WORDING[tag]
    assert panel.controls.labels["dataset.unit"].text() == label
    assert [combo.itemData(i) for i in range(combo.count())] == list(TEXT_UNITS)
    assert [combo.itemText(i) for i in range(combo.count())] == choices
    assert combo.currentData() == "char"  # the exercise's own unit
    assert panel.controls.overrides()["dataset.unit"] == "char"
    # One short epoch is enough to see what the run was built on.
    panel.controls.editors["epochs"][0].setValue(1)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000):
        panel.train()
    assert panel.run.exercise["dataset"]["unit"] == "char"
    assert panel.run.exercise["dataset"]["variety"] == tag
    assert isinstance(panel.run.prepared.vocab, CharVocabulary)
    assert len(panel.run.prepared.vocab.word_index) < 200  # letters and marks, not words


def test_choosing_words_trains_a_word_model_on_the_same_text(hafiza, qtbot):
    panel = next_char_panel(hafiza, qtbot, "fa")
    (combo,) = panel.controls.editors["dataset.unit"]
    combo.setCurrentIndex(combo.findData("word"))
    panel.controls.editors["epochs"][0].setValue(1)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000):
        panel.train()
    vocab = panel.run.prepared.vocab
    assert type(vocab) is Vocabulary and "یادگیری" in vocab.word_index


def test_a_language_switch_rewords_the_choices_and_keeps_the_one_chosen(hafiza, qtbot):
    panel = next_char_panel(hafiza, qtbot, "en")
    (combo,) = panel.controls.editors["dataset.unit"]
    combo.setCurrentIndex(combo.findData("word"))
    hafiza.set_language("fa")
    assert [combo.itemText(i) for i in range(combo.count())] == WORDING["fa"][1]
    assert combo.currentData() == "word"
