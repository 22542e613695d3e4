"""Error lines readable in both themes: a refusal's red is ≥ 4.5:1 on the window colour of
the theme shown, and a line drawn before a theme switch takes the other theme's red."""

from contrast import WCAG_AA, contrast
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from hafiza.ui import colours, theme


def test_the_error_colour_is_readable_in_each_theme(qapp):
    try:
        for scheme in ("light", "dark"):
            theme.apply_theme(qapp, scheme)
            window = qapp.palette().color(QPalette.ColorRole.Window)
            ink = QColor(theme.error_colour())
            assert contrast(ink, window) >= WCAG_AA, (scheme, ink.name())
    finally:
        theme.apply_theme(qapp, "light")


def test_an_error_line_follows_a_theme_switch(qapp, qtbot):
    try:
        theme.apply_theme(qapp, "light")
        label = QLabel("The largest allowed is 10.")
        qtbot.addWidget(label)
        label.setStyleSheet(f"QLabel {{ color: {theme.error_colour()}; }}")
        theme.apply_theme(qapp, "dark")
        assert colours.ERROR_ON_DARK in label.styleSheet()
        assert colours.ERROR not in label.styleSheet()
        theme.apply_theme(qapp, "light")
        assert colours.ERROR in label.styleSheet()
    finally:
        theme.apply_theme(qapp, "light")
