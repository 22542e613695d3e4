"""Admonitions (note, tip, warning) and the box shown where an author made a mistake."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from hafiza.ui import colours
from hafiza.ui.i18n import N_, _

KINDS = {"note": N_("Note"), "tip": N_("Tip"), "warning": N_("Warning")}
COLOURS = {"note": colours.NOTE, "tip": colours.CORRECT, "warning": colours.WARNING,
           "problem": colours.ERROR}


class Callout(QFrame):
    """A framed box with a coloured edge on the reading side and a bold heading."""

    def __init__(self, kind: str, heading: str, direction, parent=None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"block-{kind}")
        self.setLayoutDirection(direction)
        edge = "right" if direction == Qt.LayoutDirection.RightToLeft else "left"
        self.setStyleSheet(
            f"QFrame#block-{kind} {{ border: 1px solid palette(mid); "
            f"border-{edge}: 4px solid {COLOURS.get(kind, '#888')}; border-radius: 4px; }}")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(12, 8, 12, 8)
        self.body.setSpacing(6)
        rtl = direction == Qt.LayoutDirection.RightToLeft
        # A right-to-left mark makes the label's paragraph right to left even when it starts
        # with a Latin word ("LSTM ...").
        self.heading = QLabel(f"\u200f{heading}" if rtl else heading)
        # A heading holds an author's words (an admonition or exercise title): text, never
        # markup, or `<img src="file:...">` in a title would draw the learner's own files.
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setObjectName("callout-heading")
        self.heading.setLayoutDirection(direction)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setStyleSheet("border: none")
        self.body.addWidget(self.heading)


class AdmonitionWidget(Callout):
    def __init__(self, kind: str, title: str, direction, children, parent=None) -> None:
        label = _(KINDS.get(kind, "Note"))
        heading = _("{kind}: {title}").format(kind=label, title=title) if title else label
        super().__init__(kind, heading, direction, parent)
        self.children_blocks = list(children)
        for child in self.children_blocks:
            self.body.addWidget(child)


class ProblemWidget(Callout):
    """Where a block could not be read: the author sees what to fix (in English, as the
    checker writes it), the learner sees that something is missing rather than nothing."""

    def __init__(self, message: str, line: int, direction, parent=None) -> None:
        super().__init__("problem", _("This part of the lesson could not be shown."),
                         direction, parent)
        detail = QLabel(_("line {line}: {message}").format(line=line, message=message))
        detail.setWordWrap(True)
        detail.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        detail.setTextFormat(Qt.TextFormat.PlainText)
        detail.setStyleSheet("border: none")
        self.detail = detail
        self.body.addWidget(detail)
