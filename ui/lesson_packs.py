"""The main window's lesson files: check a lesson, import a pack, export lessons as a pack.

Reading a pack (up to 64 MB, every file checked), installing it, writing one and running the
checker are slow, so each runs in a worker thread, one at a time: the menu actions are off
and the status bar says what is happening meanwhile. The window only asks the questions and
shows the answers, in the learner's language. A pack lesson that would hide a built-in
lesson is installed only after a second, explicit question that names it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from hafiza.ui.course import Outline
from hafiza.ui.i18n import _, current_variety, isolate, ngettext, number
from hafiza.ui.worker import TaskRunner, TaskState


# -- in the worker thread ------------------------------------------------------------------------
def _check(folder: Path, known_ids: list[str], _state: TaskState) -> list:
    from hafiza.lessonlib import checker  # the parser and the schema load when first needed

    return checker.check_lesson(folder, known_ids)


def _read(path: Path, library: Path, _state: TaskState):
    from hafiza.lessonlib import packs

    return packs.read_pack(path, library)


def _install(plan, _state: TaskState) -> list[str]:
    from hafiza.lessonlib import packs

    return packs.install(plan)


def _export(folders: list[Path], path: Path, _state: TaskState) -> Path:
    from hafiza.lessonlib import packs

    return packs.export_pack(folders, path)


# -- in the GUI thread ---------------------------------------------------------------------------
def check_report_text(problems: list) -> str:
    from hafiza.lessonlib import checker

    if not problems:
        return _("No problems found in this lesson.")
    count = len(checker.errors(problems))
    text = ngettext("{n} problem must be fixed in this lesson.",
                    "{n} problems must be fixed in this lesson.", count).format(n=number(count))
    warnings = len(problems) - count
    if warnings:
        text += "\n" + ngettext("{n} more thing could be better.",
                                "{n} more things could be better.", warnings).format(
            n=number(warnings))
    return text


def import_question(plan, outline: Outline) -> str:
    """What the pack adds or replaces, and the question whether to import it."""
    variety = current_variety().tag
    lines = []
    for lesson in plan.lessons:
        title = isolate(lesson.title(variety))
        if lesson.in_library:
            line = _("Replace: {title}").format(title=title)
        elif lesson.shadows_builtin:
            line = _("Replace the built-in lesson: {title}").format(title=title)
        else:
            line = _("Add: {title}").format(title=title)
        lines.append(line + version_note(lesson))
    question = ngettext("Import {n} lesson into your lesson library?",
                        "Import {n} lessons into your lesson library?",
                        len(plan.lessons)).format(n=number(len(plan.lessons)))
    if plan.replaced:
        # Undoing is a command-line step today; the window says where the old lesson goes.
        lines.append("")
        lines.append(_("A replaced lesson is kept: removing the new one with “hafiza lessons "
                       "remove” brings it back."))
    return question + "\n\n" + "\n".join(lines)


def version_note(lesson) -> str:
    """' (version 1.2 becomes 1.3)', or a warning for an older version; '' otherwise."""
    if not lesson.replaces or not lesson.version or not lesson.installed_version \
            or lesson.version == lesson.installed_version:
        return ""
    values = {"old": isolate(lesson.installed_version), "new": isolate(lesson.version)}
    if lesson.older:
        return " — " + _("older version {new}: you have {old}").format(**values)
    return " — " + _("version {old} becomes {new}").format(**values)


def builtin_replacement_text(plan, outline: Outline) -> str:
    """Names each built-in lesson the pack would hide, and the pack's lesson in its place."""
    variety = current_variety().tag
    replaced = plan.replaced_builtin
    lines = [ngettext("This pack replaces {n} lesson that came with Hafiza:",
                      "This pack replaces {n} lessons that came with Hafiza:",
                      len(replaced)).format(n=number(len(replaced)))]
    for lesson in replaced:
        entry = outline.find(lesson.id) if outline is not None else None
        builtin = entry.title(variety)[0] if entry is not None else lesson.id
        lines.append(_("“{builtin}” is replaced by the pack's “{title}”.").format(
            builtin=isolate(builtin), title=isolate(lesson.title(variety))))
    return "\n\n".join(lines)


class LessonPackJobs(TaskRunner, QObject):
    """Runs the window's lesson-file jobs in a worker, one at a time (`busy_changed` says when
    the window should keep its actions off), and reports each in a message box."""

    checked = Signal(object)  # the checker's problems for the lesson ([] when none)
    imported = Signal(list)  # the ids of the lessons installed
    exported = Signal(object)  # the pack's Path
    busy_changed = Signal(bool)
    ended = Signal()  # after any job ends, however it went (tests wait on it)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.report: QMessageBox | None = None  # the last box shown (kept alive while open)
        self._then: Callable[[Any], None] = lambda result: None
        self._outcome: Callable[[], None] = lambda: None
        self._outline: Outline | None = None
        self._failure = ("", "")  # title and first sentence of the message if a job fails

    def _run(self, then: Callable[[Any], None], failure: tuple[str, str], fn, *args) -> None:
        self._then, self._failure = then, failure
        self.start_task(fn, *args)

    # -- the jobs ------------------------------------------------------------------------------
    def check(self, folder: Path, known_ids: list[str]) -> None:
        self._run(self._show_check, (_("Check this lesson"),
                                     _("This lesson could not be checked.")),
                  _check, folder, known_ids)

    def import_pack(self, path: Path, library: Path, outline: Outline) -> None:
        """Reads the pack, asks about what it adds or replaces, then installs it."""
        self._outline = outline
        self._run(self._ask_to_install, (_("Import lesson pack"),
                                         _("This pack was not imported.")),
                  _read, path, library)

    def export(self, folders: list[Path], path: Path) -> None:
        self._run(self.exported.emit, (_("Export lessons as a pack"),
                                       _("The pack could not be written.")),
                  _export, folders, path)

    # -- their ends ----------------------------------------------------------------------------
    def _show_check(self, problems: list) -> None:
        from hafiza.lessonlib import checker

        icon = QMessageBox.Icon.Warning if checker.errors(problems) else (
            QMessageBox.Icon.Information)
        box = QMessageBox(icon, _("Check this lesson"), check_report_text(problems),
                          QMessageBox.StandardButton.Close, self.window)
        box.setObjectName("lesson-check-report")
        if problems:
            # file:line: message, as the command line prints it, left to right
            box.setDetailedText("\n".join(str(problem) for problem in problems))
        self.report = box
        box.open()
        self.checked.emit(problems)

    def _ask_to_install(self, plan) -> None:
        answer = QMessageBox.question(self.window, _("Import lesson pack"),
                                      import_question(plan, self._outline))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if plan.replaced_builtin and not self._confirm_builtin_replacement(plan):
            return
        # Started at the end of the read: the actions stay off until the install is done.
        self._run(self.imported.emit, self._failure, _install, plan)

    def _confirm_builtin_replacement(self, plan) -> bool:
        """The explicit yes a built-in lesson needs before a pack's lesson hides it."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Replace a built-in lesson?"),
                          builtin_replacement_text(plan, self._outline),
                          QMessageBox.StandardButton.Cancel, self.window)
        box.setObjectName("replace-builtin-question")
        replace = box.addButton(_("Replace"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.report = box
        box.exec()
        return box.clickedButton() is replace

    # The outcome is acted on once the job's thread has ended (on_busy_changed): a question
    # asked there may start the next job, and the runner is never busy twice at once.
    def on_done(self, result: Any) -> None:
        self._outcome = lambda: self._then(result)

    def on_exception(self, error: BaseException) -> None:
        self._outcome = lambda: self._show_failure(error)

    def on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.busy_changed.emit(True)
            return
        outcome, self._outcome = self._outcome, lambda: None
        outcome()
        if not self.task_busy:  # no next job was started
            self.busy_changed.emit(False)
            self.ended.emit()

    def _show_failure(self, error: BaseException) -> None:
        from hafiza.lessonlib import packs

        title, sentence = self._failure
        # A PackError says which file and why; anything else is a bug, named for a report.
        detail = str(error) if isinstance(error, (packs.PackError, OSError)) else (
            f"{type(error).__name__}: {error}")
        QMessageBox.warning(self.window, title, sentence + "\n\n" + detail)
