"""The next-word playground shows counting's guesses beside the network's (or says why it
cannot), and writes on word by word: the newest word highlighted, the prompt in a quieter
ink that stays readable on light and dark themes."""

import pytest

from hafiza.engine.ngram import fit_baseline
from hafiza.engine.playgrounds.next_word import next_word_guesses
from hafiza.engine.text import join_tokens
from hafiza.ui import i18n, theme
from hafiza.ui.playgrounds.next_word import NextWordPlayground
from hafiza.ui.playgrounds.next_word_parts import quiet_ink
from tests.contrast import WCAG_AA, contrast

WORDS = ("the cat sat on the mat and the dog sat on the rug . "
         "the cat saw the dog and the dog saw the cat . ") * 8


@pytest.fixture(autouse=True)
def english_light(qapp):
    i18n.apply_language(qapp, "en")
    yield
    i18n.apply_language(qapp, "en")
    theme.apply_theme(qapp, "light")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from hafiza.engine.exercises import prepare

    path = tmp_path_factory.mktemp("lm") / "tiny.txt"
    path.write_text(WORDS, encoding="utf-8")
    exercise = {
        "id": "lm_tiny", "task": "language_model",
        "dataset": {"name": "text_file", "path": path.name, "val_fraction": 0.1},
        "model": ["Embedding(vocab_size, 16)", "LSTM(16, return_sequences=True)",
                  "Dense(vocab_size, softmax)"],
        "loss": "categorical_crossentropy",
        "hyperparameters": {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 4,
                            "bptt": 8, "epochs": 2},
    }
    prepared = prepare(exercise, data_root=path.parent)
    list(prepared.fit())
    return prepared


def _playground(qtbot, prepared, data="same", size=(1000, 680)):
    widget = NextWordPlayground(prepared.model, prepared.vocab,
                                data=prepared.data if data == "same" else data)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    return widget


def _guess(qtbot, widget, prompt):
    widget.prompt.setText(prompt)
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.update_guesses()


def test_counting_guesses_stand_beside_the_networks(qtbot, trained):
    widget = _playground(qtbot, trained)
    _guess(qtbot, widget, "sat on the")
    counting = fit_baseline(trained.data).distribution(trained.vocab.encode("sat on the"))
    expected = [g.written for g in next_word_guesses(counting, trained.vocab, 1.0, 10)]
    assert widget.counting_list.words() == expected
    assert widget.network_list.words() == [g.written for g in widget.guesses]
    assert widget.network_list.table.rowCount() == widget.counting_list.table.rowCount() == 10
    assert widget.counting_list.words()[0] in ("mat", "rug")  # what counting saw
    assert widget.network_list.heading.text() == "Your network's guesses"
    assert widget.counting_list.heading.text() == "Counting's guesses (no network)"
    assert not widget.counting_list.note.isVisible()
    # Side by side, both whole inside the window, the network's first in reading order.
    window = widget.rect()
    for guess_list in (widget.network_list, widget.counting_list):
        box = guess_list.rect().translated(guess_list.mapTo(widget, guess_list.rect().topLeft()))
        assert window.contains(box)
    network_x = widget.network_list.mapTo(widget, widget.network_list.rect().topLeft()).x()
    counting_x = widget.counting_list.mapTo(widget, widget.counting_list.rect().topLeft()).x()
    assert network_x < counting_x
    # The temperature reshapes counting's list as the network's.
    widget.set_temperature(0.3)
    assert widget.counting_guesses[0].probability > 0.5


def test_persian_puts_the_networks_list_on_the_right(qtbot, qapp, trained):
    i18n.apply_language(qapp, "fa")
    widget = _playground(qtbot, trained)
    widget.retranslate()
    qtbot.waitUntil(lambda: widget.network_list.isVisible())
    network_x = widget.network_list.mapTo(widget, widget.network_list.rect().topLeft()).x()
    counting_x = widget.counting_list.mapTo(widget, widget.counting_list.rect().topLeft()).x()
    assert network_x > counting_x
    assert widget.counting_list.heading.text() == "حدس‌های شمارش (بدون شبکه)"


def test_without_its_text_the_window_says_there_is_nothing_to_count(qtbot, trained):
    widget = _playground(qtbot, trained, data=None)
    _guess(qtbot, widget, "the cat")
    assert widget.network_list.table.rowCount() == 10
    assert widget.counting_list.table.rowCount() == 0
    assert widget.counting_list.note.isVisible()
    assert "Nothing to compare with" in widget.counting_list.note.text()


def _highlighted(widget):
    """The text drawn on the highlight colour, and the text drawn in no ink."""
    from PySide6.QtWidgets import QApplication

    highlight = QApplication.palette().highlight().color()
    marked, unseen = [], []
    block = widget.output.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            style = fragment.charFormat()
            if style.background().color() == highlight:
                marked.append(fragment.text())
            if style.foreground().color().alpha() == 0:
                unseen.append(fragment.text())
            iterator += 1
        block = block.next()
    return "".join(marked), "".join(unseen)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_written_words_appear_one_by_one_with_the_newest_highlighted(qtbot, qapp, trained,
                                                                      scheme):
    theme.apply_theme(qapp, scheme)
    widget = _playground(qtbot, trained)
    widget.prompt.setText("the dog")
    widget.length.setValue(8)
    widget.stop_at_end.setChecked(False)
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.generate_button.click()
    words = widget.generated
    assert len(words) == 8
    # The whole text is laid out at once; the words still to come are drawn in no ink.
    assert widget.output.toPlainText() == "the dog " + join_tokens(words)
    seen = []
    for count in (1, 2, 3):
        qtbot.waitUntil(lambda count=count: widget.output.shown_words >= count, timeout=10_000)
        marked, unseen = _highlighted(widget)
        seen.append((widget.output.shown_words, marked))
        assert marked == words[widget.output.shown_words - 1]  # the newest, nothing else
        assert unseen.strip() == join_tokens(words[widget.output.shown_words:]).strip()
    assert len({shown for shown, _m in seen}) == 3  # the highlight moved word by word
    qtbot.waitUntil(lambda: not widget.output.revealing, timeout=10_000)
    assert _highlighted(widget) == (words[-1], "")
    # The prompt in a quieter ink than the model's words, readable on this theme.
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    palette = QApplication.palette()
    first = widget.output.document().begin().begin().fragment()
    assert first.text().startswith("the dog")
    ink = first.charFormat().foreground().color()
    assert ink == quiet_ink(palette) != palette.color(QPalette.ColorRole.Text)
    assert contrast(ink, palette.color(QPalette.ColorRole.Base)) >= WCAG_AA
    # Writing again starts over.
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.generate_button.click()
    assert widget.output.shown_words <= 1
    assert widget.shutdown(5000)


def test_a_character_models_text_appears_a_word_at_a_time(qtbot):
    """A character model writes letters; they appear, and are highlighted, a word at a time,
    and the lists and the length say what such a model counts."""
    from hafiza.engine.data.lm import LanguageModelData
    from hafiza.engine.models import build_model

    data = LanguageModelData.from_text("hafiza writes words\n" * 10, unit="char")
    model = build_model(["Embedding(vocab_size, 4)", "LSTM(4, return_sequences=True)",
                         "Dense(vocab_size, softmax)"], None, {"vocab_size": len(data.vocab)})
    widget = NextWordPlayground(model, data.vocab, data=data)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.length_label.text() == "Characters to write:"
    widget.prompt.setText("hafiza")
    widget._show_generated(list(" writes words"))
    assert widget.output.toPlainText() == "hafiza writes words"
    marks = []
    for count in (1, 2):
        qtbot.waitUntil(lambda count=count: widget.output.shown_words >= count, timeout=10_000)
        marks.append(_highlighted(widget)[0])
    assert marks == ["writes", "words"]
    _guess(qtbot, widget, "hafiza ")
    assert len(widget.guesses) == 10 and all(g.id is None for g in widget.guesses)
    assert len(widget.counting_guesses) == 10
    assert widget.shutdown(5000)
