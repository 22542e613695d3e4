from PySide6.QtCore import Qt

from hafiza.ui.language_dialog import LanguageDialog


def test_chooser_lists_each_variety_in_its_own_name_and_works_by_keyboard(qtbot):
    dialog = LanguageDialog("arz")
    qtbot.addWidget(dialog)
    texts = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    course = [
        "الدارجة المغربية  (Moroccan Darija)",
        "العامية المصرية  (Egyptian Arabic)",
        "العربية الفصحى  (Modern Standard Arabic)",
        "فارسی  (Persian)",
        "English",
    ]
    # the five varieties of the course, in order (a language added later may sit between)
    assert [text for text in texts if text in course] == course
    assert dialog.chosen() == "arz"
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    assert dialog.chosen() == "fa"
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
