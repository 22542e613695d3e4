"""Store errors in the learner's language: the status bar line and the message box text.

The store raises `StoreError` with a machine-readable `reason` (store.errors); only here does
it become words.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from hafiza.store import StoreError, errors
from hafiza.ui.i18n import _, isolate


def status_text(error: StoreError) -> str:
    """A short line for the status bar, shown for as long as progress is not being saved."""
    reason = error.reason
    if reason == errors.DISK_FULL:
        return _("Progress is not being saved: the disk is full")
    if reason == errors.READ_ONLY:
        return _("Progress is not being saved: the folder is read-only")
    if reason == errors.NEWER_SCHEMA:
        return _("Progress is not being saved: it belongs to a newer Hafiza")
    if reason == errors.BUSY:
        return _("Progress is not being saved: another Hafiza window is using it")
    return _("Progress is not being saved: the progress file cannot be written")


def explanation(error: StoreError) -> str:
    """What happened, in a sentence or two, for a message box."""
    reason = error.reason
    folder = isolate(str(error.path.parent)) if error.path else ""
    if reason == errors.DISK_FULL:
        text = _("The disk is full, so Hafiza cannot save your progress. Free some space, "
                 "then restart Hafiza.")
    elif reason == errors.READ_ONLY:
        text = _("Hafiza cannot write to the folder {folder}: it is read-only or you are not "
                 "allowed to write there.").format(folder=folder)
    elif reason == errors.NEWER_SCHEMA:
        text = _("Your progress was saved by a newer version of Hafiza. It is left untouched; "
                 "update Hafiza to continue saving it.")
    elif reason == errors.BUSY:
        text = _("Another Hafiza window is using your progress file. Close it, then restart "
                 "Hafiza.")
    else:
        text = _("Hafiza could not read or write your progress file.")
    return text + "\n\n" + _("You can keep learning, but what you do now will not be saved.")


def recovered_text(moved_to: Path) -> str:
    return _("Your progress file was damaged and could not be read. It was kept as {file} "
             "and a new, empty one was started.").format(file=isolate(str(moved_to)))


def show_problem(parent: QWidget | None, error: StoreError) -> QMessageBox:
    """A warning that does not block: the window stays usable behind it."""
    return _open_box(parent, _("Progress cannot be saved"), explanation(error))


def show_recovered(parent: QWidget | None, moved_to: Path) -> QMessageBox:
    return _open_box(parent, _("Progress file damaged"), recovered_text(moved_to))


def _open_box(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("store-problem")
    box.open()
    return box
