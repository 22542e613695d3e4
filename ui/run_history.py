"""An exercise's runs in the progress store: recorded while they train, listed to compare
their curves later, and their trained models saved and loaded again for the playgrounds.

The store's connection belongs to the GUI thread, so every store read and write happens
there; writing a checkpoint and reading one back (torch, a file of megabytes) run in a
`ui.worker.Task`, and their results come back to the GUI thread to be recorded. A store
that cannot write (full disk, read-only folder) never stops training: the failure is
reported through `problem` and the run goes on unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from hafiza.ui.worker import Task, TaskState


@dataclass
class LoadedModel:
    """A trained model ready for a playground: from a run just finished or from a file."""

    model: Any  # engine.models.SequentialModel
    vocab: Any  # engine.text.Vocabulary or None
    exercise: dict
    metrics: dict
    data: Any = None  # the exercise's data (ArrayDataset, LanguageModelData) or None

    @property
    def task(self) -> str | None:
        """What the model learned to do: the data's task, else the exercise's."""
        return getattr(self.data, "task", None) or self.exercise.get("task")

    @property
    def vocabulary(self) -> Any:
        """The vocabulary that turns words into the model's ids, if it reads words."""
        return self.vocab or getattr(self.data, "vocabulary", None)


@dataclass(frozen=True)
class _Save:
    """A finished run's model on its way to a file, and how the record is closed."""

    record_id: int
    status: str  # "finished" or "stopped"
    metrics: dict
    path: Path
    model: Any
    vocab: dict | None
    exercise_id: str
    error: str = ""  # why the file could not be written


def _write_checkpoint(save: _Save, _state: TaskState) -> _Save:
    """In the worker thread: writes the model file; a failure comes back in the result, so
    the record is closed either way."""
    from hafiza.engine.checkpoints import save_checkpoint

    try:
        save_checkpoint(save.path, save.model, save.vocab, save.metrics,
                        {"exercise": save.exercise_id})
    except Exception as error:  # noqa: BLE001 - any failure leaves the run recorded, modelless
        return replace(save, error=str(error) or type(error).__name__)
    return save


def own_texts_folder(runs=None) -> Path:
    """Where the learner's own texts are saved: beside the store's models folder (so a
    test's store, or $HAFIZA_HOME, keeps them too); without a store, in the data folder."""
    if getattr(runs, "models_folder", None) is None:
        from hafiza.store.paths import data_dir

        return data_dir() / "texts"
    from hafiza.store.transfer_texts import texts_folder

    return texts_folder(runs)


def run_data_root(settings: dict, lesson_root: Path | None, runs=None) -> Path | None:
    """The folder a run's data file is read from: the texts folder for a learner's own
    text, else the lesson's folder. Either way the run names a file inside one folder only
    (engine.refusals.resolve_data_path), whatever a stored or imported record says."""
    from hafiza.engine.data.text_files import is_own_text

    return own_texts_folder(runs) if is_own_text(settings) else lesson_root


def read_model(run, data_root: Path | None = None) -> LoadedModel:
    """In the worker thread: a stored run's model, read back as weights only (a pickled file
    is refused), with its exercise's data when that can still be built (its files read only
    inside `data_root`, the lesson's folder, as when it trained)."""
    from hafiza.engine.checkpoints import load_checkpoint
    from hafiza.engine.exercises import ExerciseError, load_data
    from hafiza.engine.text import Vocabulary

    checkpoint = load_checkpoint(run.checkpoint)
    vocab = Vocabulary.from_dict(checkpoint.vocab) if checkpoint.vocab else None
    try:
        data = load_data(run.settings, data_root=data_root)[0]
    except ExerciseError:
        data = None  # e.g. the IMDB reviews are no longer imported: the model still works
    return LoadedModel(checkpoint.model, vocab, run.settings, checkpoint.metrics, data)


class RunRecorder(QObject):
    """Writes one exercise's runs to `store.runs`; lives in the GUI thread."""

    problem = Signal(object)  # a store.StoreError (or OSError) while recording
    saving = Signal()  # a finished run's model is being written
    saved = Signal(int)  # the run's record is closed (its model written or not)
    model_loaded = Signal(object)  # a LoadedModel, from load_model()
    model_failed = Signal(str)  # why load_model() could not read the model (a detail)

    def __init__(self, runs, exercise_id: str, lesson_id: str | None = None,
                 parent: QObject | None = None, *, data_root: Path | None = None) -> None:
        super().__init__(parent)
        self.runs = runs
        self.exercise_id = exercise_id
        self.lesson_id = lesson_id
        self.data_root = data_root  # the lesson folder: where a run's files may be read
        self.current = None  # store.runs.Run being recorded
        self._tasks: list[Task] = []  # checkpoints being written or read
        self._models_being_saved = 0

    @property
    def texts_folder(self) -> Path:
        """Where this store keeps the learner's own texts."""
        return own_texts_folder(self.runs)

    def _safely(self, action, *args, **kwargs):
        from hafiza.store import StoreError

        try:
            return action(*args, **kwargs)
        except (StoreError, OSError, ValueError, KeyError) as error:
            self.problem.emit(error)
            return None

    @property
    def saving_models(self) -> bool:
        """A finished run's model is still being written."""
        return self._models_being_saved > 0

    def wait(self, timeout_ms: int = -1) -> bool:
        """Blocks until the checkpoints being written or read are done (on close)."""
        return all(task.wait(timeout_ms) for task in list(self._tasks))

    def _start(self, fn, on_result) -> Task:
        task = Task(fn, self)
        task.succeeded.connect(on_result)
        task.failed.connect(self._on_task_crashed)
        task.ended.connect(self._forget_ended_tasks)
        self._tasks.append(task)
        task.start()
        return task

    @Slot()
    def _forget_ended_tasks(self) -> None:
        for task in [task for task in self._tasks if not task.is_running()]:
            self._tasks.remove(task)
            task.deleteLater()

    # -- recording a run ------------------------------------------------------------------------
    def start(self, exercise: dict) -> None:
        self.current = self._safely(self.runs.create, self.exercise_id, exercise,
                                    lesson_id=self.lesson_id)

    def epoch(self, epoch) -> None:
        if self.current is None:
            return
        point = {"step": epoch.epoch, "epoch": epoch.epoch, **epoch.metrics}
        self._safely(self.runs.append_points, self.current.id, [point])

    def end(self, training_run) -> None:
        """Closes the record of a run: a failed one at once, a finished or stopped one once
        its model is written (in a worker thread; `saved` says when)."""
        if self.current is None:
            return
        from hafiza.engine.events import Failed

        outcome, record = training_run.outcome, self.current
        self.current = None
        if outcome is None or isinstance(outcome, Failed):
            reason = outcome.reason if outcome is not None else "error"
            self._safely(self.runs.finish, record.id, "failed", failure=reason)
            self.saved.emit(record.id)
            return
        status = "stopped" if outcome.stopped_by_user else "finished"
        prepared = training_run.prepared
        path = self._safely(self.runs.model_path, record) if prepared is not None else None
        if path is None:
            self._safely(self.runs.finish, record.id, status, final_metrics=outcome.metrics)
            self.saved.emit(record.id)
            return
        vocabulary = prepared.vocab or getattr(prepared.data, "vocabulary", None)
        save = _Save(record.id, status, outcome.metrics, Path(path), prepared.model,
                     vocabulary.to_dict() if vocabulary is not None else None,
                     self.exercise_id)
        self._models_being_saved += 1
        self.saving.emit()
        self._start(partial(_write_checkpoint, save), self._on_checkpoint_written)

    @Slot(object)
    def _on_checkpoint_written(self, save: _Save) -> None:
        self._models_being_saved -= 1
        if save.error:
            self.problem.emit(OSError(save.error))
        checkpoint = None if save.error else save.path
        self._safely(self.runs.finish, save.record_id, save.status,
                     final_metrics=save.metrics, checkpoint=checkpoint)
        self.saved.emit(save.record_id)

    @Slot(str)
    def _on_task_crashed(self, detail: str) -> None:
        # Only an unexpected error while reading a model gets here: writing reports every
        # failure as its result, and reading reports a refused or damaged file that way.
        self.model_failed.emit(detail)

    # -- earlier runs ---------------------------------------------------------------------------
    def earlier(self) -> list:
        """This exercise's finished or stopped runs, newest first."""
        runs = self._safely(self.runs.list, self.exercise_id) or []
        return [run for run in runs if run.status in ("finished", "stopped")]

    def curves(self, run_id: int) -> dict:
        return self._safely(self.runs.curves, run_id) or {}

    def load_model(self, run) -> bool:
        """Starts reading the run's model in a worker thread: `model_loaded` or
        `model_failed` follows. False when the run kept no model."""
        if run.checkpoint is None:
            return False
        root = run_data_root(run.settings, self.data_root, self.runs)
        self._start(partial(_read_model_safely, run, root), self._on_model_read)
        return True

    @Slot(object)
    def _on_model_read(self, result) -> None:
        if isinstance(result, LoadedModel):
            self.model_loaded.emit(result)
        else:
            self.model_failed.emit(str(result))


def _read_model_safely(run, data_root: Path | None, _state: TaskState) -> LoadedModel | str:
    """A LoadedModel, or why the file cannot be used (refused, damaged, gone)."""
    from hafiza.engine.checkpoints import CheckpointError

    try:
        return read_model(run, data_root)
    except (CheckpointError, OSError) as error:
        return str(error) or type(error).__name__
