"""Recording runs: the model is written in a worker thread and the record closed when it is;
a model that cannot be written leaves the run recorded without it, and says why."""

from types import SimpleNamespace

from hafiza.engine.events import Failed, Finished
from hafiza.engine.exercises import get_exercise
from hafiza.engine.models import build_model
from hafiza.store import open_store
from hafiza.ui.run_history import RunRecorder

METRICS = {"loss": 0.25, "accuracy": 0.75}


def finished_run(stopped=False):
    model = build_model(["Dense(4, tanh)", "Dense(1, sigmoid)"], [2])
    return SimpleNamespace(outcome=Finished(METRICS, 2, 2, stopped_by_user=stopped),
                           prepared=SimpleNamespace(model=model, vocab=None, data=None))


def test_a_finished_runs_model_is_written_off_the_gui_thread(qtbot, tmp_path):
    store = open_store(tmp_path / "progress.db")
    recorder = RunRecorder(store.runs, "first-network")
    recorder.start(get_exercise("mlp_xor"))
    with qtbot.waitSignal(recorder.saved, timeout=30_000) as blocker:
        recorder.end(finished_run(stopped=True))
        assert recorder.saving_models  # the record waits for the file
        assert store.runs.list("first-network")[0].status == "running"
    [record] = store.runs.list("first-network")
    assert blocker.args == [record.id] and not recorder.saving_models
    assert record.status == "stopped" and record.final_metrics == METRICS
    assert record.checkpoint.exists()
    assert recorder.wait(10_000)
    store.db.close()


def test_a_model_that_cannot_be_written_leaves_the_run_recorded_without_it(qtbot, tmp_path,
                                                                          monkeypatch):
    store = open_store(tmp_path / "progress.db")
    recorder = RunRecorder(store.runs, "first-network")
    monkeypatch.setattr(store.runs, "model_path", lambda run: tmp_path)  # a folder: refused
    problems = []
    recorder.problem.connect(problems.append)
    recorder.start(get_exercise("mlp_xor"))
    with qtbot.waitSignal(recorder.saved, timeout=30_000):
        recorder.end(finished_run())
    [record] = store.runs.list("first-network")
    assert record.status == "finished" and record.checkpoint is None
    assert record.final_metrics == METRICS
    assert len(problems) == 1 and isinstance(problems[0], OSError)
    store.db.close()


def test_a_failed_run_is_closed_at_once(qtbot, tmp_path):
    store = open_store(tmp_path / "progress.db")
    recorder = RunRecorder(store.runs, "first-network")
    recorder.start(get_exercise("mlp_xor"))
    with qtbot.waitSignal(recorder.saved, timeout=1000):
        recorder.end(SimpleNamespace(outcome=Failed("nan_loss", "loss became nan"),
                                     prepared=None))
    [record] = store.runs.list("first-network")
    assert (record.status, record.checkpoint) == ("failed", None)
    assert recorder.earlier() == []  # failed runs are not offered to compare
    store.db.close()
