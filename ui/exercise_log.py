"""The "Log" tab: one line per epoch and how the run ended, in the learner's language by
default ("Epoch 3 of 300 (0٫01 s): loss 0٫0123, validation loss 0٫0150"), or as Keras
prints it ("Epoch 3/300 - 0.01s - loss: 0.0123 - val_loss: 0.0150"), left to right like
the code in the lessons, for a learner who compares with a notebook.

The log keeps what happened, not its text: a language switch or the Keras switch writes
every line again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QVBoxLayout, QWidget

from hafiza.ui.blocks.exercise import METRICS
from hafiza.ui.i18n import _, current_variety, direction, isolate, number


def keras_line(epoch) -> str:
    """'Epoch 3/300 - 0.01s - loss: 0.0123 - val_loss: 0.0150', as Keras prints it."""
    parts = [f"Epoch {epoch.epoch}/{epoch.epochs}", f"{epoch.seconds:.2f}s"]
    parts += [f"{key}: {value:.4f}" for key, value in epoch.metrics.items()]
    return " - ".join(parts)


def learner_line(epoch) -> str:
    """The same epoch in the learner's words and digits."""
    metrics = _(", ").join(
        _("{metric} {value}").format(
            metric=_(METRICS[key]) if key in METRICS else isolate(key),
            value=number(value, 4))
        for key, value in epoch.metrics.items())
    return _("Epoch {epoch} of {epochs} ({seconds} s): {metrics}").format(
        epoch=number(epoch.epoch), epochs=number(epoch.epochs),
        seconds=number(epoch.seconds, 2), metrics=metrics)


class TrainingLog(QWidget):
    """The epochs of the current run and its end, written in the chosen style."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keras_style = QCheckBox()
        self.keras_style.setObjectName("keras-style")
        self.keras_style.toggled.connect(self._rewrite)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.keras_style)
        layout.addWidget(self.text, 1)
        # An epoch (EpochEnd) or a note that writes itself in the current language.
        self._entries: list[object | Callable[[], str]] = []
        self._apply_direction()

    def retranslate(self) -> None:
        self.keras_style.setText(_("Keras style (as the code prints it)"))
        self._rewrite()

    def add_epoch(self, epoch) -> None:
        self._entries.append(epoch)
        self.text.appendPlainText(self._line(epoch))

    def add_note(self, note: Callable[[], str]) -> None:
        """A sentence about the run (goal reached, stopped, test accuracy), as a function
        that writes it in the current language."""
        self._entries.append(note)
        self.text.appendPlainText(note())

    def clear(self) -> None:
        self._entries.clear()
        self.text.clear()

    def toPlainText(self) -> str:  # noqa: N802 (QPlainTextEdit's name, which tests read)
        return self.text.toPlainText()

    def _line(self, entry) -> str:
        if callable(entry):
            return entry()
        return keras_line(entry) if self.keras_style.isChecked() else learner_line(entry)

    @Slot()
    def _rewrite(self) -> None:
        self._apply_direction()
        self.text.setPlainText("\n".join(self._line(entry) for entry in self._entries))

    def _apply_direction(self) -> None:
        """Keras' lines read left to right like code; the learner's follow the language."""
        keras = self.keras_style.isChecked()
        self.text.setLayoutDirection(Qt.LayoutDirection.LeftToRight if keras
                                     else direction(current_variety()))
