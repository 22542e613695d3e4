"""Export and import a learner's progress as one zip file.

    manifest.json   {"format": "hafiza-progress", "version": 1, "created_at": ...,
                     "files": {"progress.json": {"sha256": ..., "size": ...}, ...}}
    progress.json   settings, lessons, quiz answers, runs with their curves (readable JSON,
                    so an instructor can look inside)
    models/<uid>.pt the runs' trained models (weights-only checkpoints), when included
    texts/own-text-<hash>.txt  the learner's own texts the runs trained on, when included
                    (store.transfer_texts; a file with texts is version 2, so an older
                    Hafiza says it is from a newer one instead of refusing it as unsafe)

Import reads and validates everything first (names, sizes, checksums, every record and
value within the limits of store.import_checks, every model file through
`torch.load(weights_only=True)`), and only then writes, in
one transaction: `merge` keeps what is here and adds what is new; `replace` takes a backup
and puts the file's progress in place of this one's. Window geometry never travels.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hafiza.safezip import Limits, UnreadableArchive, UnsafeArchive, open_zip_checked
from hafiza.store import Store, errors, paths
from hafiza.store.backups import backup_path
from hafiza.store.db import now
from hafiza.store.errors import (
    INVALID,
    NOT_AN_EXPORT,
    UNSUPPORTED_VERSION,
    LimitExceeded,
    TransferError,
)
from hafiza.store.import_checks import Invalid, validate
from hafiza.store.preferences import KNOWN_SETTINGS, valid_setting
from hafiza.store.progress import encode_answer
from hafiza.store.transfer_texts import (
    MAX_IMPORT_TEXTS,
    MAX_TEXT_BYTES,
    TEXT_MEMBER,
    BadText,
    OwnText,
    check_text,
    own_texts,
    place_text,
    texts_folder,
    wanted_texts,
)

FORMAT = "hafiza-progress"
VERSION = 2
VERSIONS = (1, 2)  # what an import reads; an export without texts is still written as 1
MANIFEST = "manifest.json"
PROGRESS = "progress.json"
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_MODEL_BYTES = 256 * 1024 * 1024
# Models are read one at a time into staging files, so this only bounds the disk an import
# may take; a zip bomb is caught member by member while decompressing.
MAX_EXPORT_BYTES = 16 * 1024 * 1024 * 1024
EXPORT_LIMITS = Limits(max_members=100_000, max_member_bytes=MAX_MODEL_BYTES,
                       max_total_bytes=MAX_EXPORT_BYTES)
_MODEL = re.compile(r"^models/([0-9a-f]{32})\.pt$")
MODES = ("merge", "replace")


@dataclass
class Summary:
    lessons: int = 0
    answers: int = 0
    runs: int = 0
    models: int = 0
    points: int = 0
    texts: int = 0  # the learner's own texts: written into the file, or added here
    skipped_runs: int = 0
    backup: Path | None = None
    files: list[Path] = field(default_factory=list)


# -- export ------------------------------------------------------------------------------------
def collect(store: Store) -> dict[str, Any]:
    """The learner's progress as plain JSON data (without model files)."""
    db = store.db
    prefs = store.prefs.all()
    settings = {key: prefs[key] for key in KNOWN_SETTINGS
                if key in prefs and valid_setting(key, prefs[key])}
    lessons = [dict(row) for row in db.query("SELECT * FROM lessons ORDER BY lesson_id")]
    answers = []
    for row in db.query("SELECT * FROM quiz_answers ORDER BY id"):
        answers.append({"lesson_id": row["lesson_id"], "quiz_id": row["quiz_id"],
                        "answer": json.loads(row["answer"]), "correct": bool(row["correct"]),
                        "answered_at": row["answered_at"]})
    runs = []
    for run in reversed(store.runs.list()):
        runs.append({
            "uid": run.uid, "exercise_id": run.exercise_id, "lesson_id": run.lesson_id,
            "settings": run.settings, "status": run.status, "started_at": run.started_at,
            "finished_at": run.finished_at, "final_metrics": run.final_metrics,
            "failure": run.failure,
            "model": f"models/{run.uid}.pt" if run.checkpoint and run.checkpoint.is_file()
            else None,
            "points": [list(p) for p in store.runs.points(run.id)],
        })
    return {"settings": settings, "lessons": lessons, "quiz_answers": answers, "runs": runs}


def export_progress(store: Store, target: Path, include_models: bool = True,
                    include_texts: bool = True) -> Summary:
    """Writes the export zip to `target` (atomically: a partial file is never left), with the
    learner's own texts its runs trained on unless `include_texts` is False."""
    target = Path(target)
    data = collect(store)
    texts: list[OwnText] = own_texts(store) if include_texts else []
    models: dict[str, Path] = {}
    for run in data["runs"]:
        if run["model"] and include_models:
            models[run["model"]] = store.runs.models_folder / f"{run['uid']}.pt"
        else:
            run["model"] = None
    body = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
    files = {PROGRESS: {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}}
    for name, path in models.items():
        files[name] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
    for text in texts:
        files[text.member] = {"sha256": _sha256_file(text.path), "size": text.size}
    manifest = {"format": FORMAT, "version": VERSION if texts else 1, "created_at": now(),
                "files": files}
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
            archive.writestr(PROGRESS, body)
            for name, path in models.items():
                archive.write(path, name)
            for text in texts:
                archive.write(text.path, text.member)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise TransferError(errors.reason_for(error), str(error), target) from error
    return Summary(len(data["lessons"]), len(data["quiz_answers"]), len(data["runs"]),
                   len(models), sum(len(r["points"]) for r in data["runs"]), len(texts),
                   files=[target])


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Bundle:
    """A validated export: its data, its model files and texts staged in a temporary
    folder."""

    data: dict[str, Any]
    models: dict[str, Path]  # run uid -> staged file
    staging: Path | None
    texts: dict[str, Path] = field(default_factory=dict)  # own-text file name -> staged file

    def cleanup(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)


def _allowed(name: str) -> bool:
    return name in (MANIFEST, PROGRESS) or bool(_MODEL.match(name) or TEXT_MEMBER.match(name))


def read_export(path: Path, staging_parent: Path | None = None) -> Bundle:
    """Opens and validates an export file completely; raises TransferError."""
    path = Path(path)
    try:
        archive = open_zip_checked(path, EXPORT_LIMITS, _allowed)
    except UnsafeArchive as error:
        if isinstance(error, UnreadableArchive) and not zipfile.is_zipfile(path):
            raise TransferError(NOT_AN_EXPORT, str(error), path) from None
        raise errors.archive_refusal(error, path) from None
    staging = None
    try:
        with archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise TransferError(NOT_AN_EXPORT, "no manifest.json", path)
            manifest = _load_json(archive.read_member(MANIFEST, 1 << 20), MANIFEST, path)
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise TransferError(NOT_AN_EXPORT, "not a Hafiza progress file", path)
            if manifest.get("version") not in VERSIONS:
                raise TransferError(UNSUPPORTED_VERSION,
                                    f"version {manifest.get('version')!r}", path)
            files = manifest.get("files")
            if not isinstance(files, dict) or set(files) != names - {MANIFEST}:
                raise TransferError(INVALID, "the manifest does not list the files", path)
            body = archive.read_member(PROGRESS, MAX_JSON_BYTES)
            _check_sum(files, PROGRESS, body, path)
            data = _load_json(body, PROGRESS, path)
            try:
                validate(data)
            except Invalid as problem:
                raise TransferError(INVALID, str(problem), path) from None
            except LimitExceeded as limit:
                limit.path = path
                raise
            wanted = {run["model"]: run["uid"] for run in data["runs"] if run["model"]}
            text_members = {name for name in names if TEXT_MEMBER.match(name)}
            if set(wanted) != names - {MANIFEST, PROGRESS} - text_members:
                raise TransferError(INVALID, "model files and runs do not match", path)
            # A run may come without its text (the learner left it out), never a text
            # without a run that trained on it.
            used = {f"texts/{name}" for name in wanted_texts(data["runs"])}
            if text_members - used:
                raise TransferError(INVALID, "a text no run trained on", path)
            if len(text_members) > MAX_IMPORT_TEXTS:
                raise LimitExceeded("texts", MAX_IMPORT_TEXTS, len(text_members), path)
            models: dict[str, Path] = {}
            texts: dict[str, Path] = {}
            if wanted or text_members:
                parent = staging_parent or paths.data_dir()
                parent.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix="import-", dir=parent))
                for name, uid in wanted.items():
                    data_bytes = archive.read_member(name, MAX_MODEL_BYTES)
                    _check_sum(files, name, data_bytes, path)
                    target = staging / f"{uid}.pt"
                    target.write_bytes(data_bytes)
                    _check_model(target, name, path)
                    models[uid] = target
                for member in sorted(text_members):
                    body = archive.read_member(member, MAX_TEXT_BYTES)
                    _check_sum(files, member, body, path)
                    try:
                        name = check_text(member, body)
                    except BadText as problem:
                        raise TransferError(INVALID, str(problem), path) from None
                    target = staging / name
                    target.write_bytes(body)
                    texts[name] = target
            return Bundle(data, models, staging, texts)
    except BaseException as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, UnsafeArchive):
            raise errors.archive_refusal(error, path) from None
        raise


def _load_json(body: bytes, name: str, path: Path) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise TransferError(INVALID, f"{name} is not valid JSON: {error}", path) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _check_sum(files: dict, name: str, body: bytes, path: Path) -> None:
    entry = files.get(name)
    if not isinstance(entry, dict) or entry.get("sha256") != hashlib.sha256(body).hexdigest():
        raise TransferError(INVALID, f"{name} does not match its checksum", path)


def _check_model(file: Path, name: str, path: Path) -> None:
    """A model file must load as a Hafiza checkpoint with weights only (no pickled code)."""
    try:
        from hafiza.engine.checkpoints import CheckpointError, load_checkpoint
    except ImportError as error:  # without the engine nothing can vouch for the file
        raise TransferError(errors.UNSAFE_CHECKPOINT, f"{name}: {error}", path) from None
    try:
        load_checkpoint(file)
    except CheckpointError as error:
        raise TransferError(errors.UNSAFE_CHECKPOINT, f"{name}: {error}", path) from None


# -- import --------------------------------------------------------------------------------------
def import_progress(store: Store, path: Path, mode: str = "merge") -> Summary:
    """Validates the whole file, then writes it in one transaction."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    staging_parent = store.runs.models_folder.parent if store.persistent else None
    bundle = read_export(path, staging_parent)
    summary = Summary()
    placed: list[Path] = []
    try:
        if mode == "replace" and store.persistent:
            summary.backup = store.db.backup_to(backup_path(store.db.path, "import"))
        data = bundle.data
        with store.db.transaction() as conn:
            if mode == "replace":
                for table in ("run_points", "runs", "quiz_answers", "lessons"):
                    conn.execute(f"DELETE FROM {table}")
                marks = ",".join("?" * len(KNOWN_SETTINGS))
                conn.execute(f"DELETE FROM settings WHERE key IN ({marks})", KNOWN_SETTINGS)
            if mode == "replace" or not _has_settings(conn):
                for key, value in data["settings"].items():
                    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                                 (key, json.dumps(value, ensure_ascii=False)))
            for name, staged in bundle.texts.items():
                try:
                    placed_text = place_text(staged, texts_folder(store.runs), name)
                except BadText as problem:
                    raise TransferError(errors.UNSAFE_ARCHIVE, str(problem), path) from None
                if placed_text is not None:
                    placed.append(placed_text)
                    summary.texts += 1
            for lesson in data["lessons"]:
                _merge_lesson(conn, lesson)
                summary.lessons += 1
            for answer in data["quiz_answers"]:
                summary.answers += _add_answer(conn, answer)
            for run in data["runs"]:
                exists = conn.execute("SELECT 1 FROM runs WHERE uid = ?", (run["uid"],))
                if exists.fetchone():
                    summary.skipped_runs += 1
                    continue
                model = bundle.models.get(run["uid"])
                checkpoint = None
                if model is not None:
                    target = store.runs.models_folder / f"{run['uid']}.pt"
                    if not paths.is_inside(store.runs.models_folder, target):
                        raise TransferError(errors.UNSAFE_ARCHIVE, "model path", path)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(model, target)
                    placed.append(target)
                    checkpoint = target.name
                    summary.models += 1
                cursor = conn.execute(
                    "INSERT INTO runs (uid, exercise_id, lesson_id, settings, status, started_at,"
                    " finished_at, final_metrics, checkpoint, failure)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run["uid"], run["exercise_id"], run["lesson_id"],
                     json.dumps(run["settings"], ensure_ascii=False, sort_keys=True),
                     run["status"], run["started_at"], run["finished_at"],
                     json.dumps(run["final_metrics"]) if run["final_metrics"] is not None
                     else None, checkpoint, run["failure"]),
                )
                conn.executemany(
                    "INSERT INTO run_points (run_id, metric, step, epoch, value)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(cursor.lastrowid, *point) for point in run["points"]],
                )
                summary.points += len(run["points"])
                summary.runs += 1
    except BaseException:
        for file in placed:
            file.unlink(missing_ok=True)
        raise
    finally:
        bundle.cleanup()
    return summary


def _has_settings(conn) -> bool:
    return conn.execute("SELECT 1 FROM settings LIMIT 1").fetchone() is not None


def _merge_lesson(conn, lesson: dict) -> None:
    row = conn.execute("SELECT * FROM lessons WHERE lesson_id = ?",
                       (lesson["lesson_id"],)).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO lessons (lesson_id, first_opened_at, last_opened_at, open_count,"
            " completed_at, position, position_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            tuple(lesson[k] for k in ("lesson_id", "first_opened_at", "last_opened_at",
                                      "open_count", "completed_at", "position", "position_at")),
        )
        return

    def earliest(a, b):
        return min(x for x in (a, b) if x) if (a or b) else None

    def latest(a, b):
        return max(x for x in (a, b) if x) if (a or b) else None

    newer_position = (lesson["position_at"] or "") > (row["position_at"] or "")
    conn.execute(
        "UPDATE lessons SET first_opened_at = ?, last_opened_at = ?, open_count = ?,"
        " completed_at = ?, position = ?, position_at = ? WHERE lesson_id = ?",
        (earliest(row["first_opened_at"], lesson["first_opened_at"]),
         latest(row["last_opened_at"], lesson["last_opened_at"]),
         max(row["open_count"], lesson["open_count"]),
         earliest(row["completed_at"], lesson["completed_at"]),
         lesson["position"] if newer_position else row["position"],
         lesson["position_at"] if newer_position else row["position_at"],
         lesson["lesson_id"]),
    )


def _add_answer(conn, answer: dict) -> int:
    text = encode_answer(answer["answer"])
    values = (answer["lesson_id"], answer["quiz_id"], text, int(answer["correct"]),
              answer["answered_at"])
    duplicate = conn.execute(
        "SELECT 1 FROM quiz_answers WHERE lesson_id = ? AND quiz_id = ? AND answer = ?"
        " AND correct = ? AND answered_at = ?", values).fetchone()
    if duplicate:
        return 0
    conn.execute("INSERT INTO quiz_answers (lesson_id, quiz_id, answer, correct, answered_at)"
                 " VALUES (?, ?, ?, ?, ?)", values)
    return 1
