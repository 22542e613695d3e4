"""The app and the store: settings in the database, continue where you left off, quiz
answers kept, a damaged file announced, screenshots writing nothing."""

import pytest
from PySide6.QtCore import QByteArray, QSettings

from hafiza.store import open_store
from hafiza.ui import i18n
from hafiza.ui.app import Hafiza
from hafiza.ui.settings import Settings


@pytest.fixture
def make_app(qapp, qtbot, hafiza_home):
    made = []

    def make(language="en", settings=None, persist=True):
        hafiza = Hafiza(qapp, settings or Settings(), persist=persist)
        window = hafiza.create_window(language)
        qtbot.addWidget(window)
        window.resize(700, 500)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return hafiza, window

    yield make
    for window in made:
        window.close()
    i18n.apply_language(qapp, "en")
    from hafiza.ui import theme

    theme.apply_theme(qapp, "light")


def test_settings_live_in_the_progress_database(hafiza_home):
    settings = Settings()
    settings.theme = "dark"
    settings.font_size = 40  # clamped
    settings.set_window_state("geometry", QByteArray(b"\x01\xd9\xd0\xcb"))
    assert open_store().prefs.all() == {"theme": "dark", "font_size": 28}
    again = Settings()
    assert again.theme == "dark" and again.font_size == 28 and again.language is None
    assert bytes(again.window_state("geometry").data()) == b"\x01\xd9\xd0\xcb"
    assert not (hafiza_home / "config" / "settings.ini").exists()
    with pytest.raises(ValueError):
        again.language = "de"


def test_settings_from_an_earlier_ini_are_imported_once(hafiza_home):
    ini = hafiza_home / "config" / "settings.ini"
    ini.parent.mkdir(parents=True)
    old = QSettings(str(ini), QSettings.Format.IniFormat)
    old.setValue("language", "arz")
    old.setValue("theme", "light")
    old.setValue("font_size", 16)
    old.setValue("last_lesson", "language-models")
    old.setValue("window/geometry", QByteArray(b"geo"))
    old.sync()
    settings = Settings()
    assert (settings.language, settings.theme, settings.font_size, settings.last_lesson) == (
        "arz", "light", 16, "language-models")
    assert bytes(settings.window_state("geometry").data()) == b"geo"
    assert not ini.exists() and ini.with_name("settings.ini.imported").exists()


def test_the_app_reopens_the_last_lesson_at_the_last_position(make_app, qtbot):
    hafiza, window = make_app()
    page = window.lesson_page
    window.open_lesson("neurons-activations")
    qtbot.waitUntil(lambda: page.verticalScrollBar().maximum() > 0, timeout=3000)
    qtbot.wait(300)  # let the page settle its layout (it restores its anchor on resizes)
    bar = page.verticalScrollBar()
    with qtbot.waitSignal(page.reading_position_changed, timeout=3000,
                          check_params_cb=lambda lesson, fraction: fraction > 0.3):
        bar.setValue(bar.maximum() // 2)
    stored = open_store().progress.position("neurons-activations")
    assert 0.3 < stored < 0.7
    assert open_store().progress.lesson("neurons-activations").open_count >= 1
    window.close()

    again, second = make_app()
    assert second.lesson_page.lesson.id == "neurons-activations"
    qtbot.waitUntil(lambda: abs(second.lesson_page.reading_fraction() - stored) < 0.05,
                    timeout=3000)


def test_reaching_the_end_completes_the_lesson(make_app):
    hafiza, window = make_app()
    hafiza._remember_position("neurons-activations", 1.0)
    assert open_store().progress.completed_lessons() == {"neurons-activations"}


def test_quiz_answers_reach_the_store(make_app):
    hafiza, window = make_app()
    page = window.lesson_page
    page.quiz_answered.emit("sequences-rnn", "q-shapes", {"choice": 2}, True)
    page.quiz_answered.emit("sequences-rnn", "q-gates", ["input", "forget"], False)
    score = open_store().progress.score("sequences-rnn")
    assert (score.answered, score.correct) == (2, 1)


def test_a_damaged_progress_file_is_announced_in_the_learners_language(make_app, qtbot,
                                                                      hafiza_home):
    open_store().close()
    (hafiza_home / "data" / "progress.db").write_bytes(b"\x00garbage" * 1000)
    hafiza, window = make_app("arz")
    qtbot.waitUntil(lambda: hafiza.store_notice is not None, timeout=2000)
    text = hafiza.store_notice.text()
    assert "ملف التقدّم بتاعك باظ" in text and "progress.db.corrupt-" in text
    assert not hafiza.store_label.isVisible()  # saving works again, in the new file
    hafiza.set_theme("dark")
    assert Settings().theme == "dark"


def test_a_screenshot_creates_no_database(make_app, hafiza_home):
    hafiza, window = make_app(settings=Settings(read_only=True), persist=False)
    window.open_lesson("sequences-rnn")
    hafiza.set_theme("dark")
    assert not (hafiza_home / "data" / "progress.db").exists()


def test_the_pages_progress_signals_are_connected_to_the_store(make_app):
    """The app connects the page's signals unconditionally: a renamed signal fails loudly
    (AttributeError when the window is made) instead of silently saving nothing."""
    hafiza, window = make_app()
    page = window.lesson_page
    page.reading_position_changed.emit("sequences-rnn", 0.5)
    assert open_store().progress.position("sequences-rnn") == pytest.approx(0.5)
    page.reading_position_changed.emit("sequences-rnn", 0.99)
    assert "sequences-rnn" in open_store().progress.completed_lessons()
