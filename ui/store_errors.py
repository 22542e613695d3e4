"""Store errors in the learner's language: the status bar line and the message box text.

The store raises `StoreError` with a machine-readable `reason` (store.errors); only here does
it become words.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from hafiza.store import StoreError, errors, salvage, schema
from hafiza.ui.i18n import _, isolate, number


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


def explanation(error: StoreError, held: bool = False) -> str:
    """What happened, in a sentence or two, for a message box. `held`: the progress is
    read and kept in memory until the file can be written (store.held)."""
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
    if held:
        return text + "\n\n" + _("Your earlier progress is shown. What you do now is kept "
                                  "while Hafiza is open and saved as soon as the disk allows "
                                  "it.")
    return text + "\n\n" + _("You can keep learning, but what you do now will not be saved.")


def counts_text(lessons: int, answers: int, runs: int) -> str:
    """What a database holds, in one line: "Lessons: 3 · Quiz answers: 40 · Training runs: 2"."""
    return " · ".join((_("Lessons: {n}").format(n=number(lessons)),
                       _("Quiz answers: {n}").format(n=number(answers)),
                       _("Training runs: {n}").format(n=number(runs))))


def recovered_text(moved_to: Path, recovery: salvage.Recovery | None = None) -> str:
    """What became of a damaged progress file, and what was rescued from it."""
    file = isolate(str(moved_to))
    if recovery is None or recovery.source == salvage.NOTHING:
        return _("Your progress file was damaged and could not be read. It was kept as {file} "
                 "and a new, empty one was started.").format(file=file)
    counts = counts_text(recovery.lessons, recovery.answers, recovery.runs)
    if recovery.source == salvage.FROM_BACKUP:
        return _("Your progress file was damaged. Hafiza went back to its latest backup, which "
                 "held more of your progress ({counts}). The damaged file was kept as {file}."
                 ).format(counts=counts, file=file)
    return _("Your progress file was damaged. Hafiza rescued what could still be read "
             "({counts}). The damaged file was kept as {file}.").format(counts=counts,
                                                                        file=file)


def schema_notice(report: schema.SchemaReport) -> tuple[str, str]:
    """(title, text) telling once what opening the progress file changed in it."""
    if report.reason == errors.FOREIGN_SCHEMA:
        return _("Progress file cleaned"), _(
            "Your progress file held things Hafiza never makes, such as commands that run by "
            "themselves. They were removed to keep your progress safe; your lessons, answers "
            "and runs are still there.")
    return _("Progress file repaired"), _(
        "Parts of your progress file were missing and have been made again. What was "
        "there is kept.")


def show_problem(parent: QWidget | None, error: StoreError, held: bool = False) -> QMessageBox:
    """A warning that does not block: the window stays usable behind it."""
    return _open_box(parent, _("Progress cannot be saved"), explanation(error, held))


def show_recovered(parent: QWidget | None, moved_to: Path,
                   recovery: salvage.Recovery | None = None) -> QMessageBox:
    return _open_box(parent, _("Progress file damaged"), recovered_text(moved_to, recovery))


def show_schema_notice(parent: QWidget | None, report: schema.SchemaReport) -> QMessageBox:
    return _open_box(parent, *schema_notice(report))


def _open_box(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("store-problem")
    box.open()
    return box
