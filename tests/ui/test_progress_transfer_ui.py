"""File > Export my progress / Import progress, with the dialogs answered by the test: the
file is written and read in a worker thread, and what happened is said in the learner's
language."""

import zipfile

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from hafiza.store import open_store
from hafiza.ui import i18n, progress_transfer
from hafiza.ui.progress_transfer import ProgressTransfer


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


def test_progress_moves_to_another_computer(qapp, qtbot, stores, shown, monkeypatch,
                                           tmp_path):
    source, target = stores
    source.progress.lesson_opened("sequences-rnn")
    source.progress.set_position("sequences-rnn", 0.4)
    source.progress.record_answer("sequences-rnn", "why-rnn", 1, True)
    path = tmp_path / "mine.hafiza-progress"
    answer_files(monkeypatch, path)
    exporter = ProgressTransfer(source)
    with qtbot.waitSignal(exporter.exported, timeout=20_000) as written:
        exporter.export_progress()
        assert exporter.task_busy  # the file is written in the worker, not here
    assert written.args == [path]
    assert zipfile.is_zipfile(path)
    assert shown[-1][0] == "info" and "1 lesson" in shown[-1][1]
    choose(monkeypatch, "Add to mine")
    importer = ProgressTransfer(target)
    with qtbot.waitSignal(importer.imported, timeout=20_000) as imported:
        importer.import_progress()
    summary = imported.args[0]
    assert summary.lessons == 1 and summary.answers == 1
    # the GUI thread's own connection sees what the worker's connection wrote
    assert target.progress.position("sequences-rnn") == pytest.approx(0.4)
    qtbot.waitUntil(lambda: not importer.task_busy and importer.busy_dialog is None)


def progress_transfer_text(tag, reason):
    from hafiza.store import StoreError
    from hafiza.ui.i18n import load_translations

    translations = load_translations(tag)
    english = progress_transfer.refusal_text(StoreError(reason))
    return translations.gettext(english)


def test_a_foreign_file_is_refused_in_the_learners_language(qapp, qtbot, stores, shown,
                                                             monkeypatch, tmp_path):
    _source, target = stores
    bogus = tmp_path / "not-progress.hafiza-progress"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("../evil.txt", "x")
    answer_files(monkeypatch, bogus)
    choose(monkeypatch, "حطّه مكان بتاعي")
    i18n.apply_language(qapp, "arz")
    importer = ProgressTransfer(target)
    imported = []
    importer.imported.connect(imported.append)
    try:
        with qtbot.waitSignal(importer.ended, timeout=20_000):
            importer.import_progress()
    finally:
        i18n.apply_language(qapp, "en")
    assert imported == []
    kind, text = shown[-1]
    assert kind == "warning"
    assert text in (progress_transfer_text("arz", "unsafe_archive"),
                    progress_transfer_text("arz", "not_an_export")), text
    assert target.progress.lessons() == []


def test_an_export_that_cannot_be_written_is_explained(qapp, qtbot, stores, shown, tmp_path):
    source, _target = stores
    exporter = ProgressTransfer(source)
    exported = []
    exporter.exported.connect(exported.append)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with qtbot.waitSignal(exporter.ended, timeout=20_000):
        exporter.export_to(blocker / "mine.hafiza-progress")
    assert exported == []
    kind, text = shown[-1]
    assert kind == "warning" and "could not be written to" in text and "a-file" in text


def test_nothing_is_imported_into_a_store_that_keeps_nothing(qapp, qtbot, shown, tmp_path):
    from hafiza.store import StoreError, errors, memory_store

    store = memory_store(StoreError(errors.READ_ONLY, "read-only", tmp_path / "x.db"))
    importer = ProgressTransfer(store)
    with qtbot.waitSignal(importer.ended, timeout=5000):
        importer.import_from(tmp_path / "any.hafiza-progress", "merge")
    kind, text = shown[-1]
    assert kind == "warning" and "read-only" in text and not importer.task_busy
