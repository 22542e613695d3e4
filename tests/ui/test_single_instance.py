"""One running copy per data folder: the lock file, the second copy's notice (in the learner's
language, without opening the database), stale locks, and screenshots beside an open app."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT
from PySide6.QtCore import QLockFile

from hafiza.store import open_store
from hafiza.ui import i18n, single_instance

# Runs Hafiza as the learner would, with one addition: a timer that closes any modal dialog
# and prints what it said, so that a notice cannot block the test. HAFIZA_STARTUP_PROBE makes
# an app that does start leave as soon as its window is shown.
DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])

def close_modal():
    box = QApplication.activeModalWidget()
    if box is not None:
        print("MODAL", box.objectName(), box.text(), flush=True)
        box.done(0)

timer = QTimer()
timer.timeout.connect(close_modal)
timer.start(20)
from hafiza.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_hafiza(home, *args, language="fa_IR.UTF-8"):
    env = {key: value for key, value in os.environ.items()
           if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "HAFIZA_STARTUP_PROBE")}
    env.update(HAFIZA_HOME=str(home), QT_QPA_PLATFORM="offscreen", LANG=language)
    if "--screenshot" not in args:  # a screenshot leaves by itself once saved
        env["HAFIZA_STARTUP_PROBE"] = "1"
    return subprocess.run([sys.executable, "-c", DRIVER, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def held_lock(hafiza_home):
    """The data folder's lock, held by this process as if Hafiza were open."""
    lock = single_instance.acquire()
    assert lock is not None and lock.isLocked()
    yield lock
    lock.unlock()


def test_the_lock_sits_in_the_data_folder_and_a_second_taker_is_refused(held_lock, hafiza_home):
    assert single_instance.lock_path() == hafiza_home / "data" / "hafiza.lock"
    assert single_instance.lock_path().is_file()
    assert single_instance.acquire() is None


def test_a_second_copy_says_so_in_the_systems_language_and_leaves_the_database(
        held_lock, hafiza_home):
    result = run_hafiza(hafiza_home)
    assert result.returncode == 1, result.stderr
    assert "MODAL already-open حافظه از قبل باز است." in result.stdout
    assert not (hafiza_home / "data" / "progress.db").exists()


def test_the_notice_speaks_the_remembered_language(hafiza_home):
    store = open_store()
    store.prefs.set("language", "arz")
    store.close()
    assert single_instance.remembered_language() == "arz"
    assert single_instance.notice_language(None) == "arz"
    assert single_instance.notice_language("ary") == "ary"  # --lang comes first


def test_no_database_means_no_remembered_language(hafiza_home):
    assert single_instance.remembered_language() is None


def test_the_notice_in_darija(qapp):
    try:
        box = single_instance.already_open_box(qapp, "ary")
        assert box.text() == "حافظة راها محلولة ديجا."
        assert "نسخة وحدة" in box.informativeText()
    finally:
        i18n.apply_language(qapp, "en")


def test_a_lock_left_by_a_killed_copy_is_taken_over(hafiza_home):
    path = single_instance.lock_path()
    path.parent.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from PySide6.QtCore import QLockFile; lock = QLockFile(sys.argv[1]); "
         "print(lock.tryLock(0), flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        assert single_instance.acquire() is None  # alive: its lock holds
    finally:
        holder.kill()
        holder.wait()
    assert path.is_file()  # left behind by the killed process
    lock = single_instance.acquire()
    assert lock is not None and lock.isLocked()
    lock.unlock()


def test_a_data_folder_that_cannot_be_written_does_not_stop_the_app(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(single_instance.paths, "data_dir", lambda: blocker / "data")
    lock = single_instance.acquire()
    assert isinstance(lock, QLockFile) and not lock.isLocked()


def test_a_screenshot_runs_beside_an_open_app_on_a_fresh_profile(held_lock, hafiza_home,
                                                                 tmp_path):
    """No lock, no first-run language dialog (the driver would print it), no database."""
    out = tmp_path / "shot.png"
    result = run_hafiza(hafiza_home, "--screenshot", str(out), "--size", "400x300")
    assert result.returncode == 0, result.stderr
    assert "MODAL" not in result.stdout
    assert out.is_file()
    assert not (hafiza_home / "data" / "progress.db").exists()


def test_the_app_starts_when_no_other_copy_is_open(hafiza_home):
    result = run_hafiza(hafiza_home, "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "MODAL" not in result.stdout and "shown " in result.stdout
