"""One running copy of Hafiza per data folder.

Two copies writing one progress database would each keep their own idea of the settings
and race over migrations and backups; a learner who double-clicks the icon twice only wants
the window that is already open. So the app takes a lock file in the data folder before it
opens the database, and a second copy says so and leaves without touching the database.

`QLockFile` writes the holder's process id into the file and takes over a lock whose
process has gone (a killed or crashed app), so no lock is left behind for ever.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QApplication, QMessageBox

from hafiza import paths
from hafiza.store.paths import database_path
from hafiza.store.preferences import peek_setting
from hafiza.ui import i18n
from hafiza.ui.i18n import _

log = logging.getLogger("hafiza.single_instance")

LOCK_NAME = "hafiza.lock"
# QLockFile also calls a lock stale once the file is older than staleLockTime, even while
# its process still runs; the app holds its lock for hours, so only a dead process counts.
STALE_LOCK_TIME_MS = 0


def lock_path() -> Path:
    return paths.data_dir() / LOCK_NAME


def acquire() -> QLockFile | None:
    """The data folder's lock, held until the returned object is released or deleted; None
    when another running copy holds it. A folder that cannot be written (read-only disk)
    is no reason to refuse to start: then the app runs unlocked (and the store will say it
    cannot save)."""
    path = lock_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _unlocked(path)
    lock = QLockFile(str(path))
    lock.setStaleLockTime(STALE_LOCK_TIME_MS)
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    return _unlocked(path)  # PermissionError or UnknownError: the folder, not another copy


def _unlocked(path: Path) -> QLockFile:
    """A lock object that holds nothing, for a folder where no lock can be written."""
    return QLockFile(str(path))


def remembered_language() -> str | None:
    """The language saved in the progress database, read without opening the store."""
    return peek_setting(database_path(), "language")


def notice_language(requested: str | None) -> str:
    """The language to say "already open" in: asked for, remembered, or the system's."""
    return requested or remembered_language() or i18n.guess_variety()


def already_open_box(app: QApplication, language: str) -> QMessageBox:
    """The notice a second copy shows, in `language`, not yet shown."""
    i18n.apply_language(app, language)
    box = QMessageBox(QMessageBox.Icon.Information, "Hafiza",
                      _("Hafiza is already open."), QMessageBox.StandardButton.Ok)
    box.setObjectName("already-open")
    box.setInformativeText(_("Please use the Hafiza window that is already open. Only one "
                             "copy can run at a time, so that your progress is saved in one "
                             "place."))
    return box


def claim_data_folder(app: QApplication, requested_language: str | None) -> QLockFile | None:
    """The lock for this run of the app; None, after telling the learner (and waiting for
    them to close the notice), when another copy is open."""
    lock = acquire()
    if lock is None:
        log.info("another copy of Hafiza holds %s; leaving", lock_path())
        already_open_box(app, notice_language(requested_language)).exec()
    return lock
