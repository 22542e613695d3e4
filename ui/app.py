"""Starts the application: the log (hafiza.logs), the data folder's lock (one copy at a
time, ui.single_instance), the error dialog (ui.crash), then settings, language, theme, the
main window, and the engine.

Nothing heavy happens before the window is shown: torch loads afterwards, in a thread.
Progress (lessons opened, reading position, quiz answers) goes to the store through the
slots here; when it cannot be saved, the app keeps working and the status bar says so, and
the store holds it in memory until the disk lets it write (store.held). A copy of the
progress is taken at start and daily (store.backups); File > Restore from backup puts one
back (ui.backup_dialog).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from hafiza import logs, paths
from hafiza.store import StoreError, backups
from hafiza.store.db import HOLDABLE

if TYPE_CHECKING:  # pyqtgraph and the panel load with the first exercise, not at start
    from hafiza.ui.exercise_window import ExerciseWindow
    from hafiza.ui.progress_transfer import ProgressTransfer
from hafiza.ui import i18n, leftovers, single_instance, theme
from hafiza.ui.course import read_outline
from hafiza.ui.crash import CrashReporter
from hafiza.ui.engine_status import EngineStatus
from hafiza.ui.language_dialog import LanguageDialog
from hafiza.ui.main_window import MainWindow
from hafiza.ui.outline_progress import ProgressShown
from hafiza.ui.quit_guard import QuitGuard
from hafiza.ui.screen_fit import fit_on_screen, opening_size
from hafiza.ui.settings import FONT_SIZE_RANGE, Settings

# A lesson read this far down counts as completed.
COMPLETE_AT = 0.97
# Exit codes of run() besides Qt's own: another copy has the data folder; --lesson names
# no lesson (2, as a command-line mistake).
EXIT_ALREADY_OPEN = 1
EXIT_NO_LESSON = 2
# The main window's first size, where the screen has room for it (ui.screen_fit).
MAIN_WINDOW_SIZE = QSize(1100, 720)
# How often a running app checks whether the daily backup is due.
BACKUP_CHECK_MS = 3600 * 1000

log = logging.getLogger(__name__)


class Hafiza(QObject):
    """Owns the settings, the engine status and the main window; applies what the learner
    chooses in the menus. `persist=False` leaves the settings file untouched (screenshots)."""

    def __init__(self, app: QApplication, settings: Settings, persist: bool = True) -> None:
        super().__init__(app)
        self.app = app
        self.settings = settings
        self.persist = persist
        self.store = settings.store
        self.progress = settings.store.progress
        # Why progress is not being saved (None while it is), and the notice shown about it.
        self.store_problem: StoreError | None = settings.store.problem
        self.store_notice: QMessageBox | None = None
        self.store_label: QLabel | None = None
        self._announced: set[str] = set()
        self.backup_dialog = None
        if persist:
            self._store_write(self.store.runs.mark_interrupted)
            self.take_backup()
            self.backup_timer = QTimer(self, interval=BACKUP_CHECK_MS)
            self.backup_timer.timeout.connect(self.take_backup)
            self.backup_timer.start()
        self.system_point_size = app.font().pointSizeF()
        self.engine = EngineStatus(self, device=settings.device)
        self.outline = read_outline()
        self.window: MainWindow | None = None
        self.transfer: ProgressTransfer | None = None
        self.exercise_windows: dict[tuple[str, str], ExerciseWindow] = {}
        i18n.register_bundled_fonts()
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    def create_window(self, language: str, theme_name: str | None = None) -> MainWindow:
        """`theme_name`: this session's theme (--theme), over the setting."""
        theme_name = theme_name or self.settings.theme
        i18n.apply_language(self.app, language)
        theme.apply_theme(self.app, theme_name)
        self._apply_font_size(self.settings.font_size)
        window = MainWindow(self.outline, self.engine)
        window.lesson_page.learner_key = self.settings.quiz_order_key
        window.set_theme_checked(theme_name)
        window.set_device_checked(self.engine.preferred_device)
        window.device_requested.connect(self.set_device)
        window.language_requested.connect(self.set_language)
        window.language_dialog_requested.connect(self.choose_language)
        window.theme_requested.connect(self.set_theme)
        window.font_step_requested.connect(self.step_font_size)
        window.closing.connect(self.save_window)
        window.outline_panel.lesson_chosen.connect(self._remember_lesson)
        self._connect_progress(window)
        self.progress_shown = ProgressShown(self.progress, window)  # marks, quizzes, continue
        window.may_close = QuitGuard(lambda: list(self.exercise_windows.values()), window)
        window.progress_export_requested.connect(self.export_progress)
        window.progress_import_requested.connect(self.import_progress)
        window.backup_restore_requested.connect(self.restore_backup)
        window.outline_changed.connect(self._on_outline_changed)
        window.lesson_page.exercise_requested.connect(self.open_exercise)
        self.store_label = QLabel()
        self.store_label.setObjectName("store-status")
        window.statusBar().addPermanentWidget(self.store_label)
        self.window = window
        self._restore_window(window)
        self._show_store_status()
        QTimer.singleShot(0, self._announce_store)
        return window

    def _progress_transfer(self) -> ProgressTransfer:
        """Export and import of the progress, made with the first use (its dialogs belong to
        the main window)."""
        if self.transfer is None:
            from hafiza.ui.progress_transfer import ProgressTransfer

            self.transfer = ProgressTransfer(self.store, self.window)
            self.transfer.imported.connect(self._on_progress_imported)
        return self.transfer

    @Slot()
    def export_progress(self) -> None:
        self._progress_transfer().export_progress()

    @Slot()
    def import_progress(self) -> None:
        self._progress_transfer().import_progress()

    @Slot(object)
    def _on_progress_imported(self, _summary) -> None:
        self._on_outline_changed(self.outline)  # positions and completions changed

    @Slot()
    def take_backup(self) -> None:
        """The daily copy of the progress (store.backups), when one is due."""
        try:
            backups.take_automatic(self.store.db)
        except StoreError as error:  # no room for a copy: the progress itself is unharmed
            log.warning("automatic backup failed: %s", error)

    @Slot()
    def restore_backup(self) -> None:
        from hafiza.ui.backup_dialog import BackupDialog

        self.backup_dialog = BackupDialog(self.store, self.window)
        self.backup_dialog.restored.connect(self._on_progress_imported)
        self.backup_dialog.open()

    def shutdown(self) -> None:
        """Stops and waits for the worker threads, before the application goes away."""
        for window in self.exercise_windows.values():
            window.shutdown()
        if self.transfer is not None:
            self.transfer.shutdown_tasks()
        if self.window is not None:
            self.window.packs.shutdown_tasks()
        self.engine.shutdown()
        if self.persist and self.store.db.holding:  # a last try to save what was held
            self.store.db.try_write_back(force=True)

    @Slot(str, str)
    def open_exercise(self, lesson_id: str, exercise_id: str) -> ExerciseWindow | None:
        """Opens (or raises) the window of an exercise of the lesson on the page."""
        from hafiza.ui.exercise_window import ExerciseWindow
        from hafiza.ui.run_history import RunRecorder

        key = (lesson_id, exercise_id)
        window = self.exercise_windows.get(key)
        if window is None:
            lesson = self.window.lesson_page.lesson_data if self.window else None
            exercise = lesson.exercises.get(exercise_id) if lesson is not None else None
            if exercise is None:
                return None
            exercise = self._for_learner(exercise)
            recorder = RunRecorder(self.store.runs, exercise_id, lesson_id, self,
                                   data_root=lesson.folder)
            # The exercise reads files only inside its own lesson's folder (engine.refusals).
            window = ExerciseWindow(lesson_id, exercise, recorder, data_root=lesson.folder)
            self.exercise_windows[key] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    @staticmethod
    def _for_learner(exercise: dict) -> dict:
        """A text exercise on texts written in every variety reads the learner's own."""
        from hafiza.engine.exercises import in_variety

        return in_variety(exercise, i18n.current_variety().tag)

    @Slot(object)
    def _on_outline_changed(self, outline) -> None:
        self.outline = outline
        if self.window is not None:
            self.window.outline_panel.retranslate()
            self.progress_shown.refresh()

    def _connect_progress(self, window: MainWindow) -> None:
        """The lesson page's progress signals. Connected unconditionally: a renamed signal
        must fail here, loudly, rather than silently stop saving progress. (A lesson counts
        as completed once read to COMPLETE_AT, see _remember_position.)"""
        page = window.lesson_page
        page.reading_position_changed.connect(self._remember_position)
        page.quiz_answered.connect(self._remember_answer)

    def first_language(self, requested: str | None, ask: bool = True) -> str:
        """The language to start in: asked for, remembered, or chosen now in the dialog;
        with `ask=False` (screenshots, which must never wait for anyone) the system's."""
        if requested:
            return requested
        if self.settings.language:
            return self.settings.language
        if not ask:
            return i18n.guess_variety()
        dialog = LanguageDialog(i18n.guess_variety())
        dialog.exec()
        tag = dialog.chosen()
        self._save(lambda: setattr(self.settings, "language", tag))
        return tag

    # -- what the menus ask for ------------------------------------------------------------
    @Slot(str)
    def set_language(self, tag: str) -> None:
        i18n.apply_language(self.app, tag)
        self._apply_font_size(self.settings.font_size)
        self._save(lambda: setattr(self.settings, "language", tag))
        i18n.retranslate_windows(self.app)  # the main window, exercise windows, dialogs
        self._show_store_status()

    @Slot()
    def choose_language(self) -> None:
        dialog = LanguageDialog(i18n.current_variety().tag, self.window)
        if dialog.exec():
            self.set_language(dialog.chosen())

    @Slot(str)
    def set_theme(self, name: str) -> None:
        self._save(lambda: setattr(self.settings, "theme", name))
        theme.apply_theme(self.app, name)

    @Slot(str)
    def set_device(self, device: str) -> None:
        """Train (and run the playgrounds) on another device from now on; kept for next time."""
        self._save(lambda: setattr(self.settings, "device", device))
        self.engine.choose_device(device)

    @Slot(int)
    def step_font_size(self, step: int) -> None:
        if step == 0:
            size = None
        else:
            current = self.settings.font_size or round(self.system_point_size)
            low, high = FONT_SIZE_RANGE
            size = max(low, min(high, current + step))
        self._save(lambda: setattr(self.settings, "font_size", size))
        self._apply_font_size(size)
        if self.window is not None:
            self.window.retranslate()  # titles are sized relative to the body text

    @Slot()
    def save_window(self) -> None:
        if self.window is None:
            return
        window = self.window
        self._save(lambda: (
            self.settings.set_window_state("geometry", window.saveGeometry()),
            self.settings.set_window_state("splitter", window.splitter.saveState())))

    # -- helpers -----------------------------------------------------------------------------
    def _apply_font_size(self, size: int | None) -> None:
        font = self.app.font()
        font.setPointSizeF(float(size) if size else self.system_point_size)
        self.app.setFont(font)

    def _restore_window(self, window: MainWindow) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(opening_size(window, MAIN_WINDOW_SIZE))
        else:
            fit_on_screen(window)
        splitter = self.settings.window_state("splitter")
        if splitter is not None:
            window.splitter.restoreState(splitter)
        last = self.settings.last_lesson
        if last and self.outline.find(last):
            window.open_lesson(last)  # the outline's lesson_chosen restores the position

    # -- progress --------------------------------------------------------------------------
    @Slot(str)
    def _remember_lesson(self, lesson_id: str) -> None:
        self._save(lambda: setattr(self.settings, "last_lesson", lesson_id))
        self._save(lambda: self.progress.lesson_opened(lesson_id))
        # After the page has finished showing the lesson (open_lesson may render it again).
        QTimer.singleShot(0, lambda: self._restore_position(lesson_id))

    def _restore_position(self, lesson_id: str) -> None:
        if self.window is None:
            return
        page = self.window.lesson_page
        if page.lesson is not None and page.lesson.id != lesson_id:
            return  # the learner has moved on
        try:
            fraction = self.progress.position(lesson_id)
        except StoreError:
            return
        if 0.0 < fraction < COMPLETE_AT:
            page.restore_reading_position(fraction)

    @Slot(str, float)
    def _remember_position(self, lesson_id: str, fraction: float) -> None:
        self._save(lambda: self.progress.set_position(lesson_id, fraction))
        if fraction >= COMPLETE_AT:
            self._save(lambda: self.progress.mark_completed(lesson_id))

    @Slot(str, str, object, bool)
    def _remember_answer(self, lesson_id: str, quiz_id: str, answer, correct: bool) -> None:
        self._save(lambda: self.progress.record_answer(lesson_id, quiz_id, answer, correct))

    def _save(self, change) -> None:
        if self.persist:
            self._store_write(change)

    def _store_write(self, change) -> bool:
        """Runs a store write; a failure is shown, never raised: learning goes on. When the
        disk refuses it, the store keeps it in memory (Database.write) and says why."""
        db = self.store.db
        try:
            db.write(change)
        except StoreError as error:
            self._store_failed(error)
            return False
        except ValueError:  # a malformed id or answer from a lesson: not worth a crash
            return False
        if db.holding and self.store_problem is None:
            self._store_failed(db.problem)
        elif db.persistent and self.store_problem is not None and self.store_problem.reason \
                in HOLDABLE and db.problem is None:
            self.store_problem = None  # held progress was written back: saving again
            self._show_store_status()
            if self.window is not None:
                from hafiza.ui.i18n import _

                self.window.statusBar().showMessage(_("Your progress is being saved again."))
        return True

    def _store_failed(self, error: StoreError) -> None:
        self.store_problem = error
        self._show_store_status()
        self._announce_store()

    def _show_store_status(self) -> None:
        if self.store_label is None:
            return
        from hafiza.ui.store_errors import status_text

        problem = self.store_problem if self.persist else None
        self.store_label.setVisible(problem is not None)
        self.store_label.setText(status_text(problem) if problem else "")

    @Slot()
    def _announce_store(self) -> None:
        """Says once per kind of problem why progress is not saved, or that a damaged file
        was moved aside; the message box does not block the window."""
        if not self.persist or self.window is None:
            return
        from hafiza.ui import store_errors

        db = self.store.db
        if db.recovered_from is not None and "recovered" not in self._announced:
            self._announced.add("recovered")
            self.store_notice = store_errors.show_recovered(self.window, db.recovered_from,
                                                            db.recovery)
        report = db.schema_report
        if report is not None and report.changed and "schema" not in self._announced:
            self._announced.add("schema")
            self.store_notice = store_errors.show_schema_notice(self.window, report)
        problem = self.store_problem
        if problem is not None and problem.reason not in self._announced:
            self._announced.add(problem.reason)
            self.store_notice = store_errors.show_problem(self.window, problem, db.holding)

    @Slot()
    def _on_system_scheme_changed(self) -> None:
        if self.settings.theme == "system":
            theme.apply_theme(self.app, "system")


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Hafiza")
    app.setApplicationDisplayName("Hafiza")
    app.setOrganizationName("Hafiza")
    app.setDesktopFileName("hafiza")  # packaging/linux/hafiza.desktop: the menu entry's icon
    if paths.ICON_FILE.is_file():  # the windows' and the taskbar's icon
        app.setWindowIcon(QIcon(str(paths.ICON_FILE)))
    return app


def run(
    language: str | None = None,
    screenshot: Path | None = None,
    lesson: str | None = None,
    size: tuple[int, int] | None = None,
    device: str | None = None,
    theme: str | None = None,
) -> int:
    """The app, or with `screenshot` one PNG of its window. `theme` ("light", "dark" or
    "system") holds for this session only: the learner's setting stays as it was."""
    from hafiza.engine import runtime

    log_file = logs.start_logging()
    runtime.limit_malloc_arenas()  # before any thread allocates: see engine/runtime.py
    app = make_application(sys.argv[:1])
    persist = screenshot is None
    instance_lock = None
    if persist:  # a screenshot only reads: it takes no lock and runs beside an open app
        # Before the database is opened: while another copy runs, it is not ours to open.
        instance_lock = single_instance.claim_data_folder(app, language)
        if instance_lock is None:
            return EXIT_ALREADY_OPEN
    reporter = CrashReporter(app, log_file)
    if persist:
        reporter.install()
    hafiza = Hafiza(app, Settings(read_only=not persist), persist=persist)
    if persist:  # what interrupted work left, before anything is saved again
        leftovers.sweep_at_start(hafiza.engine)
    if lesson and hafiza.outline.find(lesson) is None:
        say(f"hafiza: no lesson with id {lesson!r}")
        hafiza.shutdown()
        reporter.uninstall()
        return EXIT_NO_LESSON
    if device is not None:  # --device: this session only, the setting stays as it was
        hafiza.engine.preferred_device = device
    window = hafiza.create_window(hafiza.first_language(language, ask=persist), theme)
    if lesson:
        window.open_lesson(lesson)
    if size:
        window.resize(QSize(*size))
    window.show()
    if os.environ.get("HAFIZA_STARTUP_PROBE"):
        # bench/startup.py: report the moment the first window is shown, then leave.
        QTimer.singleShot(0, lambda: _report_shown(app))
        return app.exec()
    QTimer.singleShot(0, hafiza.engine.start)
    if screenshot is not None:
        return _save_screenshot_when_ready(app, hafiza, window, screenshot)
    code = app.exec()
    hafiza.shutdown()
    reporter.uninstall()
    instance_lock.unlock()
    return code


def say(line: str) -> None:
    """A line for the terminal; a frozen Windows app has no stderr (None) and says nothing."""
    if sys.stderr is not None:
        print(line, file=sys.stderr)


def _report_shown(app: QApplication) -> None:
    """bench/startup.py reads this line; torch must not be loaded yet."""
    print(f"shown {time.time():.6f} torch_loaded={'torch' in sys.modules}", flush=True)
    app.quit()


def _save_screenshot_when_ready(app, hafiza: Hafiza, window: MainWindow, path: Path) -> int:
    """Waits for the engine (so the status bar is final), then saves the window as PNG."""
    from hafiza.ui.window_grab import save_when_ready

    code = save_when_ready(app, window, path, lambda: hafiza.engine.state != "loading", 60,
                           say)
    hafiza.engine.shutdown()
    return code
