"""hafiza.logs: where the log goes, what it starts with, faulthandler's file, and a folder
that cannot be written."""

import faulthandler
import logging
import subprocess
import sys

import platformdirs
import pytest
from conftest import ROOT

import hafiza
from hafiza import logs


@pytest.fixture
def fresh_logging():
    """start_logging from scratch, and everything put back afterwards (pytest's own
    faulthandler included)."""
    faulthandler_was_on = faulthandler.is_enabled()
    logs.stop_logging()
    yield
    logs.stop_logging()
    if faulthandler_was_on:
        faulthandler.enable(sys.__stderr__)


def test_log_dir_is_below_hafiza_home_or_the_users_log_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HAFIZA_HOME", str(tmp_path))
    assert logs.log_dir() == tmp_path / "logs"
    monkeypatch.delenv("HAFIZA_HOME")
    assert str(logs.log_dir()) == platformdirs.user_log_dir("Hafiza", appauthor=False)


def test_start_logging_writes_the_versions_and_is_safe_to_call_twice(hafiza_home,
                                                                     fresh_logging):
    root = logging.getLogger()
    handlers_before = len(root.handlers)
    path = logs.start_logging()
    assert path == hafiza_home / "logs" / "hafiza.log"
    assert logs.start_logging() == path
    assert len(root.handlers) == handlers_before + 1
    handler = root.handlers[-1]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount, handler.encoding) == \
        (logs.MAX_BYTES, logs.BACKUPS, "utf-8")
    logging.getLogger("hafiza.test").info("درس واحد")  # UTF-8 in any locale
    handler.flush()
    text = path.read_text(encoding="utf-8")
    assert f"Hafiza {hafiza.__version__}, Python " in text and "not frozen" in text
    assert "درس واحد" in text
    assert faulthandler.is_enabled() and (hafiza_home / "logs" / "faults.log").is_file()


def test_a_folder_that_cannot_be_written_falls_back_without_raising(tmp_path, monkeypatch,
                                                                    fresh_logging):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(logs, "log_dir", lambda: blocker / "logs")
    monkeypatch.setattr(sys, "stderr", None)  # and no console either (frozen on Windows)
    assert logs.start_logging() is None
    assert logs.log_file() is None
    logging.getLogger("hafiza.test").error("goes nowhere, quietly")


def test_a_hard_crash_leaves_its_stack_in_faults_log(tmp_path):
    """faulthandler writes into faults.log, which stays open for the life of the process."""
    probe = ("from hafiza import logs; logs.start_logging(); import faulthandler, gc; "
             "gc.collect(); faulthandler._sigsegv()")
    home = tmp_path / "home"
    env = {"HAFIZA_HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    faults = (home / "logs" / "faults.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in faults
