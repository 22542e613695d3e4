"""The learner's progress and run history in SQLite. Qt-free and torch-free at import.

    from hafiza.store import open_store
    store = open_store()            # the data folder's progress.db (honours $HAFIZA_HOME)
    store.progress.lesson_opened("sequences-rnn")
    store.prefs.set("theme", "dark")
    run = store.runs.create(...)

`open_store()` raises `StoreError` (with a machine-readable `reason`) when the file cannot
be used; `open_store_or_memory()` never raises and falls back to an in-memory database whose
`problem` says why, so the app keeps working without saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hafiza.store.db import Database, memory_database, open_database
from hafiza.store.errors import StoreError, TransferError
from hafiza.store.preferences import Preferences
from hafiza.store.progress import Progress
from hafiza.store.runs import Runs

__all__ = ["Store", "StoreError", "TransferError", "open_store", "open_store_or_memory",
           "memory_store"]


@dataclass
class Store:
    db: Database
    progress: Progress
    prefs: Preferences
    runs: Runs

    @classmethod
    def on(cls, db: Database, models_folder: Path | None = None) -> Store:
        return cls(db, Progress(db), Preferences(db), Runs(db, models_folder))

    @property
    def persistent(self) -> bool:
        return self.db.persistent

    @property
    def problem(self) -> StoreError | None:
        return self.db.problem

    def close(self) -> None:
        self.db.close()


def open_store(path: Path | None = None) -> Store:
    return Store.on(open_database(path))


def memory_store(problem: StoreError | None = None) -> Store:
    return Store.on(memory_database(problem))


def open_store_or_memory(path: Path | None = None) -> Store:
    try:
        return open_store(path)
    except StoreError as error:
        return memory_store(error)
