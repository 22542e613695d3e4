"""Names the learner reads: one clean window title, shortcut labels in right-to-left menus,
Qt's own dialogs translated, and every open window retranslated on a language switch."""

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from hafiza.ui import i18n


def open_window(hafiza, qtbot, language):
    window = hafiza.create_window(language)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def title_bar(window) -> str:
    """The title as the window system gets it: Qt appends " — " and the application's display
    name to a title that does not end with it (QPlatformWindow::formatWindowTitle)."""
    title, name = window.windowTitle(), QGuiApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} — {name}"


def test_the_title_names_the_app_once_in_the_learners_script(hafiza, qtbot):
    window = open_window(hafiza, qtbot, "fa")
    assert title_bar(window) == "حافظه"
    window.open_lesson("sequences-rnn")
    # the lesson's title isolated (FSI ... PDI), then the app's name, once
    assert title_bar(window) == "\u2068دنباله‌ها و شبکه‌های بازگشتی (RNN)\u2069 — حافظه"
    hafiza.set_language("ary")
    assert title_bar(window).endswith(" — حافظة") and "Hafiza" not in title_bar(window)
    hafiza.set_language("en")
    assert title_bar(window) == "\u2068Sequences and recurrent networks (RNN)\u2069 — Hafiza"
    assert title_bar(window).count("Hafiza") == 1


def test_shortcut_labels_stay_left_to_right_in_right_to_left_menus(hafiza, qtbot):
    window = open_window(hafiza, qtbot, "ary")
    text, label = window.larger_action.text().split("\t")
    assert text == "كبّر الكتابة"
    # Embedded left to right, so a right-to-left menu draws "Ctrl++", not "++Ctrl"
    assert label == "\u202aCtrl++\u202c"
    assert window.choose_language_action.text().endswith("\u202aCtrl+Shift+L\u202c")
    assert "\t" not in window.about_action.text()  # no shortcut, no label


def test_qt_dialogs_speak_every_arabic_script_variety(hafiza, qtbot):
    open_window(hafiza, qtbot, "en")
    for tag in ("fa", "ary", "arz", "ar"):
        hafiza.set_language(tag)
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel", tag
        assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:", tag
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() not in (
            "Cancel", "&Cancel"), tag


class FakeOpenWindow(QWidget):
    """Any other open window that can retranslate (an exercise window, a dialog)."""

    def __init__(self) -> None:
        super().__init__()
        self.languages: list[str] = []

    def retranslate(self) -> None:
        self.languages.append(i18n.current_variety().tag)


def test_a_language_switch_reaches_every_open_window(hafiza, qtbot):
    window = open_window(hafiza, qtbot, "fa")
    window.open_lesson("neurons-activations")
    exercise = hafiza.open_exercise("neurons-activations", "activations")
    qtbot.addWidget(exercise)
    calls = []
    real_retranslate = exercise.retranslate
    exercise.retranslate = lambda: (calls.append(i18n.current_variety().tag),
                                    real_retranslate())
    other = FakeOpenWindow()
    qtbot.addWidget(other)
    window.show_glossary()
    glossary = window.glossary
    assert glossary.windowTitle() == "واژه‌نامه"
    assert window.outline_panel.count.text() == "۷ درس"

    hafiza.set_language("ary")
    assert window.outline_panel.count.text() == "7 دروس"
    assert window.go_menu.title() == "&التنقّل"
    assert glossary.windowTitle() == "قاموس المصطلحات"
    assert exercise.layoutDirection() == Qt.LayoutDirection.RightToLeft

    hafiza.set_language("en")
    assert window.outline_panel.count.text() == "7 lessons"
    assert glossary.windowTitle() == "Glossary"
    assert exercise.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert calls == ["ary", "en"]
    assert other.languages == ["ary", "en"]
