"""The language chooser: each variety of `hafiza.varieties` in its own name, with its English
name beside it, under the question "choose your language" asked in every variety at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hafiza import varieties
from hafiza.ui.i18n import DEFAULT_VARIETY, VARIETIES, direction

APP_NAMES = ("Hafiza", "حافظة", "حافظه")


def names_title() -> str:
    """The app's name in each script, the current display name last: Qt appends the display
    name to a title that does not end with it ("Hafiza · حافظة · حافظه — Hafiza")."""
    shown = QGuiApplication.applicationDisplayName()
    names = [name for name in APP_NAMES if name != shown]
    return " · ".join([*names, shown] if shown in APP_NAMES else names)


class LanguageDialog(QDialog):
    def __init__(self, preselected: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("language-dialog")
        self.setWindowTitle(names_title())
        # Shown before any language is applied, in every script at once: fonts for them all.
        font = self.font()
        font.setFamilies(list(varieties.every_font()))
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        layout = QVBoxLayout(self)
        # Shown before any language is chosen, so it speaks every variety at once.
        for variety in VARIETIES.values():
            label = QLabel(variety.prompt)
            label.setLayoutDirection(direction(variety))
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(label)
        self.list = QListWidget()
        self.list.setObjectName("language-list")
        for tag, variety in VARIETIES.items():
            text = variety.native_name
            if variety.english_name != variety.native_name:
                text = f"{variety.native_name}  ({variety.english_name})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, tag)
            # Each name sits on its own script's side, whatever the dialog's direction:
            # without AlignAbsolute, Qt mirrors Left and Right in a right-to-left window.
            align = Qt.AlignmentFlag.AlignRight if variety.rtl else Qt.AlignmentFlag.AlignLeft
            item.setTextAlignment(align | Qt.AlignmentFlag.AlignAbsolute
                                  | Qt.AlignmentFlag.AlignVCenter)
            self.list.addItem(item)
            if tag == preselected:
                self.list.setCurrentItem(item)
        self.list.itemActivated.connect(lambda _item: self.accept())
        # Every variety visible at once, without scrolling.
        rows = self.list.count()
        frame = 2 * self.list.frameWidth()
        self.list.setMinimumHeight(rows * self.list.sizeHintForRow(0) + frame + 4)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.list.setFocus()
        self.resize(460, self.sizeHint().height())

    def chosen(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else DEFAULT_VARIETY
