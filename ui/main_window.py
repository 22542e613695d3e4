"""The main window: course outline beside the lesson page, menus, and the engine's status."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
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

from ui.course import Outline
from ui.engine_status import EngineStatus
from ui.i18n import N_, VARIETIES, _, current_variety, isolate, ngettext, number
from ui.lesson_page import LessonPage

THEME_NAMES = {"system": N_("Follow the system"), "light": N_("Light"), "dark": N_("Dark")}


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
    font_step_requested = Signal(int)  # +1 larger, -1 smaller, 0 back to the system's size
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
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for tag, variety in VARIETIES.items():
            action = QAction(variety.native_name, self, checkable=True)
            action.setData(tag)
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[tag] = action
        self.language_group.triggered.connect(self._on_language_action)
        self.language_menu.addSeparator()
        self.choose_language_action = QAction(self)
        self.choose_language_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.choose_language_action.triggered.connect(self.language_dialog_requested)
        self.language_menu.addAction(self.choose_language_action)

        self.theme_menu = self.view_menu.addMenu("")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEME_NAMES:
            action = QAction(self, checkable=True)
            action.setData(theme)
            self.theme_group.addAction(action)
            self.theme_menu.addAction(action)
            self.theme_actions[theme] = action
        self.theme_group.triggered.connect(self._on_theme_action)

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

    def retranslate(self) -> None:
        variety = current_variety()
        self.setWindowTitle(_("Hafiza — learn deep learning in your language"))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.choose_language_action.setText(_("Choose language…"))
        self.language_actions[variety.tag].setChecked(True)
        self.theme_menu.setTitle(_("&Theme"))
        for theme, action in self.theme_actions.items():
            action.setText(_(THEME_NAMES[theme]))
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

    # -- lessons ---------------------------------------------------------------------------
    @Slot(str)
    def open_lesson(self, lesson_id: str) -> None:
        entry = self.outline.find(lesson_id)
        if entry is None:
            return
        if self.outline_panel.current_lesson_id() != lesson_id:
            self.outline_panel.select(lesson_id)
        self.lesson_page.show_lesson(self.outline, entry)

    # -- status ------------------------------------------------------------------------------
    @Slot(str)
    def _on_engine_changed(self, state: str) -> None:
        self.engine_busy.setVisible(state == "loading")
        if state == "loading":
            text = _("Engine: loading PyTorch…")
        elif state == "ready":
            threads = self.engine.info.get("threads", 1)
            # The Latin name is isolated so the reader's digits after it keep their place.
            engine = isolate(f"PyTorch {self.engine.info.get('torch', '?')}")
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
        super().closeEvent(event)
