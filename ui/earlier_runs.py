"""The "Earlier runs" tab: an exercise's stored runs, ticked to fade their curves behind the
current run's, and one of them picked to use its model in the playgrounds.

Reading a model back runs in the recorder's worker thread (ui.run_history); while it does,
the tab says so and its button waits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.ui.i18n import _, isolate, number
from hafiza.ui.run_history import LoadedModel, RunRecorder
from hafiza.ui.training_plots import TrainingPlots, metric_name


def short_reason(error: object) -> str:
    """One line of a failure, for the learner: the error's reason, else its last line."""
    if isinstance(error, str):
        lines = error.strip().splitlines()
        return lines[-1] if lines else ""
    return str(getattr(error, "reason", "") or error) or type(error).__name__


class EarlierRuns(QWidget):
    """The list of an exercise's earlier runs; without a recorder, a line saying so."""

    model_ready = Signal(object)  # a LoadedModel read back from an earlier run

    def __init__(self, recorder: RunRecorder | None, plots: TrainingPlots,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.plots = plots
        self.compared: dict[int, list] = {}  # run id -> its faded curves on the plots
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("earlier-runs")
        self.list.itemChanged.connect(self._on_checked)
        self.use_model_button = QPushButton()
        self.use_model_button.clicked.connect(self.use_model)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.use_model_button)
        self._loading = False
        self._saving = False
        self._trouble = ""  # the last failure, until the next action
        if recorder is not None:
            recorder.problem.connect(self._on_problem)
            recorder.saving.connect(self._on_saving)
            recorder.saved.connect(self._on_saved)
            recorder.model_loaded.connect(self._on_model_loaded)
            recorder.model_failed.connect(self._on_model_failed)
        self.refresh()

    def retranslate(self) -> None:
        self.use_model_button.setText(_("Use this run's model in the playground"))
        self._show_note()
        self.refresh()

    def _show_note(self) -> None:
        if self.recorder is None:
            text = _("Runs are not being saved.")
        elif self._trouble:
            text = self._trouble
        elif self._loading:
            text = _("Loading the model of this run…")
        elif self._saving:
            text = _("Saving the model of this run…")
        else:
            text = _("Tick a run to compare its curves with this one.")
        self.note.setText(text)

    def refresh(self) -> None:
        """Lists the recorder's earlier runs with their final metric, ticks kept."""
        if self.recorder is None:
            self.list.setEnabled(False)
            self.use_model_button.setEnabled(False)
            return
        self.list.blockSignals(True)
        self.list.clear()
        metric = self.plots.plotted_metric or "loss"  # a regression reports only its loss
        for record in self.recorder.earlier():
            final = record.final_metrics or {}
            value = final.get(f"val_{metric}")
            if value is None:
                value = final.get(metric)
            shown = number(value, 4) if value is not None else "—"
            item = QListWidgetItem(_("{date}: {metric} {value}").format(
                date=isolate(record.started_at[:16].replace("T", " ")),
                metric=metric_name(metric), value=shown))
            item.setData(Qt.ItemDataRole.UserRole, record)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = record.id in self.compared
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.use_model_button.setEnabled(self.list.count() > 0 and not self._loading)

    @Slot(QListWidgetItem)
    def _on_checked(self, item: QListWidgetItem) -> None:
        record = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked and record.id not in self.compared:
            self.compared[record.id] = self.plots.add_earlier(self.recorder.curves(record.id))
        elif item.checkState() == Qt.CheckState.Unchecked and record.id in self.compared:
            self.plots.remove_earlier(self.compared.pop(record.id))

    @Slot()
    def use_model(self) -> None:
        """Reads the chosen run's model back (in a worker thread) for the playgrounds."""
        item = self.list.currentItem()
        if item is None or self.recorder is None or self._loading:
            return
        self._trouble = ""
        if not self.recorder.load_model(item.data(Qt.ItemDataRole.UserRole)):
            self._trouble = _("This run kept no model to use.")
        else:
            self._loading = True
            self.use_model_button.setEnabled(False)
        self._show_note()

    @Slot(object)
    def _on_model_loaded(self, loaded: LoadedModel) -> None:
        self._loading = False
        self.refresh()
        self._show_note()
        self.model_ready.emit(loaded)

    @Slot(str)
    def _on_model_failed(self, detail: str) -> None:
        self._loading = False
        self._trouble = _("The model of this run could not be loaded: {reason}").format(
            reason=isolate(short_reason(detail)))
        self.refresh()
        self._show_note()

    @Slot()
    def _on_saving(self) -> None:
        self._saving = True
        self._trouble = ""
        self._show_note()

    @Slot(int)
    def _on_saved(self, _record_id: int) -> None:
        self._saving = self.recorder is not None and self.recorder.saving_models
        self.refresh()
        self._show_note()

    @Slot(object)
    def _on_problem(self, error: object) -> None:
        self._trouble = _("This run could not be saved: {reason}").format(
            reason=isolate(short_reason(error)))
        self._show_note()
