"""Light and dark themes on Qt's Fusion style, following the system unless the learner chose."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

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
    """Applies the theme setting and returns the scheme actually shown."""
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
    return scheme
