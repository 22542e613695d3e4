"""File > Restore from backup…: going back to one of the copies of the learner's progress.

The store keeps them (store.backups: one a day at start, the last few, and one before each
migration, import or restore); here they are listed with their date and what they hold,
and the chosen one is put back. The progress as it is now is backed up first, so a
restore can itself be undone from the same list.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hafiza.store import Store, StoreError, backups
from hafiza.ui.i18n import _, current_variety, isolate, qlocale
from hafiza.ui.store_errors import counts_text, explanation


def date_text(when: datetime) -> str:
    """A date and time as the reader writes them, in their digits."""
    locale = qlocale(current_variety())
    moment = QDateTime.fromSecsSinceEpoch(int(when.timestamp()))
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


class BackupDialog(QDialog):
    """Lists the backups, newest first; *Restore* puts the chosen one back and emits
    `restored` (the app then shows the outline's marks again)."""

    restored = Signal(object)  # the BackupInfo restored

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backup-dialog")
        self.store = store
        self.report: QMessageBox | None = None
        self.setWindowTitle(_("Restore from backup"))
        self.backups = backups.list_backups(store.db.path) if store.db.path else []
        layout = QVBoxLayout(self)
        if self.backups:
            intro = _("Choose a copy of your progress to go back to. Your progress as it is "
                      "now is kept as a backup first.")
        else:
            intro = _("There is no backup yet. Hafiza makes one each day you use it.")
        label = QLabel(intro)
        label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("backup-list")
        label.setBuddy(self.list)
        for info in self.backups:
            item = QListWidgetItem(f"{date_text(info.taken_at)}\n"
                                   f"{counts_text(info.lessons, info.answers, info.runs)}")
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.list.addItem(item)
        if self.backups:
            self.list.setCurrentRow(0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            _("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.accepted.connect(self._restore_chosen)

    def chosen(self) -> backups.BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    @Slot()
    def _restore_chosen(self) -> None:
        info = self.chosen()
        if info is None:
            return
        try:
            before = backups.restore(self.store.db, info.path)
        except StoreError as error:
            self._tell(QMessageBox.Icon.Warning,
                       _("The backup could not be restored.") + "\n\n" + explanation(error))
            return
        text = _("Your progress is back as it was on {date}: {counts}.").format(
            date=date_text(info.taken_at),
            counts=counts_text(info.lessons, info.answers, info.runs))
        if before is not None:
            text += "\n" + _("The progress you had until now is kept as {file}.").format(
                file=isolate(str(before)))
        self._tell(QMessageBox.Icon.Information, text)
        self.restored.emit(info)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """A message that does not block (tests read `report`)."""
        box = QMessageBox(icon, _("Restore from backup"), text, QMessageBox.StandardButton.Ok,
                          self.parentWidget())
        box.setObjectName("backup-report")
        self.report = box
        box.open()
