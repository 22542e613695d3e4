"""The main window: mirroring, retranslation without restart, and what is remembered."""

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from hafiza.ui import i18n
from hafiza.ui.app import Hafiza
from hafiza.ui.lesson_page import TextBlock
from hafiza.ui.settings import Settings


def open_window(hafiza, qtbot, language="en"):
    window = hafiza.create_window(language)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_switching_language_mirrors_and_retranslates_without_restart(hafiza, qtbot, qapp):
    window = open_window(hafiza, qtbot)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.view_menu.title() == "&View"
    assert window.outline_panel.count.text() == "7 lessons"
    before = window.outline_panel.list.item(0).text()
    assert before.startswith("1. Neurons and activations")

    hafiza.set_language("fa")
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isVisible()  # same window, no restart
    assert window.view_menu.title() == "نما"
    assert window.windowTitle().startswith("حافظه")
    assert window.outline_panel.count.text() == "۷ درس"
    assert window.outline_panel.list.item(0).text().startswith("۱. نورون‌ها")
    assert window.language_actions["fa"].isChecked()

    hafiza.set_language("arz")
    assert window.outline_panel.count.text() == "٧ دروس"
    assert window.file_menu.title() == "ملف"
    assert window.help_menu.title() == "مساعدة"

    hafiza.set_language("en")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.outline_panel.list.item(0).text() == before


def test_language_menu_lists_each_variety_in_its_own_name(hafiza, qtbot):
    window = open_window(hafiza, qtbot)
    names = [action.text() for action in window.language_actions.values()]
    assert names == ["الدارجة المغربية", "العامية المصرية", "العربية الفصحى", "فارسی", "English"]
    window.language_actions["ary"].trigger()
    assert i18n.current_variety().tag == "ary"
    assert window.outline_panel.count.text() == "7 دروس"  # Latin digits for Moroccan readers


def test_language_choice_is_remembered(hafiza, qtbot):
    open_window(hafiza, qtbot)
    hafiza.set_language("ary")
    assert Settings().language == "ary"
    assert hafiza.first_language(None) == "ary"


def test_qt_standard_buttons_follow_the_language(hafiza, qtbot):
    open_window(hafiza, qtbot)
    hafiza.set_language("fa")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() not in ("Cancel", "&Cancel")


def test_lesson_blocks_set_their_own_direction(hafiza, qtbot):
    window = open_window(hafiza, qtbot, "fa")
    window.open_lesson("sequences-rnn")
    blocks = [b for b in window.lesson_page.blocks if isinstance(b, TextBlock)]
    # Each starts with a right-to-left mark: a plain-text label takes its direction from its
    # first strong letter, and a title starting with "RNN" would otherwise run left to right.
    assert blocks[0].text() == "دنباله‌ها و شبکه‌های بازگشتی (RNN)"
    assert all(b.layoutDirection() == Qt.LayoutDirection.RightToLeft for b in blocks)
    assert all(QLabel.text(b).startswith("\u200f") for b in blocks)  # what Qt draws
    # The meta line reads in Persian digits: lesson 3 of 7, about 45 minutes.
    assert blocks[1].text() == "درس ۳ از ۷، حدود ۴۵ دقیقه"


def test_missing_variety_falls_back_with_a_visible_note(hafiza, qtbot, tmp_path):
    from hafiza.ui.course import read_outline

    lesson = tmp_path / "lessons" / "only-english"
    lesson.mkdir(parents=True)
    (lesson / "lesson.yaml").write_text(
        "id: only-english\norder: 1\ntitle:\n  en: Only in English\n", encoding="utf-8"
    )
    hafiza.outline = read_outline(tmp_path / "lessons")
    window = open_window(hafiza, qtbot, "arz")
    window.open_lesson("only-english")
    title, meta, note = window.lesson_page.blocks[:3]
    assert title.text() == "Only in English"
    assert QLabel.text(title) == "\u200eOnly in English"  # a left-to-right mark: English
    assert title.layoutDirection() == Qt.LayoutDirection.LeftToRight  # content, not UI
    assert meta.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert "English" in note.text() and "بلغتك" in note.text()


def test_theme_setting_applies_and_persists(hafiza, qtbot, qapp):
    window = open_window(hafiza, qtbot)
    window.theme_actions["dark"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert Settings().theme == "dark"
    window.theme_actions["light"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180
    window.theme_actions["system"].trigger()
    assert Settings().theme == "system"


def test_font_size_steps_and_resets(hafiza, qtbot, qapp):
    window = open_window(hafiza, qtbot)
    start = qapp.font().pointSizeF()
    window.larger_action.trigger()
    window.larger_action.trigger()
    assert qapp.font().pointSizeF() == round(start) + 2
    assert Settings().font_size == round(start) + 2
    window.smaller_action.trigger()
    assert qapp.font().pointSizeF() == round(start) + 1
    window.reset_size_action.trigger()
    assert qapp.font().pointSizeF() == start
    assert Settings().font_size is None


def test_window_geometry_and_last_lesson_are_remembered(hafiza, qtbot, qapp):
    window = open_window(hafiza, qtbot)
    # within the offscreen screen (800x600): restoreGeometry keeps windows on screen
    window.resize(QSize(700, 520))
    window.open_lesson("language-models")
    window.close()
    again = Hafiza(qapp, Settings())
    second = again.create_window("en")
    qtbot.addWidget(second)
    assert second.size() == QSize(700, 520)
    assert second.lesson_page.lesson.id == "language-models"
    second.close()


def test_keyboard_moves_between_outline_and_page(hafiza, qtbot):
    window = open_window(hafiza, qtbot)
    window.activateWindow()
    window.focus_outline_action.trigger()
    qtbot.waitUntil(window.outline_panel.list.hasFocus, timeout=1000)
    window.outline_panel.list.setCurrentRow(0)
    qtbot.keyClick(window.outline_panel.list, Qt.Key.Key_Down)
    qtbot.keyClick(window.outline_panel.list, Qt.Key.Key_Down)
    assert window.lesson_page.lesson.id == "sequences-rnn"
    window.focus_outline_action.trigger()
    qtbot.waitUntil(window.lesson_page.hasFocus, timeout=1000)


def test_engine_status_reaches_ready_after_the_window(hafiza, qtbot):
    window = open_window(hafiza, qtbot, "fa")
    hafiza.engine.start()
    assert window.engine_busy.isVisible()
    assert "در حال بارگذاری" in window.engine_label.text()
    qtbot.waitUntil(lambda: hafiza.engine.state == "ready", timeout=60_000)
    assert window.engine_label.text().startswith("موتور آماده است")
    assert not window.engine_busy.isVisible()


def test_first_run_asks_for_the_language_and_remembers_it(hafiza, qtbot, qapp):
    from PySide6.QtCore import QTimer

    from hafiza.ui.language_dialog import LanguageDialog

    assert Settings().language is None

    def answer():
        dialog = qapp.activeModalWidget()
        assert isinstance(dialog, LanguageDialog)
        dialog.list.setCurrentRow(1)  # العامية المصرية
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    QTimer.singleShot(100, answer)
    assert hafiza.first_language(None) == "arz"
    assert Settings().language == "arz"
