"""The store API: progress, settings, runs with curves, saved models, and its rules."""

import math
import sys

import pytest
from conftest import ROOT

from hafiza.store import Store, memory_store, open_store
from hafiza.store.db import open_database
from hafiza.store.paths import database_path, models_dir


@pytest.fixture
def store(hafiza_home):
    opened = open_store()
    yield opened
    opened.close()


def test_the_database_lives_in_the_data_folder_with_wal_and_full_sync(store, hafiza_home):
    assert store.db.path == database_path() == hafiza_home / "data" / "progress.db"
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.schema_version == 2 and store.db.integrity() == "ok"


def test_lessons_positions_and_completion(store):
    progress = store.progress
    assert progress.lesson("sequences-rnn") is None and progress.position("x") == 0.0
    progress.lesson_opened("sequences-rnn")
    progress.lesson_opened("language-models")
    progress.lesson_opened("sequences-rnn")
    progress.set_position("sequences-rnn", 0.42)
    progress.set_position("language-models", 7.0)  # clamped
    lesson = progress.lesson("sequences-rnn")
    assert lesson.open_count == 2 and lesson.position == pytest.approx(0.42)
    assert lesson.first_opened_at <= lesson.last_opened_at and not lesson.completed
    assert progress.position("language-models") == 1.0
    assert progress.last_opened() == "sequences-rnn"
    assert progress.mark_completed("sequences-rnn") is True
    assert progress.mark_completed("sequences-rnn") is False  # the first time is kept
    assert progress.completed_lessons() == {"sequences-rnn"}
    with pytest.raises(ValueError):
        progress.set_position("sequences-rnn", math.nan)
    with pytest.raises(ValueError):
        progress.lesson_opened("")


def test_quiz_answers_keep_every_attempt_and_score_the_latest(store):
    progress = store.progress
    first = progress.record_answer("rnn", "q1", {"choice": 2}, False)
    second = progress.record_answer("rnn", "q1", {"choice": 1}, True)
    progress.record_answer("rnn", "q2", ["a", "c"], False)
    progress.record_answer("other", "q1", "text answer — جواب", True)
    assert second > first
    assert [a.answer for a in progress.answers("rnn", "q1")] == [{"choice": 2}, {"choice": 1}]
    score = progress.score("rnn")
    assert (score.answered, score.correct, score.attempts) == (2, 1, 3)
    assert progress.latest_answers("other")["q1"].answer == "text answer — جواب"
    with pytest.raises(ValueError):  # plain JSON data only, never an object
        progress.record_answer("rnn", "q3", object(), True)


def test_preferences_and_window_state(store):
    store.prefs.set("theme", "dark")
    store.prefs.set("font_size", 14)
    store.prefs.set_window_state("geometry", b"\x01\x00\xd9\xd0")
    again = open_store()
    assert again.prefs.all() == {"theme": "dark", "font_size": 14}
    assert again.prefs.window_state("geometry") == b"\x01\x00\xd9\xd0"
    again.prefs.remove("theme")
    assert store.prefs.get("theme", "system") == "system"
    again.close()


def test_runs_curves_and_listing(store):
    runs = store.runs
    first = runs.create("xor-mlp", {"epochs": 3, "lr": 0.1}, lesson_id="how-networks-learn")
    second = runs.create("xor-mlp", {"epochs": 5, "lr": 0.5})
    other = runs.create("imdb-lstm", {"units": 16})
    assert first.status == "running" and first.settings == {"epochs": 3, "lr": 0.1}
    stored = runs.append_points(first.id, [
        {"step": 1, "epoch": 1, "loss": 0.9, "accuracy": 0.5},
        {"step": 2, "epoch": 2, "loss": 0.5, "accuracy": 0.75},
    ])
    runs.append_points(first.id, [{"step": 3, "epoch": 3, "loss": math.nan}])
    assert stored == 4
    runs.append_points(second.id, [{"step": s, "loss": 1 / s} for s in range(1, 6)])
    assert runs.curves(first.id) == {
        "accuracy": [(1, 0.5), (2, 0.75)],
        "loss": [(1, 0.9), (2, 0.5), (3, None)],  # NaN kept as a gap
    }
    finished = runs.finish(first.id, "finished", {"loss": 0.5, "accuracy": 0.75})
    assert finished.status == "finished" and finished.final_metrics["accuracy"] == 0.75
    assert [r.id for r in runs.list("xor-mlp")] == [second.id, first.id]  # newest first
    assert len(runs.list()) == 3 and runs.list("imdb-lstm")[0].id == other.id
    compared = runs.compare([first.id, second.id])
    assert len(compared[second.id]["loss"]) == 5
    with pytest.raises(ValueError):
        runs.append_points(first.id, [{"epoch": 1, "loss": 1.0}])  # no step
    with pytest.raises(ValueError):
        runs.append_points(first.id, [{"step": 1, "loss": "0.5"}])
    with pytest.raises(KeyError):
        runs.append_points(9999, [{"step": 1, "loss": 0.5}])
    with pytest.raises(ValueError):
        runs.finish(second.id, "running")


def test_a_run_cut_short_is_marked_interrupted(store):
    run = store.runs.create("xor-mlp", {})
    assert open_store().runs.mark_interrupted() == 1
    assert store.runs.get(run.id).status == "interrupted"


def test_a_trained_model_is_saved_and_loaded_again_for_the_playgrounds(store, hafiza_home):
    torch = pytest.importorskip("torch")
    from hafiza.engine.checkpoints import load_checkpoint, save_checkpoint
    from hafiza.engine.models import build_model

    torch.manual_seed(0)
    model = build_model(["Dense(4, tanh)", "Dense(1, sigmoid)"], (2,))
    run = store.runs.create("xor-mlp", {"epochs": 1})
    path = store.runs.model_path(run)
    assert path.parent == models_dir()
    save_checkpoint(path, model, metrics={"accuracy": 1.0})
    store.runs.finish(run.id, "finished", {"accuracy": 1.0}, checkpoint=path)
    reopened = open_store().runs.get(run.id)
    assert reopened.checkpoint == path
    loaded = load_checkpoint(reopened.checkpoint)
    x = torch.tensor([[0.0, 1.0], [1.0, 1.0]])
    assert torch.equal(loaded.model(x), model.eval()(x))
    # a model file outside the app's own folder is refused
    with pytest.raises(ValueError):
        store.runs.finish(run.id, "finished", checkpoint=hafiza_home.parent / "elsewhere.pt")
    store.runs.delete(run.id)
    assert not path.exists()


class _Evil:
    """Unpickling this would create a file: the proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_checkpoint_holding_a_pickled_object_is_refused(store, tmp_path):
    """engine.checkpoints exists: it reads with torch.load(weights_only=True)."""
    torch = pytest.importorskip("torch")
    from hafiza.engine.checkpoints import CheckpointError, load_checkpoint

    marker = tmp_path / "pwned"
    run = store.runs.create("xor-mlp", {})
    path = store.runs.model_path(run)
    torch.save({"format": "hafiza-checkpoint", "version": 1, "spec": _Evil(marker)}, path)
    store.runs.finish(run.id, "finished", checkpoint=path)
    with pytest.raises(CheckpointError, match="not a safe Hafiza checkpoint"):
        load_checkpoint(store.runs.get(run.id).checkpoint)
    assert not marker.exists()


def test_store_imports_neither_qt_nor_torch():
    import subprocess

    code = ("import sys, store, store.transfer, store.cli; "
            "print(sorted(m for m in ('PySide6', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(ROOT), check=True).stdout
    assert out.strip() == "[]"


def test_memory_store_has_the_same_api(tmp_path):
    memory = memory_store()
    assert not memory.persistent and memory.problem is None
    memory.progress.lesson_opened("a")
    assert memory.progress.last_opened() == "a"
    assert isinstance(memory, Store)


def test_two_connections_see_each_others_commits(hafiza_home):
    a = open_database()
    b = open_database()
    with a.transaction() as conn:
        conn.execute("INSERT INTO settings VALUES ('theme', '\"dark\"')")
    assert b.query_one("SELECT value FROM settings WHERE key = 'theme'")[0] == '"dark"'
    a.close()
    b.close()
