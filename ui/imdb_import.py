"""Bringing the IMDB reviews in: choose a file or folder, or download the official archive.

Everything slow (reading 50,000 reviews, downloading 84 MB) runs in a worker task; the
dialog shows a progress bar and a Cancel button, and explains, in the learner's language,
where the data comes from and which files Hafiza can read. A cancelled download keeps its
`.part` file, and the button then offers to resume it.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.engine.data import imdb
from hafiza.safelinks import is_safe_link
from hafiza.ui.i18n import _, isolate, number
from hafiza.ui.worker import Interrupted, Task, TaskRunner, TaskState

MB = 1_000_000  # decimal megabytes, as the download page counts them


def _megabytes(n_bytes: int) -> str:
    return number(n_bytes / MB, 1)


def error_message(reason: str) -> str:
    """The learner's words for an ImdbError reason."""
    messages = {
        imdb.NOT_IMDB: _("This file does not hold the IMDB reviews in a layout Hafiza knows."),
        imdb.CORRUPT: _("The file is damaged or incomplete. Download it again or choose "
                        "another copy."),
        imdb.UNSAFE: _("The file was refused: it holds links, names that lead outside its "
                       "folder, or code. Nothing was written."),
        imdb.TOO_LARGE: _("The file is too large to be the IMDB reviews."),
        imdb.DOWNLOAD: _("The download did not work. Check the internet connection and try "
                         "again: it continues where it stopped."),
        imdb.NOT_IMPORTED: _("The reviews are not imported yet."),
    }
    return messages.get(reason, _("The file could not be read."))


def link_html(url: str) -> str:
    """``url`` as a link that reads left to right in a right-to-left sentence and is never
    broken across lines (a break inside an address moved its slashes in Persian)."""
    # A word joiner after each slash and hyphen, where the line-breaking rules allow a break
    # (Qt's <nobr> only keeps spaces from breaking); the link itself stays the plain address.
    shown = url.replace("/", "/\u2060").replace("-", "-\u2060")
    anchor = f'<a href="{html.escape(url, quote=True)}">{html.escape(shown)}</a>'
    return isolate(anchor)


def where_to_get_it() -> str:
    """Where the data comes from and which files are accepted, as simple HTML."""
    items = [
        _("the official archive {name} ({size} MB), from the dataset's home page {url}").format(
            name=isolate(imdb.ARCHIVE_NAME), size=_megabytes(imdb.OFFICIAL_SIZE),
            url=link_html(imdb.HOME_PAGE)),
        _("the {folder} folder you get when you open that archive").format(
            folder=isolate("aclImdb")),
        _("the file {name} from Kaggle (columns review and sentiment)").format(
            name=isolate(imdb.CSV_NAME)),
        _("the file {name} that Keras downloads, with {index} beside it").format(
            name=isolate(imdb.KERAS_NPZ), index=isolate(imdb.KERAS_WORD_INDEX)),
    ]
    intro = _("This exercise trains on the Large Movie Review Dataset: 50,000 movie reviews "
              "in English, half positive and half negative. Hafiza does not ship it. Import "
              "one of these once:")
    outro = _("Hafiza keeps a ready copy in its own data folder, so the next time it opens in "
              "seconds. Without internet, copy the file from a computer that has it.")
    bullets = "".join(f"<li>{item}</li>" for item in items)
    return f"<p>{intro}</p><ul>{bullets}</ul><p>{outro}</p>"


def _import_reviews(source: Path, cache_dir: Path | None, state: TaskState):
    """In the worker: reads the reviews from a file or folder into Hafiza's cache."""
    def progress(fraction: float, phase: str) -> None:
        state.progress(fraction)

    return _reported(lambda: imdb.import_imdb(source, cache_dir=cache_dir, progress=progress,
                                               cancelled=lambda: state.interrupted))


def _download_reviews(url: str, destination: Path, expected_md5: str | None,
                      cache_dir: Path | None, state: TaskState):
    """In the worker: downloads (or resumes) the archive, then imports it."""
    def progress(done: int, total: int | None) -> None:
        state.partial(("download", done, total))
        if total:
            state.progress(0.7 * done / total)

    def import_progress(fraction: float, phase: str) -> None:
        state.progress(0.7 + 0.3 * fraction)

    cancelled = lambda: state.interrupted  # noqa: E731 - polled from this thread only

    def download_and_import():
        path = imdb.download_archive(destination, url, progress=progress,
                                     cancelled=cancelled, expected_md5=expected_md5)
        state.partial(("import",))
        return imdb.import_imdb(path, cache_dir=cache_dir, progress=import_progress,
                                cancelled=cancelled)

    return _reported(download_and_import)


def _reported(work):
    """Runs `work` in the task: a cancel ends the task, a failure becomes its result (an
    ImdbError the dialog words for the learner)."""
    try:
        return work()
    except imdb.ImdbCancelled:
        raise Interrupted from None
    except imdb.ImdbError as error:
        return error
    except OSError as error:
        return imdb.ImdbError("io", str(error))


class ImdbImportDialog(TaskRunner, QDialog):
    """Import or download the reviews. `imported` carries the ImportReport on success."""

    imported = Signal(object)
    work_ended = Signal()  # after any import or download ends (tests wait on it)

    def __init__(self, parent: QWidget | None = None, *, cache_dir: Path | None = None,
                 download_url: str = imdb.OFFICIAL_URL, download_path: Path | None = None,
                 expected_md5: str | None = imdb.OFFICIAL_MD5) -> None:
        super().__init__(parent)
        self.setObjectName("imdb-import-dialog")
        self.cache_dir = cache_dir
        self.download_url = download_url
        self.download_path = download_path or imdb.default_download_path()
        self.expected_md5 = expected_md5
        self.last_result: object = None

        layout = QVBoxLayout(self)
        self.explanation = QLabel()
        self.explanation.setObjectName("imdb-where")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.explanation.setOpenExternalLinks(False)  # open_link checks the address first
        self.explanation.linkActivated.connect(self.open_link)
        layout.addWidget(self.explanation)

        self.state_label = QLabel()
        self.state_label.setObjectName("imdb-state")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)

        choose = QHBoxLayout()
        self.file_button = QPushButton()
        self.folder_button = QPushButton()
        self.download_button = QPushButton()
        for button in (self.file_button, self.folder_button, self.download_button):
            choose.addWidget(button)
        choose.addStretch(1)
        layout.addLayout(choose)
        self.file_button.clicked.connect(self._choose_file)
        self.folder_button.clicked.connect(self._choose_folder)
        self.download_button.clicked.connect(self.start_download)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self.phase_label = QLabel()
        self.phase_label.setWordWrap(True)
        layout.addWidget(self.phase_label)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self._set_busy(False)
        self.retranslate()
        self.resize(620, self.sizeHint().height())

    # -- text ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Import the IMDB movie reviews"))
        self.explanation.setText(where_to_get_it())
        self.file_button.setText(_("Choose a file…"))
        self.folder_button.setText(_("Choose a folder…"))
        self.cancel_button.setText(_("Cancel"))
        self.close_button.setText(_("Close"))
        done = imdb.partial_download(self.download_path)
        if done:
            self.download_button.setText(_("Resume the download ({done} of {total} MB)").format(
                done=_megabytes(done), total=_megabytes(imdb.OFFICIAL_SIZE)))
        else:
            self.download_button.setText(_("Download it ({size} MB)").format(
                size=_megabytes(imdb.OFFICIAL_SIZE)))
        self.download_button.setToolTip(self.download_url)
        if self.task is None:
            self._show_state()

    def _show_state(self) -> None:
        manifest = imdb.read_manifest(self.cache_dir)
        if manifest is None:
            self.state_label.setText(_("Not imported yet."))
            return
        counts = manifest.get("counts", {})
        source = Path(manifest.get("source", {}).get("path", "")).name
        self.state_label.setText(
            _("Imported: {train} training and {test} test reviews, from {source}.").format(
                train=number(int(counts.get("train", 0))),
                test=number(int(counts.get("test", 0))), source=isolate(source)))

    # -- actions ---------------------------------------------------------------------------
    @Slot(str)
    def open_link(self, url: str) -> bool:
        """Opens the dataset's home page in the browser; only an http(s) address is opened."""
        if not is_safe_link(url):
            return False
        return QDesktopServices.openUrl(QUrl(url))

    @Slot()
    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the IMDB file"), str(Path.home()),
            _("IMDB files") + " (*.tar.gz *.tgz *.tar *.csv *.npz);;" + _("All files") + " (*)")
        if path:
            self.import_path(Path(path))

    @Slot()
    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Choose the aclImdb folder"),
                                                str(Path.home()))
        if path:
            self.import_path(Path(path))

    @property
    def task(self) -> Task | None:
        """The import or download running now, if any."""
        return self.current_task

    def import_path(self, path: Path) -> None:
        """Imports a file or folder in a worker thread."""
        if self.task_busy:
            return
        self.phase_label.setText(_("Reading the reviews from {name}…").format(
            name=isolate(Path(path).name)))
        self.start_task(_import_reviews, Path(path), self.cache_dir)

    @Slot()
    def start_download(self) -> None:
        """Downloads (or resumes) the official archive, then imports it."""
        if self.task_busy:
            return
        self.phase_label.setText(_("Connecting…"))
        self.start_task(_download_reviews, self.download_url, self.download_path,
                        self.expected_md5, self.cache_dir)

    @Slot()
    def cancel(self) -> None:
        if self.task_busy:
            self.cancel_task()
            self.cancel_button.setEnabled(False)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.file_button, self.folder_button, self.download_button,
                       self.close_button):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        # Shown only while there is something to cancel: a lone disabled button across the
        # whole dialog looked like a field.
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)

    # -- the task's reports (GUI thread) ---------------------------------------------------
    def on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.progress.setValue(0)
        self._set_busy(busy)
        if not busy:
            self.retranslate()
            self.work_ended.emit()

    def on_progress(self, fraction: float) -> None:
        self.progress.setValue(round(1000 * fraction))

    def on_partial_results(self, items: list) -> None:
        item = items[-1]  # only the latest state is worth showing
        if item[0] == "download":
            _kind, done, total = item
            if total:
                self.phase_label.setText(_("Downloading: {done} of {total} MB").format(
                    done=_megabytes(done), total=_megabytes(total)))
            else:
                self.phase_label.setText(_("Downloading: {done} MB").format(
                    done=_megabytes(done)))
        else:
            self.phase_label.setText(_("Reading the reviews…"))

    def on_done(self, result: object) -> None:
        self.last_result = result
        if isinstance(result, imdb.ImdbError):
            self.phase_label.setText(error_message(result.reason))
            self.phase_label.setToolTip(result.detail)
            return
        self.phase_label.setToolTip("")
        text = _("Done in {seconds} s.").format(seconds=number(result.seconds, 1))
        if result.format == "archive" and not result.official:
            # Said plainly: the check of the file found a repacked copy, not a problem.
            text += " " + _("This copy is not exactly the official download (it may have been "
                            "packed again), but all its reviews are there and in order, so "
                            "Hafiza uses it.")
        if result.format == "csv":
            text += " " + _("The CSV file has no split: its first half trains and its "
                            "second half tests.")
        self.phase_label.setText(text)
        self.imported.emit(result)

    def on_exception(self, error: BaseException) -> None:
        self.last_result = error
        self.phase_label.setText(_("The file could not be read."))
        self.phase_label.setToolTip(f"{type(error).__name__}: {error}"[-2000:])

    def on_cancelled(self) -> None:
        self.last_result = "cancelled"
        self.phase_label.setText(_("Cancelled."))

    def done(self, result: int) -> None:  # closing while busy: stop the worker first
        self.shutdown_tasks()
        super().done(result)
