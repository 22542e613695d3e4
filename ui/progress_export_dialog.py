"""Before a progress export is saved: the learner's own texts it would carry, said plainly.

A text the learner trained on with *Use my own text…* leaves this computer only inside a
progress export they make (store.transfer_texts). When the runs being exported trained on
such texts, this dialog lists them (their first words, size and how many runs used each)
before the file is saved, with a choice to leave them out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from hafiza.store.transfer_texts import OwnText
from hafiza.ui.i18n import _, isolate, ngettext, number


def size_text(size: int) -> str:
    """A file size as a learner reads it: whole kilobytes below a megabyte (at least 1),
    then megabytes with one decimal, in the reader's digits."""
    if size < 1024 * 1024:
        return _("{n} KB").format(n=number(max(1, round(size / 1024))))
    return _("{n} MB").format(n=number(size / 2**20, 1))


def texts_heading(texts: list[OwnText]) -> str:
    count, size = len(texts), sum(text.size for text in texts)
    return ngettext(
        "This file will also contain {n} text of yours ({size}), which your training runs "
        "learned from:",
        "This file will also contain {n} texts of yours ({size}), which your training runs "
        "learned from:", count).format(n=number(count), size=isolate(size_text(size)))


def text_line(text: OwnText) -> str:
    runs = ngettext("{n} run", "{n} runs", text.runs).format(n=number(text.runs))
    # The beginning is isolated: a Latin text in a right-to-left line (or the reverse)
    # keeps its own order and does not carry the size along with it.
    return _("{beginning} ({size}, {runs})").format(
        beginning=isolate(text.beginning), size=isolate(size_text(text.size)), runs=runs)


class ExportTextsDialog(QDialog):
    """Lists the own texts an export would carry; `include_texts` says what the learner
    chose once accepted (*Save…* goes on to choose the file)."""

    def __init__(self, texts: list[OwnText], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export-texts-dialog")
        self.texts = texts
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.text_list = QListWidget()
        self.text_list.setObjectName("export-texts-list")
        # A list to read, not to choose from: nothing in it is selected or acts on a click.
        self.text_list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.text_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for _text in texts:
            self.text_list.addItem("")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.include = QCheckBox()
        self.include.setChecked(True)  # so the runs reload their text on the other computer
        self.include.toggled.connect(self._show_choice)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text_list, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.include)
        layout.addWidget(self.buttons)
        self.resize(560, 360)
        self.retranslate()

    @property
    def include_texts(self) -> bool:
        return self.include.isChecked()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export progress"))
        self.heading.setText(texts_heading(self.texts))
        for row, text in enumerate(self.texts):
            self.text_list.item(row).setText(text_line(text))
        self.include.setText(_("Put my texts in the file"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save…"))
        self._show_choice()

    def _show_choice(self) -> None:
        if self.include_texts:
            self.note.setText(_("Whoever gets this file can read them. With them, those "
                                "runs open with their text on the other computer."))
        else:
            self.note.setText(_("Your texts stay on this computer. The runs that learned from "
                                "them go into the file without them."))
