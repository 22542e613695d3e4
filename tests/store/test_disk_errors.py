"""A read-only folder or a full disk: the right error reason, a message in the learner's
language, and an app that keeps working and says so in the status bar."""

import os
import sqlite3
import subprocess
import uuid
from contextlib import contextmanager

import pytest

from hafiza.store import StoreError, errors, open_store, open_store_or_memory
from hafiza.store.db import open_database


@contextmanager
def tmpfs(folder, options):
    """A tiny or read-only filesystem; skips where mounting is not allowed (not root)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, f"hafiza-{uuid.uuid4().hex}",
                             str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _remount_read_only(folder):
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_read_only_folder_without_a_database(tmp_path):
    with tmpfs(tmp_path / "ro", "size=1m,ro") as folder:
        with pytest.raises(StoreError) as caught:
            open_database(folder / "data" / "progress.db")
    assert caught.value.reason == errors.READ_ONLY


def test_read_only_folder_with_an_existing_database(tmp_path):
    with tmpfs(tmp_path / "ro", "size=1m") as folder:
        store = open_store(folder / "progress.db")
        store.progress.lesson_opened("sequences-rnn")
        store.close()
        _remount_read_only(folder)
        # The history is read, not hidden: held in memory, the problem says why.
        held = open_store_or_memory(folder / "progress.db")
        assert held.db.holding and held.problem.reason == errors.READ_ONLY
        assert held.progress.last_opened() == "sequences-rnn"
        held.progress.lesson_opened("x")  # keeps working, in memory
        assert held.progress.last_opened() == "x"


def test_disk_full_on_a_tiny_filesystem(tmp_path):
    with tmpfs(tmp_path / "tiny", "size=256k") as folder:
        store = open_store(folder / "progress.db")
        store.progress.lesson_opened("sequences-rnn")
        run = store.runs.create("xor-mlp", {})
        with pytest.raises(StoreError) as caught:
            for step in range(0, 10_000_000, 500):
                store.runs.append_points(run.id, [{"step": step + k, "loss": 0.5, "note": 1.0}
                                                  for k in range(500)])
        assert caught.value.reason == errors.DISK_FULL
        # what was committed before is there, and the file is consistent
        assert store.progress.last_opened() == "sequences-rnn"
        store.close()
        conn = sqlite3.connect(folder / "progress.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def test_disk_full_reported_by_sqlite_itself(hafiza_home):
    """Portable: SQLite's page limit raises the same SQLITE_FULL a full disk does."""
    store = open_store()
    store.progress.lesson_opened("sequences-rnn")
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        for i in range(2000):
            store.progress.record_answer("sequences-rnn", f"q{i}", "x" * 1000, True)
    assert caught.value.reason == errors.DISK_FULL
    assert store.db.integrity() == "ok" and store.progress.last_opened() == "sequences-rnn"


@pytest.mark.parametrize("exc, reason", [
    (sqlite3.OperationalError("database or disk is full"), errors.DISK_FULL),
    (sqlite3.OperationalError("attempt to write a readonly database"), errors.READ_ONLY),
    (sqlite3.DatabaseError("database disk image is malformed"), errors.CORRUPT),
    (sqlite3.OperationalError("database is locked"), errors.BUSY),
    (OSError(28, "No space left on device"), errors.DISK_FULL),
    (OSError(30, "Read-only file system"), errors.READ_ONLY),
    (OSError(13, "Permission denied"), errors.READ_ONLY),
    (OSError(5, "Input/output error"), errors.IO),
])
def test_error_reasons(exc, reason):
    assert errors.reason_for(exc) == reason


@pytest.fixture
def language(qapp):
    from hafiza.ui import i18n

    yield lambda tag: i18n.apply_language(qapp, tag)
    i18n.apply_language(qapp, "en")


@pytest.mark.parametrize("tag, words", [
    ("fa", ["دیسک پر است", "ذخیره نمی‌شود"]),
    ("arz", ["الديسك مليان", "دلوقتي"]),
    ("ary", ["الديسك عامر", "دابا"]),
    ("ar", ["القرص ممتلئ"]),
    ("en", ["the disk is full"]),
])
def test_messages_in_the_learners_language(language, tag, words):
    from hafiza.ui import store_errors

    language(tag)
    error = StoreError(errors.DISK_FULL, "simulated")
    text = store_errors.status_text(error) + store_errors.explanation(error)
    assert all(word in text for word in words), text
    read_only = StoreError(errors.READ_ONLY, "x", "/media/usb/Hafiza/progress.db")
    assert "/media/usb/Hafiza" in store_errors.explanation(read_only)


def test_the_app_keeps_working_and_says_so_when_saving_fails(qapp, qtbot, hafiza_home,
                                                            monkeypatch):
    from hafiza.ui import i18n
    from hafiza.ui.app import Hafiza
    from hafiza.ui.settings import Settings

    hafiza = Hafiza(qapp, Settings())
    window = hafiza.create_window("fa")
    qtbot.addWidget(window)
    try:
        assert not hafiza.store_label.isVisible()  # all is well
        store = hafiza.store
        pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
        for _ in range(50):  # fill the remaining free pages of the file
            hafiza._remember_answer("sequences-rnn", "q1", "x" * 2000, True)
        window.show()
        window.theme_actions["dark"].trigger()  # works in memory even if it cannot be saved
        assert hafiza.store_problem is not None
        assert hafiza.store_problem.reason == errors.DISK_FULL
        assert hafiza.store_label.isVisible()
        assert hafiza.store_label.text() == "پیشرفت شما ذخیره نمی‌شود: دیسک پر است"
        assert hafiza.store_notice is not None and "دیسک پر است" in hafiza.store_notice.text()
        hafiza.set_language("arz")
        assert hafiza.store_label.text() == "التقدّم بتاعك مش بيتحفظ: الديسك مليان"
    finally:
        window.close()
        i18n.apply_language(qapp, "en")
        from hafiza.ui import theme

        theme.apply_theme(qapp, "light")


def test_the_app_starts_on_a_read_only_folder(qapp, qtbot, tmp_path, monkeypatch):
    from hafiza.ui import i18n
    from hafiza.ui.app import Hafiza
    from hafiza.ui.settings import Settings

    with tmpfs(tmp_path / "home", "size=1m,ro") as home:
        monkeypatch.setenv("HAFIZA_HOME", str(home))
        settings = Settings()
        assert not settings.store.persistent
        hafiza = Hafiza(qapp, settings)
        window = hafiza.create_window("ary")
        qtbot.addWidget(window)
        try:
            window.show()
            qtbot.waitUntil(lambda: hafiza.store_notice is not None, timeout=2000)
            assert hafiza.store_label.text() == "التقدّم ديالك ما كيتسجّلش: الدوسي غير للقراءة"
            hafiza.set_theme("dark")
            assert settings.theme == "dark"  # kept for the session, in memory
            window.open_lesson("sequences-rnn")
            assert window.lesson_page.lesson.id == "sequences-rnn"
        finally:
            window.close()
            i18n.apply_language(qapp, "en")
            from hafiza.ui import theme

            theme.apply_theme(qapp, "light")
