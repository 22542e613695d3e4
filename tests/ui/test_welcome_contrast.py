"""The start page's quiet lines are readable: the outline's lesson count («۷ درس») is drawn
in the muted ink of the lesson's info line (ui/blocks/page_text.muted_ink, 60 % of the text
colour on the window's), not the disabled grey (about 1.6:1 on the light theme), at 4.5:1 or
more in the light theme and the dark one, also after a switch."""

import pytest
from contrast import contrast
from PySide6.QtGui import QColor, QPalette

from hafiza.ui import theme
from hafiza.ui.blocks.page_text import MutedLabel, muted_ink

WCAG_AA = 4.5




def drawn_colours(label) -> tuple[QColor, QColor]:
    """The ink a label draws its text in, and the window colour around it."""
    group = QPalette.ColorGroup.Active if label.isEnabled() else QPalette.ColorGroup.Disabled
    palette = label.palette()
    return (palette.color(group, QPalette.ColorRole.WindowText),
            palette.color(group, QPalette.ColorRole.Window))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_muted_ink_reads_at_4_5_to_1(qapp, scheme):
    theme.apply_theme(qapp, scheme)
    try:
        palette = qapp.palette()
        ink = muted_ink(palette)
        assert contrast(ink, palette.color(QPalette.ColorRole.Window)) >= WCAG_AA
        assert ink != palette.color(QPalette.ColorRole.WindowText)  # quieter than the text
    finally:
        theme.apply_theme(qapp, "light")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_welcome_lesson_count_is_readable(hafiza, qtbot, qapp, scheme):
    window = hafiza.create_window("fa")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    count = window.outline_panel.count
    assert count.text() == "۷ درس"
    theme.apply_theme(qapp, "dark" if scheme == "light" else "light")
    theme.apply_theme(qapp, scheme)  # after a switch, in the theme now shown
    qapp.processEvents()
    assert isinstance(count, MutedLabel) and count.isEnabled()
    ink, paper = drawn_colours(count)
    assert paper == qapp.palette().color(QPalette.ColorRole.Window)
    assert contrast(ink, paper) >= WCAG_AA, (scheme, ink.name(), paper.name())
