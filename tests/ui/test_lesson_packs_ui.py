"""File > Check this lesson / Export lessons as a pack / Import lesson pack: the work runs in a
worker thread while the actions are off, and the results reach the window."""

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from hafiza.ui import i18n
from hafiza.ui.app import Hafiza
from hafiza.ui.lesson_packs import check_report_text
from hafiza.ui.main_window import MainWindow
from hafiza.ui.settings import Settings

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "lstm-gates"


@pytest.fixture
def window(qapp, qtbot, hafiza_home):
    hafiza = Hafiza(qapp, Settings())
    made: MainWindow = hafiza.create_window("en")
    qtbot.addWidget(made)
    yield made
    made.close()
    i18n.apply_language(qapp, "en")


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: shown.append(text))
    return shown


def pack_actions_enabled(window):
    return [action.isEnabled()
            for action in (window.import_action, window.export_action, window.check_action)]


def test_checking_a_lesson_runs_in_the_worker_and_opens_the_report(window, qtbot):
    window.open_lesson("sequences-rnn")
    with qtbot.waitSignal(window.packs.checked, timeout=30_000) as checked:
        window.check_current_lesson()
        assert pack_actions_enabled(window) == [False, False, False]
        assert window.pack_busy.isVisibleTo(window)
    problems = checked.args[0]
    from hafiza.lessonlib import checker

    assert checker.errors(problems) == []  # a built-in lesson passes its own checker
    report = window.packs.report
    assert report.objectName() == "lesson-check-report" and report.isVisible()
    assert report.text() == check_report_text(problems)
    qtbot.waitUntil(lambda: pack_actions_enabled(window) == [True, True, True], timeout=5000)
    assert not window.pack_busy.isVisibleTo(window)


def test_lessons_are_exported_as_a_pack_in_the_worker(window, qtbot, warnings, tmp_path):
    with qtbot.waitSignal(window.packs.exported, timeout=30_000) as exported:
        window.export_lessons(["neurons-activations"], tmp_path / "mine")
        assert pack_actions_enabled(window) == [False, False, False]
    pack = exported.args[0]
    assert pack == tmp_path / "mine.hafiza" and warnings == []
    with zipfile.ZipFile(pack) as archive:
        assert "neurons-activations/lesson.yaml" in archive.namelist()
    qtbot.waitUntil(lambda: pack_actions_enabled(window) == [True, True, True], timeout=5000)


def test_a_pack_is_read_asked_about_and_installed_in_the_worker(window, qtbot, monkeypatch,
                                                                warnings, tmp_path):
    from hafiza.lessonlib import packs

    pack = packs.export_pack([DEMO], tmp_path / "demo.hafiza")
    asked = []

    def answer_yes(parent, title, text):
        asked.append(text)
        assert pack_actions_enabled(window) == [False, False, False]  # still busy
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    with qtbot.waitSignal(window.packs.ended, timeout=30_000):
        window.import_pack(pack)
    assert warnings == [] and len(asked) == 1 and "Add: " in asked[0]
    assert window.outline.find("lstm-gates") is not None  # the outline was read again
    assert window.lesson_page.lesson.id == "lstm-gates"  # and the new lesson opened
    assert pack_actions_enabled(window) == [True, True, True]


def test_a_broken_pack_is_refused_with_a_message_and_the_actions_come_back(window, qtbot,
                                                                         warnings, tmp_path):
    broken = tmp_path / "broken.hafiza"
    broken.write_bytes(b"not a zip at all")
    with qtbot.waitSignal(window.packs.ended, timeout=30_000):
        window.import_pack(broken)
    assert len(warnings) == 1 and warnings[0].startswith("This pack was not imported.")
    assert pack_actions_enabled(window) == [True, True, True]
