"""File > Export my progress / Import progress, with the dialogs answered by the test."""

import zipfile

import pytest
from hafiza.store import open_store
from hafiza.ui import i18n, progress_transfer
from PySide6.QtWidgets import QFileDialog, QMessageBox


@pytest.fixture
def stores(tmp_path):
    source, target = open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db")
    yield source, target
    source.db.close()
    target.db.close()


@pytest.fixture
def shown(monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text: messages.append(("info", text)))
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: messages.append(("warning", text)))
    return messages


def answer_files(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def choose(monkeypatch, label):
    def exec_(box):
        for button in box.buttons():
            if button.text() == label:
                button.click()
                return 0
        raise AssertionError(f"no button {label!r}")

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def test_progress_moves_to_another_computer(qapp, stores, shown, monkeypatch, tmp_path):
    source, target = stores
    source.progress.lesson_opened("sequences-rnn")
    source.progress.set_position("sequences-rnn", 0.4)
    source.progress.record_answer("sequences-rnn", "why-rnn", 1, True)
    path = tmp_path / "mine.hafiza-progress"
    answer_files(monkeypatch, path)
    assert progress_transfer.export_progress(None, source) == path
    assert zipfile.is_zipfile(path)
    assert shown[-1][0] == "info" and "1 lesson" in shown[-1][1]
    choose(monkeypatch, "Add to mine")
    summary = progress_transfer.import_progress(None, target)
    assert summary is not None and summary.lessons == 1 and summary.answers == 1
    assert target.progress.position("sequences-rnn") == pytest.approx(0.4)


def progress_transfer_text(tag, reason):
    from hafiza.store import StoreError
    from hafiza.ui.i18n import load_translations

    translations = load_translations(tag)
    english = progress_transfer.refusal_text(StoreError(reason))
    return translations.gettext(english)


def test_a_foreign_file_is_refused_in_the_learners_language(qapp, stores, shown, monkeypatch,
                                                             tmp_path):
    _source, target = stores
    bogus = tmp_path / "not-progress.hafiza-progress"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("../evil.txt", "x")
    answer_files(monkeypatch, bogus)
    choose(monkeypatch, "حطّه مكان بتاعي")
    i18n.apply_language(qapp, "arz")
    try:
        assert progress_transfer.import_progress(None, target) is None
    finally:
        i18n.apply_language(qapp, "en")
    kind, text = shown[-1]
    assert kind == "warning"
    assert text in (progress_transfer_text("arz", "unsafe_archive"),
                    progress_transfer_text("arz", "not_an_export")), text
    assert target.progress.lessons() == []
