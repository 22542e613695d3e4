"""Go > Glossary: every course term in the learner's variety, searchable, keyboard usable,
mirrored in right-to-left varieties."""

from PySide6.QtCore import QPoint, Qt

from hafiza.ui.glossary_dialog import GlossaryDialog, glossary_entries


def test_every_term_of_the_course_in_each_variety():
    for tag in ("ary", "arz", "ar", "fa", "en"):
        entries = glossary_entries(tag)
        assert len(entries) == 69, tag  # lessons/glossary.yaml
        assert all(entry.term and entry.definition for entry in entries)
    persian = {entry.key: entry for entry in glossary_entries("fa")}
    assert persian["artificial intelligence"].term == "هوش مصنوعی"
    assert persian["artificial intelligence"].definition.startswith("شاخه‌ای از علوم رایانه")
    english = [entry.term for entry in glossary_entries("en")]
    assert english == sorted(english, key=str.casefold)


def test_search_and_keyboard(hafiza, qtbot):
    window = hafiza.create_window("fa")
    qtbot.addWidget(window)
    window.show()
    window.glossary_action.trigger()
    dialog = window.glossary
    qtbot.waitExposed(dialog)
    assert dialog.count.text() == "۶۹ اصطلاح"
    dialog.search.setText("مصنوعی")  # (QTest types Latin keys only)
    assert "هوش مصنوعی" in dialog.shown_terms()
    assert len(dialog.shown_terms()) < 69
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "gradient descent")  # the English key finds it too
    assert dialog.shown_terms()[0] == "گرادیان کاهشی"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)  # into the list
    assert dialog.focusWidget() is dialog.list
    assert dialog.term.text() == "گرادیان کاهشی" and dialog.definition.text()
    assert dialog.key.text() == "gradient descent"
    dialog.search.setText("zzzz")
    assert dialog.shown_terms() == [] and dialog.count.text() == "۰ اصطلاح"
    assert dialog.term.text() == "اصطلاحی با جستجوی شما پیدا نشد."


def test_mirrored_in_right_to_left(hafiza, qtbot):
    window = hafiza.create_window("fa")
    qtbot.addWidget(window)
    dialog = GlossaryDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    terms_x = dialog.list.mapTo(dialog, QPoint(0, 0)).x()
    definition_x = dialog.definition.mapTo(dialog, QPoint(0, 0)).x()
    assert terms_x > definition_x  # the list of terms on the right, where reading starts
    assert dialog.definition.layoutDirection() == Qt.LayoutDirection.RightToLeft
