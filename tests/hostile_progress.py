"""Hostile progress files (`hafiza progress import FILE`) and hostile live databases (a
`progress.db` put in the data folder, then opened, written and closed as the app does)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

from hostile_harness import Action

STAMP = "2024-05-01T10:00:00.000Z"
SEEDED_LESSONS = ("kept-1", "kept-2", "kept-3")


def lesson_record(lesson_id: str = "imported-lesson", **changes) -> dict:
    return {"lesson_id": lesson_id, "first_opened_at": STAMP, "last_opened_at": STAMP,
            "open_count": 1, "completed_at": None, "position": 0.5, "position_at": STAMP,
            **changes}


def run_record(uid: str = "b" * 32, **changes) -> dict:
    return {"uid": uid, "exercise_id": "mlp_xor", "lesson_id": None, "settings": {},
            "status": "finished", "started_at": STAMP, "finished_at": STAMP,
            "final_metrics": {"loss": 0.1}, "failure": None, "model": None,
            "points": [["loss", 1, 1, 0.5]], **changes}


def progress_data(**changes) -> dict:
    return {"settings": {}, "lessons": [lesson_record()], "quiz_answers": [],
            "runs": [run_record()], **changes}


def write_export(path: Path, data=None, models: dict[str, bytes] | None = None,
                 manifest: dict | None = None, extra: list | None = None,
                 body: bytes | None = None) -> Path:
    """An export zip with a correct manifest for `data` (or the raw `body`) and `models`."""
    if body is None:
        body = json.dumps(progress_data() if data is None else data).encode("utf-8")
    files = {"progress.json": {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}}
    for name, blob in (models or {}).items():
        files[name] = {"sha256": hashlib.sha256(blob).hexdigest(), "size": len(blob)}
    if manifest is None:
        manifest = {"format": "hafiza-progress", "version": 1, "created_at": STAMP,
                    "files": files}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("progress.json", body)
        for name, blob in (models or {}).items():
            archive.writestr(name, blob)
        for name, blob in extra or ():
            archive.writestr(name, blob)
    return path


def _pickle_calling_system() -> bytes:
    """A pickle that would run os.system('touch pwned') if anything unpickled it; written
    opcode by opcode (no pickle module here)."""
    return b"\x80\x02cos\nsystem\nq\x00X\x0b\x00\x00\x00touch pwnedq\x01\x85q\x02Rq\x03."


def _checkpoint_bytes(spec: list, input_shape: list, state: dict | None = None) -> bytes:
    import io

    import torch

    buffer = io.BytesIO()
    torch.save({"format": "hafiza-checkpoint", "version": 1, "spec": spec,
                "input_shape": input_shape, "state_dict": state or {}, "vocab": None,
                "metrics": {}, "extra": {}}, buffer)
    return buffer.getvalue()


def progress_cases() -> list[tuple]:
    from hafiza.store import transfer

    cases: list[tuple] = []

    def case(case_id: str, make, expect: str = "refused", argv_extra: tuple = ()):
        def build(root: Path) -> Action:
            path = root / "input" / f"{case_id}.zip"
            make(path)
            return Action("cli", ["progress", "import", str(path), *argv_extra])
        cases.append((case_id, build, expect, None))

    def export(**kwargs):
        return lambda path: write_export(path, **kwargs)

    uid = "c" * 32
    model = f"models/{uid}.pt"
    case("control-valid-export", export(), expect="accepted")
    case("control-valid-export-replace", export(), expect="accepted",
         argv_extra=("--replace",))
    case("not-a-zip-json", lambda p: p.write_text(json.dumps(progress_data())))
    case("not-a-zip-garbage", lambda p: p.write_bytes(b"\x00\xff" * 5000))
    case("empty-file", lambda p: p.write_bytes(b""))
    case("sqlite-db-as-import", lambda p: _database_with_trigger(p))
    case("zip-holding-a-database", export(extra=[("progress.db", b"SQLite format 3\x00")]))
    many = getattr(transfer, "MAX_LESSONS", 300_000) + 1
    case("lessons-300000", export(body=json.dumps(progress_data(lessons=[
        lesson_record(f"l{i}") for i in range(many)]), separators=(",", ":")).encode()))
    case("huge-lesson-id", export(data=progress_data(lessons=[lesson_record("x" * 5_000_000)])))
    case("huge-answer", export(data=progress_data(quiz_answers=[{
        "lesson_id": "a", "quiz_id": "q", "answer": "x" * 5_000_000, "correct": True,
        "answered_at": STAMP}])))
    case("huge-failure-text", export(data=progress_data(runs=[run_record(
        failure="x" * 5_000_000)])))
    case("huge-settings", export(data=progress_data(runs=[run_record(
        settings={"k": "x" * 5_000_000})])))
    case("lessons-not-a-list", export(data=progress_data(lessons={"a": 1})))
    case("open-count-text", export(data=progress_data(lessons=[lesson_record(open_count="9")])))
    case("open-count-bool", export(data=progress_data(lessons=[lesson_record(open_count=True)])))
    case("open-count-huge", export(data=progress_data(lessons=[lesson_record(
        open_count=10**30)])))
    case("position-nan", export(body=json.dumps(progress_data(
        lessons=[lesson_record(position=float("nan"))])).encode()))
    case("position-1e308", export(data=progress_data(lessons=[lesson_record(position=1e308)])))
    case("timestamp-garbage", export(data=progress_data(lessons=[lesson_record(
        first_opened_at="yesterday; DROP TABLE lessons")])))
    case("lesson-id-control-chars", export(data=progress_data(lessons=[lesson_record(
        "a\x00b\x1b[31m")])))
    case("lesson-id-number", export(data=progress_data(lessons=[lesson_record(5)])))
    case("extra-field", export(data=progress_data(lessons=[lesson_record(evil=1)])))
    case("duplicate-runs", export(data=progress_data(runs=[run_record(), run_record()])))
    case("run-uid-path", export(data=progress_data(runs=[run_record("../../canary/x")])))
    case("unknown-setting", export(data=progress_data(settings={"evil": 1})))
    case("setting-wrong-type", export(data=progress_data(settings={"language": ["fa"]})))
    case("deep-nested-json", export(body=b"[" * 200_000 + b"]" * 200_000))
    case("deep-nested-answer", export(body=json.dumps(progress_data(quiz_answers=[{
        "lesson_id": "a", "quiz_id": "q", "answer": json.loads("[" * 900 + "]" * 900),
        "correct": True, "answered_at": STAMP}])).encode()), expect="either")
    case("points-non-finite", export(body=json.dumps(progress_data(runs=[run_record(
        points=[["loss", 1, 1, float("inf")]])])).encode()))
    case("progress-json-not-utf8", export(body=b'{"settings": "\xff\xfe"}'))
    case("progress-json-bomb", export(body=b" " * (transfer.MAX_JSON_BYTES + 1)))
    case("checksum-mismatch", export(manifest={
        "format": "hafiza-progress", "version": 1, "created_at": STAMP,
        "files": {"progress.json": {"sha256": "0" * 64, "size": 1}}}))
    case("version-99", export(manifest={"format": "hafiza-progress", "version": 99,
                                        "files": {}}))
    case("zip-slip-member", export(extra=[("../../canary/pwned", b"x")]))
    case("model-member-dotdot", export(extra=[(f"models/../../{uid}.pt", b"x")]))
    case("model-pickle-with-code", export(
        data=progress_data(runs=[run_record(uid, model=model)]),
        models={model: _pickle_calling_system()}))
    case("model-not-a-checkpoint", export(
        data=progress_data(runs=[run_record(uid, model=model)]),
        models={model: b"not a torch file"}))
    case("model-enormous-spec", lambda p: write_export(
        p, data=progress_data(runs=[run_record(uid, model=model)]),
        models={model: _checkpoint_bytes(["Dense(100000)", "Dense(100000)"], [100000])}))
    case("model-huge-embedding", lambda p: write_export(
        p, data=progress_data(runs=[run_record(uid, model=model)]),
        models={model: _checkpoint_bytes(["Embedding(1000000000, 64)"], [10])}))
    return cases


# --- live databases -------------------------------------------------------------------------

def _database_with_trigger(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON t BEGIN DELETE FROM t; END")
    conn.commit()
    conn.close()
    return path


def _alter(statements: list[str]):
    def change(db: Path) -> None:
        conn = sqlite3.connect(db)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()
    return change


def live_database_cases() -> list[tuple]:
    """(id, change(db) applied to a seeded progress.db, keep): which seeded rows must still be
    in the live database afterwards ("all", "lessons" where the test dropped the others, or
    "" where the file cannot be read: then the damaged file itself must be kept)."""
    wipe = "DELETE FROM lessons; DELETE FROM runs; DELETE FROM run_points;"
    return [
        ("db-trigger-on-answer-wipes", _alter([
            f"CREATE TRIGGER wipe AFTER INSERT ON quiz_answers BEGIN {wipe} END"]), "all"),
        ("db-trigger-on-lesson-update", _alter([
            f"CREATE TRIGGER wipe2 AFTER UPDATE ON lessons BEGIN {wipe} END",
            f"CREATE TRIGGER wipe3 AFTER INSERT ON lessons BEGIN {wipe} END"]), "all"),
        ("db-trigger-on-run-insert", _alter([
            f"CREATE TRIGGER wipe4 BEFORE INSERT ON runs BEGIN {wipe} END"]), "all"),
        ("db-trigger-memory-bomb", _alter([
            "CREATE TRIGGER bomb AFTER INSERT ON quiz_answers BEGIN "
            "SELECT length(randomblob(2000000000)); END"]), "all"),
        ("db-view", _alter(["CREATE VIEW evil AS SELECT * FROM lessons"]), "all"),
        ("db-extra-table", _alter(["CREATE TABLE evil (x)", "INSERT INTO evil VALUES (1)"]),
         "all"),
        ("db-missing-runs-table", _alter(["DROP TABLE run_points", "DROP TABLE runs"]),
         "lessons"),
        ("db-missing-answers-table", _alter(["DROP TABLE quiz_answers"]), "all"),
        ("db-newer-schema", _alter(["PRAGMA user_version = 999"]), "all"),
        ("db-wrong-column-types", _alter([
            "UPDATE lessons SET open_count = 'many' WHERE lesson_id = 'kept-3'"]), "all"),
        ("db-garbage-bytes", lambda db: db.write_bytes(b"\x13\x37" * 20_000), ""),
        ("db-zero-bytes", lambda db: db.write_bytes(b""), ""),
        ("db-truncated", lambda db: db.write_bytes(db.read_bytes()[:len(db.read_bytes()) // 2]),
         ""),
        ("db-header-only", lambda db: db.write_bytes(db.read_bytes()[:100]), ""),
        ("db-garbage-wal", lambda db: Path(f"{db}-wal").write_bytes(b"\x00\x01" * 4096), "all"),
        ("db-is-a-folder", lambda db: (db.unlink(), db.mkdir()), ""),
    ]
