"""The backpropagation playground shows the engine's steps one at a time: Next, Back and
Start again (and the arrow keys, Home) move through them, the learner's numbers recompute
them, each is worded in the variety with its numbers in the reader's digits."""

import pytest
from PySide6.QtCore import Qt

from hafiza.engine.playgrounds.backprop import Network, walk
from hafiza.engine.tables import PLAYGROUNDS as ENGINE_PLAYGROUNDS
from hafiza.ui import i18n
from hafiza.ui.playgrounds import create
from hafiza.ui.playgrounds.backprop import BackpropPlayground, numbers_line

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def playground(qtbot, qapp):
    i18n.apply_language(qapp, "en")
    widget = create("backprop")
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    i18n.apply_language(qapp, "en")


def test_it_stands_alone_and_starts_before_the_first_step(playground):
    assert ENGINE_PLAYGROUNDS["backprop"] is False  # no trained model needed
    assert isinstance(playground, BackpropPlayground)
    assert playground.index == -1
    assert "press Next" in playground.sentence.text()
    assert not playground.back_button.isEnabled() and playground.next_button.isEnabled()
    assert playground.network() == Network()  # the example's numbers in the fields


def test_next_shows_the_engines_step_with_its_sentence_formula_and_numbers(playground):
    playground.next_button.click()
    assert playground.phase.text() == "Step 1 of 30: forward pass"
    assert playground.sentence.text().startswith("Hidden neuron \u20681\u2069 adds up")
    assert strip(playground.numbers.text()) == "= 0.5 × 1 + (−0.3) × 0.5 + 0.1 = 0.45"
    assert not playground.formula.pixmap().isNull()
    assert playground.drawing.current().node == "h1"  # the node drawn highlighted
    # a weight's gradient in the backward pass: the product of two factors
    playground.go_to(13)
    step = playground.current()
    assert (step.kind, step.node) == ("weight_gradient", "W1_12")
    assert playground.phase.text() == "Step 14 of 30: backward pass"
    assert strip(playground.numbers.text()) == "= −0.189 × 0.5 = −0.095"
    assert "Nothing is computed twice" in playground.sentence.text()


def test_keys_and_buttons_move_through_the_steps(qtbot, playground):
    playground.next_button.setFocus()
    qtbot.keyClick(playground.next_button, Qt.Key.Key_Right)
    qtbot.keyClick(playground.next_button, Qt.Key.Key_Right)
    assert playground.index == 1
    qtbot.keyClick(playground.drawing, Qt.Key.Key_Left)
    assert playground.index == 0
    playground.go_to(99)  # past the end: the last step, the check
    assert playground.current().kind == "check" and not playground.next_button.isEnabled()
    assert "0.183, against 0.44" in playground.sentence.text().replace("\u2068", "") \
        .replace("\u2069", "")
    qtbot.keyClick(playground.drawing, Qt.Key.Key_Home)
    assert playground.index == -1
    playground.go_to(5)
    playground.reset_button.click()
    assert playground.index == -1


def test_the_learners_numbers_recompute_every_step(playground):
    playground.go_to(0)
    playground.fields["x1"].setValue(2.0)
    assert playground.index == 0  # the same step, new numbers
    assert playground.current().value == pytest.approx(0.5 * 2 - 0.3 * 0.5 + 0.1)
    playground.activation.setCurrentIndex(playground.activation.findData("relu"))
    assert playground.walk.steps == walk(playground.network()).steps
    slope = next(i for i, s in enumerate(playground.walk.steps) if s.kind == "slope_gradient")
    playground.go_to(slope)
    assert "ReLU's slope is 1 where z is above 0" in playground.sentence.text()
    playground.example_button.click()
    assert playground.network() == Network() and playground.index == -1


def test_the_numbers_are_in_the_readers_digits(qtbot, qapp, playground):
    playground.go_to(13)
    i18n.apply_language(qapp, "fa")
    playground.retranslate()
    numbers = playground.numbers.text()
    assert {c for c in numbers if c.isdigit()} <= PERSIAN_DIGITS
    assert playground.phase.text().startswith("\u200f")  # the line runs right to left
    assert playground.numbers.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert playground.drawing.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_negative_number_inside_the_line_keeps_its_sign_in_brackets(playground):
    assert strip(numbers_line((1.0, "−", -0.25), 1.25)) == "= 1 − (−0.25) = 1.25"


def strip(text: str) -> str:
    """The line without its isolates and left-to-right marks."""
    return text.replace("\u2068", "").replace("\u2069", "").replace("\u200e", "")
