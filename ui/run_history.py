"""An exercise's runs in the progress store: recorded while they train, listed to compare
their curves later, and their trained models loaded again for the playgrounds.

All store writes happen in the GUI thread (the store's connection belongs to it). A store
that cannot write (full disk, read-only folder) never stops training: the failure is
reported through `problem` and the run goes on unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal


@dataclass
class LoadedModel:
    """A trained model ready for a playground: from a run just finished or from a file."""

    model: Any  # engine.models.SequentialModel
    vocab: Any  # engine.text.Vocabulary or None
    exercise: dict
    metrics: dict
    _data: Any = None

    @property
    def data(self) -> Any:
        """The exercise's data set (the prediction table shows it), loaded when first asked."""
        if self._data is None:
            from hafiza.engine.exercises import load_data

            self._data = load_data(self.exercise)[0]
        return self._data


class RunRecorder(QObject):
    """Writes one exercise's runs to `store.runs`; lives in the GUI thread."""

    problem = Signal(object)  # a store.StoreError (or OSError) while recording

    def __init__(self, runs, exercise_id: str, lesson_id: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runs = runs
        self.exercise_id = exercise_id
        self.lesson_id = lesson_id
        self.current = None  # store.runs.Run being recorded

    def _safely(self, action, *args, **kwargs):
        from hafiza.store import StoreError

        try:
            return action(*args, **kwargs)
        except (StoreError, OSError, ValueError, KeyError) as error:
            self.problem.emit(error)
            return None

    def start(self, exercise: dict) -> None:
        self.current = self._safely(self.runs.create, self.exercise_id, exercise,
                                    lesson_id=self.lesson_id)

    def epoch(self, epoch) -> None:
        if self.current is None:
            return
        point = {"step": epoch.epoch, "epoch": epoch.epoch, **epoch.metrics}
        self._safely(self.runs.append_points, self.current.id, [point])

    def end(self, training_run) -> None:
        """Saves the model of a finished or stopped run and closes the record."""
        if self.current is None:
            return
        from hafiza.engine.events import Failed

        outcome, record = training_run.outcome, self.current
        self.current = None
        if outcome is None or isinstance(outcome, Failed):
            reason = outcome.reason if outcome is not None else "error"
            self._safely(self.runs.finish, record.id, "failed", failure=reason)
            return
        checkpoint = self._save_model(record, training_run, outcome.metrics)
        status = "stopped" if outcome.stopped_by_user else "finished"
        self._safely(self.runs.finish, record.id, status, final_metrics=outcome.metrics,
                     checkpoint=checkpoint)

    def _save_model(self, record, training_run, metrics):
        from hafiza.engine.checkpoints import save_checkpoint

        prepared = training_run.prepared
        if prepared is None:
            return None
        path = self._safely(self.runs.model_path, record)
        if path is None:
            return None
        vocab = prepared.vocab.to_dict() if prepared.vocab is not None else None

        def save() -> bool:
            save_checkpoint(path, prepared.model, vocab, metrics, {"exercise": self.exercise_id})
            return True

        return path if self._safely(save) else None

    def earlier(self) -> list:
        """This exercise's finished or stopped runs, newest first."""
        runs = self._safely(self.runs.list, self.exercise_id) or []
        return [run for run in runs if run.status in ("finished", "stopped")]

    def curves(self, run_id: int) -> dict:
        return self._safely(self.runs.curves, run_id) or {}

    def load_model(self, run) -> LoadedModel | None:
        """The run's trained model, read back as weights only (a pickled file is refused)."""
        from hafiza.engine.checkpoints import CheckpointError, load_checkpoint
        from hafiza.engine.text import Vocabulary

        if run.checkpoint is None:
            return None
        try:
            checkpoint = load_checkpoint(run.checkpoint)
        except CheckpointError as error:
            self.problem.emit(error)
            return None
        vocab = Vocabulary.from_dict(checkpoint.vocab) if checkpoint.vocab else None
        return LoadedModel(checkpoint.model, vocab, run.settings, checkpoint.metrics)
