"""The hostile corpus: every input, how each case's home is seeded, what must survive, and
`run_all` for scripts (bench/, tools/) that want the summary table without pytest.

    cases = all_cases()                 # [Case], each with its own id
    result = run_case(case, tmp_path)   # hostile_harness.Result
    print(summary_table(run_all()))

A case's home is seeded before it runs (unless it brings its own database): a library
lesson `kept-lesson` and a progress.db with three lessons, a quiz answer and a finished run
with its curve. After the run, what was seeded must still be there ("lost" otherwise).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # scripts import this module from outside tests/
    sys.path.insert(0, str(HERE))

from hostile_data import imdb_cases, settings_cases  # noqa: E402
from hostile_harness import (  # noqa: E402
    Action,
    Result,
    prepare_folders,
    run_isolated,
    summary_table,
)
from hostile_packs import pack_cases  # noqa: E402
from hostile_progress import SEEDED_LESSONS, live_database_cases, progress_cases  # noqa: E402

__all__ = ["Case", "all_cases", "run_all", "run_case", "summary_table"]
KEPT_LESSON = "kept-lesson"


@dataclass
class Case:
    id: str
    group: str
    build: Callable[[Path], Action]
    expect: str = "refused"  # "refused", "accepted" or "either"
    check: Callable[[Path], str] | None = None  # "" or what harm it found
    seed: bool = True
    # Which seeded rows must be in the live database afterwards: "all", "lessons" (a case
    # that dropped the other tables itself) or "" (none: the file is unreadable or replaced).
    keep_rows: str = "all"
    keep_bytes: bytes | None = None


# --- seeding --------------------------------------------------------------------------------

_TEMPLATE: Path | None = None


def _template() -> Path:
    """A seeded home, built once per process and copied into each case."""
    global _TEMPLATE
    if _TEMPLATE is None:
        from hafiza.store import open_store

        home = Path(tempfile.mkdtemp(prefix="hafiza-hostile-seed-"))
        lesson = home / "data" / "lessons" / KEPT_LESSON
        lesson.mkdir(parents=True)
        (lesson / "lesson.yaml").write_text(f"id: {KEPT_LESSON}\norder: 9\ntitle:\n  en: Kept\n")
        (lesson / "en.md").write_text("# Kept\n\nThe learner's own lesson.\n")
        store = open_store(home / "data" / "progress.db")
        for lesson_id in SEEDED_LESSONS:
            store.progress.lesson_opened(lesson_id)
        store.progress.record_answer(SEEDED_LESSONS[0], "q1", 1, True)
        run = store.runs.create("mlp_xor", {"epochs": 3})
        store.runs.append_points(run.id, [{"step": s, "epoch": 1, "loss": 1 / s}
                                          for s in range(1, 6)])
        store.runs.finish(run.id, "finished", {"loss": 0.2})
        store.close()
        _TEMPLATE = home
    return _TEMPLATE


def seed_home(home: Path) -> None:
    shutil.copytree(_template(), home, dirs_exist_ok=True)


def _seeded_uid() -> str:
    conn = sqlite3.connect(_template() / "data" / "progress.db")
    try:
        return conn.execute("SELECT uid FROM runs").fetchone()[0]
    finally:
        conn.close()


def what_was_lost(root: Path, case: Case) -> str:
    """What of the seeded home is gone (read with sqlite3 itself, not Hafiza's store)."""
    home = root / "home"
    if case.keep_bytes:  # an empty file holds nothing to lose
        kept = any(p.is_file() and p.read_bytes() == case.keep_bytes for p in home.rglob("*"))
        return "" if kept else "the damaged database is gone: nothing left to salvage"
    if not case.seed:
        return ""
    lesson = home / "data" / "lessons" / KEPT_LESSON
    template = _template() / "data" / "lessons" / KEPT_LESSON
    for name in ("lesson.yaml", "en.md"):
        if not (lesson / name).is_file() or \
                (lesson / name).read_bytes() != (template / name).read_bytes():
            return f"the library lesson {KEPT_LESSON} was changed or removed"
    if not case.keep_rows:
        return ""
    db = home / "data" / "progress.db"
    if not db.is_file():
        return "progress.db is gone"
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            lessons = {row[0] for row in conn.execute("SELECT lesson_id FROM lessons")}
            uids, points = set(), 0
            if case.keep_rows == "all":
                uids = {row[0] for row in conn.execute("SELECT uid FROM runs")}
                points = conn.execute("SELECT COUNT(*) FROM run_points").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as error:
        return f"progress.db cannot be read any more: {error}"
    missing = sorted(set(SEEDED_LESSONS) - lessons)
    if missing or (case.keep_rows == "all" and (_seeded_uid() not in uids or points < 5)):
        return f"seeded rows gone: lessons {missing}, run kept: {_seeded_uid() in uids}, " \
               f"{points} curve points"
    return ""


# --- the corpus -----------------------------------------------------------------------------

def _live_database_case(case_id: str, change, keep_rows: str) -> Case:
    def build(root: Path) -> Action:
        change(root / "home" / "data" / "progress.db")
        return Action("api", name="store_session")
    return Case(case_id, "database", build, "either", keep_rows=keep_rows)


def _backup_keeps_the_seeded_rows(root: Path) -> str:
    """`progress import --replace` may drop this computer's rows only into a backup."""
    for backup in (root / "home" / "data" / "backups").glob("*.db"):
        conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            lessons = {row[0] for row in conn.execute("SELECT lesson_id FROM lessons")}
        finally:
            conn.close()
        if set(SEEDED_LESSONS) <= lessons:
            return ""
    return "replaced without a backup holding the previous progress"


def all_cases() -> list[Case]:
    cases = [Case(i, "pack", b, e, c) for i, b, e, c in pack_cases()]
    for i, b, e, c in progress_cases():
        replace = i.endswith("-replace")
        cases.append(Case(i, "progress", b, e, _backup_keeps_the_seeded_rows if replace else c,
                          keep_rows="" if replace else "all"))
    cases += [_live_database_case(*row) for row in live_database_cases()]
    cases += [Case(i, "imdb", b, e, c) for i, b, e, c in imdb_cases()]
    cases += [Case(i, "settings", b, e, c) for i, b, e, c in settings_cases()]
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "two cases share an id"
    return cases


def run_case(case: Case, root: Path) -> Result:
    """Builds the input in `root` (an empty folder), runs it, checks what survived."""
    prepare_folders(root)
    if case.seed:
        seed_home(root / "home")
    action = case.build(root)
    db = root / "home" / "data" / "progress.db"
    if case.group == "database" and not case.keep_rows and db.is_file():
        case.keep_bytes = db.read_bytes()
    result = run_isolated(case.id, case.group, root, action)
    if result.outcome not in ("refused", "accepted"):
        return result
    lost = what_was_lost(root, case)
    if lost:
        result.outcome, result.detail = "lost", f"{lost} (then: {result.detail[:200]})"
        return result
    if result.outcome == "accepted":
        harm = case.check(root) if case.check else ""
        if not harm and case.expect == "refused":
            harm = "accepted, but it must be refused"
        if harm:
            result.outcome, result.detail = "harmful", f"{harm} (then: {result.detail[:200]})"
    elif case.expect == "accepted":
        result.outcome = "crashed"
        result.detail = f"a valid input was refused: {result.detail}"
    return result


def run_all(parent: Path | None = None, only: str = "") -> list[Result]:
    """Every case (whose id contains `only`), each in a fresh folder under `parent`."""
    parent = Path(parent or tempfile.mkdtemp(prefix="hafiza-hostile-"))
    results = []
    for case in all_cases():
        if only in case.id:
            results.append(run_case(case, parent / case.id))
    return results
