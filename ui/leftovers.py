"""What interrupted work left behind, swept at start: the staging folders of lesson packs
whose install was cut short (lessonlib.library), half-written checkpoints
(engine.checkpoints), IMDB cache files (engine.data.imdb.cache) and the learner's own texts
cut short while being saved or imported (ui.own_text, store.transfer_texts).

The packs are swept at once, before the window. The checkpoints wait for the engine:
engine.checkpoints imports torch, which must not load before the window shows (the
start-up probe checks it), and no model is saved before the engine is ready anyway.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Slot

log = logging.getLogger(__name__)


def sweep(function) -> int | None:
    """Runs one sweep and logs how many leftovers it removed; None when it failed (the
    leftovers then wait for the next start)."""
    name = f"{function.__module__}.{function.__name__}"
    try:
        removed = function()
    except Exception:  # noqa: BLE001 - leftovers are never worth a failed start
        log.exception("%s() failed", name)
        return None
    log.info("%s() removed %s leftovers", name, removed)
    return removed


class _CheckpointSweep(QObject):
    """Sweeps the partial checkpoints once, the first time the engine is ready."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.done = False
        engine.changed.connect(self.on_engine_changed)
        if getattr(engine, "state", None) == "ready":
            self.on_engine_changed("ready")

    @Slot(str)
    def on_engine_changed(self, state: str) -> None:
        if state != "ready" or self.done:
            return
        self.done = True
        from hafiza.engine.checkpoints import sweep_partial_files
        from hafiza.engine.data.imdb import cache

        sweep(sweep_partial_files)
        sweep(cache.sweep_partial_files)


def sweep_own_texts() -> int:
    """The half-written copies of the learner's own texts in the data folder's texts folder
    (a text is written under a temporary name, then renamed)."""
    from hafiza.engine.files import sweep_partial
    from hafiza.store.paths import data_dir

    return sweep_partial(data_dir() / "texts")


def sweep_at_start(engine) -> None:
    # From the library module itself: lessonlib.packs would bring the checker and the
    # engine's exercise tables into the start-up, for one folder listing.
    from hafiza.lessonlib.library import sweep_staging

    sweep(sweep_staging)
    sweep(sweep_own_texts)
    _CheckpointSweep(engine)
