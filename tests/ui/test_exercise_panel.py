"""Training in the app: a real run to completion, pause/resume/step/stop, a NaN run, and
rapid start/stop cycles — the window stays responsive and no thread is left behind."""

import csv
import threading

import pytest

from hafiza.engine.exercises import get_exercise
from hafiza.ui import i18n
from hafiza.ui.exercise_panel import ExercisePanel, keras_line


@pytest.fixture
def panel(qtbot, qapp):
    def make(name="mlp_xor", **hyper):
        exercise = get_exercise(name)
        exercise["hyperparameters"].update(hyper)
        widget = ExercisePanel(exercise)
        qtbot.addWidget(widget)
        widget.show()
        made.append(widget)
        return widget

    made = []
    yield make
    for widget in made:
        assert widget.shutdown(20_000)
    i18n.apply_language(qapp, "en")


def wait_ended(qtbot, panel, timeout=60_000):
    qtbot.waitUntil(lambda: panel.run is not None and not panel.run.is_running()
                    and panel.train_button.isEnabled(), timeout=timeout)


def test_a_real_run_trains_to_completion_and_plots(panel, qtbot, tmp_path):
    widget = panel("mlp_xor", epochs=40)
    with qtbot.waitSignal(widget.run_finished, timeout=60_000):
        widget.train_button.click()
        assert not widget.train_button.isEnabled()
    outcome = widget.run.outcome
    assert type(outcome).__name__ == "Finished" and outcome.epochs_run == 40
    assert outcome.metrics["val_accuracy"] >= 0.9  # it really learned xor
    assert len(widget.history) == 40
    # the log speaks the learner's language; Keras' own format is one tick away
    assert widget.log.toPlainText().startswith("Epoch 1 of 40 (")
    widget.log.keras_style.setChecked(True)
    assert widget.log.toPlainText().startswith("Epoch 1/40 - ")
    from hafiza.engine.exercises import goal_met

    met = goal_met(widget.exercise["goal"], outcome.metrics)
    assert ("Goal reached!" in widget.log.toPlainText()) == met
    # the plots got every batch and every epoch, drawn by the timer
    assert len(widget.loss_plot.series["train"].x) == 40 * widget._started.batches_per_epoch
    curve_x, _curve_y = widget.loss_plot.curves["val"].getData()
    assert len(curve_x) == 40
    assert widget.summary.rowCount() == 3  # two Dense layers and the total
    assert widget.progress.value() == 1000
    widget.export_csv(tmp_path / "run.csv")
    rows = list(csv.DictReader(open(tmp_path / "run.csv", encoding="utf-8")))
    assert len(rows) == 40 and float(rows[-1]["val_accuracy"]) >= 0.9
    assert widget.loss_plot.export_png(str(tmp_path / "loss.png"))


def test_many_short_epochs_reach_the_gui_batched(panel, qtbot):
    """An epoch of xor is a few milliseconds: one delivery per epoch was 150 a second. The
    events come in batches (ui.training sends them ten times a second), every one in order."""
    widget = panel("mlp_xor", epochs=300)
    deliveries: list[int] = []
    widget.train()
    widget.run._task.partials.connect(lambda events: deliveries.append(len(events)))
    wait_ended(qtbot, widget)
    assert len(widget.history) == 300  # every epoch still arrives, in order
    assert [row["epoch"] for row in widget.history] == list(range(1, 301))
    # the batches and epochs came several to a delivery, not one signal each
    assert sum(deliveries) >= 300 * widget._started.batches_per_epoch
    assert sum(deliveries) > 2 * len(deliveries), deliveries


def test_pause_step_resume_and_stop(panel, qtbot):
    widget = panel("mlp_xor", epochs=5000)
    widget.train()
    qtbot.waitUntil(lambda: widget._last_batch is not None, timeout=30_000)
    paused = []  # engine.events.Paused: the loop waits before the next batch
    widget.run.paused.connect(paused.append)
    widget.toggle_pause()
    assert widget.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: len(paused) == 1, timeout=5000)

    def position(event) -> int:  # batches done since the start
        return (event.epoch - 1) * widget._started.batches_per_epoch + event.batch

    # every batch before the pause reached the panel, and none after it
    assert position(widget._last_batch) == position(paused[0])
    widget.step()
    qtbot.waitUntil(lambda: len(paused) == 2, timeout=5000)
    # exactly one batch, then paused again
    assert position(paused[1]) == position(paused[0]) + 1
    after_step = widget._last_batch
    assert position(after_step) == position(paused[1])
    assert widget.pause_button.text() == "Resume" and widget.run.is_running()
    widget.toggle_pause()
    qtbot.waitUntil(lambda: widget._last_batch != after_step, timeout=5000)
    assert len(paused) == 2  # it runs on
    widget.stop()
    wait_ended(qtbot, widget)
    assert widget.run.outcome.stopped_by_user
    assert "Stopped." in widget.log.toPlainText()


def test_a_run_that_goes_nan_stops_with_a_message_in_the_learners_language(panel, qtbot, qapp):
    i18n.apply_language(qapp, "arz")
    widget = panel("sine_forecast", optimizer="sgd", learning_rate=10.0, epochs=3)
    widget.retranslate()
    widget.train()
    wait_ended(qtbot, widget)
    assert widget.run.outcome.reason == "nan_loss"
    assert widget.error.isVisible()
    assert "NaN" in widget.error.text() and "معدّل التعلّم" in widget.error.text()
    # the app goes on: the same panel trains again
    widget.controls.editors["learning_rate"][0].setValue(0.01)
    widget.controls.editors["optimizer"][0].setCurrentText("adam")
    widget.train()
    assert not widget.error.isVisible()
    widget.stop()
    wait_ended(qtbot, widget)


def test_controls_change_the_exercise(panel):
    widget = panel("rnn_vs_lstm_long")
    units, cell = widget.controls.editors["model.0"]
    units.setValue(8)
    cell.setCurrentText("GRU")
    widget.controls.editors["dataset.seq_len"][0].setValue(30)
    overrides = widget.controls.overrides()
    assert overrides["model.0"] == "GRU(8)"
    assert overrides["dataset.seq_len"] == 30
    assert [cell.itemText(i) for i in range(cell.count())] == ["SimpleRNN", "LSTM", "GRU"]


def test_every_imdb_exercise_gets_its_form_and_padding_reads_in_the_learners_language(
        panel, qapp):
    from hafiza.engine.builtin_exercises import IMDB_EXERCISES

    for name, exercise in IMDB_EXERCISES.items():
        widget = panel(name)  # each setting gets an editor (a text setting used to crash)
        settings = {c for c in exercise["controls"] if not c.startswith("model.")}
        assert settings <= set(widget.controls.editors)
    gru = panel("imdb_gru_pooling")  # the units and cell of a Bidirectional(GRU(...))
    units, cell = gru.controls.editors["model.1"]
    units.setValue(24)
    cell.setCurrentText("LSTM")
    assert gru.controls.overrides()["model.1"] == (
        "Bidirectional(LSTM(24, return_sequences=True))")
    bag = panel("imdb_bag_bigrams")
    (size,) = bag.controls.editors["model.0"]
    assert size.value() == 16
    size.setValue(32)
    assert bag.controls.overrides()["model.0"].startswith("EmbeddingBag(10000, 32, ")
    widget = panel("imdb")
    padding = widget.controls.editors["dataset.padding"][0]
    assert padding.currentData() == get_exercise("imdb")["dataset"].get("padding", "pre")
    padding.setCurrentIndex(padding.findData("post"))
    assert widget.controls.overrides()["dataset.padding"] == "post"
    i18n.apply_language(qapp, "fa")
    widget.retranslate()
    assert padding.currentText() == i18n._("at the end (post)") != "at the end (post)"
    assert widget.controls.labels["dataset.maxlen"].text() != "dataset.maxlen"
    bag.retranslate()
    assert bag.controls.labels["model.0"].text() == "طول بردار هر واژه در لایهٔ ۱"


def test_the_panel_is_titled_in_the_readers_language(qtbot, qapp):
    exercise = dict(get_exercise("mlp_xor"), title={"fa": "نخستین شبکه", "en": "A first network"})
    widget = ExercisePanel(exercise)
    qtbot.addWidget(widget)
    assert "A first network" in widget.title.text()
    i18n.apply_language(qapp, "fa")
    try:
        widget.retranslate()
        assert "نخستین شبکه" in widget.title.text() and "mlp_xor" not in widget.title.text()
    finally:
        i18n.apply_language(qapp, "en")
    # no title: what it trains on what, in the learner's words, never its id
    untitled = ExercisePanel(get_exercise("mlp_xor"))
    qtbot.addWidget(untitled)
    assert "binary classification on the XOR points" in untitled.title.text()
    assert "mlp_xor" not in untitled.title.text()


def test_bad_settings_are_refused_with_a_message(panel):
    widget = panel("mlp_xor")
    widget.exercise = dict(widget.exercise, controls=["epochs", "nonsense"])
    widget.controls.editors["nonsense"] = widget.controls.editors["epochs"]
    widget.train()
    assert widget.run is None and widget.error.isVisible()


def test_200_rapid_start_stop_cycles_leave_no_thread(panel, qtbot):
    widget = panel("mlp_xor", epochs=1000)
    threads_before = threading.active_count()
    for _cycle in range(200):
        widget.train()
        widget.stop()
        assert widget.run.wait(20_000)
        qtbot.waitUntil(lambda: widget.train_button.isEnabled(), timeout=20_000)
    assert len(widget.runs) == 200
    assert all(not run.is_running() for run in widget.runs)
    assert threading.active_count() <= threads_before


def test_keras_line_format():
    from hafiza.engine.events import EpochEnd

    line = keras_line(EpochEnd(3, 300, {"loss": 0.01234, "val_loss": 0.015}, 0.012, 0.001))
    assert line == "Epoch 3/300 - 0.01s - loss: 0.0123 - val_loss: 0.0150"


def test_runs_are_saved_compared_and_their_models_reused(qtbot, tmp_path):
    import numpy as np
    import torch

    from hafiza.store import open_store
    from hafiza.ui.run_history import RunRecorder

    store = open_store(tmp_path / "progress.db")
    exercise = get_exercise("mlp_xor")
    exercise["hyperparameters"]["epochs"] = 8
    recorder = RunRecorder(store.runs, "first-network", "how-networks-learn")
    first = ExercisePanel(exercise, recorder=recorder)
    qtbot.addWidget(first)
    ready = []
    first.model_ready.connect(ready.append)
    # the model is written in a worker thread; the record is closed once it is
    with qtbot.waitSignals([first.run_finished, recorder.saved], timeout=60_000):
        first.train()
    assert not recorder.saving_models
    [record] = store.runs.list("first-network")
    assert record.status == "finished" and record.lesson_id == "how-networks-learn"
    assert record.checkpoint is not None and record.checkpoint.exists()
    assert record.final_metrics["val_accuracy"] == first.run.outcome.metrics["val_accuracy"]
    curves = store.runs.curves(record.id)
    assert [step for step, _value in curves["val_loss"]] == list(range(1, 9))
    assert len(ready) == 1 and ready[0].model is first.run.prepared.model

    # A later panel (after a restart) lists the run, compares it and reuses its model.
    second = ExercisePanel(exercise, recorder=RunRecorder(store.runs, "first-network"))
    qtbot.addWidget(second)
    assert second.earlier.count() == 1
    item = second.earlier.item(0)
    from PySide6.QtCore import Qt

    item.setCheckState(Qt.CheckState.Checked)
    compared = second.earlier_runs.compared
    assert len(second.loss_plot.earlier) == 0 and len(compared) == 1
    ghost_x, _ghost_y = compared[record.id][0].getData()
    assert len(ghost_x) == 8
    item.setCheckState(Qt.CheckState.Unchecked)
    assert compared == {}
    second.earlier.setCurrentRow(0)
    # the model is read back in a worker thread; the tab says so and its button waits
    with qtbot.waitSignal(second.model_ready, timeout=30_000) as blocker:
        second.use_model_button.click()
        assert not second.use_model_button.isEnabled()
        assert second.earlier_runs.note.text() == "Loading the model of this run…"
    loaded = blocker.args[0]
    assert second.use_model_button.isEnabled()
    assert loaded.task == "binary" and loaded.vocabulary is None
    assert loaded.data is not None and loaded.data.x_train.shape[1] == 2
    x = torch.tensor(np.array([[0.0, 1.0], [1.0, 1.0]], np.float32))
    with torch.no_grad():
        first.run.prepared.model.eval()
        assert torch.allclose(loaded.model(x), first.run.prepared.model(x))
    assert second.shutdown() and first.shutdown()
    store.db.close()


def test_a_model_file_that_cannot_be_read_is_reported_in_the_learners_language(
        qtbot, tmp_path, qapp):
    from hafiza.store import open_store
    from hafiza.ui.run_history import RunRecorder

    store = open_store(tmp_path / "progress.db")
    exercise = get_exercise("mlp_xor")
    exercise["hyperparameters"]["epochs"] = 2
    recorder = RunRecorder(store.runs, "first-network")
    widget = ExercisePanel(exercise, recorder=recorder)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(recorder.saved, timeout=60_000):
        widget.train()
    [record] = store.runs.list("first-network")
    record.checkpoint.write_bytes(b"not a model")  # damaged on disk
    i18n.apply_language(qapp, "fa")
    try:
        widget.retranslate()
        widget.earlier.setCurrentRow(0)
        with qtbot.waitSignal(recorder.model_failed, timeout=30_000):
            widget.use_model_button.click()
        note = widget.earlier_runs.note.text()
        assert note.startswith(i18n._("The model of this run could not be loaded: {reason}")
                               .split("{")[0])
        assert widget.use_model_button.isEnabled()  # the learner may pick another run
    finally:
        i18n.apply_language(qapp, "en")
    assert widget.shutdown()
    store.db.close()


def test_the_pooling_exercise_switches_between_last_step_mean_and_max(qtbot):
    from pathlib import Path

    from hafiza.lessonlib.loader import load_lesson

    lessons = Path(__file__).resolve().parents[2] / "lessons"
    exercise = load_lesson(lessons / "rnn-in-practice").exercises["pooling"]
    widget = ExercisePanel(exercise)
    qtbot.addWidget(widget)
    [pooling] = widget.controls.editors["model.1"]
    assert [pooling.itemText(i) for i in range(pooling.count())] == [
        "LastStep", "GlobalMeanPool", "GlobalMaxPool"]
    pooling.setCurrentText("LastStep")
    assert widget.controls.overrides()["model.1"] == "LastStep"
    assert widget.controls.labels["model.1"].text() == "Pooling over time"
