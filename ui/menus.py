"""The main window's menus: their actions, shortcuts and words.

Shortcut labels are written into the action's text after a tab (QMenu then shows them as the
shortcut column and adds none of its own), embedded left to right: Qt writes "Ctrl++" as plain
text, and in a right-to-left menu the bidi algorithm moves the trailing "+" signs to the
front, «++Ctrl». The embedding (LRE ... PDF) is the one Qt's own Persian catalog puts around
"F6"; Qt's menus do not honour the newer isolates (LRI ... PDI) there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from hafiza.ui.i18n import N_, VARIETIES, _, current_variety

if TYPE_CHECKING:
    from hafiza.ui.main_window import MainWindow

THEME_NAMES = {"system": N_("Follow the system"), "light": N_("Light"), "dark": N_("Dark")}
# Where exercises train (engine.runtime.DEVICE_CHOICES); device names stay as their makers
# write them, like "PyTorch".
DEVICE_NAMES = {"auto": N_("Best available"), "cpu": "CPU", "cuda": "NVIDIA GPU (CUDA)",
                "mps": "Apple GPU (MPS)"}
LEFT_TO_RIGHT_EMBEDDING, POP_EMBEDDING = "\u202a", "\u202c"


def shortcut_label(shortcut: QKeySequence) -> str:
    """The shortcut as the reader's keyboard names it, kept left to right in any menu."""
    text = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
    if not text:
        return ""
    if not text.startswith(LEFT_TO_RIGHT_EMBEDDING):  # Qt's Persian "F6" comes embedded
        text = f"{LEFT_TO_RIGHT_EMBEDDING}{text}{POP_EMBEDDING}"
    return text


def set_menu_text(action: QAction, text: str) -> None:
    """`text` for the action, with its first shortcut after a tab (see the module's note)."""
    label = shortcut_label(action.shortcut())
    action.setText(f"{text}\t{label}" if label else text)


class MainMenus:
    """Builds the menu bar of `window` and keeps its actions; the window's signals and slots
    do the work."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.import_action = self._action("Ctrl+I", window.choose_pack_to_import)
        self.export_action = self._action("Ctrl+E", window.choose_lessons_to_export)
        self.check_action = self._action("Ctrl+K", window.check_current_lesson)
        self._add(self.file_menu, self.import_action, self.export_action, self.check_action)
        self.file_menu.addSeparator()
        self.export_progress_action = self._action(None, window.progress_export_requested)
        self.import_progress_action = self._action(None, window.progress_import_requested)
        self.restore_backup_action = self._action(None, window.backup_restore_requested)
        self.restore_backup_action.setObjectName("restore-backup")
        self._add(self.file_menu, self.export_progress_action, self.import_progress_action,
                  self.restore_backup_action)
        self.file_menu.addSeparator()
        # Ctrl+Q on every system: Windows' standard Quit key is empty, and so is the
        # platform's on some (offscreen); and from every window of the app, an exercise
        # window with focus included.
        self.quit_action = self._action("Ctrl+Q", window.close)
        self.quit_action.setObjectName("quit")
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.file_menu.addAction(self.quit_action)

        self.go_menu = bar.addMenu("")
        self.start_page_action = self._action("Alt+Home", window.show_start_page)
        self.continue_action = self._action("Ctrl+J", window.continue_requested)
        self.continue_action.setObjectName("continue")
        self.glossary_action = self._action("Ctrl+G", window.show_glossary)
        self.glossary_action.setObjectName("glossary")
        self._add(self.go_menu, self.start_page_action, self.continue_action)
        self.go_menu.addSeparator()
        self.go_menu.addAction(self.glossary_action)

        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_actions = self._choices(self.language_menu, VARIETIES,
                                              window.language_requested)
        for tag, variety in VARIETIES.items():
            self.language_actions[tag].setText(variety.native_name)
        self.language_menu.addSeparator()
        self.choose_language_action = self._action("Ctrl+Shift+L",
                                                   window.language_dialog_requested)
        self.language_menu.addAction(self.choose_language_action)
        self.theme_menu = self.view_menu.addMenu("")
        self.theme_actions = self._choices(self.theme_menu, THEME_NAMES, window.theme_requested)
        self.device_menu = self.view_menu.addMenu("")
        self.device_actions = self._choices(self.device_menu, DEVICE_NAMES,
                                            window.device_requested)
        self.view_menu.addSeparator()
        self.larger_action = self._action(QKeySequence.StandardKey.ZoomIn,
                                          lambda: window.font_step_requested.emit(1))
        self.larger_action.setShortcuts([QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self.smaller_action = self._action(QKeySequence.StandardKey.ZoomOut,
                                           lambda: window.font_step_requested.emit(-1))
        self.reset_size_action = self._action("Ctrl+0",
                                              lambda: window.font_step_requested.emit(0))
        self._add(self.view_menu, self.larger_action, self.smaller_action, self.reset_size_action)
        self.view_menu.addSeparator()
        self.focus_outline_action = self._action("F6", window.toggle_focus)
        self.view_menu.addAction(self.focus_outline_action)

        self.help_menu = bar.addMenu("")
        self.about_action = self._action(None, window.show_about)
        self.help_menu.addAction(self.about_action)

    def _action(self, shortcut, slot) -> QAction:
        action = QAction(self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    @staticmethod
    def _add(menu, *actions: QAction) -> None:
        for action in actions:
            menu.addAction(action)

    def _choices(self, menu, keys, chosen) -> dict[str, QAction]:
        """One checkable action per key in `menu`, at most one checked; the chosen action's
        key (its data) is emitted by the signal `chosen`."""
        group = QActionGroup(self.window)
        actions: dict[str, QAction] = {}
        for key in keys:
            action = QAction(self.window, checkable=True)
            action.setData(key)
            group.addAction(action)
            menu.addAction(action)
            actions[key] = action
        group.triggered.connect(lambda action: chosen.emit(action.data()))
        return actions

    def retranslate(self) -> None:
        self.file_menu.setTitle(_("&File"))
        set_menu_text(self.import_action, _("&Import lesson pack…"))
        set_menu_text(self.export_action, _("&Export lessons as a pack…"))
        set_menu_text(self.check_action, _("&Check this lesson"))
        self.export_progress_action.setText(_("Export my progress…"))
        self.import_progress_action.setText(_("Import progress…"))
        self.restore_backup_action.setText(_("Restore from backup…"))
        set_menu_text(self.quit_action, _("&Quit"))
        self.go_menu.setTitle(_("&Go"))
        set_menu_text(self.start_page_action, _("&Start page"))
        set_menu_text(self.continue_action, _("&Continue where you left off"))
        set_menu_text(self.glossary_action, _("&Glossary…"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        set_menu_text(self.choose_language_action, _("Choose language…"))
        self.language_actions[current_variety().tag].setChecked(True)
        self.theme_menu.setTitle(_("&Theme"))
        for theme, action in self.theme_actions.items():
            action.setText(_(THEME_NAMES[theme]))
        self.device_menu.setTitle(_("&Train on"))
        for device, action in self.device_actions.items():
            action.setText(_(DEVICE_NAMES[device]) if device == "auto" else DEVICE_NAMES[device])
        set_menu_text(self.larger_action, _("&Larger text"))
        set_menu_text(self.smaller_action, _("&Smaller text"))
        set_menu_text(self.reset_size_action, _("&Normal text size"))
        set_menu_text(self.focus_outline_action, _("Move between the course and the lesson"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About Hafiza"))
