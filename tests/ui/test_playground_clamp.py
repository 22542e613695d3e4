"""The playgrounds' number fields say when they refused a value, as the exercise form does
(ui/exercise_spin_boxes.py): a number typed beyond a field's range becomes its limit when
editing ends, and a note beside the field says so ("The largest allowed is 500."), readable
inside the window; typing again takes the note away, a language switch words it again."""

import pytest
from playground_models import untrained_runs
from PySide6.QtCore import QPoint, QRect, Qt

from hafiza.ui import i18n
from hafiza.ui.exercise_spin_boxes import ClampNote
from hafiza.ui.playgrounds import create


@pytest.fixture(autouse=True)
def english(qapp):
    i18n.apply_language(qapp, "en")
    yield
    i18n.apply_language(qapp, "en")


@pytest.fixture(scope="module")
def runs():
    """Untrained models are enough: the fields, not the predictions, are under test."""
    models = untrained_runs()
    return {"next_word": models["language_model"], "regression": models["regression"]}


def opened(qtbot, runs, name):
    widget = create(name, runs.get(name))
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_into(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def note_of(widget, spin) -> ClampNote:
    (note,) = [note for note in widget.findChildren(ClampNote) if note.spin is spin]
    return note


def shown_whole(widget, note: ClampNote) -> bool:
    """The note is on screen inside the playground, wide enough for its first word and tall
    enough for all its lines."""
    top_left = note.mapTo(widget, QPoint(0, 0))
    inside = widget.rect().contains(QRect(top_left, note.size()))
    first_word = note.fontMetrics().horizontalAdvance(note.text().split()[0])
    return (note.isVisible() and inside and note.width() > first_word
            and note.height() >= note.heightForWidth(note.width()))


FIELDS = [  # playground, its field, an absurd number, the limit it must become
    ("activations", "z_box", "1000", "maximum"),
    ("activations", "z_box", "-1000", "minimum"),
    ("gradient_descent", "rate", "1000", "maximum"),
    ("gradient_descent", "steps", "99999", "maximum"),
    ("gradient_descent", "steps", "1", "minimum"),
    ("vanishing_gradients", "length", "99999", "maximum"),
    ("vanishing_gradients", "forget_bias", "-50", "minimum"),
    ("regression", "own_input", "1000", "maximum"),
    ("next_word", "length", "99999", "maximum"),
]


@pytest.mark.parametrize(("name", "field", "typed", "limit"), FIELDS)
def test_an_absurd_number_becomes_the_limit_and_the_note_says_so(qtbot, runs, name, field,
                                                                  typed, limit):
    widget = opened(qtbot, runs, name)
    spin = getattr(widget, field)
    note = note_of(widget, spin)
    assert not note.isVisible()
    type_into(qtbot, spin, typed)
    bound = getattr(spin, limit)()
    assert spin.value() == bound
    words = ("The largest allowed is {limit}." if limit == "maximum"
             else "The smallest allowed is {limit}.")
    assert note.text() == words.format(limit=spin.textFromValue(bound))
    qtbot.waitUntil(lambda: shown_whole(widget, note))
    qtbot.keyClicks(spin.lineEdit(), "1")  # typing again: the note goes
    assert not note.isVisible()
    assert widget.shutdown(10_000)


def test_a_number_in_range_leaves_no_note(qtbot, runs):
    widget = opened(qtbot, runs, "gradient_descent")
    type_into(qtbot, widget.steps, "120")
    assert widget.steps.value() == 120 and not note_of(widget, widget.steps).isVisible()


def test_the_note_follows_a_language_switch(qtbot, qapp, runs):
    widget = opened(qtbot, runs, "vanishing_gradients")
    type_into(qtbot, widget.length, "99999")
    note = note_of(widget, widget.length)
    assert note.text() == "The largest allowed is 400."
    i18n.apply_language(qapp, "fa")
    widget.retranslate()
    assert note.text() == i18n._("The largest allowed is {limit}.").format(limit="۴۰۰")
    assert note.text() != "The largest allowed is 400." and note.isVisible()
