"""Runs one hostile input through Hafiza's real entry point, isolated, and classifies it.

Each input runs in a child process forked from a `forkserver` that has already imported
Hafiza and torch (a fork costs milliseconds, a fresh interpreter seconds). The child:
- points HAFIZA_HOME, HOME, the XDG folders, TMPDIR and its working folder into the case's
  own folder, so anything the code writes lands where the parent can see it;
- caps its address space (RLIMIT_AS: its size after the imports plus MEMORY_HEADROOM), so a
  blow-up is a failure of this one input, not a dead test run;
- runs the action (the CLI's `main([...])`, or an API call) and reports how it ended.
The parent kills a child that runs past TIME_LIMIT_S, then checks what the child wrote:
nothing outside the case's home and input folders, and what was there before still there.

Outcomes: "refused" (a non-zero exit with a message, or one of Hafiza's own errors with a
message), "accepted" (it worked; the case's harm checks passed), "crashed" (an unexpected
exception, a traceback, MemoryError, a kill by the memory cap or the clock), "harmful" (it
was accepted but should not have been, or left something dangerous behind), "outside"
(something was written outside the case's folders) and "lost" (data that was there before
is gone).
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import re
import resource
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MEMORY_HEADROOM = 1536 * 2**20  # above the child's size once Hafiza and torch are imported
TIME_LIMIT_S = 30
OUTCOMES = ("refused", "accepted", "crashed", "harmful", "outside", "lost")
# Also the parent's main module: a forkserver child imports it again before it runs
# (under `python -m pytest` that is all of pytest, a second per input).
PRELOAD = ["__main__", "hostile_preload"]
# A "refusal" that only passes an internal error on is a crash in disguise.
_RAW_ERROR = re.compile(r"\b(MemoryError|RuntimeError|TypeError|KeyError|AttributeError|"
                        r"IndexError|RecursionError|OverflowError|enforce fail)\b")
# Tags a hostile text injects: found unescaped in rendered rich text, they are harm.
_INJECTED = re.compile(r"<\s*script\b|<\s*(img|a|iframe|object|embed|image|svg)\b[^>]*"
                       r"\b(src|href)\s*=\s*[\"']?\s*[^\"'\s>]*(HOSTILE|javascript:|file:|canary)",
                       re.IGNORECASE)


@dataclass
class Action:
    """What the child runs: ("cli", argv) for `hafiza.__main__.main(argv)`, or
    ("api", name, args) for a function of `hostile_actions`. `render` names a lesson whose
    page is drawn offscreen afterwards when the action was accepted."""

    kind: str
    argv: list[str] = field(default_factory=list)
    name: str = ""
    args: tuple = ()
    render: str | None = None


@dataclass
class Result:
    case: str
    group: str
    outcome: str
    detail: str = ""
    seconds: float = 0.0
    peak_mb: float = 0.0


def project_errors() -> tuple[type[BaseException], ...]:
    """Hafiza's own error classes: an input refused with one of these, with a message, is
    refused cleanly."""
    from hafiza.engine.checkpoints import CheckpointError
    from hafiza.engine.data.base import DatasetError
    from hafiza.engine.exercises import ExerciseError
    from hafiza.lessonlib.model import LessonError
    from hafiza.lessonlib.packs import PackError
    from hafiza.safezip import UnsafeArchive
    from hafiza.store.errors import StoreError

    return (PackError, LessonError, StoreError, ExerciseError, DatasetError, CheckpointError,
            UnsafeArchive)


# --- the child ----------------------------------------------------------------------------

def _isolate(root: Path) -> None:
    fake_home = root / "fakehome"
    os.environ.update({
        "HAFIZA_HOME": str(root / "home"), "HOME": str(fake_home),
        "XDG_DATA_HOME": str(fake_home / "data"), "XDG_CONFIG_HOME": str(fake_home / "config"),
        "XDG_CACHE_HOME": str(fake_home / "cache"), "TMPDIR": str(root / "tmp"),
        "QT_QPA_PLATFORM": "offscreen",
    })
    tempfile.tempdir = str(root / "tmp")
    os.chdir(root / "cwd")
    size = _address_space()
    resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_HEADROOM, size + MEMORY_HEADROOM))
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass


def _address_space() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _run_action(action: Action) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    errors = project_errors()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if action.kind == "cli":
                from hafiza.__main__ import main

                code = main(list(action.argv))
            else:
                import hostile_actions

                getattr(hostile_actions, action.name)(*action.args)
                code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except MemoryError:
        return "crashed", "MemoryError:\n" + traceback.format_exc()[-1500:]
    except errors as error:
        if _RAW_ERROR.search(str(error)):
            return "crashed", f"{type(error).__name__} passing on an internal error: {error}"
        if str(error).strip():
            return "refused", f"{type(error).__name__}: {str(error)[:300]}"
        return "crashed", f"{type(error).__name__} without a message"
    except BaseException as error:  # the very thing this harness looks for
        return "crashed", f"{type(error).__name__}: {error}\n" + traceback.format_exc()[-1500:]
    stderr = err.getvalue()
    if "Traceback (most recent call last)" in stderr:
        return "crashed", "a traceback on stderr:\n" + stderr[-1500:]
    if code == 0 or (action.argv[:1] == ["train"] and code == 3):  # 3: trained, goal missed
        return "accepted", out.getvalue()[-300:]
    if not stderr.strip():
        return "crashed", f"exit {code} without a message"
    if _RAW_ERROR.search(stderr):
        return "crashed", f"exit {code} with an internal error as its message: {stderr[-600:]}"
    return "refused", f"exit {code}: {stderr.strip()[-300:]}"


def _render_lesson(lesson_id: str) -> str:
    """Draws the installed lesson offscreen; returns the injected markup found unescaped."""
    from PySide6.QtWidgets import QApplication, QLabel, QTextEdit

    from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, read_outline
    from hafiza.lessonlib.paths import library_dir
    from hafiza.ui.lesson_page import LessonPage

    app = QApplication.instance() or QApplication(["hostile"])
    outline = read_outline(BUILTIN_LESSONS_DIR, library_dir())
    entry = outline.find(lesson_id)
    if entry is None:
        return ""
    page = LessonPage()
    page.resize(800, 700)
    page.show_lesson(outline, entry)
    app.processEvents()
    found = []
    for label in page.findChildren(QLabel):
        if label.textFormat() != label.textFormat().PlainText and _INJECTED.search(label.text()):
            found.append(label.text()[:160])
    for edit in page.findChildren(QTextEdit):
        if _INJECTED.search(edit.toHtml()):
            found.append(_INJECTED.search(edit.toHtml()).group(0)[:160])
    page.close()
    return "; ".join(found)


def _child(connection, root: str, action: Action) -> None:
    try:
        _isolate(Path(root))
        outcome, detail = _run_action(action)
        if outcome == "accepted" and action.render:
            try:
                harm = _render_lesson(action.render)
            except MemoryError:
                outcome, detail = "crashed", "MemoryError while drawing the lesson"
            except BaseException as error:
                outcome, detail = "crashed", ("drawing the lesson raised " +
                                              traceback.format_exc()[-1500:] + repr(error))
            else:
                if harm:
                    outcome, detail = "harmful", f"drawn as markup: {harm}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        connection.send((outcome, detail, peak))
    except BaseException as error:  # noqa: B036 - the parent must hear something
        connection.send(("crashed", f"the harness itself failed: {error!r}", 0.0))
    finally:
        connection.close()


# --- the parent ---------------------------------------------------------------------------

_CONTEXT = None


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        os.environ.setdefault("MALLOC_ARENA_MAX", "2")
        here = str(Path(__file__).resolve().parent)
        if here not in sys.path:
            sys.path.insert(0, here)
        # The forkserver imports PRELOAD before it has the parent's sys.path (that reaches
        # only its children), and drops an ImportError silently: without this, every child
        # imported torch and Qt itself, a second per input.
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [here, str(Path(here).parent), *filter(None, [os.environ.get("PYTHONPATH")])])
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(PRELOAD)
    return _CONTEXT


def prepare_folders(root: Path) -> None:
    for name in ("home", "input", "canary", "cwd", "fakehome", "tmp"):
        (root / name).mkdir(parents=True, exist_ok=True)
    (root / "canary" / "secret.txt").write_text("canary: the learner's private words\n")
    (root / "canary" / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `root` except the case's own home and input folders and
    the temporary folder (torch leaves its compiler cache there; scratch space is allowed)."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in ("home", "input", "tmp")]
        for name in dirnames + filenames:
            path = here / name
            try:
                info = path.lstat()
            except OSError:
                continue
            seen[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return seen


def _real_user_folders() -> dict[str, Any]:
    import platformdirs

    state = {}
    for folder in (platformdirs.user_data_dir("Hafiza", appauthor=False),
                   platformdirs.user_config_dir("Hafiza", appauthor=False)):
        path = Path(folder)
        state[folder] = sorted((str(p), p.stat().st_mtime_ns) for p in path.rglob("*")) \
            if path.is_dir() else None
    return state


def run_isolated(case_id: str, group: str, root: Path, action: Action) -> Result:
    """Runs `action` in a child under the limits; classifies what happened (the case's own
    checks of what was lost or left behind come after, in `hostile_inputs.run_case`)."""
    context = _context()
    before, real_before = _snapshot(root), _real_user_folders()
    receive, send = context.Pipe(duplex=False)
    start = time.monotonic()
    child = context.Process(target=_child, args=(send, str(root), action))
    child.start()
    send.close()
    message = None
    if receive.poll(TIME_LIMIT_S):
        try:
            message = receive.recv()
        except EOFError:
            message = None
    child.join(1 if message is None else TIME_LIMIT_S)
    if child.is_alive():
        child.kill()
        child.join()
        message = ("crashed", f"still running after {TIME_LIMIT_S} s: killed", 0.0)
    seconds = time.monotonic() - start
    if message is None:
        message = ("crashed", f"the child died (exit {child.exitcode}; a negative number "
                              "is the signal: 6 or 9 usually means out of memory)", 0.0)
    outcome, detail, peak = message
    after, real_after = _snapshot(root), _real_user_folders()
    changed = sorted(set(before.items()) ^ set(after.items()))
    if real_after != real_before:
        changed.append(("the real user data or config folder", (0, 0)))
    if changed:
        outcome = "outside"
        detail = "written outside the case's folders: " + ", ".join(
            sorted({name for name, _ in changed})[:8]) + f" (then: {detail[:200]})"
    return Result(case_id, group, outcome, detail, seconds, peak)


def summary_table(results: list[Result]) -> str:
    """inputs tried / refused cleanly / accepted / crashed / harmful / written outside / lost,
    per group and in total."""
    groups = sorted({r.group for r in results})
    header = f"{'group':12} {'tried':>6} " + " ".join(f"{o:>9}" for o in OUTCOMES)
    lines = [header, "-" * len(header)]
    for group in [*groups, "total"]:
        rows = [r for r in results if group in ("total", r.group)]
        counts = [sum(r.outcome == o for r in rows) for o in OUTCOMES]
        lines.append(f"{group:12} {len(rows):6} " + " ".join(f"{c:9}" for c in counts))
    failing = [r for r in results if r.outcome not in ("refused", "accepted")]
    if failing:
        lines.append("")
        lines.append("failing inputs:")
        for r in failing:
            first = r.detail.strip().splitlines()[0][:160] if r.detail.strip() else ""
            lines.append(f"  {r.case}: {r.outcome}: {first}")
    return "\n".join(lines)
