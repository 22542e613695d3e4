"""The smaller things an exercise window tells a learner: only the plots its run reports, a
value that was out of range, a status line that starts over, points drawn as dots, an
accuracy of 1 inside the plot, and the card's settings in the learner's words."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from hafiza.engine.events import BatchEnd, EpochEnd, Started
from hafiza.engine.exercises import get_exercise
from hafiza.ui import i18n
from hafiza.ui.blocks.exercise import ExerciseCard, exercise_title
from hafiza.ui.exercise_panel import ExercisePanel
from hafiza.ui.run_controls import RunControls, RunProgress
from hafiza.ui.training_plots import TrainingPlots


@pytest.fixture
def panel(qtbot, qapp):
    def make(name, **hyper):
        exercise = get_exercise(name)
        exercise["hyperparameters"].update(hyper)
        widget = ExercisePanel(exercise)
        qtbot.addWidget(widget)
        widget.show()
        return widget

    yield make
    i18n.apply_language(qapp, "en")


def test_a_regression_shows_no_accuracy_plot(panel, qtbot):
    widget = panel("seq003", epochs=3)
    assert not widget.metric_plot.isVisible()
    with qtbot.waitSignal(widget.run_finished, timeout=60_000):
        widget.train()
    assert not widget.metric_plot.isVisible()  # the run reported only its loss
    assert "accuracy" not in widget.history[-1]
    assert widget.loss_plot.isVisible()


def test_the_run_decides_which_metric_is_plotted(qtbot):
    plots = TrainingPlots({"id": "e", "task": "regression"})
    qtbot.addWidget(plots)
    plots.show()
    assert plots.plotted_metric is None and not plots.metric_plot.isVisible()
    plots.add_epoch(EpochEnd(1, 5, {"loss": 0.5, "accuracy": 0.75}, 0.1, 0.01))
    assert plots.plotted_metric == "accuracy" and plots.metric_plot.isVisible()


def test_an_absurd_value_is_brought_to_the_limit_and_the_form_says_so(panel, qtbot):
    widget = panel("mlp_xor")
    rate = widget.controls.editors["learning_rate"][0]
    note = widget.controls.notes["learning_rate"]
    assert not note.isVisible()
    rate.lineEdit().selectAll()
    qtbot.keyClicks(rate, "1000")
    qtbot.keyClick(rate, Qt.Key.Key_Return)
    assert rate.value() == 10.0
    assert note.isVisible() and note.text() == "The largest allowed is 10.00000."
    qtbot.keyClicks(rate, "1")  # typing again: the note goes
    assert not note.isVisible()
    units = widget.controls.editors["model.0"][0]
    units.lineEdit().selectAll()
    qtbot.keyClicks(units, "999999999")
    qtbot.keyClick(units, Qt.Key.Key_Return)
    assert units.value() == units.maximum()
    assert widget.controls.notes["model.0"].text() == (
        f"The largest allowed is {units.textFromValue(units.maximum())}.")


def test_reset_starts_the_status_line_over(panel, qtbot):
    widget = panel("mlp_xor", epochs=5000)
    widget.train()
    qtbot.waitUntil(lambda: len(widget.history) > 0, timeout=60_000)
    widget.stop()
    qtbot.waitUntil(lambda: widget.train_button.isEnabled(), timeout=60_000)
    assert widget.status.text() == "Stopped."
    widget.reset()
    assert widget.status.text() == "Press Train to start."
    assert widget.progress.value() == 0 and widget.log.toPlainText() == ""


def test_under_a_second_left_reads_almost_done(qtbot):
    controls = RunControls()
    qtbot.addWidget(controls)
    started = Started(epochs=1, batches_per_epoch=100, train_samples=100, val_samples=10,
                      parameters=10, device="cpu")

    def status(done: int, elapsed: float) -> str:
        return controls._status_text(RunProgress(
            has_run=True, running=True, paused=False, started=started,
            batch=BatchEnd(1, done, 100, 0.5, done), elapsed=elapsed))

    assert status(99, 10.0).endswith("almost done")  # 0.1 s left
    assert status(50, 10.0).endswith("about 10 seconds left")


def test_an_epoch_curve_draws_a_dot_on_each_point(qtbot):
    plots = TrainingPlots({"id": "e", "task": "binary"})
    qtbot.addWidget(plots)
    plots.add_epoch(EpochEnd(1, 5, {"loss": 0.5, "val_loss": 0.6, "accuracy": 1.0,
                                    "val_accuracy": 0.9}, 0.1, 0.01))
    plots.redraw()
    validation = plots.loss_plot.curves["val"]
    assert validation.path().elementCount() <= 1  # one point: no line to see
    assert validation.dots is not None and not validation.dots.path().isEmpty()
    assert validation.dots.pen().widthF() >= 4  # a dot, seen at once
    # an accuracy of 1 sits inside the plot, below its top edge
    low, high = plots.metric_plot.getPlotItem().vb.viewRange()[1]
    assert low == 0 and high > 1.0
    # the batch loss curve (thousands of points) has no dots
    plots.add_batches([BatchEnd(1, 1, 2, 0.4, 8)])
    assert plots.loss_plot.curves["train"].dots is None


def test_the_legend_lets_the_curves_show_through(qtbot):
    plots = TrainingPlots({"id": "e", "task": "binary"})
    qtbot.addWidget(plots)
    assert plots.loss_plot.legend.opts["brush"].color().alpha() < 255
    # accuracy rises to the top right: its legend sits at the bottom right
    assert plots.metric_plot.legend.opts["offset"][1] < 0
    assert np.isclose(plots.loss_plot.legend.opts["offset"][1], 10)


def test_the_card_and_the_title_speak_the_learners_words(qtbot, qapp):
    exercise = {"id": "first-network", "task": "binary",
                "dataset": {"name": "xor", "noise": 0.1},
                "model": ["Dense(8, tanh)", "Dense(1, sigmoid)"],
                "controls": ["learning_rate", "model.0", "dataset.noise"]}
    card = ExerciseCard("lesson", "first-network", exercise, Qt.LayoutDirection.LeftToRight)
    qtbot.addWidget(card)
    text = card.summary.plain_text()
    assert "Data: the XOR points" in text
    assert "Learning rate, Units of layer 1, Noise in the data" in text
    for internal in ("learning_rate", "model.0", "dataset.noise", "xor,"):
        assert internal not in text
    assert exercise_title(exercise, "en") == "binary classification on the XOR points"
    assert exercise_title({"id": "activations", "playground": "activations"}, "en") \
        == "Activation functions"


def test_a_language_model_run_ends_with_the_counting_baseline_in_the_log(qtbot, qapp,
                                                                          tmp_path):
    """The learner sees, in their language, what counting alone reaches on the same text."""
    from hafiza.engine.data.text_files import with_text_file

    (tmp_path / "cycle.txt").write_text("the cat sat on the mat and the dog ran .\n" * 80,
                                        encoding="utf-8")
    exercise = with_text_file(get_exercise("lm_lessons"), "cycle.txt")
    exercise["hyperparameters"]["epochs"] = 1
    widget = ExercisePanel(exercise, data_root=tmp_path)
    qtbot.addWidget(widget)
    i18n.apply_language(qapp, "fa")
    try:
        with qtbot.waitSignal(widget.run_finished, timeout=60_000):
            widget.train()
        log = widget.log.toPlainText()
        assert "trigram" in log and "سرگشتگی" in log
        i18n.apply_language(qapp, "en")
        widget.retranslate()
        assert "Counting alone (a trigram model of the same text)" in widget.log.toPlainText()
    finally:
        i18n.apply_language(qapp, "en")


def test_a_tagger_run_ends_with_its_f1_beside_the_baseline_in_the_log(qtbot, qapp):
    """The learner reads, in their language, how many names the tagger finds in held-out
    sentences and what giving each word its commonest tag would find (issue 19)."""
    exercise = {"id": "tagger", "task": "tagging",
                "dataset": {"name": "entities", "variety": "fa", "n_samples": 120},
                "model": ["Embedding(vocab_size, 8)",
                          "Bidirectional(LSTM(8, return_sequences=True))",
                          "Dense(n_classes, softmax)"],
                "loss": "categorical_crossentropy", "hyperparameters": {"epochs": 1}}
    widget = ExercisePanel(exercise)
    qtbot.addWidget(widget)
    i18n.apply_language(qapp, "fa")
    try:
        with qtbot.waitSignal(widget.run_finished, timeout=60_000):
            widget.train()
        assert "F1" in widget.log.toPlainText() and "جمله" in widget.log.toPlainText()
    finally:
        i18n.apply_language(qapp, "en")
