"""File > Export progress / Import progress: moving a learner's progress as one file.

The store validates an import completely before writing anything (store.transfer); here
the learner picks the file, chooses to merge or replace, and reads what happened, in their
own language. Before an export that would carry the learner's own texts, a dialog lists them
(ui.progress_export_dialog) and lets them be left out. Writing or reading the file (models
included, checked one by one) runs in a worker thread, on a connection of its own to the
progress database (a connection belongs to the thread that opened it), while a progress
dialog says what is happening.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from hafiza.store import Store, StoreError, errors, transfer, transfer_texts
from hafiza.store.db import open_database
from hafiza.ui.i18n import N_, _, isolate, ngettext, number
from hafiza.ui.store_errors import explanation
from hafiza.ui.worker import TaskRunner, TaskState

FILE_FILTER = "Hafiza progress (*.hafiza-progress)"
# What each import limit counts (store.errors.LimitExceeded.what).
LIMIT_NAMES = {"lessons": N_("lessons"), "quiz_answers": N_("quiz answers"),
               "runs": N_("training runs"), "models": N_("trained models"),
               "points": N_("values on the curves"), "id_length": N_("characters in a name"),
               "texts": N_("texts")}


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
    if reason == errors.OVER_LIMIT and isinstance(error, errors.LimitExceeded):
        what = _(LIMIT_NAMES[error.what]) if error.what in LIMIT_NAMES else error.what
        return _("This progress file holds more than an import may ({what}: at most "
                 "{limit}), so nothing was imported.").format(what=what,
                                                             limit=number(error.limit))
    if reason == errors.INVALID:
        return _("This progress file is damaged or was changed by hand, so nothing was "
                 "imported.")
    return explanation(error)


def summary_text(summary: transfer.Summary) -> str:
    lessons = ngettext("{n} lesson", "{n} lessons", summary.lessons).format(
        n=number(summary.lessons))
    runs = ngettext("{n} training run", "{n} training runs", summary.runs).format(
        n=number(summary.runs))
    done = _("Progress of {lessons} and {runs}.").format(lessons=lessons, runs=runs)
    if summary.texts:
        done += " " + ngettext("With {n} text the runs learned from.",
                               "With {n} texts the runs learned from.",
                               summary.texts).format(n=number(summary.texts))
    return done


@contextmanager
def _store_in_this_thread(path: Path, models_folder: Path) -> Iterator[Store]:
    """The same progress database, opened by the worker thread for its own use."""
    store = Store.on(open_database(path), models_folder)
    try:
        yield store
    finally:
        store.close()


def _export(path: Path, models_folder: Path, target: Path, include_texts: bool,
            _state: TaskState):
    with _store_in_this_thread(path, models_folder) as store:
        return transfer.export_progress(store, target, include_texts=include_texts)


def _import(path: Path, models_folder: Path, source: Path, mode: str, _state: TaskState):
    with _store_in_this_thread(path, models_folder) as store:
        return transfer.import_progress(store, source, mode)


class ProgressTransfer(TaskRunner, QObject):
    """Export and import of the learner's progress, one at a time, for the main window.
    `exported` carries the file written, `imported` the transfer.Summary of an import."""

    exported = Signal(object)
    imported = Signal(object)
    ended = Signal()  # after either ends, however it went (tests wait on it)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.busy_dialog: QProgressDialog | None = None
        self._title = ""
        self._target: Path | None = None

    def _window(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    # -- export --------------------------------------------------------------------------------
    def export_progress(self) -> None:
        """Says which of the learner's own texts the file would carry (if any) and lets
        them be left out, asks where to save, then writes the file in a worker thread."""
        if self.task_busy:
            return
        include_texts = True
        texts = transfer_texts.own_texts(self.store)
        if texts:
            from hafiza.ui.progress_export_dialog import ExportTextsDialog

            dialog = ExportTextsDialog(texts, self._window())
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            include_texts = dialog.include_texts
            dialog.deleteLater()
            if not accepted:
                return
        path, _filter = QFileDialog.getSaveFileName(
            self._window(), _("Export progress"), "my-progress.hafiza-progress", FILE_FILTER)
        if path:
            self.export_to(Path(path), include_texts)

    def export_to(self, target: Path, include_texts: bool = True) -> None:
        self._title, self._target = _("Export progress"), target
        if not self.store.persistent:
            # An in-memory database (the stand-in, or a read-only file's progress held in
            # memory) belongs to the GUI thread's connection: it is written out from here.
            self._report(lambda: transfer.export_progress(self.store, target,
                                                          include_texts=include_texts))
            return
        self._run(_("Saving your progress…"), _export, target, include_texts)

    # -- import --------------------------------------------------------------------------------
    def import_progress(self) -> None:
        """Asks for the file and whether to merge or replace, then imports it in a worker."""
        if self.task_busy:
            return
        path, _filter = QFileDialog.getOpenFileName(self._window(), _("Import progress"), "",
                                                    FILE_FILTER)
        if not path:
            return
        mode = self._ask_mode()
        if mode is not None:
            self.import_from(Path(path), mode)

    def _ask_mode(self) -> str | None:
        box = QMessageBox(self._window())
        box.setWindowTitle(_("Import progress"))
        box.setText(_("Add this file's progress to yours, or replace yours with it? A copy of "
                      "your progress is kept before replacing."))
        merge = box.addButton(_("Add to mine"), QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton(_("Replace mine"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() not in (merge, replace):
            return None
        return "merge" if box.clickedButton() is merge else "replace"

    def import_from(self, source: Path, mode: str) -> None:
        self._title, self._target = _("Import progress"), None
        if not self.store.persistent:
            # Nothing would be kept: the app runs on an in-memory stand-in (store.problem says
            # why), so there is no file to import into.
            self._report(lambda: self._raise(self.store.problem or StoreError(errors.IO)))
            return
        self._run(_("Checking and importing the file…"), _import, source, mode)

    @staticmethod
    def _raise(error: StoreError):
        raise error

    # -- the worker and its reports ------------------------------------------------------------
    def _run(self, doing: str, fn, *args) -> None:
        self.busy_dialog = dialog = QProgressDialog(doing, "", 0, 0, self._window())
        dialog.setWindowTitle(self._title)
        dialog.setCancelButton(None)  # a transfer is all or nothing: it cannot stop halfway
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # shown only if it takes longer than that
        dialog.setValue(0)
        self.start_task(fn, self.store.db.path, self.store.runs.models_folder, *args)

    def _report(self, work) -> None:
        """Runs quick `work` here and reports it as a task's end would be."""
        try:
            result = work()
        except Exception as error:  # noqa: BLE001 - worded as a worker's failure would be
            self.on_exception(error)
        else:
            self.on_done(result)
        self.ended.emit()

    def on_done(self, summary: transfer.Summary) -> None:
        self._close_dialog()
        window = self._window()
        if self._target is not None:
            QMessageBox.information(window, self._title, _("Saved to {file}.").format(
                file=isolate(str(self._target))) + "\n" + summary_text(summary))
            self.exported.emit(self._target)
        else:
            QMessageBox.information(window, self._title,
                                    _("Imported.") + "\n" + summary_text(summary))
            self.imported.emit(summary)

    def on_exception(self, error: BaseException) -> None:
        self._close_dialog()
        exporting = self._target is not None
        if exporting and isinstance(error, OSError):  # the export file itself
            text = _("Your progress could not be written to {file}: the folder is missing or "
                     "read-only, or the disk is full.").format(file=isolate(str(self._target)))
        elif isinstance(error, StoreError):
            text = explanation(error) if exporting else refusal_text(error)
        else:
            text = _("Something went wrong: {detail}").format(
                detail=isolate(f"{type(error).__name__}: {error}"))
        QMessageBox.warning(self._window(), self._title, text)

    def on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self._close_dialog()
            self.ended.emit()

    def _close_dialog(self) -> None:
        if self.busy_dialog is not None:
            self.busy_dialog.reset()
            self.busy_dialog.deleteLater()
            self.busy_dialog = None
