"""Spin boxes that say when they refused a value instead of changing it silently.

Qt's spin boxes drop the keystroke that would leave their range: a learner who types 1000
into a learning rate that stops at 10 sees 10, and nothing says why. These accept the
typed number while it is being edited, bring it back to the nearest limit when editing
ends and say so (`clamped`); a `ClampNote` beside the field words it: "The largest allowed
is 10." The exercise form and the playgrounds use both.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSizePolicy, QSpinBox, QWidget

from hafiza.ui.i18n import _
from hafiza.ui.theme import error_colour


class _SaysWhenClamped:
    """The shared part of both spin boxes (a mixin before the Qt class)."""

    _asked: float | None = None  # the out-of-range number being typed

    def _setup(self) -> None:
        self._asked = None
        self.editingFinished.connect(self._report_clamp)

    def validate(self, text: str, pos: int):
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        self._asked = None
        # Invalid: beyond the range for good ("1000" for at most 10). Intermediate: maybe on
        # its way ("1" for at least 5), yet what is left when editing ends is clamped too.
        if state != QValidator.State.Acceptable:
            asked = self._typed_number(text)
            if asked is not None and not self.minimum() <= asked <= self.maximum():
                self._asked = asked  # keep it on screen until editing ends
                return QValidator.State.Intermediate, text, pos
        return result

    def _typed_number(self, text: str) -> float | None:
        stripped = text.strip()
        for locale in (self.locale(), None):  # the reader's digits, else Latin ones
            value, ok = (locale.toDouble(stripped) if locale is not None
                         else _latin_number(stripped))
            if ok:
                return value
        return None

    def fixup(self, text: str) -> str:
        if self._asked is None:
            return super().fixup(text)
        nearest = min(max(self._asked, self.minimum()), self.maximum())
        self._pending_clamp = (self._asked, nearest)
        self._asked = None
        return self.textFromValue(nearest)

    def _report_clamp(self) -> None:
        pending = getattr(self, "_pending_clamp", None)
        self._pending_clamp = None
        if pending is not None:
            self.clamped.emit(float(pending[0]), float(pending[1]))


def _latin_number(text: str) -> tuple[float, bool]:
    try:
        return float(text.replace(",", "")), True
    except ValueError:
        return 0.0, False


class WholeSpinBox(_SaysWhenClamped, QSpinBox):
    clamped = Signal(float, float)  # what was typed, the limit it became

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._setup()


class RealSpinBox(_SaysWhenClamped, QDoubleSpinBox):
    clamped = Signal(float, float)  # what was typed, the limit it became

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._setup()


class ClampNote(QLabel):
    """The line beside a spin box that says a typed value was out of range and what it
    became; it goes when the learner types again. `retranslate` words it again after a
    language change (the limit in the new digits: the spin box's locale by then)."""

    def __init__(self, spin: WholeSpinBox | RealSpinBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clamp-note")
        self.setWordWrap(True)
        # The note takes the room its row leaves, never widens the row (or the window).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setStyleSheet(f"QLabel#clamp-note {{ color: {error_colour()}; }}")
        self.hide()
        self.spin = spin  # the box it speaks for
        self._clamp: tuple[float, float] | None = None  # (what was typed, the limit)
        spin.clamped.connect(self._told)
        spin.lineEdit().textEdited.connect(self._typed_again)

    @Slot(float, float)
    def _told(self, asked: float, became: float) -> None:
        self._clamp = (asked, became)
        self.retranslate()
        self.show()

    @Slot()
    def _typed_again(self) -> None:
        self._clamp = None
        self.hide()

    def retranslate(self) -> None:
        if self._clamp is None:
            return
        asked, became = self._clamp
        text = (_("The largest allowed is {limit}.") if asked > became
                else _("The smallest allowed is {limit}."))
        self.setText(text.format(limit=self.spin.textFromValue(became)))
