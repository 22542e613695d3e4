"""File > Export progress / Import progress: moving a learner's progress as one file.

The store validates an import completely before writing anything (store.transfer); here
the learner picks the file, chooses to merge or replace, and reads what happened, in their
own language.
"""

from __future__ import annotations

from pathlib import Path

from hafiza.store import StoreError, errors, transfer
from hafiza.ui.i18n import _, isolate, ngettext, number
from hafiza.ui.store_errors import explanation
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FILE_FILTER = "Hafiza progress (*.hafiza-progress)"


def refusal_text(error: StoreError) -> str:
    """Why an import file was refused."""
    reason = error.reason
    if reason == errors.NOT_AN_EXPORT:
        return _("This file is not a Hafiza progress file.")
    if reason == errors.UNSUPPORTED_VERSION:
        return _("This progress file was made by a newer Hafiza; update Hafiza to import it.")
    if reason == errors.TOO_LARGE:
        return _("This progress file is too large to be a real one, so it was not imported.")
    if reason in (errors.UNSAFE_ARCHIVE, errors.UNSAFE_CHECKPOINT):
        return _("This progress file holds something that is not allowed (files outside it, "
                 "links or code in a model), so nothing was imported.")
    if reason == errors.INVALID:
        return _("This progress file is damaged or was changed by hand, so nothing was "
                 "imported.")
    return explanation(error)


def summary_text(summary: transfer.Summary) -> str:
    lessons = ngettext("{n} lesson", "{n} lessons", summary.lessons).format(
        n=number(summary.lessons))
    runs = ngettext("{n} training run", "{n} training runs", summary.runs).format(
        n=number(summary.runs))
    return _("Progress of {lessons} and {runs}.").format(lessons=lessons, runs=runs)


def export_progress(parent: QWidget | None, store) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Export progress"), "my-progress.hafiza-progress", FILE_FILTER)
    if not path:
        return None
    try:
        summary = transfer.export_progress(store, Path(path))
    except StoreError as error:
        QMessageBox.warning(parent, _("Export progress"), explanation(error))
        return None
    QMessageBox.information(parent, _("Export progress"), _("Saved to {file}.").format(
        file=isolate(path)) + "\n" + summary_text(summary))
    return Path(path)


def import_progress(parent: QWidget | None, store) -> transfer.Summary | None:
    path, _filter = QFileDialog.getOpenFileName(parent, _("Import progress"), "", FILE_FILTER)
    if not path:
        return None
    box = QMessageBox(parent)
    box.setWindowTitle(_("Import progress"))
    box.setText(_("Add this file's progress to yours, or replace yours with it? A copy of "
                  "your progress is kept before replacing."))
    merge = box.addButton(_("Add to mine"), QMessageBox.ButtonRole.AcceptRole)
    replace = box.addButton(_("Replace mine"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() not in (merge, replace):
        return None
    mode = "merge" if box.clickedButton() is merge else "replace"
    try:
        summary = transfer.import_progress(store, Path(path), mode)
    except StoreError as error:
        QMessageBox.warning(parent, _("Import progress"), refusal_text(error))
        return None
    QMessageBox.information(parent, _("Import progress"),
                            _("Imported.") + "\n" + summary_text(summary))
    return summary
