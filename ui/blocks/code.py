"""Code blocks: syntax colours from Pygments, always left to right, never wrapped."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QTextOption
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser

from hafiza.ui.theme import is_dark


def highlight(code: str, language: str, dark: bool) -> str:
    """The code as HTML with inline colours (Qt's rich text has no CSS classes)."""
    from pygments import highlight as pygments_highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    formatter = HtmlFormatter(noclasses=True, nowrap=True,
                              style="monokai" if dark else "default")
    body = pygments_highlight(code, lexer, formatter)
    return f'<pre dir="ltr" style="margin:0">{body}</pre>' if body else \
        f'<pre dir="ltr">{html.escape(code)}</pre>'


class CodeWidget(QTextBrowser):
    def __init__(self, code: str, language: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("block-code")
        self.code, self.language = code, language
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.render()

    def render(self) -> None:
        dark = is_dark(self.palette())
        option = QTextOption(self.document().defaultTextOption())
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        self.document().setDefaultTextOption(option)
        self.setHtml(highlight(self.code, self.language, dark))
        lines = max(1, self.code.count("\n") + 1)
        height = self.fontMetrics().lineSpacing() * lines + 16
        bar = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height + bar + 2 * self.frameWidth())

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.render()
