"""The tagging playground: offered after a tagger trains, it shows each typed word with its
tag and confidence under it, in the sentence's reading order, in the learner's language."""

import pytest
import torch

from hafiza.engine.exercises import prepare
from hafiza.ui import i18n
from hafiza.ui.playgrounds import create, names_for
from hafiza.ui.playgrounds.tagging import SURE_ROW, TAG_ROW, WORD_ROW

EXERCISE = {
    "id": "tagger", "task": "tagging",
    "dataset": {"name": "entities", "variety": "fa", "n_samples": 2000},
    "model": ["Embedding(vocab_size, 32)", "Bidirectional(LSTM(32, return_sequences=True))",
              "Dense(n_classes, softmax)"],
    "input_shape": [None], "loss": "categorical_crossentropy",
    "hyperparameters": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32,
                        "epochs": 6},
}


@pytest.fixture(scope="module")
def tagger():
    torch.set_num_threads(1)
    run = prepare(EXERCISE)
    list(run.fit())
    return run


@pytest.fixture
def persian(qapp):
    i18n.apply_language(qapp, "fa")
    yield
    i18n.apply_language(qapp, "en")


def shown(qtbot, tagger):
    widget = create("tagging", tagger)
    qtbot.addWidget(widget)
    widget.resize(1024, 700)
    widget.show()
    return widget


def tag(qtbot, widget, text):
    widget.sentence.setText(text)
    with qtbot.waitSignal(widget.computed, timeout=10_000):
        widget.tag_button.click()
    qtbot.waitUntil(lambda: widget.tag_button.isEnabled())


def test_a_trained_tagger_is_offered_the_playground(tagger):
    assert "tagging" in names_for(EXERCISE, tagger)


def test_each_word_shows_its_tag_and_confidence_right_to_left(qtbot, tagger, persian):
    widget = shown(qtbot, tagger)
    tag(qtbot, widget, "مریم در شیراز زندگی می\u200cکند")
    table = widget.table
    assert table.columnCount() == 5
    assert table.layoutDirection().name == "RightToLeft"  # the first word at the right
    assert table.item(WORD_ROW, 0).text() == "مریم"
    assert table.item(TAG_ROW, 0).text().startswith("شخص")  # "person" in Persian
    assert "B-PER" in table.item(TAG_ROW, 0).text()
    assert "B-LOC" in table.item(TAG_ROW, 2).text()
    assert table.item(SURE_ROW, 0).text()[0] in "۰۱۲۳۴۵۶۷۸۹"  # Persian digits
    assert table.verticalHeaderItem(TAG_ROW).text() == "برچسب"
    assert not widget.message.isVisible()


def test_unknown_words_are_named_and_still_tagged_left_to_right(qtbot, tagger):
    widget = shown(qtbot, tagger)
    tag(qtbot, widget, "Zorblax works here")
    assert widget.table.columnCount() == 3
    assert widget.table.layoutDirection().name == "LeftToRight"
    assert "Zorblax" in widget.message.text()


def test_an_empty_sentence_asks_for_one(qtbot, tagger):
    widget = shown(qtbot, tagger)
    widget.sentence.setText("  ")
    with qtbot.waitSignal(widget.computed, timeout=1_000):
        widget.tag_button.click()
    assert widget.table.columnCount() == 0
    assert widget.message.text() == "Write a sentence first."


def test_before_a_sentence_the_table_faces_the_windows_way(qtbot, tagger, persian):
    """In a right-to-left window the empty table's row names stand on the right (they stood
    on the left until a sentence was typed)."""
    from PySide6.QtCore import Qt

    widget = shown(qtbot, tagger)
    assert widget.table.layoutDirection() == Qt.LayoutDirection.RightToLeft
