"""The lesson page: a vertical stack of blocks, each laid out in its own direction.

The interface mirrors for right-to-left languages, but a block's direction follows the
variety its text is written in (a lesson may fall back to English inside a Persian window).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ui.course import Outline, OutlineEntry
from ui.i18n import VARIETIES, _, current_variety, ngettext, number, text_direction


class TextBlock(QLabel):
    """A paragraph whose direction is set explicitly: a paragraph starting with a Latin term
    ("LSTM ...") would otherwise be laid out left to right inside right-to-left text."""

    def __init__(self, text: str, variety: str, role: str = "body") -> None:
        super().__init__(text)
        self.setObjectName(f"block-{role}")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.set_variety(variety)
        if role == "title":
            font = self.font()
            font.setPointSizeF(font.pointSizeF() * 1.7)
            font.setBold(True)
            self.setFont(font)
        elif role == "meta":
            self.setForegroundRole(self.foregroundRole())
            self.setEnabled(False)  # the palette's muted colour, in both themes

    def set_variety(self, variety: str) -> None:
        direction = text_direction(variety)
        self.setLayoutDirection(direction)
        # Alignment follows the text, not the window: "leading" edge of its own direction.
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)


class NoteBlock(TextBlock):
    def __init__(self, text: str, variety: str) -> None:
        super().__init__(text, variety, role="note")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMargin(10)


class LessonPage(QScrollArea):
    """Shows the welcome page or one lesson; rebuilt on language change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson-page")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and Page Up/Down scroll
        self._outline: Outline | None = None
        self._lesson: OutlineEntry | None = None
        self.blocks: list[QWidget] = []
        self._render()

    @property
    def lesson(self) -> OutlineEntry | None:
        return self._lesson

    def show_welcome(self, outline: Outline) -> None:
        self._outline, self._lesson = outline, None
        self._render()

    def show_lesson(self, outline: Outline, lesson: OutlineEntry) -> None:
        self._outline, self._lesson = outline, lesson
        self._render()

    def retranslate(self) -> None:
        # Keep the reading position across the rebuild, as a fraction of the page.
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._render()
        self.widget().adjustSize()
        bar.setValue(round(fraction * bar.maximum()))

    def _render(self) -> None:
        variety = current_variety().tag
        blocks = self._lesson_blocks(variety) if self._lesson else self._welcome_blocks(variety)
        body = QWidget()
        body.setObjectName("lesson-body")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        for block in blocks:
            layout.addWidget(block)
        layout.addStretch(1)
        self.blocks = blocks
        self.setWidget(body)

    def _welcome_blocks(self, variety: str) -> list[QWidget]:
        count = len(self._outline.lessons) if self._outline else 0
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
        ]

    def _lesson_blocks(self, variety: str) -> list[QWidget]:
        lesson = self._lesson
        assert lesson is not None and self._outline is not None
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
        if title_variety != variety:
            blocks.append(NoteBlock(fallback_note(title_variety), variety))
        prerequisites = [self._outline.find(p) for p in lesson.prerequisites]
        names = [entry.title(variety)[0] for entry in prerequisites if entry]
        if names:
            # The list separator is translated: Arabic and Persian write "، ".
            lessons = _(", ").join(names)
            text = _("Before this lesson: {lessons}").format(lessons=lessons)
            blocks.append(TextBlock(text, variety))
        if lesson.text_path(variety) is None:
            blocks.append(
                NoteBlock(_("The pages of this lesson are not in this version yet."), variety)
            )
        return blocks


def fallback_note(shown_variety: str) -> str:
    language = VARIETIES[shown_variety].native_name if shown_variety in VARIETIES else ""
    return _("This lesson is not written in your language yet; it is shown in {language}.").format(
        language=language
    )
