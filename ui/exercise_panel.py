"""The exercise panel: the controls a lesson exposes, Train/Pause/Step/Stop/Reset, progress,
a Keras-like log, the model summary and live plots.

Training runs in a worker thread (ui.training.TrainingRun); this widget only turns its events
into pixels. Plots and the progress line redraw from a 20 Hz timer, never per batch.
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from hafiza.ui.blocks.exercise import exercise_title, goal_text
from hafiza.ui.i18n import N_, VARIETIES, _, current_variety, isolate, ngettext, number
from hafiza.ui.plots import MetricPlot
from hafiza.ui.run_history import LoadedModel, RunRecorder
from hafiza.ui.training import TrainingRun
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

RECURRENT_CELLS = ("SimpleRNN", "LSTM", "GRU")
POOLINGS = ("LastStep", "GlobalMeanPool", "GlobalMaxPool")
# The one number of a layer that the form edits: the units of a Dense or recurrent layer
# (also inside Bidirectional(...)), or the vector size of an embedding, its second argument
# (its first, the vocabulary size, was once read as units and capped at 4,096).
UNITS_TEXT = re.compile(r"^\s*(Bidirectional\(\s*)?(Dense|SimpleRNN|LSTM|GRU)\(\s*()(\d+)(.*)$",
                        re.DOTALL)
VECTOR_TEXT = re.compile(r"^\s*()(Embedding|EmbeddingBag)\(\s*(\w+\s*,\s*)(\d+)(.*)$", re.DOTALL)
REDRAW_MS = 50  # 20 Hz
# The status line and the progress bar follow at a quarter of that (5 Hz): the bar repaints
# synchronously whenever its value moves, 0.6 ms of GUI-thread time each (measured), which
# at 20 Hz was a visible share of what the GUI thread took from training.
STATUS_EVERY_TICKS = 4

CONTROL_LABELS = {
    "optimizer": N_("Optimizer"),
    "learning_rate": N_("Learning rate"),
    "batch_size": N_("Batch size"),
    "epochs": N_("Epochs"),
    "shuffle": N_("Shuffle the examples"),
    "bptt": N_("Truncated BPTT length"),
    "clip_norm": N_("Gradient clipping (norm)"),
    "max_seconds": N_("Time limit (seconds)"),
    "dataset.noise": N_("Noise in the data"),
    "dataset.seq_len": N_("Sequence length"),
    "dataset.window": N_("Window length"),
    "dataset.variety": N_("Text of the lessons in"),
    "dataset.n_samples": N_("Number of examples"),
    "dataset.maxlen": N_("Words kept per text"),
    "dataset.num_words": N_("Vocabulary size (words)"),
    "dataset.padding": N_("Padding of short texts"),
    "dataset.truncating": N_("Cutting of long texts"),
}
# pad_sequences' "pre" and "post", as the learner reads them.
SIDES = {"pre": N_("at the start (pre)"), "post": N_("at the end (post)")}

FAILURES = {
    "nan_loss": N_(
        "The loss became NaN (not a number): the learning rate is probably too large. "
        "Lower it and train again."
    ),
    "out_of_memory": N_("There is not enough memory for this model. Make the model or the "
                        "batch smaller and train again."),
    "bad_data": N_("This exercise's data or settings cannot be used: {detail}"),
    "error": N_("Training stopped because of an unexpected error; the app keeps working. "
                "Details: {detail}"),
}


class EditableLayer(NamedTuple):
    """A layer's text split around the number the form edits:
    'Bidirectional(GRU(32, return_sequences=True))' -> ('Bidirectional(', 'GRU', '', 32,
    ', return_sequences=True))'); 'EmbeddingBag(10000, 16)' -> ('', 'EmbeddingBag',
    '10000, ', 16, ')')."""

    wrapper: str
    kind: str
    lead: str
    value: int
    rest: str

    @property
    def is_vector_size(self) -> bool:
        return self.kind.startswith("Embedding")

    def text(self, kind: str | None = None, value: int | None = None) -> str:
        kind = kind or self.kind
        value = self.value if value is None else value
        return f"{self.wrapper}{kind}({self.lead}{value}{self.rest}"


def editable_layer(text: str) -> EditableLayer | None:
    match = UNITS_TEXT.match(text) or VECTOR_TEXT.match(text)
    if not match:
        return None
    wrapper, kind, lead, value, rest = match.groups()
    return EditableLayer(wrapper or "", kind, lead, int(value), rest)


class ControlsForm(QWidget):
    """Widgets for the settings an exercise lets the learner change."""

    def __init__(self, exercise: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, tuple[QWidget, ...]] = {}
        self.labels: dict[str, QLabel] = {}
        for name in exercise.get("controls", []):
            editors = self._editors_for(name)
            if editors is None:
                continue
            self.editors[name] = editors
            row = QWidget()
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            for editor in editors:
                box.addWidget(editor)
            label = QLabel()
            label.setBuddy(editors[0])
            self.labels[name] = label
            self.form.addRow(label, row)

    def _editors_for(self, name: str) -> tuple[QWidget, ...] | None:
        hyper = self.exercise.get("hyperparameters", {})
        dataset = self.exercise.get("dataset", {})
        if name == "optimizer":
            combo = QComboBox()
            combo.addItems(["adam", "sgd", "rmsprop"])
            combo.setCurrentText(str(hyper.get("optimizer", "adam")))
            return (combo,)
        if name == "learning_rate":
            return (self._double(hyper.get("learning_rate", 0.001), 1e-5, 10.0, 5),)
        if name in ("batch_size", "epochs", "bptt", "max_seconds"):
            low = 0 if name in ("batch_size", "max_seconds") else 1
            spin = QSpinBox()
            spin.setRange(low, 100_000)
            spin.setValue(int(hyper.get(name) or 0))
            return (spin,)
        if name == "clip_norm":
            return (self._double(hyper.get("clip_norm") or 0.0, 0.0, 100.0, 2),)
        if name == "shuffle":
            box = QCheckBox()
            box.setChecked(bool(hyper.get("shuffle", True)))
            return (box,)
        if name == "dataset.variety":
            combo = QComboBox()
            for tag, variety in VARIETIES.items():
                combo.addItem(variety.native_name, tag)
            combo.setCurrentIndex(max(0, combo.findData(dataset.get("variety", "ary"))))
            return (combo,)
        if name in ("dataset.padding", "dataset.truncating"):
            combo = QComboBox()
            for side in SIDES:
                combo.addItem(side, side)  # the text is set in retranslate()
            combo.setCurrentIndex(max(0, combo.findData(dataset.get(name.split(".")[1], "pre"))))
            return (combo,)
        if name.startswith("dataset."):
            value = dataset.get(name.split(".", 1)[1], 0)
            if isinstance(value, str):
                return None  # no editor for free text: the lesson's value stays
            if isinstance(value, bool):
                box = QCheckBox()
                box.setChecked(value)
                return (box,)
            if isinstance(value, int):
                spin = QSpinBox()
                spin.setRange(1, 100_000)
                spin.setValue(value)
                return (spin,)
            return (self._double(float(value), 0.0, 10.0, 3),)
        if name.startswith("model."):
            layer = self.exercise["model"][int(name.split(".", 1)[1])]
            if layer.strip() in POOLINGS:
                pooling = QComboBox()
                pooling.addItems(POOLINGS)
                pooling.setCurrentText(layer.strip())
                return (pooling,)
            parts = editable_layer(layer)
            if parts is None:
                return None
            spin = QSpinBox()
            spin.setRange(1, 4096)
            spin.setValue(parts.value)
            if parts.kind in RECURRENT_CELLS:
                cell = QComboBox()
                cell.addItems(RECURRENT_CELLS)
                cell.setCurrentText(parts.kind)
                return (spin, cell)
            return (spin,)
        return None

    @staticmethod
    def _double(value: float, low: float, high: float, decimals: int) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setDecimals(decimals)
        spin.setRange(low, high)
        spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        spin.setValue(float(value))
        return spin

    def retranslate(self) -> None:
        for name, label in self.labels.items():
            if name in CONTROL_LABELS:
                label.setText(_(CONTROL_LABELS[name]))
            elif name.startswith("model.") and isinstance(self.editors[name][0], QComboBox):
                label.setText(_("Pooling over time"))
            elif name.startswith("model."):
                index = int(name.split(".", 1)[1])
                vector = editable_layer(self.exercise["model"][index]).is_vector_size
                label.setText((_("Size of each word's vector in layer {n}") if vector
                               else _("Units of layer {n}")).format(n=number(index + 1)))
            else:
                label.setText(name)
        for name, editors in self.editors.items():
            if name in ("dataset.padding", "dataset.truncating"):
                for index in range(editors[0].count()):
                    editors[0].setItemText(index, _(SIDES[editors[0].itemData(index)]))
            if name == "batch_size":
                editors[0].setSpecialValueText(_("whole set"))
            elif name in ("max_seconds", "clip_norm"):
                editors[0].setSpecialValueText(_("off"))

    def overrides(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, editors in self.editors.items():
            editor = editors[0]
            if name.startswith("model.") and isinstance(editor, QComboBox):
                values[name] = editor.currentText()  # a pooling layer
            elif name.startswith("model."):
                parts = editable_layer(self.exercise["model"][int(name.split(".", 1)[1])])
                kind = editors[1].currentText() if len(editors) > 1 else None
                values[name] = parts.text(kind, editor.value())
            elif isinstance(editor, QComboBox):
                data = editor.currentData()
                values[name] = data if data is not None else editor.currentText()
            elif isinstance(editor, QCheckBox):
                values[name] = editor.isChecked()
            elif name in ("clip_norm", "max_seconds") and editor.value() == 0:
                values[name] = None
            else:
                values[name] = editor.value()
        return values


class ExercisePanel(QWidget):
    """Train one exercise and watch it learn."""

    run_finished = Signal(object)  # the TrainingRun, once its thread has ended
    model_ready = Signal(object)  # a LoadedModel for the playgrounds

    def __init__(self, exercise: dict, parent: QWidget | None = None,
                 recorder: RunRecorder | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exercise-panel")
        self.exercise = exercise
        self.recorder = recorder
        self.run: TrainingRun | None = None
        self.runs: list[TrainingRun] = []  # finished runs, for the playgrounds
        self.history: list[dict] = []  # epoch metrics of the current run (CSV export)
        self._started = None
        self._last_batch = None
        self._paused = False
        self._final_note = ""

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.goal = QLabel()
        self.controls = ControlsForm(exercise)

        self.train_button = QPushButton()
        self.pause_button = QPushButton()
        self.step_button = QPushButton()
        self.stop_button = QPushButton()
        self.reset_button = QPushButton()
        self.train_button.setObjectName("train")
        self.train_button.setShortcut("Ctrl+Return")
        buttons = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.step_button, self.stop_button,
                       self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.train_button.clicked.connect(self.train)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.step_button.clicked.connect(self.step)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.status = QLabel()
        # Its text changes 20 times a second: keep that from re-laying out the whole panel.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.error = QLabel()
        self.error.setObjectName("training-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel#training-error { color: #c0392b; font-weight: bold; }")
        self.error.hide()

        self.loss_plot = MetricPlot()
        self.metric_plot = MetricPlot()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        # Keras' log format, left to right like the code in the lessons.
        self.log.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.summary = QTableWidget(0, 3)
        self.summary.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.summary.verticalHeader().hide()
        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.addWidget(self.loss_plot)
        plots_layout.addWidget(self.metric_plot)
        self.export_png_button = QPushButton()
        self.export_csv_button = QPushButton()
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.export_png_button)
        exports.addWidget(self.export_csv_button)
        plots_layout.addLayout(exports)
        self.export_png_button.clicked.connect(self._ask_export_png)
        self.export_csv_button.clicked.connect(self._ask_export_csv)
        self.earlier = QListWidget()
        self.earlier.setObjectName("earlier-runs")
        self.earlier.itemChanged.connect(self._on_earlier_checked)
        self.use_model_button = QPushButton()
        self.use_model_button.clicked.connect(self._use_earlier_model)
        self.history_note = QLabel()
        self.history_note.setWordWrap(True)
        earlier = QWidget()
        earlier_layout = QVBoxLayout(earlier)
        earlier_layout.addWidget(self.history_note)
        earlier_layout.addWidget(self.earlier, 1)
        earlier_layout.addWidget(self.use_model_button)
        self.tabs = QTabWidget()
        self.tabs.addTab(plots, "")
        self.tabs.addTab(self.log, "")
        self.tabs.addTab(self.summary, "")
        self.tabs.addTab(earlier, "")
        self._summary_pending = False
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._compared: dict[int, list] = {}  # run id -> its faded curves on the plots
        if recorder is not None:
            recorder.problem.connect(self._on_store_problem)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.goal)
        layout.addWidget(self.controls)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw)
        self._ticks = 0
        self.retranslate()
        self._update_buttons()
        self._list_earlier_runs()

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        name = exercise_title(self.exercise, current_variety().tag)
        self.title.setText(_("Exercise: {name}").format(name=isolate(name)))
        self.goal.setText(goal_text(self.exercise.get("goal")))
        self.controls.retranslate()
        self.train_button.setText(_("Train"))
        self.pause_button.setText(_("Resume") if self._paused else _("Pause"))
        self.step_button.setText(_("Step"))
        self.stop_button.setText(_("Stop"))
        self.reset_button.setText(_("Reset"))
        self.export_png_button.setText(_("Save plot as PNG…"))
        self.export_csv_button.setText(_("Save metrics as CSV…"))
        self.tabs.setTabText(0, _("Plots"))
        self.tabs.setTabText(1, _("Log"))
        self.tabs.setTabText(2, _("Model"))
        self.tabs.setTabText(3, _("Earlier runs"))
        self.history_note.setText(
            _("Tick a run to compare its curves with this one.") if self.recorder is not None
            else _("Runs are not being saved.")
        )
        self.use_model_button.setText(_("Use this run's model in the playground"))
        self._list_earlier_runs()
        self.summary.setHorizontalHeaderLabels([_("Layer (type)"), _("Output shape"),
                                                _("Parameters")])
        self.loss_plot.set_labels(_("epoch"), _("loss"),
                                  {"train": _("training"), "val": _("validation")})
        self.metric_plot.set_labels(_("epoch"), self._metric_name(),
                                    {"train": _("training"), "val": _("validation")})
        self._show_status()

    def _show_run_state(self) -> None:
        """What a pause, a step or the end of a run changes. Not a whole retranslate(): that
        re-lays out the plots' labels and legend, ~10 ms of GUI thread while training."""
        self.pause_button.setText(_("Resume") if self._paused else _("Pause"))
        self._update_buttons()
        self._show_status()

    def _metric_name(self) -> str:
        return _("perplexity") if self._metric_key() == "perplexity" else _("accuracy")

    # -- actions --------------------------------------------------------------------------------
    @Slot()
    def train(self) -> None:
        if self.run is not None and self.run.is_running():
            return
        if not self._data_available():
            return
        from hafiza.engine.exercises import ExerciseError, apply_overrides

        try:
            exercise = apply_overrides(self.exercise, self.controls.overrides(),
                                       self.exercise.get("controls"))
        except ExerciseError as error:
            self._show_failure("bad_data", str(error))
            return
        self.error.hide()
        if self.run is not None:
            self.loss_plot.new_run()
            self.metric_plot.new_run()
        self.history = []
        self.log.clear()
        self._paused = False
        self._final_note = ""
        self._started = None
        self._last_batch = None
        if self.recorder is not None:
            self.recorder.start(exercise)
        run = TrainingRun(exercise, self)
        run.started.connect(self._on_started)
        run.batches.connect(self._on_batches)
        run.epoch_ended.connect(self._on_epoch)
        run.paused.connect(self._on_paused)
        run.finished.connect(self._on_finished)
        run.failed.connect(self._on_failed)
        run.ended.connect(self._on_ended)
        run.tested.connect(self._on_tested)
        self.run = run
        # The x axis spans the epochs from the start: set before the thread runs, its redraw
        # does not land in the first seconds of training.
        epochs = exercise.get("hyperparameters", {}).get("epochs")
        if isinstance(epochs, int) and epochs > 0:
            self.loss_plot.set_x_extent(epochs)
            self.metric_plot.set_x_extent(epochs)
        self.timer.start()
        run.start()
        self._update_buttons()
        self._show_status()

    def _data_available(self) -> bool:
        """IMDB must be imported once from a file the learner has: offer it if it is not."""
        if self.exercise.get("dataset", {}).get("name") != "imdb":
            return True
        from hafiza.engine.data import imdb

        if imdb.cache_state() != "missing":
            return True
        from hafiza.ui.imdb_import import ImdbImportDialog

        dialog = ImdbImportDialog(self)
        dialog.exec()
        if imdb.cache_state() == "missing":
            self._show_failure("bad_data", _("the IMDB reviews are not imported yet"))
            return False
        return True

    @Slot()
    def toggle_pause(self) -> None:
        if self.run is None or not self.run.is_running():
            return
        if self._paused:
            self._paused = False
            self.run.resume()
        else:
            self._paused = True
            self.run.pause()
        self._show_run_state()

    @Slot()
    def step(self) -> None:
        if self.run is not None and self.run.is_running():
            self._paused = True
            self.run.step()
            self._show_run_state()

    @Slot()
    def stop(self) -> None:
        if self.run is not None and self.run.is_running():
            self.run.stop()

    @Slot()
    def reset(self) -> None:
        self.stop()
        if self.run is not None:
            self.run.wait(10_000)
        self.loss_plot.clear_all()
        self.metric_plot.clear_all()
        self.history = []
        self.log.clear()
        self.summary.setRowCount(0)
        self.progress.setValue(0)
        self.error.hide()
        self._started = None
        self._last_batch = None
        self._show_status()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Stops a running run and waits for its thread (on close)."""
        if self.run is not None and self.run.is_running():
            self.run.stop()
            return self.run.wait(timeout_ms)
        return True

    # -- events from the run ----------------------------------------------------------------------
    @Slot(object)
    def _on_started(self, started) -> None:
        self._started = started
        self.loss_plot.set_x_extent(started.epochs)
        self.metric_plot.set_x_extent(started.epochs)
        # The table is filled when it is looked at or when the run ends: filling it at the
        # start was the longest GUI-thread step of a run (~10 ms while training starts).
        self._summary_pending = True
        if self.tabs.currentWidget() is self.summary:
            self._fill_summary()

    @Slot(object)
    def _on_batches(self, batches: list) -> None:
        count = len(batches)
        xs = np.fromiter((b.epoch - 1 + b.batch / max(1, b.n_batches) for b in batches),
                         float, count)
        self.loss_plot.extend("train", xs, np.fromiter((b.loss for b in batches), float, count))
        self._last_batch = batches[-1]

    @Slot(object)
    def _on_epoch(self, epoch) -> None:
        metrics = epoch.metrics
        self.history.append({"epoch": epoch.epoch, **metrics})
        if self.recorder is not None:
            self.recorder.epoch(epoch)
        self.log.appendPlainText(keras_line(epoch))
        if "val_loss" in metrics:
            self.loss_plot.add("val", epoch.epoch, metrics["val_loss"])
        key = self._metric_key()
        if key in metrics:
            self.metric_plot.add("train", epoch.epoch, metrics[key])
        if f"val_{key}" in metrics:
            self.metric_plot.add("val", epoch.epoch, metrics[f"val_{key}"])

    @Slot(object)
    def _on_paused(self, _paused) -> None:
        self._paused = True
        self._show_run_state()

    @Slot(object)
    def _on_finished(self, finished) -> None:
        from hafiza.engine.exercises import goal_met

        if finished.stopped_by_user:
            note = _("Stopped.")
        elif goal_met(self.exercise.get("goal"), finished.metrics):
            note = _("Goal reached!")
        else:
            note = _("Finished; the goal is not reached yet: change a setting and train again.")
        self.log.appendPlainText(note)
        self._final_note = note

    @Slot(object)
    def _on_tested(self, result) -> None:
        percent = number(100 * result.accuracy, 2)
        note = ngettext("Accuracy on the {n} test example: {accuracy}%",
                        "Accuracy on the {n} test examples: {accuracy}%",
                        result.samples).format(n=number(result.samples), accuracy=percent)
        self.log.appendPlainText(note)
        self._final_note = f"{self._final_note} {note}".strip()

    @Slot(str, str)
    def _on_failed(self, reason: str, detail: str) -> None:
        self._show_failure(reason, detail)

    @Slot()
    def _on_ended(self) -> None:
        self.timer.stop()
        self._paused = False
        self.loss_plot.finish_run()
        self.metric_plot.finish_run()
        self._redraw()
        run = self.run
        if run is not None:
            self.runs.append(run)
            if self.recorder is not None:
                self.recorder.end(run)
            self.run_finished.emit(run)
            if run.prepared is not None and type(run.outcome).__name__ == "Finished":
                self.model_ready.emit(LoadedModel(run.prepared.model, run.prepared.vocab,
                                                  run.exercise, run.outcome.metrics,
                                                  run.prepared.data))
        if self._summary_pending:
            self._fill_summary()
        if self.recorder is not None:
            self._list_earlier_runs()
        self._show_run_state()

    # -- drawing ----------------------------------------------------------------------------------
    @Slot()
    def _redraw(self) -> None:
        self.loss_plot.redraw()
        self.metric_plot.redraw()
        self._ticks += 1
        if self._ticks % STATUS_EVERY_TICKS == 0 or not self.timer.isActive():
            self._show_status()

    def _show_status(self) -> None:
        started, batch = self._started, self._last_batch
        running = self.run is not None and self.run.is_running()
        if not running and self.run is None:
            self.status.setText(_("Press Train to start."))
            return
        if started is None or batch is None:
            preparing = _("Preparing the data and the model…")
            if running and self._paused:  # paused while adapting (NBSVM), before any batch
                preparing += " " + _("paused")
            self.status.setText(preparing if running else self._final_note)
            return
        done = (batch.epoch - 1) * batch.n_batches + batch.batch
        total = max(1, started.epochs * batch.n_batches)
        value = round(1000 * done / total)
        if value != self.progress.value():  # a repaint only when the bar moves
            self.progress.setValue(value)
        text = _("Epoch {epoch} of {epochs}, batch {batch} of {batches}").format(
            epoch=number(batch.epoch), epochs=number(started.epochs),
            batch=number(batch.batch), batches=number(batch.n_batches))
        if running and not self._paused and done < total:
            elapsed = time.monotonic() - self.run.started_at
            left = round(elapsed * (total - done) / done)
            text += _(", ") + ngettext("about {n} second left", "about {n} seconds left",
                                       left).format(n=number(left))
        elif self._paused and running:
            text += _(", ") + _("paused")
        elif not running:
            text = self._final_note or text
        self.status.setText(text)

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        if self._summary_pending and self.tabs.currentWidget() is self.summary:
            self._fill_summary()

    def _fill_summary(self) -> None:
        from hafiza.engine.summary import summarize

        self._summary_pending = False
        if self.run is None or self.run.prepared is None:
            return

        summary = summarize(self.run.prepared.model)
        self.summary.setRowCount(len(summary.rows) + 1)
        for row, item in enumerate(summary.rows):
            shape = "(" + ", ".join("None" if s is None else str(s)
                                    for s in item.output_shape) + ")"
            values = (f"{item.name} ({item.layer_type})", shape, number(item.params))
            for column, value in enumerate(values):
                self.summary.setItem(row, column, QTableWidgetItem(value))
        total = QTableWidgetItem(_("Total: {n}").format(n=number(summary.total)))
        self.summary.setItem(len(summary.rows), 0, total)
        self.summary.resizeColumnsToContents()

    def _show_failure(self, reason: str, detail: str) -> None:
        message = FAILURES.get(reason, FAILURES["error"])
        short = detail.strip().splitlines()[-1] if detail.strip() else ""
        self.error.setText(_(message).format(detail=isolate(short)))
        self.error.show()

    def _update_buttons(self) -> None:
        running = self.run is not None and self.run.is_running()
        self.train_button.setEnabled(not running)
        self.controls.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.step_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.reset_button.setEnabled(not running)

    # -- earlier runs ------------------------------------------------------------------------
    def _list_earlier_runs(self) -> None:
        if self.recorder is None:
            self.earlier.setEnabled(False)
            self.use_model_button.setEnabled(False)
            return
        self.earlier.blockSignals(True)
        self.earlier.clear()
        metric = self._metric_key()
        for record in self.recorder.earlier():
            value = (record.final_metrics or {}).get(f"val_{metric}")
            if value is None:
                value = (record.final_metrics or {}).get(metric)
            shown = number(value, 4) if value is not None else "—"
            item = QListWidgetItem(_("{date}: {metric} {value}").format(
                date=isolate(record.started_at[:16].replace("T", " ")),
                metric=self._metric_name(), value=shown))
            item.setData(Qt.ItemDataRole.UserRole, record)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = record.id in self._compared
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.earlier.addItem(item)
        self.earlier.blockSignals(False)
        self.use_model_button.setEnabled(self.earlier.count() > 0)

    def _metric_key(self) -> str:
        return "perplexity" if self.exercise["task"] == "language_model" else "accuracy"

    @Slot(QListWidgetItem)
    def _on_earlier_checked(self, item: QListWidgetItem) -> None:
        record = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked and record.id not in self._compared:
            curves = self.recorder.curves(record.id)
            self._compared[record.id] = [
                self.loss_plot.add_earlier(curves.get("val_loss") or curves.get("loss", [])),
                self.metric_plot.add_earlier(curves.get(f"val_{self._metric_key()}")
                                             or curves.get(self._metric_key(), [])),
            ]
        elif item.checkState() == Qt.CheckState.Unchecked and record.id in self._compared:
            for plot, ghost in zip((self.loss_plot, self.metric_plot),
                                   self._compared.pop(record.id), strict=True):
                plot.remove_earlier(ghost)

    @Slot()
    def _use_earlier_model(self) -> None:
        item = self.earlier.currentItem()
        if item is None or self.recorder is None:
            return
        loaded = self.recorder.load_model(item.data(Qt.ItemDataRole.UserRole))
        if loaded is not None:
            self.model_ready.emit(loaded)

    @Slot(object)
    def _on_store_problem(self, error) -> None:
        self.history_note.setText(_("This run could not be saved: {reason}").format(
            reason=isolate(str(getattr(error, "reason", "")) or type(error).__name__)))

    # -- export ------------------------------------------------------------------------------
    def export_csv(self, path: str | Path) -> None:
        keys: list[str] = []
        for row in self.history:
            keys.extend(k for k in row if k not in keys)
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=keys)
            writer.writeheader()
            writer.writerows(self.history)

    def _ask_export_png(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save plot as PNG…"),
                                                    f"{self.exercise['id']}.png", "PNG (*.png)")
        if path:
            self.loss_plot.export_png(path)

    def _ask_export_csv(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save metrics as CSV…"),
                                                    f"{self.exercise['id']}.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)


def keras_line(epoch) -> str:
    """'Epoch 3/300 - 0.01s - loss: 0.0123 - val_loss: 0.0150', as Keras prints it."""
    parts = [f"Epoch {epoch.epoch}/{epoch.epochs}", f"{epoch.seconds:.2f}s"]
    parts += [f"{key}: {value:.4f}" for key, value in epoch.metrics.items()]
    return " - ".join(parts)
