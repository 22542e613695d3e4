"""The exercise panel: an exercise's title and goal, the settings it lets the learner change
(ui.controls_form), the run's buttons and status (ui.run_controls), and four tabs: the live
plots (ui.training_plots), the log (ui.exercise_log), the model summary (ui.model_summary)
and the earlier runs (ui.earlier_runs).

Training runs in a worker thread (ui.training.TrainingRun); this widget only routes its
events to those parts. Plots and the status line redraw from a 5 Hz timer, never per batch.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from hafiza.engine.events import Finished
from hafiza.ui.blocks.exercise import exercise_title, goal_text
from hafiza.ui.controls_form import ControlsForm
from hafiza.ui.earlier_runs import EarlierRuns
from hafiza.ui.exercise_log import TrainingLog, keras_line  # noqa: F401 (tests use it here)
from hafiza.ui.i18n import _, current_variety, isolate, ngettext, number
from hafiza.ui.model_summary import ModelSummaryTable
from hafiza.ui.run_controls import RunControls, RunProgress
from hafiza.ui.run_history import LoadedModel, RunRecorder
from hafiza.ui.training import DELIVERY_INTERVAL, TrainingRun
from hafiza.ui.training_plots import TrainingPlots

# The rate at which training events arrive (ui.training.DELIVERY_INTERVAL, 5 Hz): a faster
# timer only woke the GUI thread to find nothing new, and each wake-up takes the GIL from the
# training thread. At 10 Hz the app trained a small MLP at 0.952 of a plain script's speed
# and an LSTM at 0.961 (bench/gui_training.py, 8 pairs each), too close to issue 14's 0.95
# for the noise; at 5 Hz, 0.965 and 0.988 (with ui.gc_guard collecting in the GUI thread).
# The curves still move five times a second. (5 Hz once made CI crash; the cause was the
# garbage collector freeing widgets from the training thread, fixed in ui.gc_guard.)
REDRAW_MS = round(DELIVERY_INTERVAL * 1000)
# The status line and the progress bar follow at the same 5 Hz: the bar repaints
# synchronously whenever its value moves, 0.6 ms of GUI-thread time each (measured), which
# at 20 Hz was a visible share of what the GUI thread took from training.
STATUS_EVERY_TICKS = 1


def _STOPPED() -> str:  # noqa: N802 (a sentence, written when it is shown)
    return _("Stopped.")


def _GOAL_REACHED() -> str:  # noqa: N802
    return _("Goal reached!")


def _GOAL_MISSED() -> str:  # noqa: N802
    return _("Finished; the goal is not reached yet: change a setting and train again.")


class _FillsItsArea(QVBoxLayout):
    """The panel's layout, which never asks for a height for its width. A wrapped label
    (the title, a failure's sentence) otherwise makes it do so, and a scroll area then
    gives the panel the preferred height of every part, ~500 px per plot: 880 px in all,
    so a 1024x700 window scrolled to reach the plots' own save buttons. Without it, the
    panel fills the window and scrolls only below its minimum."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False


class ExercisePanel(QWidget):
    """Train one exercise and watch it learn."""

    run_finished = Signal(object)  # the TrainingRun, once its thread has ended
    model_ready = Signal(object)  # a LoadedModel for the playgrounds

    def __init__(self, exercise: dict, parent: QWidget | None = None,
                 recorder: RunRecorder | None = None, *, data_root: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exercise-panel")
        self.exercise = exercise
        self.data_root = data_root  # the lesson folder: the only files its runs may read
        self.recorder = recorder
        self.run: TrainingRun | None = None
        self.runs: list[TrainingRun] = []  # finished runs, for the playgrounds
        self._started = None
        self._last_batch = None
        self._paused = False
        self._final_notes: list = []
        self._summary_pending = False
        self._ticks = 0

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.goal = QLabel()
        self.goal.setWordWrap(True)
        self.controls = ControlsForm(exercise)
        self.own_text = self._own_text_row()
        self.run_controls = RunControls()
        self.plots = TrainingPlots(exercise)
        self.log = TrainingLog()
        self.summary = ModelSummaryTable()
        self.earlier_runs = EarlierRuns(recorder, self.plots)
        self.earlier_runs.model_ready.connect(self.model_ready)
        self.tabs = QTabWidget()
        for tab in (self.plots, self.log, self.summary, self.earlier_runs):
            self.tabs.addTab(tab, "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._name_parts()

        layout = _FillsItsArea(self)
        layout.addWidget(self.title)
        layout.addWidget(self.goal)
        layout.addWidget(self.controls)
        if self.own_text is not None:
            layout.addWidget(self.own_text)
        layout.addWidget(self.run_controls)
        layout.addWidget(self.tabs, 1)
        # The tabs keep their plots' height when the window is short: the window's scroll
        # area then scrolls, rather than squeezing the plots to nothing.
        self.tabs.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        buttons = self.run_controls
        buttons.train_button.clicked.connect(self.train)
        buttons.pause_button.clicked.connect(self.toggle_pause)
        buttons.step_button.clicked.connect(self.step)
        buttons.stop_button.clicked.connect(self.stop)
        buttons.reset_button.clicked.connect(self.reset)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw)
        self.retranslate()
        self._show_run_state()

    def _own_text_row(self):
        """A language model may train on the learner's own text (ui.own_text)."""
        if self.exercise.get("task") != "language_model":
            return None
        from hafiza.ui.own_text import OwnTextRow
        from hafiza.ui.run_history import own_texts_folder

        runs = self.recorder.runs if self.recorder is not None else None
        return OwnTextRow(own_texts_folder(runs))

    def _with_chosen_text(self, exercise: dict) -> tuple[dict, Path | None]:
        """The exercise as the next run trains it, and the folder its file is read from:
        the learner's own text (saved in the texts folder) or the lesson's."""
        if self.own_text is None or self.own_text.text_path is None:
            return exercise, self.data_root
        from hafiza.engine.data.text_files import with_text_file

        path = self.own_text.text_path
        return with_text_file(exercise, path.name), path.parent

    def _name_parts(self) -> None:
        """The parts' widgets by the names tests, benchmarks and the window reach for."""
        for name in ("train_button", "pause_button", "step_button", "stop_button",
                     "reset_button", "progress", "status", "error"):
            setattr(self, name, getattr(self.run_controls, name))
        self.loss_plot = self.plots.loss_plot
        self.metric_plot = self.plots.metric_plot
        self.earlier = self.earlier_runs.list
        self.use_model_button = self.earlier_runs.use_model_button

    @property
    def history(self) -> list[dict]:
        """The epoch metrics of the current run."""
        return self.plots.history

    def export_csv(self, path: str | Path) -> None:
        self.plots.export_csv(path)

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        name = exercise_title(self.exercise, current_variety().tag)
        self.title.setText(_("Exercise: {name}").format(name=isolate(name)))
        self.goal.setText(goal_text(self.exercise.get("goal")))
        self.controls.retranslate()
        if self.own_text is not None:
            self.own_text.retranslate()
        self.run_controls.retranslate()
        self.plots.retranslate()
        self.log.retranslate()
        self.summary.retranslate()
        self.earlier_runs.retranslate()
        for index, text in enumerate((_("Plots"), _("Log"), _("Model"), _("Earlier runs"))):
            self.tabs.setTabText(index, text)
        self._show_status()

    def _show_run_state(self) -> None:
        """What a start, a pause, a step or the end of a run changes. Not a whole
        retranslate(): that re-lays out the plots' labels, ~10 ms of GUI thread."""
        running = self._running()
        self.run_controls.show_running(running, self._paused)
        self.controls.setEnabled(not running)
        if self.own_text is not None:
            self.own_text.setEnabled(not running)
        self._show_status()

    def _running(self) -> bool:
        return self.run is not None and self.run.is_running()

    # -- actions --------------------------------------------------------------------------------
    @Slot()
    def train(self) -> None:
        if self._running() or not self._data_available():
            return
        from hafiza.engine.exercises import ExerciseError, apply_overrides

        try:
            exercise = apply_overrides(self.exercise, self.controls.overrides(),
                                       self.exercise.get("controls"))
        except ExerciseError as error:
            self.run_controls.show_failure("bad_data", str(error), error)
            return
        exercise, data_root = self._with_chosen_text(exercise)
        self.run_controls.hide_failure()
        # The x axis spans the epochs from the start: set before the thread runs, its redraw
        # does not land in the first seconds of training.
        self.plots.start_run(exercise.get("hyperparameters", {}).get("epochs"),
                             first=self.run is None)
        self.log.clear()
        self._paused = False
        self._final_notes: list = []
        self._started = None
        self._last_batch = None
        if self.recorder is not None:
            self.recorder.start(exercise)
        run = TrainingRun(exercise, self, data_root=data_root)
        run.started.connect(self._on_started)
        run.batches.connect(self._on_batches)
        run.epoch_ended.connect(self._on_epoch)
        run.paused.connect(self._on_paused)
        run.finished.connect(self._on_finished)
        run.failed.connect(self._on_failed)
        run.ended.connect(self._on_ended)
        run.tested.connect(self._on_tested)
        run.baseline.connect(self._on_baseline)
        run.entities_found.connect(self._on_entities_found)
        self.run = run
        self.timer.start()
        run.start()
        self._show_run_state()

    def _data_available(self) -> bool:
        """Data the learner imports once (IMDB) must be there: offer the import if not."""
        from hafiza.engine.data import is_imported

        name = self.exercise.get("dataset", {}).get("name", "")
        if is_imported(name):
            return True
        from hafiza.ui.imdb_import import ImdbImportDialog  # the one importer there is

        ImdbImportDialog(self).exec()
        if not is_imported(name):
            self.run_controls.show_failure("bad_data",
                                           _("the IMDB reviews are not imported yet"))
            return False
        return True

    @Slot()
    def toggle_pause(self) -> None:
        if not self._running():
            return
        self._paused = not self._paused
        if self._paused:
            self.run.pause()
        else:
            self.run.resume()
        self._show_run_state()

    @Slot()
    def step(self) -> None:
        if self._running():
            self._paused = True
            self.run.step()
            self._show_run_state()

    @Slot()
    def stop(self) -> None:
        if self._running():
            self.run.stop()

    @Slot()
    def reset(self) -> None:
        """Back to before the first run: empty plots and log, and the status line says to
        press Train (not how the last run ended)."""
        self.stop_and_wait()
        self.plots.clear()
        self.log.clear()
        self.summary.clear_rows()
        self.run_controls.clear()
        self._started = None
        self._last_batch = None
        self._final_notes: list = []
        self._paused = False
        self.run = None  # the status line starts over: "Press Train to start."
        self._show_run_state()

    def is_training(self) -> bool:
        """A run's thread is alive: training, paused, or preparing its data."""
        return self._running()

    def stop_and_wait(self, timeout_ms: int = 10_000) -> bool:
        """Stops the run and lets its end arrive (the status, the log and the record say
        "stopped") before returning; True when it has ended within the timeout."""
        if not self._running():
            return True
        loop = QEventLoop()
        self.run_finished.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        self.run.stop()
        loop.exec()
        self.run_finished.disconnect(loop.quit)
        return not self._running()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stops a running run and waits for its thread and the model being saved (on
        close)."""
        stopped = True
        if self._running():
            self.run.stop()
            stopped = self.run.wait(timeout_ms)
        if self.recorder is not None:
            stopped = self.recorder.wait(timeout_ms) and stopped
        return stopped

    # -- events from the run ----------------------------------------------------------------------
    @Slot(object)
    def _on_started(self, started) -> None:
        self._started = started
        self.plots.set_x_extent(started.epochs)
        # The table is filled when it is looked at or when the run ends: filling it at the
        # start was the longest GUI-thread step of a run (~10 ms while training starts).
        self._summary_pending = True
        if self.tabs.currentWidget() is self.summary:
            self._fill_summary()

    @Slot(object)
    def _on_batches(self, batches: list) -> None:
        self.plots.add_batches(batches)
        self._last_batch = batches[-1]

    @Slot(object)
    def _on_epoch(self, epoch) -> None:
        if self.recorder is not None:
            self.recorder.epoch(epoch)
        self.log.add_epoch(epoch)
        self.plots.add_epoch(epoch)

    @Slot(object)
    def _on_paused(self, _paused) -> None:
        self._paused = True
        self._show_run_state()

    @Slot(object)
    def _on_finished(self, finished) -> None:
        from hafiza.engine.exercises import goal_met

        if finished.stopped_by_user:
            note = _STOPPED
        elif goal_met(self.exercise.get("goal"), finished.metrics):
            note = _GOAL_REACHED
        else:
            note = _GOAL_MISSED
        self.log.add_note(note)
        self._final_notes = [note]

    @Slot(object)
    def _on_tested(self, result) -> None:
        def note() -> str:
            return ngettext("Accuracy on the {n} test example: {accuracy}%",
                            "Accuracy on the {n} test examples: {accuracy}%",
                            result.count).format(n=number(result.count),
                                                 accuracy=number(100 * result.accuracy, 2))

        self.log.add_note(note)
        self._final_notes.append(note)

    @Slot(object)
    def _on_baseline(self, baseline) -> None:
        def note() -> str:
            return _("Counting alone (a trigram model of the same text) reaches a validation "
                     "perplexity of {perplexity}: does your network beat it?").format(
                perplexity=number(baseline.val_perplexity, 1))

        self.log.add_note(note)
        self._final_notes.append(note)

    @Slot(object)
    def _on_entities_found(self, found) -> None:
        def note() -> str:
            return ngettext(
                "Names found in the {n} held-out sentence (F1): {f1}%; giving each word the "
                "tag it had most often in training: {baseline}%",
                "Names found in the {n} held-out sentences (F1): {f1}%; giving each word the "
                "tag it had most often in training: {baseline}%",
                found.sentences).format(n=number(found.sentences),
                                        f1=number(100 * found.f1, 1),
                                        baseline=number(100 * found.baseline_f1, 1))

        self.log.add_note(note)
        self._final_notes.append(note)

    @Slot(str, str)
    def _on_failed(self, reason: str, detail: str) -> None:
        refusal = self.run.refusal if self.run is not None else None
        self.run_controls.show_failure(reason, detail, refusal)

    @Slot()
    def _on_ended(self) -> None:
        self.timer.stop()
        self._paused = False
        self.plots.finish_run()
        self._redraw()
        run = self.run
        if run is not None:
            self.runs.append(run)
            if self.recorder is not None:
                self.recorder.end(run)
            self.run_finished.emit(run)
            if run.prepared is not None and isinstance(run.outcome, Finished):
                prepared = run.prepared
                self.model_ready.emit(LoadedModel(prepared.model, prepared.vocab, run.exercise,
                                                  run.outcome.metrics, prepared.data))
        if self._summary_pending:
            self._fill_summary()
        self._show_run_state()

    # -- drawing ----------------------------------------------------------------------------------
    @Slot()
    def _redraw(self) -> None:
        self.plots.redraw()
        self._ticks += 1
        if self._ticks % STATUS_EVERY_TICKS == 0 or not self.timer.isActive():
            self._show_status()

    def _show_status(self) -> None:
        running = self._running()
        elapsed = time.monotonic() - self.run.started_at if self.run is not None else 0.0
        self.run_controls.show_progress(RunProgress(
            has_run=self.run is not None, running=running, paused=self._paused,
            started=self._started, batch=self._last_batch, elapsed=elapsed,
            final_note=" ".join(note() for note in self._final_notes)))

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        if self._summary_pending and self.tabs.currentWidget() is self.summary:
            self._fill_summary()

    def _fill_summary(self) -> None:
        self._summary_pending = False
        if self.run is not None and self.run.prepared is not None:
            self.summary.show_model(self.run.prepared.model)
