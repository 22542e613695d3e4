"""The main window: course outline beside the lesson page, menus, and the engine's status.

Lesson files (check, import, export) are worked on in a worker by ui.lesson_packs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hafiza.ui.course import Outline, library_dir, read_outline
from hafiza.ui.engine_status import EngineStatus
from hafiza.ui.i18n import _, current_variety, isolate, ngettext, number
from hafiza.ui.lesson_packs import LessonPackJobs
from hafiza.ui.lesson_page import LessonPage
from hafiza.ui.menus import MainMenus
from hafiza.ui.outline_panel import OutlinePanel


class MainWindow(QMainWindow):
    """Thin: widgets and menus. The application object (ui.app.HafizaApp) does the work."""

    language_requested = Signal(str)
    language_dialog_requested = Signal()
    theme_requested = Signal(str)
    device_requested = Signal(str)  # "auto", "cpu", "cuda" or "mps"
    font_step_requested = Signal(int)  # +1 larger, -1 smaller, 0 back to the system's size
    outline_changed = Signal(object)  # the new Outline, after a pack was imported
    progress_export_requested = Signal()
    progress_import_requested = Signal()
    backup_restore_requested = Signal()
    continue_requested = Signal()  # Go > Continue where you left off
    closing = Signal()

    def __init__(self, outline: Outline, engine: EngineStatus) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self.outline = outline
        self.engine = engine
        self.outline_panel = OutlinePanel(outline)
        self.lesson_page = LessonPage()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.outline_panel)
        self.splitter.addWidget(self.lesson_page)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 700])
        self.setCentralWidget(self.splitter)

        self.engine_label = QLabel()
        self.engine_label.setObjectName("engine-status")
        self.engine_busy = QProgressBar()
        self.engine_busy.setRange(0, 0)  # indeterminate while the engine loads
        self.engine_busy.setMaximumWidth(120)
        self.engine_busy.setTextVisible(False)
        self.statusBar().addPermanentWidget(self.engine_busy)
        self.statusBar().addPermanentWidget(self.engine_label)
        self.pack_busy = QProgressBar()
        self.pack_busy.setRange(0, 0)  # indeterminate while a lesson file is worked on
        self.pack_busy.setMaximumWidth(120)
        self.pack_busy.setTextVisible(False)
        self.pack_busy.setVisible(False)
        self.statusBar().addWidget(self.pack_busy)
        self.packs = LessonPackJobs(self)
        self.packs.busy_changed.connect(self._on_packs_busy)
        self.packs.imported.connect(self._on_pack_imported)

        self.menus = MainMenus(self)
        # Every menu and action is also the window's own attribute (window.quit_action).
        for name, value in vars(self.menus).items():
            if name.endswith(("_menu", "_action", "_actions")):
                setattr(self, name, value)
        self.may_close: Callable[[], bool] | None = None
        self.glossary: QDialog | None = None  # made when first asked for
        self.outline_panel.lesson_chosen.connect(self.open_lesson)
        engine.changed.connect(self._on_engine_changed)
        self.retranslate()
        self.lesson_page.show_welcome(outline)
        # Start on the page: focusing the list first would select lesson 1 at once.
        self.lesson_page.setFocus()

    def retranslate(self) -> None:
        self.menus.retranslate()
        self.outline_panel.retranslate()
        self.lesson_page.retranslate()
        self._show_title()
        self._on_engine_changed(self.engine.state)

    def _show_title(self) -> None:
        """The app's name once, in the learner's variety, after the open lesson's title (as
        desktops show "document — application"). Ending with the application's display name
        (which i18n.apply_language sets to the same word), the title gets nothing appended
        by Qt; the lesson title is isolated, so an English one keeps its place in an Arabic
        title bar."""
        name = QGuiApplication.applicationDisplayName()
        lesson = self.lesson_page.lesson
        if lesson is None:
            self.setWindowTitle(name)
            return
        title, _tag = lesson.title(current_variety().tag)
        self.setWindowTitle(_("{lesson} — {app}").format(lesson=isolate(title), app=name))

    def set_theme_checked(self, theme: str) -> None:
        self.theme_actions[theme].setChecked(True)

    def set_device_checked(self, device: str) -> None:
        self.device_actions[device].setChecked(True)

    # -- lessons ---------------------------------------------------------------------------
    @Slot(str)
    def open_lesson(self, lesson_id: str) -> None:
        entry = self.outline.find(lesson_id)
        if entry is None:
            return
        if self.outline_panel.current_lesson_id() != lesson_id:
            self.outline_panel.select(lesson_id)
        self.lesson_page.show_lesson(self.outline, entry)
        self._show_title()

    @Slot()
    def show_start_page(self) -> None:
        """The welcome page, with "continue where you left off" when there is somewhere to
        continue (LessonPage.set_resume)."""
        self.outline_panel.clear_selection()
        self.lesson_page.show_welcome(self.outline)
        self._show_title()

    # -- lesson files: check, import, export --------------------------------------------------
    def known_lesson_ids(self) -> list[str]:
        return [entry.id for entry in self.outline.lessons]

    @Slot()
    def check_current_lesson(self) -> None:
        """Runs the checker on the open lesson in a worker; its report opens when done
        (`packs.checked` carries the problems)."""
        entry = self.lesson_page.lesson
        if entry is None:
            self._inform(_("Check this lesson"), _("Open a lesson first."))
            return
        self._show_pack_work(_("Checking the lesson…"))
        self.packs.check(entry.folder, self.known_lesson_ids())

    @Slot()
    def choose_pack_to_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import lesson pack"), str(Path.home()),
            _("Lesson packs (*.hafiza)"))
        if path:
            self.import_pack(Path(path))

    def import_pack(self, path: Path) -> None:
        """Reads the pack in a worker, shows what it adds or replaces, asks, installs
        (`packs.imported` carries the new ids)."""
        self._show_pack_work(_("Reading the lesson pack…"))
        self.packs.import_pack(path, library_dir(), self.outline)

    @Slot()
    def choose_lessons_to_export(self) -> None:
        dialog = ExportDialog(self.outline, self.lesson_page.lesson, self)
        if not dialog.exec() or not dialog.chosen():
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export lessons as a pack"), str(Path.home() / "lessons.hafiza"),
            _("Lesson packs (*.hafiza)"))
        if path:
            self.export_lessons(dialog.chosen(), Path(path))

    def export_lessons(self, lesson_ids: list[str], path: Path) -> None:
        """Writes the pack in a worker (`packs.exported` carries its path)."""
        from hafiza.lessonlib.packs import PACK_SUFFIX

        if path.suffix != PACK_SUFFIX:
            path = path.with_name(path.name + PACK_SUFFIX)
        folders = [entry.folder for entry in self.outline.lessons if entry.id in lesson_ids]
        self._show_pack_work(_("Writing the lesson pack…"))
        self.packs.export(folders, path)

    def _show_pack_work(self, text: str) -> None:
        self.statusBar().showMessage(text)

    @Slot(bool)
    def _on_packs_busy(self, busy: bool) -> None:
        for action in (self.import_action, self.export_action, self.check_action):
            action.setEnabled(not busy)
        self.pack_busy.setVisible(busy)
        if not busy:
            self.statusBar().clearMessage()

    @Slot(list)
    def _on_pack_imported(self, installed: list) -> None:
        self.reload_outline()
        if installed:
            self.open_lesson(installed[0])

    def reload_outline(self) -> None:
        """Reads the lessons again (built in and library), e.g. after an import."""
        self.outline = read_outline()
        self.outline_panel.outline = self.outline
        self.outline_panel.retranslate()
        current = self.lesson_page.lesson
        if current is not None and self.outline.find(current.id) is not None:
            self.lesson_page.show_lesson(self.outline, self.outline.find(current.id))
        self.outline_changed.emit(self.outline)

    def _inform(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Close, self)
        self.check_report = box
        box.open()

    # -- status ------------------------------------------------------------------------------
    @Slot(str)
    def _on_engine_changed(self, state: str) -> None:
        self.engine_busy.setVisible(state == "loading")
        if state == "loading":
            text = _("Engine: loading PyTorch…")
        elif state == "ready":
            present = self.engine.info.get("devices_present", ["cpu"])
            for device, action in self.device_actions.items():  # only what this computer has
                action.setEnabled(device == "auto" or device in present)
            threads = self.engine.info.get("threads", 1)
            # The Latin name is isolated so the reader's digits after it keep their place.
            engine = isolate(f"PyTorch {self.engine.info.get('torch', '?')} · "
                             f"{self.engine.info.get('device_name', 'CPU')}")
            text = ngettext(
                "Engine ready: {engine}, {n} thread",
                "Engine ready: {engine}, {n} threads",
                threads,
            ).format(engine=engine, n=number(threads))
        elif state == "failed":
            text = _("The engine could not start: exercises are unavailable ({error})").format(
                error=isolate(self.engine.error)
            )
        else:
            text = _("Engine: not started")
        self.engine_label.setText(text)

    # -- events ------------------------------------------------------------------------------
    @Slot()
    def toggle_focus(self) -> None:
        if self.outline_panel.list.hasFocus():
            self.lesson_page.setFocus()
        else:
            self.outline_panel.list.setFocus()

    @Slot()
    def show_glossary(self) -> None:
        """The glossary beside the lesson (not modal): the learner reads on while it is open."""
        if self.glossary is None:
            # Loaded with the first use: reading the glossary loads YAML, which start-up skips.
            from hafiza.ui.glossary_dialog import GlossaryDialog

            self.glossary = GlossaryDialog(self)
        self.glossary.show()
        self.glossary.raise_()
        self.glossary.activateWindow()
        self.glossary.search.setFocus()

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("About Hafiza"),
            _(
                "Hafiza (memory) teaches neurons, backpropagation, RNN, LSTM, GRU and "
                "language models in Moroccan Darija, Egyptian Arabic, Arabic, Persian and "
                "English, and runs every exercise on your own computer."
            ),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing the main window quits the app (File > Quit and Ctrl+Q come here too);
        `may_close` (set by the app) may keep it open, e.g. when the learner chooses not to
        stop a training."""
        if self.may_close is not None and not self.may_close():
            event.ignore()
            return
        self.closing.emit()
        self.packs.shutdown_tasks()
        self.lesson_page.shutdown_tasks()  # a big lesson still being parsed in a worker
        super().closeEvent(event)


class ExportDialog(QDialog):
    """Which lessons to put in a pack: one checkbox per lesson, the open one ticked."""

    def __init__(self, outline: Outline, current, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export lessons as a pack"))
        layout = QVBoxLayout(self)
        label = QLabel(_("Lessons to put in the pack:"))
        self.list = QListWidget()
        label.setBuddy(self.list)
        variety = current_variety().tag
        for entry in outline.lessons:
            item = QListWidgetItem(entry.title(variety)[0])
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = current is not None and entry.id == current.id
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(self.list.count())
                if self.list.item(row).checkState() == Qt.CheckState.Checked]
