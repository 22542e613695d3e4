"""Prose numbers are written as the interface writes them: for every variety,
`hafiza.digits.prose_numbers` gives what QLocale (through which `ui.i18n.number` formats the
interface's numbers) gives for the same value."""

import pytest
from PySide6.QtCore import QLocale

from hafiza.digits import NUMBER_STYLES, prose_numbers
from hafiza.varieties import VARIETIES


@pytest.mark.parametrize("tag", list(VARIETIES))
def test_prose_numbers_match_the_interface(tag):
    locale = QLocale(VARIETIES[tag].locale)
    style = NUMBER_STYLES[VARIETIES[tag].locale]
    assert (style.decimal, style.group, style.minus, style.percent) == (
        locale.decimalPoint(), locale.groupSeparator(), locale.negativeSign(), locale.percent())
    assert prose_numbers("1,234.5", tag) == locale.toString(1234.5, "f", 1)
    assert prose_numbers("-0.25", tag) == locale.toString(-0.25, "f", 2)
    assert prose_numbers("10,000", tag) == locale.toString(10000)
    assert prose_numbers("1997", tag) == locale.toString(1997).replace(locale.groupSeparator(), "")
