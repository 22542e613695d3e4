"""Hafiza's log files: what happened, for a learner to send when something goes wrong.

`start_logging()` sends the root logger to `hafiza.log` in `log_dir()` (rotated at about
1 MB, three old files kept) and points `faulthandler` at `faults.log` beside it, so a hard
crash in C code (Qt, torch) still leaves its Python stack behind. Both fall back to stderr,
and to nothing at all when there is no stderr: a frozen Windows app started without a
console has `sys.stderr = None`, and a read-only disk must not stop the app from starting.

Base layer: no Qt, nothing from the rest of Hafiza.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import platform
import sys
from pathlib import Path
from typing import IO

from hafiza import __version__
from hafiza.paths import APP_NAME, HOME_VARIABLE

LOG_NAME = "hafiza.log"
FAULTS_NAME = "faults.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger("hafiza")


class _State:
    """What start_logging set up, so a second call changes nothing."""

    def __init__(self) -> None:
        self.started = False
        self.log_file: Path | None = None
        self.handler: logging.Handler | None = None
        # faulthandler writes to a file descriptor, not a Python object: the file must stay
        # open for as long as the process lives, or a crash would be written into a closed
        # (or reused) descriptor.
        self.faults_file: IO[str] | None = None


_state = _State()


def log_dir() -> Path:
    """$HAFIZA_HOME/logs when set (tests, portable installs), else the user's log folder."""
    home = os.environ.get(HOME_VARIABLE)
    if home:
        return Path(home) / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path | None:
    """The file the log goes to, or None when it goes only to stderr (or nowhere)."""
    return _state.log_file


def start_logging() -> Path | None:
    """Sets up the log file and faulthandler once; returns the log file's path, or None when
    the folder cannot be written (then the log goes to stderr, if there is one). Never
    raises."""
    if _state.started:
        return _state.log_file
    _state.started = True
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        _state.log_file = folder / LOG_NAME
    except OSError:
        handler = logging.StreamHandler(sys.stderr) if sys.stderr is not None \
            else logging.NullHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _state.handler = handler
    _enable_faulthandler(folder)
    log.info("Hafiza %s, Python %s, %s, %s", __version__, platform.python_version(),
             platform.platform(), "frozen" if getattr(sys, "frozen", False) else "not frozen")
    if _state.log_file is None:
        log.warning("cannot write logs in %s; logging to stderr only", folder)
    return _state.log_file


def _enable_faulthandler(folder: Path) -> None:
    try:
        _state.faults_file = (folder / FAULTS_NAME).open("a", encoding="utf-8")
        faulthandler.enable(_state.faults_file)
        return
    except (OSError, ValueError, RuntimeError):
        pass
    if sys.stderr is not None:
        try:
            faulthandler.enable(sys.stderr)
        except (OSError, ValueError, RuntimeError, AttributeError):
            pass  # stderr without a file descriptor (an IDE, a test's capture): no crash log


def stop_logging() -> None:
    """Undoes start_logging (tests): removes the handler, turns faulthandler off, closes the
    files, so the next start_logging sets everything up again."""
    if _state.handler is not None:
        logging.getLogger().removeHandler(_state.handler)
        _state.handler.close()
    if faulthandler.is_enabled():
        faulthandler.disable()
    if _state.faults_file is not None:
        _state.faults_file.close()
    _state.__init__()
