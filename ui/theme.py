"""Light and dark themes on Qt's Fusion style, following the system unless the learner chose."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from hafiza.ui import colours

_DARK = {
    QPalette.ColorRole.Window: "#202124",
    QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#17181a",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#303134",
    QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    QPalette.ColorRole.Text: "#e8eaed",
    QPalette.ColorRole.Button: "#2d2f33",
    QPalette.ColorRole.ButtonText: "#e8eaed",
    QPalette.ColorRole.BrightText: "#ff6e6e",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.Highlight: "#3b6fd1",
    QPalette.ColorRole.HighlightedText: "#ffffff",
}


def system_prefers_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve(theme: str, app: QApplication) -> str:
    """'light' or 'dark' for a setting of 'system', 'light' or 'dark'."""
    if theme == "system":
        return "dark" if system_prefers_dark(app) else "light"
    return theme


def apply_theme(app: QApplication, theme: str) -> str:
    """Applies the theme setting to every open window and returns the scheme shown."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    scheme = resolve(theme, app)
    palette = app.style().standardPalette()
    if scheme == "dark":
        for role, color in _DARK.items():
            palette.setColor(role, QColor(color))
        disabled = QColor("#7f8388")
        for role in (
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
            QPalette.ColorRole.WindowText,
        ):
            palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    app.setPalette(palette)
    refresh_style_sheets(app)
    return scheme


def refresh_style_sheets(app: QApplication) -> None:
    """Gives the new palette to widgets drawn under a style sheet.

    Qt's style sheet style fixes a widget's whole palette when it polishes the widget (its
    own sheet or an ancestor's: a callout's border, a quiz's feedback colour), so a later
    `QApplication.setPalette` leaves such a widget, and every child of a framed box, in the
    old colours: switched to dark, a paragraph kept black text on a near-black page. Setting
    the same sheet again polishes it, and its children, from the new palette; each widget then
    gets its `PaletteChange` and redraws what it had baked (formulas, code, links)."""
    old, new = ((colours.ERROR, colours.ERROR_ON_DARK) if is_dark(app.palette())
                else (colours.ERROR_ON_DARK, colours.ERROR))
    for widget in app.allWidgets():
        # A widget may be gone by the time its turn comes (a palette change can rebuild a
        # page, and a closed window's widgets wait for their deletion): never touch it then.
        if not shiboken6.isValid(widget):
            continue
        sheet = widget.styleSheet()
        if sheet:  # an error line's red, readable on the theme now shown
            widget.setStyleSheet(sheet.replace(old, new))


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether a palette (the application's when None) is a dark theme's: ink that must stay
    readable (code colours, error lines, a playground's signs) is chosen by this."""
    palette = palette if palette is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_colour() -> str:
    """The colour of an error or a refusal on the theme shown now (style sheets written with
    it follow a later theme switch: refresh_style_sheets)."""
    return colours.ERROR_ON_DARK if is_dark() else colours.ERROR
