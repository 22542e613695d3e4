"""Train, Pause, Step, Stop and Reset, with the progress bar, the status line and the message
of a run that failed. The exercise panel drives it; this widget only shows the run's state.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hafiza.ui.controls_form import CONTROL_LABELS
from hafiza.ui.i18n import N_, _, isolate, ngettext, number
from hafiza.ui.theme import error_colour

FAILURES = {
    "nan_loss": N_(
        "The loss became NaN (not a number): the learning rate is probably too large. "
        "Lower it and train again."
    ),
    "out_of_memory": N_("There is not enough memory for this model. Make the model or the "
                        "batch smaller and train again."),
    "bad_data": N_("This exercise's data or settings cannot be used: {detail}"),
    "error": N_("Training stopped because of an unexpected error; the app keeps working. "
                "Details: {detail}"),
}
PROGRESS_STEPS = 1000  # the bar's resolution
# An engine refusal of one setting (engine.refusals: ExerciseError.kind), in the learner's
# words: {setting} is the control's own label, {value} what was asked for.
REFUSALS = {
    "not_a_number": N_("{setting}: {value} is not a number."),
    "too_small": N_("{setting} is {value}; it must be at least {limit}."),
    "too_large": N_("{setting} is {value}; it can be at most {limit}."),
    "memory": N_("with {setting} = {value} the run would need about {needed} of memory, and "
                 "this computer can give it {limit}. Make it smaller and train again."),
    "data_path": N_("the exercise asks for the file {value}, which is not inside its lesson's "
                    "folder or does not exist, so it is not read."),
    "nothing_kept": N_("{setting} is {value}, and nothing in the text occurs that often, so "
                       "the model would have nothing to learn. Use a longer text, or a "
                       "number of at most {limit}."),
}


class RunProgress(NamedTuple):
    """Where a run stands, as the status line tells it."""

    has_run: bool  # a run was started in this panel
    running: bool
    paused: bool
    started: Any = None  # engine.events.Started, once the loop began
    batch: Any = None  # the last engine.events.BatchEnd
    elapsed: float = 0.0  # seconds since Train was pressed
    final_note: str = ""  # how the last run ended (goal reached, stopped, test accuracy)


class RunControls(QWidget):
    """The buttons of a run and the lines that say how it goes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.train_button = QPushButton()
        self.pause_button = QPushButton()
        self.step_button = QPushButton()
        self.stop_button = QPushButton()
        self.reset_button = QPushButton()
        self.train_button.setObjectName("train")
        self.train_button.setShortcut("Ctrl+Return")
        buttons = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.step_button, self.stop_button,
                       self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.status = QLabel()
        # Its text changes several times a second: keep that from re-laying out the panel.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.error = QLabel()
        self.error.setObjectName("training-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            f"QLabel#training-error {{ color: {error_colour()}; font-weight: bold; }}")
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        self._paused = False
        self._failure: tuple | None = None  # the last show_failure's arguments

    def retranslate(self) -> None:
        self.train_button.setText(_("Train"))
        self.pause_button.setText(_("Resume") if self._paused else _("Pause"))
        self.step_button.setText(_("Step"))
        self.stop_button.setText(_("Stop"))
        self.reset_button.setText(_("Reset"))
        if self._failure is not None and not self.error.isHidden():
            self.show_failure(*self._failure)  # in the new language

    def show_running(self, running: bool, paused: bool) -> None:
        """Which buttons work now, and whether Pause reads Resume."""
        self._paused = paused
        self.pause_button.setText(_("Resume") if paused else _("Pause"))
        self.train_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.step_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.reset_button.setEnabled(not running)

    def show_failure(self, reason: str, detail: str, refusal: Any = None) -> None:
        """The failure's sentence; an engine refusal of one setting (an ExerciseError with
        a kind) is told in the learner's language rather than by its English detail."""
        self._failure = (reason, detail, refusal)
        message = FAILURES.get(reason, FAILURES["error"])
        told = refusal_text(refusal)
        if told is not None:
            self.error.setText(_(FAILURES["bad_data"]).format(detail=told))
        else:
            short = detail.strip().splitlines()[-1] if detail.strip() else ""
            self.error.setText(_(message).format(detail=isolate(short)))
        self.error.show()

    def hide_failure(self) -> None:
        self.error.hide()

    def clear(self) -> None:
        """Back to before the first run: an empty bar, no failure, Pause reads Pause."""
        self.progress.setValue(0)
        self.error.hide()
        self._paused = False

    def show_progress(self, state: RunProgress) -> None:
        self.status.setText(self._status_text(state))

    def _status_text(self, state: RunProgress) -> str:
        if not state.has_run:
            return _("Press Train to start.")
        started, batch = state.started, state.batch
        if started is None or batch is None:
            preparing = _("Preparing the data and the model…")
            if state.running and state.paused:  # paused while adapting (NBSVM)
                preparing += " " + _("paused")
            return preparing if state.running else state.final_note
        done = (batch.epoch - 1) * batch.n_batches + batch.batch
        total = max(1, started.epochs * batch.n_batches)
        value = round(PROGRESS_STEPS * done / total)
        if value != self.progress.value():  # a repaint only when the bar moves
            self.progress.setValue(value)
        text = _("Epoch {epoch} of {epochs}, batch {batch} of {batches}").format(
            epoch=number(batch.epoch), epochs=number(started.epochs),
            batch=number(batch.batch), batches=number(batch.n_batches))
        if state.running and not state.paused and done < total:
            left = round(state.elapsed * (total - done) / done)
            text += _(", ") + (ngettext("about {n} second left", "about {n} seconds left",
                                        left).format(n=number(left)) if left >= 1
                               else _("almost done"))
        elif state.paused and state.running:
            text += _(", ") + _("paused")
        elif not state.running:
            text = state.final_note or text
        return text


def _setting_label(setting: str) -> str:
    if setting in CONTROL_LABELS:
        return _(CONTROL_LABELS[setting])
    head, _dot, rest = setting.partition(".")
    if head == "model" and rest.isdigit():
        return _("layer {n} of the model").format(n=number(int(rest) + 1))
    return isolate(setting)


def _value_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)  # 1e10 reads as 10,000,000,000
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    return isolate(str(value))


def _memory_text(count: int) -> str:
    return _("{n} GB").format(n=number(count / 2**30, 1))


def refusal_text(refusal: Any) -> str | None:
    """An engine refusal (engine.refusals.ExerciseError with a ``kind``) as a sentence in
    the learner's language; None for any other error (its English detail is shown)."""
    kind = getattr(refusal, "kind", None)
    if kind not in REFUSALS:
        return None
    setting = getattr(refusal, "setting", None) or ""
    limit, needed = refusal.limit, refusal.needed
    if kind == "memory":
        limit_text, needed_text = _memory_text(limit or 0), _memory_text(needed or 0)
    else:
        limit_text, needed_text = (_value_text(limit) if limit is not None else ""), ""
    return _(REFUSALS[kind]).format(setting=_setting_label(setting),
                                    value=_value_text(refusal.value), limit=limit_text,
                                    needed=needed_text)
