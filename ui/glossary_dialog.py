"""The course glossary as a list (Go > Glossary…): every term in the learner's variety with its
definition, searchable, usable from the keyboard alone.

The terms are the course glossary's (`lessons/glossary.yaml`, and a lesson library's own,
which wins for the same key), read by `lessonlib.glossary`, which keeps each entry as its
"term — definition" text; each is shown in the variety's own words or, where it has none, in
the nearest fallback (`varieties.fallback_chain`), as a clicked term on the page is, and read as
the page reads (`readable_definition`): the prose's numbers in the variety's digits, formulas
("−log p") kept left to right inside right-to-left text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCollator, Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hafiza.digits import prose_numbers, split_formulas
from hafiza.lessonlib.glossary import course_glossary
from hafiza.ui.blocks.page_text import MutedLabel
from hafiza.ui.course import BUILTIN_LESSONS_DIR, library_dir
from hafiza.ui.i18n import _, current_variety, isolate, ngettext, number, qlocale, text_direction
from hafiza.varieties import fallback_chain, is_rtl

TERM_SEPARATOR = " — "  # lessonlib.glossary.entry_text joins term and definition with it


@dataclass(frozen=True)
class GlossaryEntry:
    key: str  # the English key lessons mark terms with, [[key]]
    term: str
    definition: str
    variety: str  # the variety the term and definition are written in

    def matches(self, words: str) -> bool:
        found = f"{self.key}\n{self.term}\n{self.definition}".casefold()
        return all(word in found for word in words.casefold().split())


def readable_definition(text: str, tag: str) -> str:
    """A definition written in variety `tag` as the lesson page would show it: the numbers of
    its prose in the variety's digits (digits.prose_numbers), its formulas as written and, in a
    right-to-left variety, each isolated (FSI…PDI) so that it keeps its left-to-right order:
    «−log p», not «log p-»."""
    rtl = is_rtl(tag)
    return "".join((isolate(piece) if rtl else piece) if formula else prose_numbers(piece, tag)
                   for piece, formula in split_formulas(text))


def written_variety(by_variety: dict[str, str], variety: str) -> str | None:
    """The first variety of `variety`'s fallback chain that a term has a text in."""
    return next((tag for tag in fallback_chain(variety) if by_variety.get(tag)), None)


def glossary_entries(variety: str) -> list[GlossaryEntry]:
    """The course glossary in `variety` (or its fallback, term by term), in the variety's
    alphabetical order."""
    texts = {**course_glossary(BUILTIN_LESSONS_DIR), **course_glossary(library_dir())}
    entries = []
    for key, by_variety in texts.items():
        tag = written_variety(by_variety, variety)
        if tag is None:
            continue
        term, separator, definition = by_variety[tag].partition(TERM_SEPARATOR)
        if not separator:  # a lesson-style entry: the definition alone
            term, definition = key, by_variety[tag]
        entries.append(GlossaryEntry(key, term.strip(), definition.strip(), tag))
    collator = QCollator(qlocale(current_variety()))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return sorted(entries, key=lambda entry: collator.sortKey(entry.term))


class GlossaryDialog(QDialog):
    """Search field, list of terms, and the chosen term's definition. Typing filters the list;
    Down or Enter moves from the field into the list; Esc closes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("glossary-dialog")
        self.entries: list[GlossaryEntry] = []
        self.search = QLineEdit()
        self.search.setObjectName("glossary-search")
        self.search.setClearButtonEnabled(True)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.count = MutedLabel()
        self.list = QListWidget()
        self.list.setObjectName("glossary-terms")
        self.term = self._text_label("glossary-term")
        font = self.term.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.term.setFont(font)
        self.definition = self._text_label("glossary-definition")
        self.key = self._text_label("glossary-key", MutedLabel)  # the English term, if other
        page = QWidget()
        column = QVBoxLayout(page)
        for label in (self.term, self.definition, self.key):
            column.addWidget(label)
        column.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(page)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 320])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._into_list)
        self.list.currentItemChanged.connect(self._show_definition)
        self.search.installEventFilter(self)
        self.resize(560, 460)
        self.retranslate()

    @staticmethod
    def _text_label(name: str, kind: type[QLabel] = QLabel) -> QLabel:
        label = kind()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        return label

    def retranslate(self) -> None:
        """The terms again in the current variety; the search text stays."""
        self.setWindowTitle(_("Glossary"))
        self.search_label.setText(_("&Search the glossary:"))
        self.search.setPlaceholderText(_("A term or a word of its definition"))
        self.entries = glossary_entries(current_variety().tag)
        self._filter(self.search.text())

    def shown_terms(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.search and event.type() == event.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down:
            self._into_list()
            return True
        return super().eventFilter(watched, event)

    @Slot(str)
    def _filter(self, words: str) -> None:
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole).key if current else None
        self.list.clear()
        for entry in self.entries:
            if entry.matches(words):
                item = QListWidgetItem(entry.term)
                item.setData(Qt.ItemDataRole.UserRole, entry)
                self.list.addItem(item)
                if entry.key == keep:
                    self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        n = self.list.count()
        self.count.setText(ngettext("{n} term", "{n} terms", n).format(n=number(n)))
        if n == 0:
            self._show(_("No term matches your search."), "", "", current_variety().tag)

    @Slot()
    def _into_list(self) -> None:
        if self.list.count():
            self.list.setFocus()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _show_definition(self, item: QListWidgetItem | None, _previous) -> None:
        if item is None:
            return
        entry: GlossaryEntry = item.data(Qt.ItemDataRole.UserRole)
        english = entry.key if entry.key.casefold() != entry.term.casefold() else ""
        self._show(entry.term, readable_definition(entry.definition, entry.variety), english,
                   entry.variety)

    def _show(self, term: str, definition: str, english: str, variety: str) -> None:
        # The entry reads in its own language's direction (a fallback may be English).
        for label, text in ((self.term, term), (self.definition, definition)):
            label.setText(text)
            label.setLayoutDirection(text_direction(variety))
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.key.setText(english)
        self.key.setVisible(bool(english))
