"""Lessons opened and completed, the reading position, quiz answers and scores."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from hafiza.store.db import Database, now

MAX_ID_LENGTH = 200
MAX_ANSWER_CHARS = 64_000


def check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise ValueError(f"{what} must be a non-empty string of at most {MAX_ID_LENGTH} chars")
    if any(ord(c) < 32 for c in value):
        raise ValueError(f"{what} holds control characters")
    return value


def encode_answer(answer: Any) -> str:
    """A quiz answer as JSON (plain data only); ValueError for anything else."""
    try:
        text = json.dumps(answer, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise ValueError(f"a quiz answer must be plain JSON data: {error}") from None
    if len(text) > MAX_ANSWER_CHARS:
        raise ValueError("the quiz answer is too long")
    return text


@dataclass(frozen=True)
class LessonProgress:
    lesson_id: str
    first_opened_at: str | None
    last_opened_at: str | None
    open_count: int
    completed_at: str | None
    position: float
    position_at: str | None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class QuizAnswer:
    id: int
    lesson_id: str
    quiz_id: str
    answer: Any
    correct: bool
    answered_at: str


@dataclass(frozen=True)
class LessonStatus:
    """What the outline shows of one lesson: opened, completed, and its quiz score (how many
    quizzes were answered, and how many of those the latest answer got right)."""

    opened: bool = False
    completed: bool = False
    answered: int = 0
    correct: int = 0


@dataclass(frozen=True)
class Score:
    """Quizzes answered in a lesson and how many of them the latest answer got right."""

    answered: int
    correct: int
    attempts: int


class Progress:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- lessons -----------------------------------------------------------------------------
    def lesson_opened(self, lesson_id: str) -> None:
        check_id(lesson_id, "lesson_id")
        stamp = now()
        with self.db.transaction() as conn:
            conn.execute(
                """INSERT INTO lessons (lesson_id, first_opened_at, last_opened_at, open_count)
                   VALUES (?, ?, ?, 1)
                   ON CONFLICT (lesson_id) DO UPDATE SET
                       first_opened_at = COALESCE(first_opened_at, excluded.first_opened_at),
                       last_opened_at = excluded.last_opened_at,
                       open_count = open_count + 1""",
                (lesson_id, stamp, stamp),
            )

    def set_position(self, lesson_id: str, fraction: float) -> None:
        """The reading position as a fraction of the lesson page, clamped to [0, 1]."""
        check_id(lesson_id, "lesson_id")
        fraction = float(fraction)
        if not math.isfinite(fraction):
            raise ValueError("the reading position must be a finite number")
        fraction = min(1.0, max(0.0, fraction))
        with self.db.transaction() as conn:
            conn.execute(
                """INSERT INTO lessons (lesson_id, position, position_at) VALUES (?, ?, ?)
                   ON CONFLICT (lesson_id) DO UPDATE SET
                       position = excluded.position, position_at = excluded.position_at""",
                (lesson_id, fraction, now()),
            )

    def position(self, lesson_id: str) -> float:
        row = self.db.query_one("SELECT position FROM lessons WHERE lesson_id = ?", (lesson_id,))
        return float(row[0]) if row else 0.0

    def mark_completed(self, lesson_id: str) -> bool:
        """Marks the lesson completed (the first time only); True if it was not before."""
        check_id(lesson_id, "lesson_id")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO lessons (lesson_id) VALUES (?) ON CONFLICT (lesson_id) DO NOTHING",
                (lesson_id,),
            )
            cursor = conn.execute(
                "UPDATE lessons SET completed_at = ? WHERE lesson_id = ? AND completed_at IS NULL",
                (now(), lesson_id),
            )
            return cursor.rowcount == 1

    def lesson(self, lesson_id: str) -> LessonProgress | None:
        row = self.db.query_one("SELECT * FROM lessons WHERE lesson_id = ?", (lesson_id,))
        return _lesson(row) if row else None

    def lessons(self) -> list[LessonProgress]:
        rows = self.db.query("SELECT * FROM lessons ORDER BY last_opened_at DESC, lesson_id")
        return [_lesson(row) for row in rows]

    def completed_lessons(self) -> set[str]:
        rows = self.db.query("SELECT lesson_id FROM lessons WHERE completed_at IS NOT NULL")
        return {row[0] for row in rows}

    def last_opened(self) -> str | None:
        row = self.db.query_one(
            "SELECT lesson_id FROM lessons WHERE last_opened_at IS NOT NULL "
            "ORDER BY last_opened_at DESC LIMIT 1"
        )
        return row[0] if row else None

    def statuses(self) -> dict[str, LessonStatus]:
        """lesson_id -> its status, for every lesson with any progress (two queries, for the
        whole outline at once)."""
        found: dict[str, dict[str, Any]] = {}
        for row in self.db.query("SELECT lesson_id, last_opened_at, completed_at FROM lessons"):
            found[row[0]] = {"opened": row[1] is not None, "completed": row[2] is not None}
        latest = self.db.query(
            "SELECT lesson_id, COUNT(*), SUM(correct) FROM quiz_answers WHERE id IN "
            "(SELECT MAX(id) FROM quiz_answers GROUP BY lesson_id, quiz_id) GROUP BY lesson_id"
        )
        for lesson_id, answered, correct in latest:
            found.setdefault(lesson_id, {}).update(answered=int(answered),
                                                   correct=int(correct or 0))
        return {lesson_id: LessonStatus(**fields) for lesson_id, fields in found.items()}

    def resume_point(self, course_order: list[str]) -> tuple[str, float] | None:
        """Where to continue: the last lesson opened at its reading position or, once that
        lesson is completed, the next lesson of `course_order` not completed yet, from its
        top. None before any lesson of the course was opened, or when all are completed."""
        last = self.last_opened()
        if last is None or last not in course_order:
            return None
        progress = self.lesson(last)
        if progress is not None and not progress.completed:
            return last, progress.position
        completed = self.completed_lessons()
        start = course_order.index(last)
        for lesson_id in course_order[start + 1:] + course_order[:start]:
            if lesson_id not in completed:
                return lesson_id, self.position(lesson_id)
        return None

    # -- quizzes -----------------------------------------------------------------------------
    def record_answer(self, lesson_id: str, quiz_id: str, answer: Any, correct: bool) -> int:
        """Keeps every attempt; returns the answer's id once it is committed."""
        check_id(lesson_id, "lesson_id")
        check_id(quiz_id, "quiz_id")
        text = encode_answer(answer)
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO quiz_answers (lesson_id, quiz_id, answer, correct, answered_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (lesson_id, quiz_id, text, 1 if correct else 0, now()),
            )
            return int(cursor.lastrowid)

    def answers(self, lesson_id: str, quiz_id: str | None = None) -> list[QuizAnswer]:
        sql = "SELECT * FROM quiz_answers WHERE lesson_id = ?"
        params: tuple = (lesson_id,)
        if quiz_id is not None:
            sql += " AND quiz_id = ?"
            params += (quiz_id,)
        return [_answer(row) for row in self.db.query(sql + " ORDER BY id", params)]

    def latest_answers(self, lesson_id: str) -> dict[str, QuizAnswer]:
        """quiz_id -> the learner's latest answer, to show a quiz as it was left."""
        return {answer.quiz_id: answer for answer in self.answers(lesson_id)}

    def score(self, lesson_id: str) -> Score:
        latest = self.latest_answers(lesson_id)
        attempts = self.db.query_one(
            "SELECT COUNT(*) FROM quiz_answers WHERE lesson_id = ?", (lesson_id,)
        )[0]
        return Score(len(latest), sum(a.correct for a in latest.values()), int(attempts))


def _lesson(row) -> LessonProgress:
    return LessonProgress(
        row["lesson_id"], row["first_opened_at"], row["last_opened_at"], int(row["open_count"]),
        row["completed_at"], float(row["position"]), row["position_at"],
    )


def _answer(row) -> QuizAnswer:
    return QuizAnswer(
        int(row["id"]), row["lesson_id"], row["quiz_id"], json.loads(row["answer"]),
        bool(row["correct"]), row["answered_at"],
    )
