"""The main window: course outline beside the lesson page, menus, and the engine's status.

Lesson files (check, import, export) are worked on in a worker by ui.lesson_packs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
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
from hafiza.ui.i18n import N_, VARIETIES, _, current_variety, isolate, ngettext, number
from hafiza.ui.lesson_packs import LessonPackJobs
from hafiza.ui.lesson_page import LessonPage

THEME_NAMES = {"system": N_("Follow the system"), "light": N_("Light"), "dark": N_("Dark")}
# Where exercises train (engine.runtime.DEVICE_CHOICES); device names stay as their makers
# write them, like "PyTorch".
DEVICE_NAMES = {"auto": N_("Best available"), "cpu": "CPU", "cuda": "NVIDIA GPU (CUDA)",
                "mps": "Apple GPU (MPS)"}


class OutlinePanel(QWidget):
    """The course outline: one row per lesson, in course order."""

    lesson_chosen = Signal(str)

    def __init__(self, outline: Outline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outline = outline
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel()
        self.heading.setObjectName("outline-heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.count = QLabel()
        self.count.setEnabled(False)
        self.list = QListWidget()
        self.list.setObjectName("outline-list")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.heading.setBuddy(self.list)
        layout.addWidget(self.heading)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self.list.currentItemChanged.connect(self._on_current_changed)

    def retranslate(self) -> None:
        variety = current_variety().tag
        self.heading.setText(_("&Course"))
        n = len(self.outline.lessons)
        self.count.setText(ngettext("{n} lesson", "{n} lessons", n).format(n=number(n)))
        current = self.current_lesson_id()
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self.outline.lessons:
            title, _tag = entry.title(variety)
            minutes = ngettext("{n} minute", "{n} minutes", entry.estimated_minutes).format(
                n=number(entry.estimated_minutes)
            )
            item = QListWidgetItem(f"{number(entry.order)}. {title}\n{minutes}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)
            if entry.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def current_lesson_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, lesson_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == lesson_id:
                self.list.setCurrentRow(row)
                return

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.lesson_chosen.emit(current.data(Qt.ItemDataRole.UserRole))


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

        self._build_menus()
        self.outline_panel.lesson_chosen.connect(self.open_lesson)
        engine.changed.connect(self._on_engine_changed)
        self.retranslate()
        self.lesson_page.show_welcome(outline)
        # Start on the page: focusing the list first would select lesson 1 at once.
        self.lesson_page.setFocus()

    # -- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.import_action = QAction(self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_pack_to_import)
        self.export_action = QAction(self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.choose_lessons_to_export)
        self.check_action = QAction(self)
        self.check_action.setShortcut(QKeySequence("Ctrl+K"))
        self.check_action.triggered.connect(self.check_current_lesson)
        for action in (self.import_action, self.export_action, self.check_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.export_progress_action = QAction(self)
        self.export_progress_action.triggered.connect(self.progress_export_requested)
        self.import_progress_action = QAction(self)
        self.import_progress_action.triggered.connect(self.progress_import_requested)
        self.restore_backup_action = QAction(self)
        self.restore_backup_action.setObjectName("restore-backup")
        self.restore_backup_action.triggered.connect(self.backup_restore_requested)
        for action in (self.export_progress_action, self.import_progress_action,
                       self.restore_backup_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_actions = self._choices(self.language_menu, VARIETIES,
                                              self._on_language_action)
        for tag, variety in VARIETIES.items():
            self.language_actions[tag].setText(variety.native_name)
        self.language_menu.addSeparator()
        self.choose_language_action = QAction(self)
        self.choose_language_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.choose_language_action.triggered.connect(self.language_dialog_requested)
        self.language_menu.addAction(self.choose_language_action)

        self.theme_menu = self.view_menu.addMenu("")
        self.theme_actions = self._choices(self.theme_menu, THEME_NAMES, self._on_theme_action)
        self.device_menu = self.view_menu.addMenu("")
        self.device_actions = self._choices(self.device_menu, DEVICE_NAMES,
                                            self._on_device_action)

        self.view_menu.addSeparator()
        self.larger_action = QAction(self)
        self.larger_action.setShortcuts([QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self.larger_action.triggered.connect(lambda: self.font_step_requested.emit(1))
        self.smaller_action = QAction(self)
        self.smaller_action.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.smaller_action.triggered.connect(lambda: self.font_step_requested.emit(-1))
        self.reset_size_action = QAction(self)
        self.reset_size_action.setShortcut(QKeySequence("Ctrl+0"))
        self.reset_size_action.triggered.connect(lambda: self.font_step_requested.emit(0))
        for action in (self.larger_action, self.smaller_action, self.reset_size_action):
            self.view_menu.addAction(action)

        self.view_menu.addSeparator()
        self.focus_outline_action = QAction(self)
        self.focus_outline_action.setShortcut(QKeySequence("F6"))
        self.focus_outline_action.triggered.connect(self._toggle_focus)
        self.view_menu.addAction(self.focus_outline_action)

        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._show_about)
        self.help_menu.addAction(self.about_action)

    def _choices(self, menu, keys, chosen) -> dict[str, QAction]:
        """One checkable action per key in `menu`, at most one checked; the chosen action
        goes to the slot `chosen` (its key is the action's data)."""
        group = QActionGroup(self)
        actions: dict[str, QAction] = {}
        for key in keys:
            action = QAction(self, checkable=True)
            action.setData(key)
            group.addAction(action)
            menu.addAction(action)
            actions[key] = action
        group.triggered.connect(chosen)
        return actions

    def retranslate(self) -> None:
        variety = current_variety()
        self.setWindowTitle(_("Hafiza — learn deep learning in your language"))
        self.file_menu.setTitle(_("&File"))
        self.import_action.setText(_("&Import lesson pack…"))
        self.export_action.setText(_("&Export lessons as a pack…"))
        self.check_action.setText(_("&Check this lesson"))
        self.export_progress_action.setText(_("Export my progress…"))
        self.import_progress_action.setText(_("Import progress…"))
        self.restore_backup_action.setText(_("Restore from backup…"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.choose_language_action.setText(_("Choose language…"))
        self.language_actions[variety.tag].setChecked(True)
        self.theme_menu.setTitle(_("&Theme"))
        for theme, action in self.theme_actions.items():
            action.setText(_(THEME_NAMES[theme]))
        self.device_menu.setTitle(_("&Train on"))
        for device, action in self.device_actions.items():
            action.setText(_(DEVICE_NAMES[device]) if device == "auto" else DEVICE_NAMES[device])
        self.larger_action.setText(_("&Larger text"))
        self.smaller_action.setText(_("&Smaller text"))
        self.reset_size_action.setText(_("&Normal text size"))
        self.focus_outline_action.setText(_("Move between the course and the lesson"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About Hafiza"))
        self.outline_panel.retranslate()
        self.lesson_page.retranslate()
        self._on_engine_changed(self.engine.state)

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
    def _on_language_action(self, action: QAction) -> None:
        self.language_requested.emit(action.data())

    def _on_theme_action(self, action: QAction) -> None:
        self.theme_requested.emit(action.data())

    def _on_device_action(self, action: QAction) -> None:
        self.device_requested.emit(action.data())

    def _toggle_focus(self) -> None:
        if self.outline_panel.list.hasFocus():
            self.lesson_page.setFocus()
        else:
            self.outline_panel.list.setFocus()

    def _show_about(self) -> None:
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
