"""Importing a pack whose lesson has a built-in lesson's id: the app asks a second, explicit
question that names the lesson, and installs nothing unless the learner says Replace."""

import pytest
from PySide6.QtWidgets import QMessageBox

from hafiza.lessonlib import packs
from hafiza.ui import i18n
from hafiza.ui.app import Hafiza
from hafiza.ui.course import library_dir
from hafiza.ui.settings import Settings

BUILTIN_ID = "neurons-activations"


@pytest.fixture
def window(qapp, qtbot, hafiza_home):
    made = Hafiza(qapp, Settings()).create_window("en")
    qtbot.addWidget(made)
    yield made
    made.close()
    i18n.apply_language(qapp, "en")


@pytest.fixture
def pack(tmp_path):
    folder = tmp_path / "src" / BUILTIN_ID
    folder.mkdir(parents=True)
    (folder / "lesson.yaml").write_text(f"id: {BUILTIN_ID}\norder: 1\ntitle:\n  en: Mine\n")
    (folder / "en.md").write_text("# Mine\n\nText.\n")
    return packs.export_pack([folder], tmp_path / "mine.hafiza")


@pytest.mark.parametrize("press_replace", [False, True])
def test_replacing_a_builtin_lesson_needs_an_explicit_yes(window, qtbot, monkeypatch, pack,
                                                         press_replace):
    asked, confirmations = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: (
        asked.append(text) or QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: pytest.fail(str(args)))

    def answer(box):
        confirmations.append((box.windowTitle(), box.text()))
        replace = next(button for button in box.buttons()
                       if box.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole)
        (replace if press_replace else box.button(QMessageBox.StandardButton.Cancel)).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    with qtbot.waitSignal(window.packs.ended, timeout=30_000):
        window.import_pack(pack)
    assert "Replace the built-in lesson: \u2068Mine\u2069" in asked[0]  # isolated title
    ((title, text),) = confirmations
    assert title == "Replace a built-in lesson?"
    assert "This pack replaces 1 lesson that came with Hafiza" in text
    assert "is replaced by the pack's" in text and "Mine" in text
    assert (library_dir() / BUILTIN_ID).exists() == press_replace
