"""Starts the application: settings, language, theme, the main window, then the engine.

Nothing heavy happens before the window is shown: torch loads afterwards, in a thread.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QTimer, Slot
from PySide6.QtWidgets import QApplication

from ui import i18n, theme
from ui.course import read_outline
from ui.engine_status import EngineStatus
from ui.language_dialog import LanguageDialog
from ui.main_window import MainWindow
from ui.settings import FONT_SIZE_RANGE, Settings


class Hafiza(QObject):
    """Owns the settings, the engine status and the main window; applies what the learner
    chooses in the menus. `persist=False` leaves the settings file untouched (screenshots)."""

    def __init__(self, app: QApplication, settings: Settings, persist: bool = True) -> None:
        super().__init__(app)
        self.app = app
        self.settings = settings
        self.persist = persist
        self.system_point_size = app.font().pointSizeF()
        self.engine = EngineStatus(self)
        self.outline = read_outline()
        self.window: MainWindow | None = None
        i18n.register_bundled_fonts()
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    def create_window(self, language: str) -> MainWindow:
        i18n.apply_language(self.app, language)
        theme.apply_theme(self.app, self.settings.theme)
        self._apply_font_size(self.settings.font_size)
        window = MainWindow(self.outline, self.engine)
        window.set_theme_checked(self.settings.theme)
        window.language_requested.connect(self.set_language)
        window.language_dialog_requested.connect(self.choose_language)
        window.theme_requested.connect(self.set_theme)
        window.font_step_requested.connect(self.step_font_size)
        window.closing.connect(self.save_window)
        window.outline_panel.lesson_chosen.connect(self._remember_lesson)
        self._restore_window(window)
        self.window = window
        return window

    def first_language(self, requested: str | None) -> str:
        """The language to start in: asked for, remembered, or chosen now in the dialog."""
        if requested:
            return requested
        if self.settings.language:
            return self.settings.language
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
        if self.window is not None:
            self.window.retranslate()

    @Slot()
    def choose_language(self) -> None:
        dialog = LanguageDialog(i18n.current_variety().tag, self.window)
        if dialog.exec():
            self.set_language(dialog.chosen())

    @Slot(str)
    def set_theme(self, name: str) -> None:
        self._save(lambda: setattr(self.settings, "theme", name))
        theme.apply_theme(self.app, name)

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
        self._save(
            lambda: (
                self.settings.set_window_state("geometry", window.saveGeometry()),
                self.settings.set_window_state("splitter", window.splitter.saveState()),
            )
        )

    # -- helpers -----------------------------------------------------------------------------
    def _apply_font_size(self, size: int | None) -> None:
        font = self.app.font()
        font.setPointSizeF(float(size) if size else self.system_point_size)
        self.app.setFont(font)

    def _restore_window(self, window: MainWindow) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(QSize(1100, 720))
        splitter = self.settings.window_state("splitter")
        if splitter is not None:
            window.splitter.restoreState(splitter)
        if self.settings.last_lesson and self.outline.find(self.settings.last_lesson):
            window.open_lesson(self.settings.last_lesson)

    @Slot(str)
    def _remember_lesson(self, lesson_id: str) -> None:
        self._save(lambda: setattr(self.settings, "last_lesson", lesson_id))

    def _save(self, change) -> None:
        if self.persist:
            change()
            self.settings.sync()

    @Slot()
    def _on_system_scheme_changed(self) -> None:
        if self.settings.theme == "system":
            theme.apply_theme(self.app, "system")


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Hafiza")
    app.setApplicationDisplayName("Hafiza")
    app.setOrganizationName("Hafiza")
    return app


def run(
    language: str | None = None,
    screenshot: Path | None = None,
    lesson: str | None = None,
    size: tuple[int, int] | None = None,
) -> int:
    from engine import runtime

    runtime.limit_malloc_arenas()  # before any thread allocates: see engine/runtime.py
    app = make_application(sys.argv[:1])
    hafiza = Hafiza(app, Settings(), persist=screenshot is None)
    window = hafiza.create_window(hafiza.first_language(language))
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
    hafiza.engine.shutdown()
    return code


def _report_shown(app: QApplication) -> None:
    """bench/startup.py reads this line; torch must not be loaded yet."""
    print(f"shown {time.time():.6f} torch_loaded={'torch' in sys.modules}", flush=True)
    app.quit()


def _save_screenshot_when_ready(app, hafiza: Hafiza, window: MainWindow, path: Path) -> int:
    """Waits for the engine (so the status bar is final), then saves the window as PNG."""
    result = {"code": 1}

    def grab() -> None:
        if hafiza.engine.state == "loading" and time.monotonic() < deadline:
            QTimer.singleShot(100, grab)
            return
        app.processEvents()
        ok = window.grab().save(str(path))
        result["code"] = 0 if ok else 1
        if not ok:
            print(f"could not write {path}", file=sys.stderr)
        app.quit()

    deadline = time.monotonic() + 60
    QTimer.singleShot(200, grab)
    app.exec()
    hafiza.engine.shutdown()
    return result["code"]
