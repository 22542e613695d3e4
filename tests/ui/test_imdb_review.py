"""Issue 17, item 7: after any IMDB model is trained (or loaded from Earlier runs), the
learner can type a review and see its probability and the words that pushed it, offered
because the run has a vocabulary and a binary classifier over word ids, never by name."""

import pytest

from hafiza.engine.data import imdb
from hafiza.engine.exercises import get_exercise
from tests.ui.test_imdb_exercise import tiny_archive

# Each IMDB model kind, shrunk to the tiny archive's 50 words and 12 ids a review.
SMALL_MODELS = {
    "imdb": None,  # Embedding + LSTM: the lesson's model as it is
    "imdb_bag_bigrams": ["EmbeddingBag(vocab_size, 8, bigrams=True, buckets=101)",
                         "Dense(1, sigmoid)"],
    "imdb_nbsvm": ["NBSVM(vocab_size, ngrams=2, buckets=1009, min_count=1)"],
}


def small_exercise(exercise_id: str) -> dict:
    exercise = get_exercise(exercise_id)
    if SMALL_MODELS[exercise_id] is not None:
        exercise["model"] = SMALL_MODELS[exercise_id]
    else:
        exercise["model"] = [layer.replace("10000", "vocab_size") for layer in exercise["model"]]
    exercise["hyperparameters"] = dict(exercise["hyperparameters"], epochs=4, batch_size=8,
                                       learning_rate=0.02)
    exercise["dataset"] = dict(exercise["dataset"], maxlen=12, num_words=50)
    return exercise


def train_in_window(qtbot, exercise, recorder=None):
    from hafiza.ui.exercise_window import ExerciseWindow

    window = ExerciseWindow("imdb-sentiment", exercise, recorder)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.panel.model_ready, timeout=120_000):
        window.panel.train()
    return window


def read_review(qtbot, playground, text: str):
    playground.review.setPlainText(text)
    with qtbot.waitSignal(playground.computed, timeout=30_000):
        playground.analyse()
    return playground


@pytest.mark.parametrize("exercise_id", sorted(SMALL_MODELS))
def test_every_imdb_model_offers_a_review_to_type(qtbot, hafiza_home, tmp_path, exercise_id):
    imdb.import_imdb(tiny_archive(tmp_path / "a.tar.gz"))
    window = train_in_window(qtbot, small_exercise(exercise_id))
    assert "sentiment" in window.playground_names
    tab = window.tabs.widget(window._first_playground_tab()
                             + window.playground_names.index("sentiment"))
    playground = read_review(qtbot, tab, "great fun superb loved")
    assert playground.probability is not None and 0.0 <= playground.probability <= 1.0
    # each known word has its push, shown as a row of the table and a chip
    assert playground.words == ["great", "fun", "superb", "loved"]
    assert playground.table.rowCount() == 4
    assert "great" in playground.chips.text()


def test_a_trained_lstm_scores_positive_words_above_negative_ones(qtbot, hafiza_home,
                                                                   tmp_path):
    imdb.import_imdb(tiny_archive(tmp_path / "a.tar.gz"))
    window = train_in_window(qtbot, small_exercise("imdb_bag_bigrams"))
    tab = window.tabs.widget(window._first_playground_tab()
                             + window.playground_names.index("sentiment"))
    positive = read_review(qtbot, tab, "great fun superb loved good").probability
    negative = read_review(qtbot, tab, "dull bad boring awful").probability
    assert positive > negative
    # "awful" pushed the negative review down: its change is below zero
    assert tab.contributions[tab.words.index("awful")] < 0


def test_a_model_loaded_from_earlier_runs_offers_the_review_too(qtbot, hafiza_home,
                                                                  tmp_path):
    from hafiza.store import open_store
    from hafiza.ui.run_history import RunRecorder

    imdb.import_imdb(tiny_archive(tmp_path / "a.tar.gz"))
    store = open_store(hafiza_home / "progress.db")
    recorder = RunRecorder(store.runs, "imdb_bag_bigrams", "imdb-sentiment")
    window = train_in_window(qtbot, small_exercise("imdb_bag_bigrams"), recorder)
    qtbot.waitUntil(lambda: bool(recorder.earlier() and recorder.earlier()[0].checkpoint),
                    timeout=30_000)
    window._remove_model_playgrounds()
    assert window.playground_names == []
    with qtbot.waitSignal(recorder.model_loaded, timeout=30_000) as loaded:
        assert recorder.load_model(recorder.earlier()[0])
    window._on_model_ready(loaded.args[0])
    assert "sentiment" in window.playground_names
