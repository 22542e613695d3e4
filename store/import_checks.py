"""Every record of a progress file checked before anything is written, within limits.

A progress file may come from anyone: its `progress.json` is checked field by field (types,
ranges, timestamps, ids that look like ids) and against limits on how much it may hold,
so an import cannot add 300,000 made-up lessons or fill the database with text. A limit
that is passed is refused with `LimitExceeded`, which names the limit and its value.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from typing import Any

from hafiza.store.errors import LimitExceeded
from hafiza.store.preferences import KNOWN_SETTINGS, valid_setting
from hafiza.store.progress import MAX_ANSWER_CHARS, encode_answer
from hafiza.store.runs import MAX_METRIC_LENGTH, MAX_SETTINGS_CHARS, STATUSES

# How much one import may hold. A real learner's progress is far below each: the course has
# tens of lessons, a quiz answer is given a few times, a run is started by hand.
MAX_IMPORT_LESSONS = 10_000
MAX_IMPORT_ANSWERS = 100_000
MAX_IMPORT_RUNS = 10_000
MAX_IMPORT_MODELS = 1_000
MAX_IMPORT_POINTS = 5_000_000  # metric values, all runs together
MAX_IMPORT_ID_CHARS = 64  # lesson, quiz and exercise ids (lessonlib allows up to 64)
MAX_FAILURE_CHARS = 200
MAX_METRICS = 1000

# An id as lessons, quizzes and exercises are named: letters, digits, `_`, `-` and `.`.
IMPORT_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
UID = re.compile(r"^[0-9a-f]{32}$")

LESSON_FIELDS = {"lesson_id", "first_opened_at", "last_opened_at", "open_count", "completed_at",
                 "position", "position_at"}
ANSWER_FIELDS = {"lesson_id", "quiz_id", "answer", "correct", "answered_at"}
RUN_FIELDS = {"uid", "exercise_id", "lesson_id", "settings", "status", "started_at",
              "finished_at", "final_metrics", "failure", "model", "points"}


class Invalid(Exception):
    """A record or value is wrong; the message names it (e.g. `lessons[3].position`)."""


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise Invalid(message)


def _at_most(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise LimitExceeded(what, limit, count)


def _time(value: Any, what: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    _need(isinstance(value, str) and len(value) <= 40, f"{what}: not a timestamp")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what}: not a timestamp") from None
    return value


def _ident(value: Any, what: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    _need(isinstance(value, str), f"{what}: not an id")
    _at_most(len(value), MAX_IMPORT_ID_CHARS, "id_length")
    _need(bool(IMPORT_ID.fullmatch(value)), f"{what}: not an id")
    return value


def _number(value: Any, what: str, optional: bool = True) -> float | None:
    if value is None and optional:
        return None
    _need(not isinstance(value, bool) and isinstance(value, (int, float))
          and math.isfinite(value), f"{what}: not a finite number")
    return float(value)


def _integer(value: Any, what: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    _need(type(value) is int and abs(value) < 2**62, f"{what}: not an integer")
    return value


def _keys(record: Any, required: set[str], what: str) -> dict:
    _need(isinstance(record, dict), f"{what}: not an object")
    _need(set(record) == required, f"{what}: fields {sorted(set(record) ^ required)} differ")
    return record


def _metrics(value: Any, what: str) -> dict | None:
    if value is None:
        return None
    _need(isinstance(value, dict) and len(value) <= MAX_METRICS, f"{what}: not metrics")
    for name, number in value.items():
        _need(0 < len(name) <= MAX_METRIC_LENGTH, f"{what}: bad metric name")
        _number(number, f"{what}.{name}")
    return value


def _check_totals(data: dict) -> None:
    """The limits on counts, before any record is read one by one."""
    for name in ("lessons", "quiz_answers", "runs"):
        _need(isinstance(data[name], list), f"{name}: not a list")
    _at_most(len(data["lessons"]), MAX_IMPORT_LESSONS, "lessons")
    _at_most(len(data["quiz_answers"]), MAX_IMPORT_ANSWERS, "quiz_answers")
    _at_most(len(data["runs"]), MAX_IMPORT_RUNS, "runs")
    runs = [run for run in data["runs"] if isinstance(run, dict)]
    _at_most(sum(1 for run in runs if run.get("model")), MAX_IMPORT_MODELS, "models")
    _at_most(sum(len(run["points"]) for run in runs if isinstance(run.get("points"), list)),
             MAX_IMPORT_POINTS, "points")


def _check_lessons(lessons: list) -> None:
    seen = set()
    for i, lesson in enumerate(lessons):
        what = f"lessons[{i}]"
        _keys(lesson, LESSON_FIELDS, what)
        lesson_id = _ident(lesson["lesson_id"], f"{what}.lesson_id")
        _need(lesson_id not in seen, f"{what}: lesson listed twice")
        seen.add(lesson_id)
        for key in ("first_opened_at", "last_opened_at", "completed_at", "position_at"):
            _time(lesson[key], f"{what}.{key}")
        count = _integer(lesson["open_count"], f"{what}.open_count")
        _need(count >= 0, f"{what}.open_count: negative")
        position = _number(lesson["position"], f"{what}.position", optional=False)
        _need(0.0 <= position <= 1.0, f"{what}.position: outside 0..1")


def _check_answers(answers: list) -> None:
    for i, answer in enumerate(answers):
        what = f"quiz_answers[{i}]"
        _keys(answer, ANSWER_FIELDS, what)
        _ident(answer["lesson_id"], f"{what}.lesson_id")
        _ident(answer["quiz_id"], f"{what}.quiz_id")
        _need(isinstance(answer["correct"], bool), f"{what}.correct: not true or false")
        _time(answer["answered_at"], f"{what}.answered_at", optional=False)
        try:
            encode_answer(answer["answer"])
        except ValueError as error:
            raise Invalid(f"{what}.answer: {error} (at most {MAX_ANSWER_CHARS} chars)") from None


def _check_points(points: Any, what: str) -> None:
    _need(isinstance(points, list), f"{what}.points")
    keys = set()
    for j, point in enumerate(points):
        pwhat = f"{what}.points[{j}]"
        _need(isinstance(point, list) and len(point) == 4, f"{pwhat}: not [m, s, e, v]")
        metric, step, epoch, value = point
        _need(isinstance(metric, str) and 0 < len(metric) <= MAX_METRIC_LENGTH,
              f"{pwhat}: bad metric name")
        _integer(step, f"{pwhat}.step")
        _integer(epoch, f"{pwhat}.epoch", optional=True)
        _number(value, f"{pwhat}.value")
        _need((metric, step) not in keys, f"{pwhat}: repeated")
        keys.add((metric, step))


def _check_runs(runs: list) -> None:
    seen = set()
    for i, run in enumerate(runs):
        what = f"runs[{i}]"
        _keys(run, RUN_FIELDS, what)
        _need(isinstance(run["uid"], str) and bool(UID.match(run["uid"])), f"{what}.uid: bad")
        _need(run["uid"] not in seen, f"{what}: run listed twice")
        seen.add(run["uid"])
        _ident(run["exercise_id"], f"{what}.exercise_id")
        _ident(run["lesson_id"], f"{what}.lesson_id", optional=True)
        _need(isinstance(run["settings"], dict), f"{what}.settings: not an object")
        _need(len(json.dumps(run["settings"])) <= MAX_SETTINGS_CHARS, f"{what}.settings: large")
        _need(run["status"] in STATUSES, f"{what}.status: unknown")
        _time(run["started_at"], f"{what}.started_at", optional=False)
        _time(run["finished_at"], f"{what}.finished_at")
        _metrics(run["final_metrics"], f"{what}.final_metrics")
        _need(run["failure"] is None or (isinstance(run["failure"], str)
                                         and len(run["failure"]) <= MAX_FAILURE_CHARS),
              f"{what}.failure")
        _need(run["model"] is None or run["model"] == f"models/{run['uid']}.pt",
              f"{what}.model: must be models/<uid>.pt")
        _check_points(run["points"], what)


def validate(data: Any) -> dict[str, Any]:
    """Checks every record of a progress.json; raises Invalid naming the first problem, or
    LimitExceeded naming the limit it passes."""
    _keys(data, {"settings", "lessons", "quiz_answers", "runs"}, "progress")
    settings = data["settings"]
    _need(isinstance(settings, dict), "settings: not an object")
    for key, value in settings.items():
        _need(key in KNOWN_SETTINGS, f"settings: unknown setting {key!r}")
        _need(valid_setting(key, value), f"settings.{key}: invalid value")
    _check_totals(data)
    _check_lessons(data["lessons"])
    _check_answers(data["quiz_answers"])
    _check_runs(data["runs"])
    return data
