import os
import sqlite3
import sys
from pathlib import Path

# Headless Qt for every test; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


import pytest  # noqa: E402

# ui.gc_guard: the GUI thread's collections happen between tests, once a test's windows are
# closed and deleted, not from its timer in the middle of pytest-qt closing them.
os.environ["HAFIZA_GC_BETWEEN_TESTS"] = "1"


@pytest.fixture(autouse=True)
def _collect_cycles_between_tests():
    yield
    import gc

    if not gc.isenabled():  # ui.gc_guard took collection over
        gc.collect()


@pytest.fixture(autouse=True)
def _english_words_after_each_test():
    """A test that switched the language (ui.i18n.apply_language) leaves English behind, so
    the next one's checker messages (hafiza.words) are the English its assertions read."""
    yield
    from hafiza import words

    words.set_language("en")


@pytest.fixture
def hafiza_home(tmp_path, monkeypatch):
    """A fresh settings and data folder, so no test reads or writes the learner's own."""
    monkeypatch.setenv("HAFIZA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def home_store(hafiza_home):
    """The progress store of that fresh data folder, closed afterwards."""
    from hafiza.store import open_store

    store = open_store()
    yield store
    store.close()


@pytest.fixture
def hafiza(qapp, hafiza_home):
    """The application object on a fresh settings folder; afterwards its threads are
    stopped, its windows closed, and the language and theme put back for the next test.
    (Qt is imported here, not at the top: the engine's tests never load it.)"""
    from hafiza.ui import i18n, theme
    from hafiza.ui.app import Hafiza
    from hafiza.ui.settings import Settings

    controller = Hafiza(qapp, Settings())
    yield controller
    controller.shutdown()
    for window in controller.exercise_windows.values():
        window.close()
    if controller.window is not None:
        controller.window.close()
        controller.window.deleteLater()
    i18n.apply_language(qapp, "en")
    theme.apply_theme(qapp, "light")
    controller.deleteLater()


@pytest.fixture
def read_only_writes(monkeypatch):
    """Once `refuse()` is called, the file refuses writes as a read-only disk does (chmod
    does not bind root), until `allow()`; reads work."""
    state = {"refuse": False}
    from hafiza.store import db as store_db
    from hafiza.store import held

    real_prepare, real_write_back = store_db._prepare, held.write_back

    def prepare(conn, wal):
        if state["refuse"] and wal:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        real_prepare(conn, wal)

    def write_back(memory, path):
        if state["refuse"]:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_write_back(memory, path)

    monkeypatch.setattr(store_db, "_prepare", prepare)
    monkeypatch.setattr(held, "write_back", write_back)
    class Switch:
        refuse = staticmethod(lambda: state.update(refuse=True))
        allow = staticmethod(lambda: state.update(refuse=False))

    return Switch
