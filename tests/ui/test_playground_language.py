"""A language switch reaches every playground: after fa -> ary, its labels, messages, spin
boxes, tables and plot ticks are Darija with Latin digits, as a newly opened one would be.
Plots stay left to right with the minus sign on the left in every variety."""

import pytest
from contrast import contrast
from playground_models import untrained_runs
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption

from hafiza.ui import i18n
from hafiza.ui.playgrounds import create
from hafiza.ui.plots import ReaderAxis, plot_number

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = set("٠١٢٣٤٥٦٧٨٩")
LATIN_DIGITS = set("0123456789")


def digits(text: str) -> set[str]:
    """Which digit scripts ``text`` uses."""
    found = set()
    for name, script in (("persian", PERSIAN_DIGITS), ("arabic-indic", ARABIC_INDIC_DIGITS),
                         ("latin", LATIN_DIGITS)):
        if set(text) & script:
            found.add(name)
    return found


@pytest.fixture
def switch(qapp):
    def to(tag, *playgrounds):
        i18n.apply_language(qapp, tag)
        for playground in playgrounds:
            playground.retranslate()

    i18n.apply_language(qapp, "fa")
    yield to
    i18n.apply_language(qapp, "en")


@pytest.fixture(scope="module")
def tiny():
    return untrained_runs()


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    return widget


def in_darija(msgid: str) -> str:
    """The Darija catalog's wording (the test checks it is not the Persian one)."""
    assert i18n.current_variety().tag == "ary"
    return i18n._(msgid)


def test_activations_switch(qtbot, switch):
    widget = shown(qtbot, create("activations"))
    persian = (widget.z_label.text(), widget.key.text())
    assert digits(widget.z_box.text()) == {"persian"}
    assert digits(widget.table.item(2, 1).text()) == {"persian"}
    switch("ary", widget)
    assert widget.z_label.text() == in_darija("Input z:") != persian[0]
    assert in_darija("sigmoid") in widget.key.text() and widget.key.text() != persian[1]
    assert digits(widget.z_box.text()) == {"latin"}
    assert widget.z_box.text() == i18n.number(0.5, 2)
    assert digits(widget.table.item(2, 1).text()) == {"latin"}
    assert widget.table.horizontalHeaderItem(0).text() == in_darija("Function")
    left = widget.values_plot.getAxis("left")
    assert left.tickStrings([-1.0, 0.5], 1, 0.5) == ["\u200e\u22121,0", "0,5"]


def test_gradient_descent_switch(qtbot, switch):
    widget = shown(qtbot, create("gradient_descent"))
    widget.steps.setValue(12)
    widget.start()
    widget.finish()
    status = widget.status.text()
    assert digits(widget.rate.text()) == digits(status) == {"persian"}
    switch("ary", widget)
    assert widget.rate_label.text() == in_darija("Learning rate:")
    assert widget.batch.itemText(0) == in_darija("Full batch (all points)")
    assert widget.start_button.text() == in_darija("Descend")
    assert widget.rate.text() == i18n.number(0.1, 3) and widget.steps.text() == "12"
    assert widget.status.text() != status and digits(widget.status.text()) == {"latin"}
    assert widget.curve_plot.getPlotItem().getAxis("bottom").labelText == in_darija("step")


def test_vanishing_gradients_switch(qtbot, switch):
    widget = shown(qtbot, create("vanishing_gradients", None))
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.length.setValue(12)
        widget.compute()
    summary = widget.summary.text()
    assert digits(widget.forget_bias.text()) == {"persian"}
    switch("ary", widget)
    assert widget.length.text() == "12" and widget.forget_bias.text() == i18n.number(1.0, 1)
    assert widget.compute_button.text() == in_darija("Compute the gradients")
    assert widget.summary.text() != summary and "persian" not in digits(widget.summary.text())
    assert widget.plot.getPlotItem().getAxis("left").labelText == in_darija("gradient norm")
    assert widget.shutdown(10_000)


def test_next_word_switch_rewords_the_message_line(qtbot, switch, tiny):
    widget = shown(qtbot, create("next_word", tiny["language_model"]))
    widget.prompt.setText("good zebra")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.update_guesses()
    persian_note = widget.message.text()
    assert "zebra" in persian_note and widget.message.isVisibleTo(widget)
    assert digits(widget.length.text()) == {"persian"}
    bar = widget.table.cellWidget(0, 1)
    assert digits(bar.format()) == {"persian"}
    switch("ary", widget)
    assert widget.message.text() == in_darija(
        "Unknown to the model (read as a rare word): {words}").format(
        words=i18n.isolate("zebra"))
    assert widget.message.text() != persian_note
    assert widget.length.text() == "20" and widget.temperature_value.text() == "1,00"
    assert digits(widget.table.cellWidget(0, 1).format()) == {"latin"}
    assert widget.generate_button.text() == in_darija("Write on")
    assert widget.shutdown(10_000)


def test_inside_cell_switch(qtbot, switch, tiny):
    widget = shown(qtbot, create("inside_cell", tiny["language_model"]))
    widget.sentence.setText("good film")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.inspect()
    assert digits(widget.table.verticalHeaderItem(0).text()) == {"persian"}
    assert digits(widget.table.item(0, 0).text()) == {"persian"}
    widget.sentence.setText("")
    widget.inspect()  # a message instead of a table
    persian_message = widget.message.text()
    widget.sentence.setText("good film")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.inspect()
    switch("ary", widget)
    assert digits(widget.table.verticalHeaderItem(0).text()) == {"latin"}
    assert digits(widget.table.item(0, 0).text()) == {"latin"}
    assert widget.show_button.text() == in_darija("Look inside")
    widget.sentence.setText("")
    widget.inspect()
    assert widget.message.text() == in_darija("Type a few words first.") != persian_message
    assert widget.shutdown(10_000)


def test_sentiment_switch(qtbot, switch, tiny):
    widget = shown(qtbot, create("sentiment", tiny["classifier"]))
    widget.review.setPlainText("a good film")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.analyse()
    persian = widget.result_label.text()
    assert digits(persian) == {"persian"}
    switch("ary", widget)
    result = widget.result_label.text()
    assert result != persian and digits(result) == {"latin"}
    assert result.startswith(in_darija("Probability that the review is positive: {p}")
                             .split("{p}")[0])
    assert digits(widget.table.item(0, 1).text()) == {"latin"}
    assert widget.analyse_button.text() == in_darija("Read the review")
    assert widget.analyse_button.toolTip() == i18n.isolate("Ctrl+Return")
    assert widget.shutdown(10_000)


def test_regression_switch(qtbot, switch):
    from hafiza.engine.exercises import get_exercise, prepare

    widget = shown(qtbot, create("regression", prepare(get_exercise("seq003"))))
    qtbot.waitUntil(lambda: widget.results is not None and widget.own_prediction is not None,
                    timeout=30_000)
    assert digits(widget.own_input.text()) == digits(widget.mse_label.text()) == {"persian"}
    switch("ary", widget)
    assert widget.own_input.text() == i18n.number(0.4, 2)
    assert digits(widget.mse_label.text()) == {"latin"}
    assert digits(widget.table.item(1, 0).text()) == {"latin"}
    assert widget.own_label.text() == in_darija("Try your own input:")
    assert widget.shutdown(10_000)


@pytest.mark.parametrize("tag", ["arz", "ar", "fa", "ary", "en"])
def test_plot_ticks_put_the_minus_on_the_left(qapp, tag):
    """On a left-to-right axis a negative reads "−2" in every variety: drawn, the minus is
    left of the digit (QLocale's Arabic form, ALM "-" "٢", drew «٢-»)."""
    i18n.apply_language(qapp, tag)
    try:
        axis = ReaderAxis("left")
        (label,) = axis.tickStrings([-2.0], 1, 1.0)
        assert label == plot_number(-2.0, 0)
        minus = label.index("\u2212")
        layout = QTextLayout(label, QFont())
        option = QTextOption()
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        layout.setTextOption(option)
        layout.beginLayout()
        line = layout.createLine()
        layout.endLayout()
        x_minus = line.cursorToX(minus)[0]
        x_digit = line.cursorToX(minus + 1)[0]
        assert x_minus < x_digit
        assert label[minus + 1] == i18n.number(2)[-1]  # the reader's digit
        assert plot_number(0.0, 1) == i18n.number(0.0, 1)  # no "−0"
        assert plot_number(-1e-9, 1) == i18n.number(0.0, 1)
    finally:
        i18n.apply_language(qapp, "en")


def test_plots_and_coloured_numbers_follow_a_switch_to_dark(qtbot, qapp, switch, tiny):
    """Switched to dark while a playground is open: its plots take the dark background and
    ink, and the numbers coloured by sign stay readable (contrast >= 4.5:1 on the base)."""
    from PySide6.QtGui import QPalette

    from hafiza.ui import theme


    theme.apply_theme(qapp, "light")
    activations = shown(qtbot, create("activations"))
    sentiment = shown(qtbot, create("sentiment", tiny["classifier"]))
    sentiment.review.setPlainText("a good film but a boring story")
    with qtbot.waitSignal(sentiment.computed, timeout=30_000):
        sentiment.analyse()
    try:
        for name in ("dark", "light"):
            theme.apply_theme(qapp, name)
            qapp.processEvents()
            base = qapp.palette().color(QPalette.ColorRole.Base)
            text = qapp.palette().color(QPalette.ColorRole.Text)
            plot = activations.values_plot
            assert plot.backgroundBrush().color() == base
            assert plot.getAxis("left").textPen().color() == text
            for row in range(sentiment.table.rowCount()):
                ink = sentiment.table.item(row, 1).foreground().color()
                assert contrast(ink, base) >= 4.5, (name, ink.name(), base.name())
    finally:
        theme.apply_theme(qapp, "light")
        assert sentiment.shutdown(10_000)


def test_a_tiny_negative_is_shown_as_zero_not_minus_zero(switch):
    from hafiza.ui.playgrounds.common import rounded_number

    assert rounded_number(-0.001, 2) == i18n.number(0.0, 2) == "۰٫۰۰"
    assert rounded_number(-0.02, 2) == i18n.number(-0.02, 2)


@pytest.mark.parametrize(("tag", "minus_on"), [("fa", "left"), ("arz", "right")])
def test_inside_cell_range_keeps_each_sign_with_its_digit(qtbot, switch, tiny, tag, minus_on):
    """"Values between −1 and 1": the numbers are the reader's, and the sign is drawn next to
    its digit where the reader's own number puts it: on the left in Persian («−۱»), first in
    reading order (on the right) in Egyptian, as QLocale writes it; never across the
    sentence («۱-» in Persian, where the digits were typed into the translation)."""
    import unicodedata

    from drawn_text import drawn_x

    widget = shown(qtbot, create("inside_cell", tiny["language_model"]))
    switch(tag, widget)
    text = widget.explain.text()
    low, high = i18n.isolate(i18n.number(-1)), i18n.isolate(i18n.number(1))
    assert low in text and high in text and text.index(low) < text.index(high)
    minus = text.index(low) + low.index("-" if tag == "arz" else "\u2212")
    digit = text.index(i18n.number(1), minus)
    glyphs = sorted((drawn_x(text, index), index) for index, char in enumerate(text)
                    if unicodedata.category(char) != "Cf")
    order = [index for _x, index in glyphs]
    assert abs(order.index(minus) - order.index(digit)) == 1  # side by side
    left_of_digit = drawn_x(text, minus) < drawn_x(text, digit)
    assert left_of_digit == (minus_on == "left")
    assert widget.shutdown(10_000)
