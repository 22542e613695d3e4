"""Exercise runs: settings, metric curves, final metrics and where the trained model is.

For the exercise panel (written in its own issue), in this order:

    run = store.runs.create("xor-mlp", {"epochs": 20, "lr": 0.1}, lesson_id="...")
    store.runs.append_points(run.id, [{"step": 1, "epoch": 1, "loss": 0.7}, ...])  # batches
    path = store.runs.model_path(run)          # inside the app's models folder
    engine.checkpoints.save_checkpoint(path, model, ...)
    store.runs.finish(run.id, "finished", final_metrics={...}, checkpoint=path)

    store.runs.list("xor-mlp"); store.runs.curves(run.id)   # reopen and compare later
    engine.checkpoints.load_checkpoint(store.runs.get(run.id).checkpoint)  # weights only

A run still `running` when the app starts again was cut short: `mark_interrupted()`.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hafiza.store import paths
from hafiza.store.db import Database, now
from hafiza.store.progress import check_id

STATUSES = ("running", "finished", "stopped", "failed", "interrupted")
MAX_SETTINGS_CHARS = 100_000
MAX_METRIC_LENGTH = 64


@dataclass(frozen=True)
class Run:
    id: int
    uid: str
    exercise_id: str
    lesson_id: str | None
    settings: dict[str, Any]
    status: str
    started_at: str
    finished_at: str | None
    final_metrics: dict[str, float] | None
    checkpoint: Path | None  # the saved model, inside the models folder
    failure: str | None  # a machine-readable reason (engine.events.Failed.reason)


def _json(value: Any, limit: int, what: str) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be plain JSON data: {error}") from None
    if len(text) > limit:
        raise ValueError(f"{what} is too large")
    return text


def _metric_value(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"a metric value must be a number, not {type(value).__name__}")
    value = float(value)
    return value if math.isfinite(value) else None  # NaN and inf are kept as gaps


def check_metrics(metrics: Mapping[str, Any]) -> dict[str, float | None]:
    result = {}
    for name, value in metrics.items():
        if not isinstance(name, str) or not name or len(name) > MAX_METRIC_LENGTH:
            raise ValueError(f"bad metric name {name!r}")
        result[name] = _metric_value(value)
    return result


class Runs:
    def __init__(self, db: Database, models_folder: Path | None = None) -> None:
        self.db = db
        if models_folder is None:
            models_folder = db.path.parent / "models" if db.path else paths.models_dir()
        self.models_folder = models_folder

    def create(self, exercise_id: str, settings: Mapping[str, Any],
               lesson_id: str | None = None) -> Run:
        check_id(exercise_id, "exercise_id")
        if lesson_id is not None:
            check_id(lesson_id, "lesson_id")
        text = _json(dict(settings), MAX_SETTINGS_CHARS, "the run's settings")
        uid = uuid.uuid4().hex
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (uid, exercise_id, lesson_id, settings, status, started_at) "
                "VALUES (?, ?, ?, ?, 'running', ?)",
                (uid, exercise_id, lesson_id, text, now()),
            )
            run_id = int(cursor.lastrowid)
        return self.get(run_id)

    def append_points(self, run_id: int, points: Iterable[Mapping[str, Any]]) -> int:
        """Adds a batch of points in one transaction: each a mapping with `step` (int),
        optional `epoch` (int) and metric values. Returns the number of values stored;
        a point repeated for the same metric and step replaces the earlier one."""
        rows = []
        for point in points:
            point = dict(point)
            step = point.pop("step", None)
            epoch = point.pop("epoch", None)
            if isinstance(step, bool) or not isinstance(step, int):
                raise ValueError("each point needs an integer `step`")
            if epoch is not None and (isinstance(epoch, bool) or not isinstance(epoch, int)):
                raise ValueError("`epoch` must be an integer")
            for metric, value in check_metrics(point).items():
                rows.append((run_id, metric, step, epoch, value))
        if not rows:
            return 0
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise KeyError(f"no run {run_id}")
            conn.executemany(
                "INSERT INTO run_points (run_id, metric, step, epoch, value) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, metric, step) DO UPDATE SET "
                "epoch = excluded.epoch, value = excluded.value",
                rows,
            )
        return len(rows)

    def model_path(self, run: Run) -> Path:
        """Where to save this run's trained model (the folder is created)."""
        self.models_folder.mkdir(parents=True, exist_ok=True)
        return self.models_folder / f"{run.uid}.pt"

    def finish(self, run_id: int, status: str = "finished",
               final_metrics: Mapping[str, Any] | None = None,
               checkpoint: Path | str | None = None, failure: str | None = None) -> Run:
        if status not in STATUSES or status == "running":
            raise ValueError(f"a run cannot finish as {status!r}")
        metrics = _json(check_metrics(final_metrics or {}), MAX_SETTINGS_CHARS, "metrics")
        stored_checkpoint = None
        if checkpoint is not None:
            checkpoint = Path(checkpoint)
            if not paths.is_inside(self.models_folder, checkpoint):
                raise ValueError(f"a run's model must be saved in {self.models_folder}")
            stored_checkpoint = checkpoint.resolve().relative_to(
                self.models_folder.resolve()).as_posix()
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE runs SET status = ?, finished_at = ?, final_metrics = ?, checkpoint = ?, "
                "failure = ? WHERE id = ?",
                (status, now(), metrics, stored_checkpoint, failure, run_id),
            )
            if cursor.rowcount != 1:
                raise KeyError(f"no run {run_id}")
        return self.get(run_id)

    def get(self, run_id: int) -> Run:
        row = self.db.query_one("SELECT * FROM runs WHERE id = ?", (run_id,))
        if row is None:
            raise KeyError(f"no run {run_id}")
        return self._run(row)

    def list(self, exercise_id: str | None = None) -> list[Run]:
        """Runs, newest first; only those of one exercise when given."""
        if exercise_id is None:
            rows = self.db.query("SELECT * FROM runs ORDER BY started_at DESC, id DESC")
        else:
            rows = self.db.query(
                "SELECT * FROM runs WHERE exercise_id = ? ORDER BY started_at DESC, id DESC",
                (exercise_id,),
            )
        return [self._run(row) for row in rows]

    def curves(self, run_id: int) -> dict[str, list[tuple[int, float | None]]]:
        """metric -> [(step, value), ...] in step order; a NaN was stored as None."""
        result: dict[str, list[tuple[int, float | None]]] = {}
        for row in self.db.query(
            "SELECT metric, step, value FROM run_points WHERE run_id = ? ORDER BY metric, step",
            (run_id,),
        ):
            result.setdefault(row[0], []).append((int(row[1]), row[2]))
        return result

    def points(self, run_id: int) -> list[tuple[str, int, int | None, float | None]]:
        return [tuple(row) for row in self.db.query(
            "SELECT metric, step, epoch, value FROM run_points WHERE run_id = ? "
            "ORDER BY metric, step", (run_id,))]

    def compare(self, run_ids: Iterable[int]) -> dict[int, dict[str, list]]:
        return {run_id: self.curves(run_id) for run_id in run_ids}

    def mark_interrupted(self) -> int:
        """Runs left `running` by an app that was closed or killed; returns how many."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'",
                (now(),),
            )
            return cursor.rowcount

    def delete(self, run_id: int) -> None:
        """Forgets the run and its curves, and removes its model file from the models folder."""
        run = self.get(run_id)
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        if run.checkpoint is not None and paths.is_inside(self.models_folder, run.checkpoint):
            run.checkpoint.unlink(missing_ok=True)

    def _run(self, row) -> Run:
        checkpoint = None
        if row["checkpoint"]:
            candidate = self.models_folder / row["checkpoint"]
            if paths.is_inside(self.models_folder, candidate):
                checkpoint = candidate
        return Run(
            int(row["id"]), row["uid"], row["exercise_id"], row["lesson_id"],
            json.loads(row["settings"]), row["status"], row["started_at"], row["finished_at"],
            json.loads(row["final_metrics"]) if row["final_metrics"] else None,
            checkpoint, row["failure"],
        )
