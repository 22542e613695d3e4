"""The API calls a hostile input goes through when it has no command of its own (run in the
child process of hostile_harness, with HAFIZA_HOME pointing into the case's folder)."""

from __future__ import annotations

from pathlib import Path


def store_session() -> None:
    """What the app does with the live database in a few minutes of learning: open it,
    open a lesson, answer a quiz, start and finish a run, close. Raises StoreError."""
    from hafiza.store import open_store

    store = open_store()
    try:
        store.progress.lesson_opened("hostile-session")
        store.progress.record_answer("hostile-session", "q1", 1, True)
        run = store.runs.create("mlp_xor", {"epochs": 1})
        store.runs.append_points(run.id, [{"step": 1, "epoch": 1, "loss": 0.5}])
        store.runs.finish(run.id, "finished", {"loss": 0.5})
    finally:
        store.close()


def imdb_import(source: str) -> None:
    from hafiza.engine.data.imdb import import_imdb

    import_imdb(Path(source))


def check_lesson_folder(folder: str) -> None:
    """The checker on a lesson folder: problems are its output, never an exception."""
    from hafiza.lessonlib.checker import check_lesson, errors
    from hafiza.lessonlib.model import LessonError

    problems = check_lesson(Path(folder))
    if errors(problems):
        raise LessonError("; ".join(map(str, errors(problems)[:3])), folder, 1)


def load_checkpoint(path: str) -> None:
    from hafiza.engine.checkpoints import load_checkpoint as load

    load(Path(path))
