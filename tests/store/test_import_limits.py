"""A progress import is bounded: lessons, answers, runs, models, metric values and id lengths
each have a limit, and a file past one is refused whole, with the limit named."""

import hashlib
import json
import zipfile

import pytest

from hafiza.store import cli, errors, import_checks, open_store, transfer

STAMP = "2025-01-01T10:00:00.000Z"


def _lesson(lesson_id):
    return {"lesson_id": lesson_id, "first_opened_at": STAMP, "last_opened_at": STAMP,
            "open_count": 1, "completed_at": None, "position": 0.0, "position_at": None}


def _answer(i):
    return {"lesson_id": "sequences-rnn", "quiz_id": f"q{i}", "answer": "a", "correct": True,
            "answered_at": STAMP}


def _run(i, points=(), model=False):
    uid = f"{i:032x}"
    return {"uid": uid, "exercise_id": "mlp_xor", "lesson_id": None, "settings": {},
            "status": "finished", "started_at": STAMP, "finished_at": STAMP,
            "final_metrics": None, "failure": None,
            "model": f"models/{uid}.pt" if model else None, "points": list(points)}


def _progress_file(path, lessons=(), answers=(), runs=()):
    data = {"settings": {}, "lessons": list(lessons), "quiz_answers": list(answers),
            "runs": list(runs)}
    body = json.dumps(data).encode()
    files = {"progress.json": {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}}
    manifest = {"format": "hafiza-progress", "version": 1, "created_at": STAMP, "files": files}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("progress.json", body)
    return path


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "mine.db")
    store.progress.lesson_opened("sequences-rnn")
    yield store
    store.close()


def _refused(store, path, what, limit):
    with pytest.raises(errors.LimitExceeded) as caught:
        transfer.import_progress(store, path)
    error = caught.value
    assert (error.reason, error.what, error.limit) == (errors.OVER_LIMIT, what, limit)
    assert str(limit) in error.detail and error.path == path
    assert [lesson.lesson_id for lesson in store.progress.lessons()] == ["sequences-rnn"]
    return error


def test_three_hundred_thousand_made_up_lessons_are_refused(store, tmp_path):
    """The audit's case: refused on the count, before any record is read or written."""
    lessons = [_lesson(f"made-up-{i}") for i in range(300_000)]
    path = _progress_file(tmp_path / "lessons.zip", lessons=lessons)
    error = _refused(store, path, "lessons", import_checks.MAX_IMPORT_LESSONS)
    assert error.found == 300_000


def test_one_lesson_over_the_limit_is_refused_and_the_limit_itself_accepted(store, tmp_path):
    limit = import_checks.MAX_IMPORT_LESSONS
    over = _progress_file(tmp_path / "over.zip",
                          lessons=[_lesson(f"l{i}") for i in range(limit + 1)])
    _refused(store, over, "lessons", limit)
    at = _progress_file(tmp_path / "at.zip", lessons=[_lesson(f"l{i}") for i in range(limit)])
    assert transfer.import_progress(store, at).lessons == limit


@pytest.mark.parametrize("what, build, limit_name", [
    ("quiz_answers", lambda n: {"answers": [_answer(i) for i in range(n)]},
     "MAX_IMPORT_ANSWERS"),
    ("runs", lambda n: {"runs": [_run(i) for i in range(n)]}, "MAX_IMPORT_RUNS"),
])
def test_too_many_answers_or_runs(store, tmp_path, what, build, limit_name):
    limit = getattr(import_checks, limit_name)
    path = _progress_file(tmp_path / f"{what}.zip", **build(limit + 1))
    _refused(store, path, what, limit)


def test_too_many_models_and_metric_values(store, tmp_path, monkeypatch):
    """Checked on the counts the file declares, before any model is read."""
    monkeypatch.setattr(import_checks, "MAX_IMPORT_MODELS", 3)
    monkeypatch.setattr(import_checks, "MAX_IMPORT_POINTS", 10)
    models = _progress_file(tmp_path / "models.zip",
                            runs=[_run(i, model=True) for i in range(4)])
    _refused(store, models, "models", 3)
    points = [["loss", step, None, 0.5] for step in range(6)]
    curves = _progress_file(tmp_path / "points.zip", runs=[_run(1, points), _run(2, points)])
    _refused(store, curves, "points", 10)


@pytest.mark.parametrize("field", ["lesson", "quiz", "exercise"])
def test_ids_longer_than_the_limit_are_refused(store, tmp_path, field):
    long_id = "x" * (import_checks.MAX_IMPORT_ID_CHARS + 1)
    if field == "lesson":
        path = _progress_file(tmp_path / "id.zip", lessons=[_lesson(long_id)])
    elif field == "quiz":
        path = _progress_file(tmp_path / "id.zip", answers=[dict(_answer(1), quiz_id=long_id)])
    else:
        path = _progress_file(tmp_path / "id.zip", runs=[dict(_run(1), exercise_id=long_id)])
    _refused(store, path, "id_length", import_checks.MAX_IMPORT_ID_CHARS)


@pytest.mark.parametrize("bad_id", ["../../etc", "a b", "<b>x</b>", "-starts-with-dash",
                                    "tab\there", "سلام", ""])
def test_ids_that_do_not_look_like_ids_are_refused(store, tmp_path, bad_id):
    path = _progress_file(tmp_path / "id.zip", lessons=[_lesson(bad_id)])
    with pytest.raises(errors.TransferError) as caught:
        transfer.import_progress(store, path)
    assert caught.value.reason == errors.INVALID and "lesson_id" in caught.value.detail


def test_the_command_line_names_the_limit(store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HAFIZA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(import_checks, "MAX_IMPORT_RUNS", 2)
    path = _progress_file(tmp_path / "runs.zip", runs=[_run(i) for i in range(3)])
    assert cli.main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "over_limit" in err and "runs: 3 is over the limit of 2" in err
