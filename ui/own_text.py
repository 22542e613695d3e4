"""*Use my own text…*: a language model trains on a text the learner brings, a .txt file or
pasted text, instead of the lesson's.

`OwnTextDialog` opens the file (the encoding it was read in is said, and can be changed),
or takes pasted text, refuses what is over the size limit, and shows the first sentences
as the model will read them. `OwnTextRow` sits in the exercise panel: it says which text
the next run trains on and opens the dialog. The chosen text is saved in the store's own
folder (ui.run_history.own_texts_folder), so a run records only its file name and
*Earlier runs* finds it again. Reading and decoding run in a worker thread.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.engine.data.corpora import MAX_CORPUS_BYTES
from hafiza.engine.data.text_files import (
    ENCODINGS,
    DecodedText,
    TextFileError,
    TextSummary,
    read_text_file,
    summarize_text,
)
from hafiza.ui.i18n import N_, _, isolate, ngettext, number, percent
from hafiza.ui.playgrounds.common import learner_text_edit, refresh_direction
from hafiza.ui.worker import TaskRunner, TaskState

# How each encoding is named to the learner (the code page's number stays, as Windows'
# own dialogs show it).
ENCODING_NAMES = {"utf-8": N_("Unicode (UTF-8)"), "utf-16": N_("Unicode (UTF-16)"),
                  "cp1256": N_("Windows Arabic (cp1256)"),
                  "cp1252": N_("Windows Western (cp1252)")}
# The text box shows the beginning of a long file: the whole of it would take seconds to lay
# out, and the preview below says how the model reads it.
SHOWN_CHARACTERS = 20_000


def size_limit_text() -> str:
    return number(MAX_CORPUS_BYTES // 2**20) + " MB"


def refusal_text(error: TextFileError) -> str:
    """Why a file cannot be used, in the learner's language."""
    if error.reason == "too_big":
        return _("This file is too big: a text may be at most {size}.").format(
            size=isolate(size_limit_text()))
    if error.reason == "binary":
        return _("This file is not plain text. Save it as a {txt} file and open it again."
                 ).format(txt=isolate(".txt"))
    if error.reason == "empty":
        return _("There is no text in it.")
    return _("It cannot be read this way: choose another encoding.")


def _read_file(path: Path, encoding: str | None,
               _state: TaskState) -> tuple[DecodedText, TextSummary]:
    decoded = read_text_file(path, MAX_CORPUS_BYTES, encoding)
    return decoded, summarize_text(decoded.text)


def _summarize(text: str, _state: TaskState) -> tuple[DecodedText, TextSummary]:
    return DecodedText(text, "utf-8"), summarize_text(text)


class OwnTextDialog(TaskRunner, QDialog):
    """Choose a text file or paste a text; `text` holds it once accepted."""

    text_read = Signal()  # a file or the pasted text is read and its preview shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("own-text-dialog")
        self.text = ""  # what the model will train on
        self.path: Path | None = None  # the file it came from; None: pasted
        self.encoding: str | None = None
        self.summary: TextSummary | None = None
        self._error: TextFileError | None = None
        self._reading = False  # a file or the pasted text is being read (task_busy stays
        # true until the thread has ended, after on_done)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.choose_file)
        self.file_label = QLabel()
        self.encoding_label = QLabel()
        self.encoding_box = QComboBox()
        for encoding in ENCODINGS:
            self.encoding_box.addItem("", encoding)
        self.encoding_label.setBuddy(self.encoding_box)
        self.encoding_box.activated.connect(self._encoding_chosen)
        self.paste_label = QLabel()
        self.editor = learner_text_edit()
        self.paste_label.setBuddy(self.editor)
        self.editor.textChanged.connect(self._pasted)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.preview_label = QLabel()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setObjectName("own-text-preview")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        file_row = QHBoxLayout()
        file_row.addWidget(self.open_button)
        file_row.addWidget(self.file_label, 1)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(self.encoding_label)
        encoding_row.addWidget(self.encoding_box)
        encoding_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(file_row)
        layout.addLayout(encoding_row)
        layout.addWidget(self.paste_label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.resize(640, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Use my own text"))
        # ".txt" isolated: inside right-to-left text its dot would jump to the other end.
        self.intro.setText(_("The model can learn from your own text: open a {txt} file or "
                             "paste the text below. It stays on this computer, unless you "
                             "export your progress with it.").format(
                                 txt=isolate(".txt")))
        self.open_button.setText(_("Open a text file…"))
        self.encoding_label.setText(_("Read as:"))
        for index, encoding in enumerate(ENCODINGS):
            self.encoding_box.setItemText(index, _(ENCODING_NAMES[encoding]))
        self.paste_label.setText(_("Or paste your text here:"))
        self.preview_label.setText(_("The first sentences, as the model reads them:"))
        refresh_direction(self.editor)
        self._show()

    # -- choosing ----------------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open a text file"), str(Path.home()),
            _("Text files") + " (*.txt);;" + _("All files") + " (*)")
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path, encoding: str | None = None) -> None:
        """Reads `path` in a worker thread (in `encoding`, else the one it looks like)."""
        self.path, self.encoding = path, encoding
        self._error = None
        self._reading = True
        self.start_task(_read_file, path, encoding)
        self._show()

    @Slot(int)
    def _encoding_chosen(self, index: int) -> None:
        if self.path is not None:
            self.open_file(self.path, self.encoding_box.itemData(index))

    @Slot()
    def _pasted(self) -> None:
        if self.editor.isReadOnly():
            return  # the beginning of a file, shown by open_file
        self.path, self.encoding, self._error = None, None, None
        text = self.editor.toPlainText()
        if len(text.encode("utf-8")) > MAX_CORPUS_BYTES:
            self._failed(TextFileError("too_big", "pasted text"))
            return
        self._reading = True
        self.start_task(_summarize, text)
        self._show()

    # -- results -----------------------------------------------------------------------------
    def on_done(self, result: tuple[DecodedText, TextSummary]) -> None:
        decoded, self.summary = result
        self._reading = False
        self.text = decoded.text if decoded.text.strip() else ""
        if self.path is not None:
            self.encoding = decoded.encoding
            self.editor.blockSignals(True)
            self.editor.setReadOnly(True)
            self.editor.setPlainText(decoded.text[:SHOWN_CHARACTERS])
            self.editor.blockSignals(False)
        self._show()
        self.text_read.emit()

    def on_exception(self, error: BaseException) -> None:
        if not isinstance(error, (TextFileError, OSError)):
            raise error
        self._failed(error if isinstance(error, TextFileError)
                     else TextFileError("unreadable", str(error)))

    def _failed(self, error: TextFileError) -> None:
        self.text, self.summary, self._error = "", None, error
        self._reading = False
        self._show()
        self.text_read.emit()

    def _show(self) -> None:
        has_file = self.path is not None
        self.file_label.setText(isolate(self.path.name) if has_file else "")
        self.encoding_label.setVisible(has_file)
        self.encoding_box.setVisible(has_file)
        if self.encoding in ENCODINGS:
            self.encoding_box.setCurrentIndex(ENCODINGS.index(self.encoding))
        if not has_file and self.editor.isReadOnly():
            self.editor.setReadOnly(False)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text) and self._error is None and not self._reading)
        if self._error is not None:
            self.status.setText(refusal_text(self._error))
            self.preview.setText("")
            return
        if self._reading:
            self.status.setText(_("Reading…"))
            return
        if self.summary is None or not self.text:
            self.status.setText(_("A text may be at most {size}.").format(
                size=isolate(size_limit_text())))
            self.preview.setText("")
            return
        words = ngettext("{n} word", "{n} words", self.summary.words).format(
            n=number(self.summary.words))
        if has_file:
            status = _("Read as {encoding}: {words}.").format(
                encoding=isolate(_(ENCODING_NAMES[self.encoding])), words=words)
        else:
            status = words
        if self.summary.rare_words:  # a short text is mostly words met once
            share = percent(self.summary.rare_words / self.summary.words, 0)
            status += "\n" + _("{share} of them appear only once: a model that reads words "
                              "reads each of those as “a rare word”, so a longer text "
                              "teaches it more.").format(share=share)
        self.status.setText(status)
        # Each token on its own shaded patch, so the learner sees where the model cuts the
        # text (a QLabel draws no borders; a translucent grey reads in light and dark).
        sentences = [" ".join(f'<span style="background-color:rgba(128,128,128,70);">'
                              f"&nbsp;{html.escape(token)}&nbsp;</span>" for token in tokens)
                     for tokens in self.summary.first_sentences]
        self.preview.setText("<br>".join(sentences))


class OwnTextRow(QWidget):
    """Which text the next run trains on, with *Use my own text…* and the way back."""

    changed = Signal()  # the text for the next run is another one

    def __init__(self, texts_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("own-text-row")
        self.texts_folder = texts_folder
        self.text_path: Path | None = None  # the saved own text; None: the lesson's text
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.use_button = QPushButton()
        self.use_button.clicked.connect(self.choose)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(lambda: self.use(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.use_button)
        layout.addWidget(self.back_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.use_button.setText(_("Use my own text…"))
        self.back_button.setText(_("Back to the lesson's text"))
        self.back_button.setVisible(self.text_path is not None)
        if self.text_path is None:
            self.label.setText(_("Text: the lesson's own."))
        else:
            self.label.setText(_("Text: your own."))

    @Slot()
    def choose(self) -> None:
        dialog = OwnTextDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text:
            self.use(save_own_text(dialog.text, self.texts_folder))

    def use(self, path: Path | None) -> None:
        """Trains the next run on the saved text `path` (None: the lesson's own text)."""
        self.text_path = path
        self.retranslate()
        self.changed.emit()


def save_own_text(text: str, folder: Path) -> Path:
    """The text saved as UTF-8 in `folder`, named by its content (the same text is kept
    once, whichever run uses it); written to a temporary name and renamed."""
    from hafiza.engine.data.text_files import own_text_name

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / own_text_name(text)
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    return path
