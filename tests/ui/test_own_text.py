"""*Use my own text…* (issue 17, item 3): a file in the learner's encoding or pasted text,
a size limit said plainly, a preview as tokens, and the text trained on and found again
from *Earlier runs*."""

from PySide6.QtWidgets import QDialogButtonBox

from hafiza.engine.text import tokenize
from hafiza.ui import own_text
from hafiza.ui.own_text import OwnTextDialog, save_own_text

DARIJA = "كنتعلمو الذكاء الاصطناعي بالدارجة. النموذج كيتوقع الكلمة الجاية.\r\n" * 20


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_a_cp1256_file_is_read_as_windows_arabic_and_can_be_read_otherwise(qtbot, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(DARIJA.encode("cp1256"))
    dialog = OwnTextDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.text_read, timeout=10_000):
        dialog.open_file(path)
    assert dialog.encoding == "cp1256" and dialog.encoding_box.currentData() == "cp1256"
    assert "Windows Arabic (cp1256)" in dialog.status.text()
    assert dialog.text.startswith("كنتعلمو") and ok_button(dialog).isEnabled()
    # the tokens the model reads (the engine's tokenizer decides their letters)
    first_two = tokenize("كنتعلمو الذكاء", punctuation=True)
    assert dialog.summary.first_sentences[0][:2] == first_two
    assert first_two[1] in dialog.preview.text()
    # the learner picks another reading: Latin letters, said so, still usable
    with qtbot.waitSignal(dialog.text_read, timeout=10_000):
        dialog.encoding_box.setCurrentIndex(dialog.encoding_box.findData("cp1252"))
        dialog.encoding_box.activated.emit(dialog.encoding_box.currentIndex())
    assert dialog.encoding == "cp1252" and "cp1252" in dialog.status.text()
    assert "ك" not in dialog.text


def test_a_file_over_the_limit_is_refused_with_the_limit(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(own_text, "MAX_CORPUS_BYTES", 2 * 2**20)
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * (2**20))  # 5 MB
    dialog = OwnTextDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.text_read, timeout=10_000):
        dialog.open_file(path)
    assert dialog.status.text() == "This file is too big: a text may be at most \u20682 MB\u2069."
    assert not ok_button(dialog).isEnabled() and dialog.text == ""


def test_pasted_text_is_previewed_and_accepted(qtbot):
    dialog = OwnTextDialog()
    qtbot.addWidget(dialog)
    assert not ok_button(dialog).isEnabled()
    with qtbot.waitSignal(dialog.text_read, timeout=10_000):
        dialog.editor.setPlainText("Once upon a time, a cat. It sat.")
    assert dialog.text == "Once upon a time, a cat. It sat."
    # Only "a" comes twice: the other 6 words of 8 would each be "a rare word" to a word model.
    assert dialog.status.text() == ("8 words\n75% of them appear only once: a model that reads "
                                    "words reads each of those as “a rare word”, so a longer "
                                    "text teaches it more.")
    assert dialog.summary.first_sentences == [["once", "upon", "a", "time", ",", "a", "cat",
                                               "."], ["it", "sat", "."]]
    assert ok_button(dialog).isEnabled() and not dialog.encoding_box.isVisible()


def lm_exercise() -> dict:
    from hafiza.engine.exercises import get_exercise

    exercise = get_exercise("lm_lessons")
    exercise["hyperparameters"] = dict(exercise["hyperparameters"], epochs=1, batch_size=4,
                                       bptt=5)
    return exercise


def test_the_next_run_trains_on_the_own_text_and_earlier_runs_bring_it_back(
        qtbot, hafiza_home):
    from hafiza.store import open_store
    from hafiza.ui.exercise_window import ExerciseWindow
    from hafiza.ui.run_history import RunRecorder

    store = open_store(hafiza_home / "progress.db")
    recorder = RunRecorder(store.runs, "lm_lessons", "language-models")
    window = ExerciseWindow("language-models", lm_exercise(), recorder)
    qtbot.addWidget(window)
    row = window.panel.own_text
    assert row is not None and row.text_path is None
    saved = save_own_text(DARIJA.replace("\r\n", "\n"), recorder.texts_folder)
    assert saved.parent == hafiza_home / "texts" and saved.read_text("utf-8").startswith("كن")
    row.use(saved)
    assert row.label.text() == "Text: your own." and not row.back_button.isHidden()
    with qtbot.waitSignal(window.panel.model_ready, timeout=60_000):
        window.panel.train()
    # it learned the own text's words
    assert tokenize("كيتوقع")[0] in window.panel.run.prepared.vocab
    qtbot.waitUntil(lambda: bool(recorder.earlier() and recorder.earlier()[0].checkpoint),
                    timeout=30_000)
    settings = recorder.earlier()[0].settings
    assert settings["dataset"]["name"] == "text_file"
    assert settings["dataset"]["path"] == saved.name  # a name in the texts folder, no path

    # A new window: the lesson's text, until the earlier run is loaded again.
    again = ExerciseWindow("language-models", lm_exercise(), recorder)
    qtbot.addWidget(again)
    assert again.panel.own_text.text_path is None
    with qtbot.waitSignal(recorder.model_loaded, timeout=30_000) as loaded:
        assert recorder.load_model(recorder.earlier()[0])
    assert loaded.args[0].data is not None  # the text was read again for the playgrounds
    again._on_model_ready(loaded.args[0])
    assert again.panel.own_text.text_path == saved
    assert "next_word" in again.playground_names
