"""The lesson page: a vertical stack of blocks, each laid out in its own direction.

The interface mirrors for right-to-left languages, but a block's direction follows the
variety its text is written in (a lesson may fall back to English inside a Persian window).
The blocks come from `lessonlib` (the lesson's Markdown, parsed) and are drawn by the widgets
of `ui.blocks`. The page keeps the reading position when the window is resized or the
language changes, reports it (debounced) for the progress store, and re-renders when a file
of the open lesson changes on disk, so an author sees each save at once.

What a lesson brings cannot stop the window. A text over the parser's cap is refused with a
note. A large text is parsed in a worker thread (`ui.worker`) while the page says "loading";
a small one, every built-in lesson among them, is parsed right here, where the linear parser
takes milliseconds: the page is complete when `show_lesson` returns, as the reading position
and the tests expect, and no thread is started for nothing. A page draws at most
`MAX_PAGE_BLOCKS` blocks (each is a widget; a megabyte of one-line paragraphs would be a
hundred thousand), and every image on it shares one pixel budget (`ui.blocks.images`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QFileSystemWatcher,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QMessageBox,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from hafiza.lessonlib import LessonError
from hafiza.lessonlib.model import MAX_MARKDOWN_BYTES, Document, Lesson
from hafiza.lessonlib.model import TextBlock as TextModel
from hafiza.safelinks import is_mail_link, is_safe_link
from hafiza.ui.blocks import (
    ExerciseCard,
    PixelBudget,
    ProblemWidget,
    QuizWidget,
    RichText,
    make_block,
)
from hafiza.ui.blocks.block_checks import count_blocks
from hafiza.ui.blocks.page_text import NoteBlock, TextBlock
from hafiza.ui.blocks.plain_text import plain_tooltip
from hafiza.ui.course import (
    Outline,
    OutlineEntry,
    ReadLesson,
    lesson_bytes,
    read_in_background,
    read_lesson,
)
from hafiza.ui.glossary_dialog import readable_definition, written_variety
from hafiza.ui.i18n import VARIETIES, _, current_variety, isolate, ngettext, number, text_direction
from hafiza.ui.outline_progress import continue_block
from hafiza.ui.worker import TaskRunner

POSITION_DEBOUNCE_MS = 1000
RELOAD_DEBOUNCE_MS = 250
# Above this many bytes (text and lesson.yaml) a lesson is parsed in a worker thread; the
# largest built-in lesson is about 22 KB.
SYNC_PARSE_BYTES = 64 * 1024
MAX_PAGE_BLOCKS = 1500  # about a second of building widgets; a long lesson has 200


class LessonPage(TaskRunner, QScrollArea):
    """Shows the welcome page or one lesson; rebuilt on language change and file change."""

    reading_position_changed = Signal(str, float)  # lesson id, fraction of the page
    quiz_answered = Signal(str, str, object, bool)  # lesson id, quiz id, answer, correct
    exercise_requested = Signal(str, str)  # lesson id, exercise id
    resume_requested = Signal()  # the start page's "continue where you left off"
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson-page")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and Page Up/Down scroll
        self._outline: Outline | None = None
        self._lesson: OutlineEntry | None = None
        self.lesson_data: Lesson | None = None
        self.document: Document | None = None
        self.blocks: list[QWidget] = []
        self.content_blocks: list[QWidget] = []
        # The learner's key to the order of quiz options (Settings.quiz_order_key).
        self.learner_key = ""
        self.last_glossary: tuple[str, str] | None = None
        self.resume_lesson: str | None = None  # offered on the start page (set_resume)
        self._restoring_answers = False
        self._anchor: tuple[int, float] | None = None  # (block index, fraction into it)
        self._restoring = False
        # A large lesson being parsed in the background: its (folder, variety), and the reading
        # position asked for meanwhile; `_read` is the result, until the page is drawn with it.
        self.loading: tuple[Path, str] | None = None
        self._pending_fraction: float | None = None
        self._read: tuple[tuple[Path, str], ReadLesson] | None = None
        self._position_timer = QTimer(self, singleShot=True, interval=POSITION_DEBOUNCE_MS)
        self._position_timer.timeout.connect(self._emit_position)
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DEBOUNCE_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)
        self.watcher.directoryChanged.connect(self._on_file_changed)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        app = QCoreApplication.instance()
        if app is not None:  # a child widget gets no closeEvent: stop a parse before quitting
            app.aboutToQuit.connect(self.shutdown_tasks)
        self._render()

    @property
    def lesson(self) -> OutlineEntry | None:
        return self._lesson

    # -- what to show ----------------------------------------------------------------------
    def show_welcome(self, outline: Outline) -> None:
        self._outline, self._lesson = outline, None
        self._watch(None)
        self._render()
        self.verticalScrollBar().setValue(0)

    def show_lesson(self, outline: Outline, lesson: OutlineEntry) -> None:
        self._outline, self._lesson = outline, lesson
        self._anchor = None
        self._render()
        self.verticalScrollBar().setValue(0)
        self._watch(lesson.folder)

    def set_resume(self, lesson_id: str | None) -> None:
        """The lesson the start page offers to continue (None: nothing to continue)."""
        if lesson_id != self.resume_lesson:
            self.resume_lesson = lesson_id
            if self._lesson is None:
                self._render()

    def restore_answers(self, answers: dict) -> None:
        """Shows each quiz as the learner left it (quiz id -> its latest (answer, correct));
        restoring records nothing again."""
        self._restoring_answers = True
        try:
            for quiz in self.findChildren(QuizWidget):
                if quiz.quiz.id in answers:
                    quiz.restore(*answers[quiz.quiz.id])
        finally:
            self._restoring_answers = False

    def retranslate(self) -> None:
        """Re-renders in the current language, keeping the reading position."""
        self._rerender_keeping_position()

    @Slot()
    def reload(self) -> None:
        """Reads the lesson's files again (they changed on disk) and re-renders."""
        if self._lesson is not None:
            self._rerender_keeping_position()
            self._watch(self._lesson.folder)

    # -- reading position ------------------------------------------------------------------
    def reading_fraction(self) -> float:
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def restore_reading_position(self, fraction: float) -> None:
        """Scrolls to `fraction` (0 = top, 1 = end) of the page, once it is laid out."""
        fraction = min(1.0, max(0.0, float(fraction)))
        if self.loading is not None:  # applied once the lesson is drawn
            self._pending_fraction = fraction
            return
        self._settle()
        bar = self.verticalScrollBar()
        self._restoring = True
        bar.setValue(round(fraction * bar.maximum()))
        self._restoring = False
        self._capture_anchor()
        if bar.maximum() == 0 and fraction > 0:  # not laid out yet: try again shortly
            QTimer.singleShot(50, lambda: self._late_restore(fraction))

    def _late_restore(self, fraction: float) -> None:
        bar = self.verticalScrollBar()
        if bar.maximum() > 0:
            self.restore_reading_position(fraction)

    def _settle(self) -> None:
        """Lets the text blocks take their heights for the current width."""
        body = self.widget()
        if body is None or body.layout() is None:
            return
        for _round in range(3):
            body.layout().activate()

    def _block_top(self, widget: QWidget) -> int:
        return widget.mapTo(self.widget(), QPoint(0, 0)).y()

    def _capture_anchor(self) -> None:
        y = self.verticalScrollBar().value()
        for index, widget in enumerate(self.blocks):
            top = self._block_top(widget)
            if top + widget.height() > y:
                self._anchor = (index, max(0.0, (y - top) / max(1, widget.height())))
                return
        self._anchor = None

    def _restore_anchor(self, anchor: tuple[int, float] | None, fraction: float) -> None:
        self._settle()
        bar = self.verticalScrollBar()
        self._restoring = True
        if anchor is not None and anchor[0] < len(self.blocks) and fraction > 0:
            widget = self.blocks[anchor[0]]
            bar.setValue(round(self._block_top(widget) + anchor[1] * widget.height()))
        else:
            bar.setValue(round(fraction * bar.maximum()))
        self._restoring = False

    def _rerender_keeping_position(self) -> None:
        fraction = self.reading_fraction()
        if self._anchor is None:
            self._capture_anchor()
        anchor, count = self._anchor, len(self.blocks)
        self._render()
        if len(self.blocks) != count:  # another variety's text: fall back to the fraction
            anchor = None
        self._restore_anchor(anchor, fraction)
        QTimer.singleShot(0, lambda: self._restore_anchor(anchor, fraction))

    @Slot(int)
    def _on_scrolled(self, _value: int) -> None:
        if self._restoring:
            return
        self._capture_anchor()
        if self._lesson is not None:
            self._position_timer.start()

    @Slot()
    def _emit_position(self) -> None:
        if self._lesson is not None:
            self.reading_position_changed.emit(self._lesson.id, self.reading_fraction())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        anchor, fraction = self._anchor, self.reading_fraction()
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width() and anchor is not None:
            QTimer.singleShot(0, lambda: self._restore_anchor(anchor, fraction))

    # -- live reload -----------------------------------------------------------------------
    def _watch(self, folder: Path | None) -> None:
        paths = self.watcher.files() + self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)
        if folder is None or not folder.is_dir():
            return
        watched = [str(folder)]
        figures = folder / "figures"
        if figures.is_dir():
            watched.append(str(figures))
            watched += [str(p) for p in figures.iterdir() if p.is_file()]
        watched += [str(p) for p in folder.iterdir() if p.is_file()]
        self.watcher.addPaths(watched)

    @Slot(str)
    def _on_file_changed(self, _path: str) -> None:
        # Editors often save by replacing the file: wait a little, then re-read everything.
        self._reload_timer.start()

    # -- links -----------------------------------------------------------------------------
    @Slot(QUrl)
    def open_link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if is_safe_link(url.toString()):  # http(s) with a host and no credentials
            answer = QMessageBox.question(
                self, _("Open a web page?"),
                _("This link leads out of Hafiza to a web page:\n{address}\n\nOpen it in your "
                  "browser?").format(address=isolate(url.toString())),
            )
            if answer == QMessageBox.StandardButton.Yes:
                QDesktopServices.openUrl(url)
        elif is_mail_link(url.toString()):
            answer = QMessageBox.question(
                self, _("Write an e-mail?"),
                _("This link opens your e-mail program to write to:\n{address}\n\nOpen it?")
                .format(address=isolate(url.path() or url.toString())),
            )
            if answer == QMessageBox.StandardButton.Yes:
                QDesktopServices.openUrl(url)
        elif scheme == "glossary":
            self.show_definition(url.path() or url.toString().partition(":")[2])
        elif not scheme and url.hasFragment():
            self.scroll_to_anchor(url.fragment())

    def show_definition(self, term: str) -> None:
        variety = current_variety().tag
        definition = self.lesson_data.define(term, variety) if self.lesson_data else ""
        # Read in the variety it is written in: its digits, its formulas kept left to right.
        entry = self.lesson_data.glossary.get(term) if definition else None
        tag = (written_variety(entry, variety) if isinstance(entry, dict) else None) or variety
        text = readable_definition(definition, tag) if definition else _("No definition yet.")
        self.last_glossary = (term, text)
        mark = "\u200f" if VARIETIES[tag].rtl else ""  # right to left from the term ("LSTM: ...")
        QToolTip.showText(self.cursor().pos(), plain_tooltip(f"{mark}{term}: {text}"), self)

    def scroll_to_anchor(self, anchor: str) -> bool:
        for widget in self.content_blocks:
            if getattr(widget, "anchor", "") == anchor:
                self._settle()
                self.verticalScrollBar().setValue(self._block_top(widget))
                return True
        return False

    # -- building the page -----------------------------------------------------------------
    def _render(self) -> None:
        variety = current_variety().tag
        self.content_blocks = []
        self.images = PixelBudget()  # every image of the page draws from this one budget
        self.loading = None
        blocks = self._lesson_blocks(variety) if self._lesson else self._welcome_blocks(variety)
        if self.loading is None and self.task_busy:
            self.cancel_task()  # a lesson no longer shown: its parse result is not wanted
        body = QWidget()
        body.setObjectName("lesson-body")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        for block in blocks:
            layout.addWidget(block)
        layout.addStretch(1)
        self.blocks = blocks
        self.setWidget(body)
        self.rendered.emit()

    def _welcome_blocks(self, variety: str) -> list[QWidget]:
        count = len(self._outline.lessons) if self._outline else 0
        resume = self._outline.find(self.resume_lesson) if self._outline and \
            self.resume_lesson else None
        return [
            TextBlock(_("Welcome to Hafiza"), variety, "title"),
            TextBlock(
                _(
                    "Hafiza teaches deep learning step by step: the neuron, how a network "
                    "learns, recurrent networks (RNN), LSTM and GRU, and language models. "
                    "You read, answer quizzes, and train small models yourself, offline."
                ),
                variety,
            ),
            TextBlock(
                ngettext(
                    "The course has {n} lesson. Pick one from the list to begin.",
                    "The course has {n} lessons. Pick one from the list to begin.",
                    count,
                ).format(n=number(count)),
                variety,
            ),
            *([continue_block(resume.title(variety)[0], self.resume_requested)] if resume else []),
        ]

    def _lesson_blocks(self, variety: str) -> list[QWidget]:
        lesson = self._lesson
        assert lesson is not None and self._outline is not None
        read = self._read_or_start(lesson, variety)
        self.lesson_data = read.lesson if read else None
        self.document = document = read.document if read else None
        title, title_variety = lesson.title(variety)
        position = self._outline.lessons.index(lesson) + 1
        total = len(self._outline.lessons)
        meta = _(", ").join(
            (
                _("Lesson {position} of {total}").format(
                    position=number(position), total=number(total)
                ),
                ngettext(
                    "about {n} minute", "about {n} minutes", lesson.estimated_minutes
                ).format(n=number(lesson.estimated_minutes)),
            )
        )
        blocks: list[QWidget] = [
            TextBlock(title, title_variety, "title"),
            TextBlock(meta, variety, "meta"),
        ]
        shown = document.variety if document is not None else title_variety
        if shown != variety:
            blocks.append(NoteBlock(fallback_note(shown), variety))
        prerequisites = [self._outline.find(p) for p in lesson.prerequisites]
        names = [entry.title(variety)[0] for entry in prerequisites if entry]
        if names:
            # The list separator is translated: Arabic and Persian write "، ".
            lessons = _(", ").join(names)
            text = _("Before this lesson: {lessons}").format(lessons=lessons)
            blocks.append(TextBlock(text, variety))
        if read is None:
            blocks.append(NoteBlock(_("Loading the lesson…"), variety))
        elif read.too_large:
            blocks.append(NoteBlock(too_large_note(read.too_large), variety))
        elif read.error is not None:
            error = read.error
            blocks.append(ProblemWidget(f"{Path(str(error.path)).name}: {error.message}",
                                        error.line, text_direction(variety)))
        elif document is None:
            blocks.append(
                NoteBlock(_("The pages of this lesson are not in this version yet."), variety)
            )
        else:
            blocks += self._content_blocks(document, lesson.id, variety)
        return blocks

    def _content_blocks(self, document: Document, lesson_id: str,
                        variety: str) -> list[QWidget]:
        content = document.blocks
        # The page shows the title from lesson.yaml; skip the text's own top heading.
        if content and isinstance(content[0], TextModel) and content[0].kind == "heading" \
                and content[0].level == 1:
            content = content[1:]
        widgets: list[QWidget] = []
        drawn = 0
        for index, block in enumerate(content):
            drawn += count_blocks(block)
            if drawn > MAX_PAGE_BLOCKS:
                rest = len(content) - index
                widgets.append(NoteBlock(ngettext(
                    "The rest of this lesson ({n} part) is too long to show on one page.",
                    "The rest of this lesson ({n} parts) is too long to show on one page.",
                    rest).format(n=number(rest)), variety))
                break
            widget = make_block(block, document.variety, lesson_id, self.images,
                                learner_key=self.learner_key)
            self._connect(widget)
            self.content_blocks.append(widget)
            widgets.append(widget)
        return widgets

    # -- reading the lesson, here or in a worker ---------------------------------------------
    def _read_or_start(self, lesson: OutlineEntry, variety: str) -> ReadLesson | None:
        """The lesson read for `variety`; None while a worker reads it (the page says so and
        is drawn again when it is done)."""
        key = (lesson.folder, variety)
        done, self._read = self._read, None
        if done is not None and done[0] == key:
            return done[1]
        if lesson_bytes(lesson.folder, variety) <= SYNC_PARSE_BYTES:
            return read_lesson(lesson.folder, variety)
        self.loading = key
        self.start_task(read_in_background, key)
        return None

    def on_done(self, result: tuple[tuple[Path, str], ReadLesson]) -> None:
        key, read = result
        if self._lesson is None or key != self.loading:
            return
        self._read = (key, read)
        fraction, self._pending_fraction = self._pending_fraction, None
        self._render()
        if fraction is not None:
            self.restore_reading_position(fraction)

    def on_exception(self, error: BaseException) -> None:
        if self.loading is not None:  # read_lesson catches all; this is the last net
            problem = LessonError(f"the lesson could not be read ({type(error).__name__})",
                                  self.loading[0], 1)
            self.on_done((self.loading, ReadLesson(error=problem)))

    def _connect(self, widget: QWidget) -> None:
        for rich in [widget, *widget.findChildren(RichText)]:
            if isinstance(rich, RichText):
                rich.link_activated.connect(self.open_link)
        for quiz in [widget, *widget.findChildren(QuizWidget)]:
            if isinstance(quiz, QuizWidget):
                quiz.answered.connect(self._on_quiz_answered)
        for card in [widget, *widget.findChildren(ExerciseCard)]:
            if isinstance(card, ExerciseCard):
                card.exercise_requested.connect(self.exercise_requested)

    @Slot(str, object, bool)
    def _on_quiz_answered(self, quiz_id: str, answer, correct: bool) -> None:
        if self._lesson is not None and not self._restoring_answers:
            self.quiz_answered.emit(self._lesson.id, quiz_id, answer, correct)


def too_large_note(size: int) -> str:
    return _("This lesson's text is too long to show: {size} KB, where a lesson may have up "
             "to {limit} KB.").format(size=number(size // 1024),
                                      limit=number(MAX_MARKDOWN_BYTES // 1024))


def fallback_note(shown_variety: str) -> str:
    language = VARIETIES[shown_variety].native_name if shown_variety in VARIETIES else ""
    return _("This lesson is not written in your language yet; it is shown in {language}.").format(
        language=language
    )
