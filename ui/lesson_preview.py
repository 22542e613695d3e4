"""The preview: a lesson folder anywhere, shown as a learner will see it, drawn again each time
one of its files is saved, with the checker's problems beside it.

`hafiza lessons preview PATH` and `hafiza --lesson PATH` open it. The lesson needs no place in
the library. The page is the app's own lesson page (`ui.lesson_page`): it watches the folder,
waits a little after a save (editors that save by writing a new file and renaming it over the
old one change the folder, not the file, and may do it in several steps), and keeps the
reader's place. Here it also reads lesson.yaml's title, order and duration again at each save.
After each drawing the checker runs on the folder in a worker thread, the same check as
`lessons check`, and the side panel lists what it says as `file:line: message`.

The preview only reads: it takes no lock on the data folder and records no progress, so it
runs beside the app.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hafiza.lessonlib.outline import read_outline as read_lessons_in
from hafiza.ui import i18n
from hafiza.ui.course import Outline, OutlineEntry, read_outline
from hafiza.ui.i18n import VARIETIES, _, isolate
from hafiza.ui.lesson_packs import check_report_text
from hafiza.ui.lesson_page import LessonPage
from hafiza.ui.worker import TaskRunner, TaskState

# The checker waits this long after the page is drawn: a burst of saves is checked once.
CHECK_DEBOUNCE_MS = 400
PREVIEW_SIZE = QSize(1200, 760)
PANEL_MIN_WIDTH = 260
SCREENSHOT_DEADLINE_S = 60


def preview_outline(folder: Path) -> tuple[Outline, OutlineEntry]:
    """The course with the lesson in `folder` in its place (replacing a lesson with its id),
    and its entry. A lesson.yaml that cannot be read still gives an entry, named after the
    folder: the page then shows why, at its line."""
    course = read_outline()
    entry = next((lesson for lesson in read_lessons_in(folder.parent).lessons
                  if lesson.folder == folder), None)
    if entry is None:
        entry = OutlineEntry(id=folder.name, order=0, folder=folder, titles={}, builtin=False)
    lessons = [lesson for lesson in course.lessons if lesson.id != entry.id] + [entry]
    return Outline(sorted(lessons, key=lambda lesson: (lesson.order, lesson.id))), entry


def known_lesson_ids() -> list[str]:
    """What a prerequisite may name: the built-in lessons and the library's (as the
    `lessons check` command line)."""
    from hafiza.lessonlib.paths import BUILTIN_LESSONS_DIR, library_dir

    return [path.parent.name for base in (BUILTIN_LESSONS_DIR, library_dir())
            for path in base.glob("*/lesson.yaml")]


def _check(folder: Path, known: list[str], validate_exercises: bool, _state: TaskState) -> list:
    from hafiza.lessonlib import checker  # in the worker: the engine may load torch

    return checker.check_paths([folder], known, validate_exercises)


class PreviewPage(LessonPage):
    """The lesson page on one folder; a reload reads the lesson's outline fields again."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder

    def show_folder(self) -> None:
        self.show_lesson(*preview_outline(self.folder))

    @Slot()
    def reload(self) -> None:
        if self.lesson is not None:  # a new title or duration shows at the next save too
            self._outline, self._lesson = preview_outline(self.folder)
        super().reload()


class ProblemsPanel(QWidget):
    """What the checker says about the folder: a sentence, then one row per problem."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview-problems")
        self.folder = folder
        self.problems: list | None = None  # None while the first check runs
        self.summary = QLabel(objectName="preview-problems-summary", wordWrap=True)
        self.rows = QListWidget(objectName="preview-problems-list")
        self.rows.setWordWrap(True)
        # Rows wrap to the panel's width rather than scroll sideways.
        self.rows.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMinimumWidth(PANEL_MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows, 1)
        self.retranslate()

    def show_problems(self, problems: list) -> None:
        self.problems = problems
        self.rows.clear()
        style = self.style()
        for problem in problems:
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning if problem.severity == "warning" \
                else QStyle.StandardPixmap.SP_MessageBoxCritical
            item = QListWidgetItem(style.standardIcon(icon), self.row_text(problem))
            # The checker's own line (`lessons check` prints it so), for a tooltip and a test.
            line = str(dataclasses.replace(problem, path=self.short_path(problem)))
            item.setData(Qt.ItemDataRole.UserRole, line)
            item.setToolTip(line)
            self.rows.addItem(item)
        self.retranslate()

    def row_text(self, problem) -> str:
        """The checker's place, `file:line` with the path inside the lesson, kept left to
        right as an isolate, then its message in the reader's language and direction (the
        icon says error or warning)."""
        return f"{isolate(f'{self.short_path(problem)}:{problem.line}')}  {problem.message}"

    def short_path(self, problem) -> str:
        """A problem's file, from the lesson's folder when it is inside it."""
        path = Path(str(problem.path))
        try:
            path = path.relative_to(self.folder)
        except ValueError:
            pass
        return path.as_posix()

    def retranslate(self) -> None:
        self.rows.setLayoutDirection(i18n.direction(i18n.current_variety()))
        self.summary.setText(_("Checking the lesson…") if self.problems is None
                             else check_report_text(self.problems))


class LessonPreview(TaskRunner, QMainWindow):
    """The preview window on `folder`. `validate_exercises=False` checks the exercises without
    the training engine (as `lessons check --no-engine`)."""

    checked = Signal(object)  # the checker's problems, after each check (tests wait on it)

    def __init__(self, folder: Path, validate_exercises: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson-preview")
        self.folder = Path(folder).resolve()  # "." has no name, nor a parent to read
        self.validate_exercises = validate_exercises
        self.known = known_lesson_ids()
        self.page = PreviewPage(self.folder)
        self.problems = ProblemsPanel(self.folder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.page)
        self.splitter.addWidget(self.problems)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        # The messages are sentences: a third of the window, not a narrow strip.
        width = PREVIEW_SIZE.width()
        self.splitter.setSizes([width * 2 // 3, width // 3])
        self.setCentralWidget(self.splitter)
        self.languages = QComboBox(objectName="preview-language")
        for tag, variety in VARIETIES.items():
            self.languages.addItem(variety.native_name, tag)
        self.languages.currentIndexChanged.connect(self._on_language_chosen)
        self.language_label = QLabel()
        self.toolbar = QToolBar(objectName="preview-toolbar", movable=False)
        self.toolbar.addWidget(self.language_label)
        self.toolbar.addWidget(self.languages)
        self.addToolBar(self.toolbar)
        self.folder_label = QLabel(objectName="preview-folder")
        self.statusBar().addPermanentWidget(self.folder_label)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DEBOUNCE_MS)
        self._check_timer.timeout.connect(self.check)
        self.page.rendered.connect(self._check_timer.start)
        self.page.exercise_requested.connect(self._on_exercise_requested)
        self.page.rendered.connect(self._retranslate_window)  # lesson.yaml's title may change
        self.page.show_folder()

    # -- checking ----------------------------------------------------------------------------
    @Slot()
    def check(self) -> None:
        self.start_task(_check, self.folder, self.known, self.validate_exercises)

    def on_done(self, problems: list) -> None:
        self.problems.show_problems(problems)
        self.checked.emit(problems)

    def on_exception(self, error: BaseException) -> None:
        # The checker turns every mistake of a lesson into a problem; this is its own failure.
        self.statusBar().showMessage(_("This lesson could not be checked.") + " "
                                     + f"({type(error).__name__})")
        self.checked.emit(None)

    # -- the window ----------------------------------------------------------------------------
    @Slot(int)
    def _on_language_chosen(self, index: int) -> None:
        tag = self.languages.itemData(index)
        app = QApplication.instance()
        if tag and tag != i18n.current_variety().tag and app is not None:
            i18n.apply_language(app, tag)
            i18n.retranslate_windows(app)

    @Slot(str, str)
    def _on_exercise_requested(self, _lesson_id: str, exercise_id: str) -> None:
        # The preview records no runs: the exercise is tried from a terminal, as `train` does.
        command = f'hafiza train "{self.folder / "lesson.yaml"}:{exercise_id}"'
        self.statusBar().showMessage(
            _("The preview does not train. In a terminal: {command}").format(
                command=isolate(command)))

    def retranslate(self) -> None:
        self._retranslate_window()
        self.page.retranslate()

    def _retranslate_window(self) -> None:
        lesson = self.page.lesson
        title = lesson.title(i18n.current_variety().tag)[0] if lesson else self.folder.name
        self.setWindowTitle(_("Preview: {title}").format(title=isolate(title)))
        self.language_label.setText(_("Language:") + " ")
        index = self.languages.findData(i18n.current_variety().tag)
        self.languages.blockSignals(True)
        self.languages.setCurrentIndex(index)
        self.languages.blockSignals(False)
        self.folder_label.setText(isolate(str(self.folder)))
        self.problems.retranslate()

    def shutdown(self) -> None:
        self.shutdown_tasks()
        self.page.shutdown_tasks()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.page.shutdown_tasks()
        super().closeEvent(event)


def run_preview(folder: Path, language: str | None = None, screenshot: Path | None = None,
                size: tuple[int, int] | None = None, theme_name: str | None = None,
                validate_exercises: bool = True) -> int:
    """Opens the preview on `folder` until it is closed; with `screenshot`, saves it as a PNG
    once the lesson is drawn and checked, and leaves. Reads the learner's language and theme,
    changes nothing of theirs."""
    from hafiza import logs
    from hafiza.ui import theme
    from hafiza.ui.app import make_application, say
    from hafiza.ui.crash import CrashReporter
    from hafiza.ui.screen_fit import opening_size
    from hafiza.ui.settings import Settings

    log_file = logs.start_logging()
    app = make_application(sys.argv[:1])
    reporter = CrashReporter(app, log_file)
    if screenshot is None:
        reporter.install()
    i18n.register_bundled_fonts()
    settings = Settings(read_only=True)
    i18n.apply_language(app, language or settings.language or i18n.guess_variety())
    theme.apply_theme(app, theme_name or settings.theme)
    window = LessonPreview(Path(folder), validate_exercises)
    window.resize(QSize(*size) if size else opening_size(window, PREVIEW_SIZE))
    window.show()
    if screenshot is None:
        code = app.exec()
    else:
        code = _save_when_checked(app, window, screenshot, say)
    window.shutdown()
    reporter.uninstall()
    return code


def _save_when_checked(app: QApplication, window: LessonPreview, path: Path, say) -> int:
    """Saves the window once its first check is shown (or after SCREENSHOT_DEADLINE_S)."""
    from hafiza.ui.window_grab import save_when_ready

    return save_when_ready(app, window, path, lambda: window.problems.problems is not None,
                           SCREENSHOT_DEADLINE_S, say)
