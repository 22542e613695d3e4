"""Why an exercise cannot run, said so that every reader can act on it.

An ``ExerciseError`` is a ``ValueError`` whose message is in plain words, in the process's
language (hafiza.words; the command line prints it, the lesson checker shows it); a refusal
of a single setting also carries its parts, ``setting``, ``value``, ``limit`` and ``kind``,
so the app can word it for its control (ui.run_controls) and code never reads the message.
``resolve_data_path`` is the one rule for the files an exercise names: inside its own lesson
folder, or nothing.

Bottom floor of the engine: no torch, no numpy, nothing but the tables, the base layer and
hafiza.words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from hafiza.engine.tables import Limit
from hafiza.paths import is_inside
from hafiza.words import _

# What kind of refusal an ExerciseError is (None: a malformed exercise, said in words only).
NOT_A_NUMBER = "not_a_number"  # value is not a number (or not a whole one)
TOO_SMALL = "too_small"  # value is below limit
TOO_LARGE = "too_large"  # value is above limit
MEMORY = "memory"  # the run would need ``needed`` bytes; ``limit`` bytes are available
DATA_PATH = "data_path"  # value names a file outside the lesson folder, or none at all
# a text in which no token occurs ``value`` (min_count) times; ``limit`` would keep one
NOTHING_KEPT = "nothing_kept"
KINDS = (NOT_A_NUMBER, TOO_SMALL, TOO_LARGE, MEMORY, DATA_PATH, NOTHING_KEPT)


class ExerciseError(ValueError):
    """An exercise (or an override of it) that cannot run; the message says which field.

    A refusal of one setting fills ``setting`` (as a control names it: ``batch_size``,
    ``dataset.n_samples``, ``model.1``), ``value`` (what was asked for), ``limit`` (the bound
    it passed) and ``kind`` (one of KINDS); ``needed`` is the memory a run would take."""

    def __init__(self, message: str, *, setting: str | None = None, value: Any = None,
                 limit: Any = None, kind: str | None = None, needed: int | None = None) -> None:
        super().__init__(message)
        self.setting = setting
        self.value = value
        self.limit = limit
        self.kind = kind
        self.needed = needed

    def about(self, setting: str,
              frame: Callable[[str], str] | None = None) -> ExerciseError:
        """The same refusal, naming the setting it is about (``setting: message``, the
        setting as it is written); ``frame`` places that in its context, e.g. the
        exercise's (``exercise 'x': setting: message``, in the reader's words)."""
        message = f"{setting}: {self}"
        return ExerciseError(frame(message) if frame else message, setting=setting,
                             value=self.value, limit=self.limit, kind=self.kind,
                             needed=self.needed)


def shown(value: Any) -> str:
    """A number as the messages write it: 1000000 -> "1,000,000", 0.001 -> "0.001"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{value:g}" if isinstance(value, float) else repr(value)


def _is_off(value: Any) -> bool:
    return value is None or (isinstance(value, str)
                             and value.strip().lower() in ("none", "null", ""))


def coerce_number(limit: Limit, value: Any) -> Any:
    """``value`` (a number or the text of one) checked against ``limit``: an int when the
    limit is whole, else a float; None for "off" where the limit allows it."""
    minimum, maximum, whole, optional, open_minimum = limit
    if optional and _is_off(value):
        return None
    given = value
    if isinstance(value, str):
        try:
            value = float(value) if not whole else int(value.strip(), 10)
        except ValueError:
            try:  # "1e10" is a whole number too big, not a word
                value = float(value) if whole else value
            except ValueError:
                pass
        if isinstance(value, str):
            message = _("{value} is not a whole number") if whole \
                else _("{value} is not a number")
            raise ExerciseError(message.format(value=repr(given)), value=given,
                                kind=NOT_A_NUMBER)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and math.isnan(value)):
        raise ExerciseError(_("{value} is not a number").format(value=repr(given)),
                            value=given, kind=NOT_A_NUMBER)
    too_low = value <= minimum if open_minimum else value < minimum
    if too_low:
        message = _("{value} must be above {minimum}") if open_minimum \
            else _("{value} must be at least {minimum}")
        raise ExerciseError(message.format(value=shown(value), minimum=shown(minimum)),
                            value=value, limit=minimum, kind=TOO_SMALL)
    if value > maximum or not math.isfinite(value):
        raise ExerciseError(_("{value} must be at most {maximum}").format(
            value=shown(value), maximum=shown(maximum)), value=value, limit=maximum,
            kind=TOO_LARGE)
    if whole and value != int(value):
        raise ExerciseError(_("{value} is not a whole number").format(value=repr(value)),
                            value=value, kind=NOT_A_NUMBER)
    return int(value) if whole else float(value)


def resolve_data_path(raw: Any, data_root: Path | None, *, trusted: bool = False,
                      setting: str = "dataset.path") -> Path:
    """The file or folder an exercise names, as a path that may be read.

    A lesson's exercise reads only what lies inside its own lesson folder, ``data_root``: the
    name must be relative, stay inside once every link and ``..`` is resolved, and exist.
    Without a ``data_root`` nothing is allowed, unless ``trusted``: a path the learner typed
    or picked themselves (the command line's ``--set``, a file dialog), which is taken as it
    is. Never decided from a field of the exercise itself: packs and imports write those."""
    if not isinstance(raw, (str, Path)) or not str(raw).strip():
        raise ExerciseError(_("{setting} must name a file").format(setting=setting),
                            setting=setting, value=raw, kind=DATA_PATH)
    text = str(raw).strip()
    if trusted:
        return Path(text).expanduser()
    refused = ExerciseError(
        _("{setting} {path} must be a file inside the lesson's own folder").format(
            setting=setting, path=repr(text)),
        setting=setting, value=text, kind=DATA_PATH)
    if data_root is None or "\x00" in text:
        raise refused
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() \
            or PureWindowsPath(text).drive or text.startswith("~"):
        raise refused
    path = Path(data_root) / text
    if not is_inside(Path(data_root), path):
        raise refused
    if not path.exists():
        raise ExerciseError(_("{setting} {path}: there is no such file in the lesson's "
                              "folder").format(setting=setting, path=repr(text)),
                            setting=setting, value=text, kind=DATA_PATH)
    return path.resolve()
