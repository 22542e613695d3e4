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


DARIJA = "كنتعلمو الذكاء الاصطناعي بالدارجة. النموذج كيتوقع الكلمة الجاية.\n" * 40
PERSIAN = "حافظ می‌گوید: الا یا ایها الساقی ادر کاسا و ناولها.\n" * 30


def own_text_runs(store):
    """Three runs on two of the learner's own texts (as *Use my own text…* saves them)."""
    from hafiza.engine.data.text_files import own_text_name, with_text_file
    from hafiza.store.transfer_texts import texts_folder

    folder = texts_folder(store.runs)
    folder.mkdir(parents=True, exist_ok=True)
    exercise = {"task": "language_model", "dataset": {"name": "lessons", "variety": "ary"}}
    for text in (DARIJA, DARIJA, PERSIAN):
        (folder / own_text_name(text)).write_text(text, encoding="utf-8")
        run = store.runs.create("lm_lessons", with_text_file(exercise, own_text_name(text)),
                                "language-models")
        store.runs.finish(run.id, "finished", {"loss": 3.0})


def test_the_export_dialog_lists_the_learners_texts_before_saving(qapp, qtbot, stores):
    from hafiza.store.transfer_texts import own_texts
    from hafiza.ui.progress_export_dialog import ExportTextsDialog

    source, _target = stores
    own_text_runs(source)
    dialog = ExportTextsDialog(own_texts(source))
    qtbot.addWidget(dialog)
    size_kb = round((len(DARIJA.encode()) + len(PERSIAN.encode())) / 1024)
    assert dialog.heading.text().startswith(
        f"This file will also contain 2 texts of yours (\u2068{size_kb} KB\u2069)")
    lines = [dialog.text_list.item(row).text() for row in range(dialog.text_list.count())]
    assert len(lines) == 2
    darija = next(line for line in lines if "كنتعلمو" in line)
    assert darija.endswith(", 2 runs)") and "…" in darija
    assert dialog.include_texts and "can read them" in dialog.note.text()
    dialog.include.setChecked(False)
    assert "stay on this computer" in dialog.note.text()

    i18n.apply_language(qapp, "fa")
    try:
        dialog.retranslate()
        persian_heading = dialog.heading.text()
    finally:
        i18n.apply_language(qapp, "en")
    assert "This file" not in persian_heading and "۲" in persian_heading


@pytest.mark.parametrize("keep_texts", [True, False])
def test_the_learner_chooses_whether_the_texts_go_into_the_file(qapp, qtbot, stores, shown,
                                                                monkeypatch, tmp_path,
                                                                keep_texts):
    from PySide6.QtWidgets import QDialog

    from hafiza.ui.progress_export_dialog import ExportTextsDialog

    source, _target = stores
    own_text_runs(source)
    asked = []

    def answer(dialog):
        asked.append(dialog.text_list.count())
        dialog.include.setChecked(keep_texts)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportTextsDialog, "exec", answer)
    path = tmp_path / "mine.hafiza-progress"
    answer_files(monkeypatch, path)
    exporter = ProgressTransfer(source)
    with qtbot.waitSignal(exporter.exported, timeout=20_000):
        exporter.export_progress()
    assert asked == [2]
    with zipfile.ZipFile(path) as archive:
        texts = [name for name in archive.namelist() if name.startswith("texts/")]
    assert len(texts) == (2 if keep_texts else 0)
    said = shown[-1][1]
    assert ("With 2 texts the runs learned from." in said) == keep_texts
    qtbot.waitUntil(lambda: not exporter.task_busy)


def test_cancelling_the_texts_dialog_saves_nothing(qapp, qtbot, stores, monkeypatch,
                                                   tmp_path):
    from PySide6.QtWidgets import QDialog

    from hafiza.ui.progress_export_dialog import ExportTextsDialog

    source, _target = stores
    own_text_runs(source)
    monkeypatch.setattr(ExportTextsDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    asked_for_file = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked_for_file.append(1) or ("", ""))
    exporter = ProgressTransfer(source)
    exporter.export_progress()
    assert asked_for_file == [] and not exporter.task_busy
