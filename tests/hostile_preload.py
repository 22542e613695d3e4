"""Imported once by the hostile harness's forkserver, so that each child forked from it
starts with Hafiza, torch (with its optimizers, which pull in torch._dynamo: a second per
import) and Qt's widgets already loaded. Nothing here runs torch or creates a QApplication:
a process that forks must not have started their threads yet. A module that fails to import
(a file half-way through an edit) is skipped; the child then imports it itself."""

import importlib

MODULES = ["hafiza.__main__", "hafiza.lessonlib.cli", "hafiza.lessonlib.packs",
           "hafiza.lessonlib.checker", "hafiza.lessonlib.parser", "hafiza.store.cli",
           "hafiza.store.transfer", "hafiza.engine.cli", "hafiza.engine.exercises",
           "hafiza.engine.train", "hafiza.engine.models", "hafiza.engine.summary",
           "hafiza.engine.runtime", "hafiza.engine.events", "hafiza.engine.checkpoints",
           "hafiza.engine.data", "hafiza.engine.data.imdb", "torch", "torch.optim",
           "torch._dynamo", "yaml", "numpy", "ziamath", "PySide6.QtWidgets", "PySide6.QtSvg",
           "hafiza.ui.lesson_page"]

for name in MODULES:
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - the child imports it again and reports what fails
        pass
