"""The lesson's IMDB exercise in the exercise panel: import offered when the reviews are
missing, and the test accuracy reported at the end of a run."""

import io
import tarfile
from pathlib import Path

from PySide6.QtWidgets import QDialog

from hafiza.engine.data import imdb
from hafiza.lessonlib.loader import load_lesson
from hafiza.ui.exercise_panel import ExercisePanel

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
WORDS = {1: ["great", "fun", "loved", "superb", "good"], 0: ["dull", "bad", "boring", "awful"]}


def tiny_archive(path: Path) -> Path:
    """40 reviews per split in the official layout: positive ones use positive words."""
    with tarfile.open(path, "w:gz") as tar:
        for split in ("train", "test"):
            for index in range(40):
                label = index % 2
                words = WORDS[label]
                text = " ".join(words[(index + k) % len(words)] for k in range(6))
                data = f"A film. {text}.".encode()
                folder = "pos" if label else "neg"
                info = tarfile.TarInfo(f"aclImdb/{split}/{folder}/{index}_{8 if label else 2}.txt")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def lesson_exercise() -> dict:
    exercise = load_lesson(LESSONS / "imdb-sentiment").exercises["imdb"]
    exercise["hyperparameters"] = dict(exercise["hyperparameters"], epochs=3, batch_size=8,
                                       learning_rate=0.01)
    exercise["dataset"] = dict(exercise["dataset"], maxlen=12, num_words=50)
    return exercise


def test_missing_reviews_offer_the_import_and_say_why(qtbot, hafiza_home, monkeypatch):
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    panel = ExercisePanel(lesson_exercise())
    qtbot.addWidget(panel)
    panel.train()
    assert type(opened[0]).__name__ == "ImdbImportDialog"
    assert panel.run is None and not panel.error.isHidden()
    assert "IMDB" in panel.error.text()


def test_imported_reviews_train_and_report_test_accuracy(qtbot, hafiza_home, tmp_path):
    imdb.import_imdb(tiny_archive(tmp_path / "a.tar.gz"))
    panel = ExercisePanel(lesson_exercise())
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.run_finished, timeout=60_000):
        panel.train()
    result = panel.run.test_result
    assert result is not None and result.count == 40
    assert 0.0 <= result.accuracy <= 1.0
    assert "Accuracy on the 40 test examples" in panel.log.toPlainText()
    # the Embedding was sized from num_words (50), not the lesson's default 10,000
    assert panel.run.prepared.model.layers[0].num_embeddings == 50


def test_the_imdb_window_shows_the_reviews_as_the_model_sees_them(qtbot, hafiza_home,
                                                                   tmp_path):
    from hafiza.ui.exercise_window import ExerciseWindow

    imdb.import_imdb(tiny_archive(tmp_path / "a.tar.gz"))
    window = ExerciseWindow("imdb-sentiment", lesson_exercise())
    qtbot.addWidget(window)
    assert window.tabs.tabText(1) == "Reviews"
    # the reviews are read in a worker thread (the GUI never waits on it); the tab says so
    assert window.reviews is None and window.reviews_note.text() == "Reading the reviews…"
    with qtbot.waitSignal(window.reviews_loaded, timeout=30_000):
        pass
    assert window.reviews.corpus is not None and window.reviews.corpus.size("train") == 40
    assert window.reviews_page.currentWidget() is window.reviews
    assert window.reviews.maxlen.value() == 12 and window.reviews.num_words.value() == 50
    window.shutdown()


def test_reviews_that_are_not_imported_are_said_so_without_blocking(qtbot, hafiza_home):
    from hafiza.ui.exercise_window import ExerciseWindow

    window = ExerciseWindow("imdb-sentiment", lesson_exercise())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.reviews_loaded, timeout=30_000):
        pass
    assert window.reviews.corpus is None  # the browser says the reviews are not imported
    assert not window.reviews.random_button.isEnabled()
    window.shutdown()


def test_reviews_that_cannot_be_read_say_why(qtbot, hafiza_home, monkeypatch):
    """A read that fails in the worker (a cache folder the learner cannot read) ends in a
    note naming the error, not in a traceback or a tab that waits forever."""
    import hafiza.engine.data as data
    from hafiza.ui.exercise_window import ExerciseWindow

    def unreadable(*_args, **_kwargs):
        raise PermissionError("the cache folder is not readable")

    monkeypatch.setattr(data, "is_imported", lambda _name: True)
    monkeypatch.setattr(imdb, "load_corpus", unreadable)
    window = ExerciseWindow("imdb-sentiment", lesson_exercise())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.reviews_loaded, timeout=30_000):
        pass
    assert window.reviews is None
    assert window.reviews_note.text() == (
        "The reviews could not be read: \u2068PermissionError: the cache folder is not "
        "readable\u2069")
    window.shutdown()
