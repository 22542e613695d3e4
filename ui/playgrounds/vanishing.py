"""Vanishing gradients: how much of the loss's gradient reaches each time step, for a plain
RNN and an LSTM side by side, on a log scale, with a sequence-length control.

engine.playgrounds.vanishing computes it and says what to expect at Keras' initialisation:
the LSTM's gradient may fall faster than the orthogonal RNN's until its forget-gate bias is
raised. The playground exposes both settings rather than promising the textbook picture at
initialisation.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from hafiza.ui import colours
from hafiza.ui.exercise_spin_boxes import RealSpinBox, WholeSpinBox
from hafiza.ui.i18n import N_, _, isolate, number
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import make_plot, rtl_mark, with_clamp_note

# The engine's initialisations (engine.playgrounds.vanishing.RNN_INITS) as the learner reads them.
RNN_INITS = {"orthogonal": N_("orthogonal (Keras)"),
             "small": N_("small random weights (PyTorch)")}
COLORS = {"SimpleRNN": colours.RED, "LSTM": colours.BLUE}


def _gradient_norms(seq_len: int, rnn_init: str, forget_bias: float,
                    device: str) -> dict[str, np.ndarray]:
    # Imported here, in the worker thread: the engine's module imports torch, which a lesson
    # page showing this playground may not have loaded yet (too slow for the GUI thread).
    from hafiza.engine.playgrounds.vanishing import gradient_norms

    return gradient_norms(seq_len, rnn_init, forget_bias, device=device)


def _first_to_last(norms: np.ndarray) -> float:
    # Only called once norms were computed: the worker has imported torch by then.
    from hafiza.engine.playgrounds.vanishing import first_to_last

    return first_to_last(norms)


class VanishingGradientsPlayground(Playground):
    name = "vanishing_gradients"

    def __init__(self, seq_len: int = 50, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.norms: dict[str, np.ndarray] = {}

        self.length_label = QLabel()
        self.length = WholeSpinBox()
        self.length.setRange(2, 400)
        self.length.setValue(seq_len)
        self.length_label.setBuddy(self.length)
        self.init_label = QLabel()
        self.rnn_init = QComboBox()
        for key in RNN_INITS:
            self.rnn_init.addItem("", key)
        self.init_label.setBuddy(self.rnn_init)
        self.bias_label = QLabel()
        self.forget_bias = RealSpinBox()
        self.forget_bias.setRange(-2.0, 8.0)
        self.forget_bias.setSingleStep(0.5)
        self.forget_bias.setDecimals(1)
        self.forget_bias.setValue(1.0)
        self.bias_label.setBuddy(self.forget_bias)
        self.compute_button = QPushButton()
        self.plot = make_plot(log_y=True)
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.curves = {kind: self.plot.plot([], [], pen=pg.mkPen(color, width=2), symbol="o",
                                            symbolSize=4, symbolBrush=color, symbolPen=None)
                       for kind, color in COLORS.items()}
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)

        form = QFormLayout()
        # Fields as wide as their content, not the window's width: a 900-pixel spin box
        # holding "0.1" is hard to read across. Only a spin box's note may take the room.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.length_label, with_clamp_note(self.length))
        form.addRow(self.init_label, self.rnn_init)
        form.addRow(self.bias_label, with_clamp_note(self.forget_bias))
        form.addRow("", self.compute_button)
        layout = self.body()
        layout.addLayout(form)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        self.setTabOrder(self.length, self.rnn_init)
        self.setTabOrder(self.rnn_init, self.forget_bias)
        self.setTabOrder(self.forget_bias, self.compute_button)
        self.compute_button.clicked.connect(self.compute)
        self.retranslate()

    def translate_texts(self) -> None:
        self.length_label.setText(_("Sequence length:"))
        self.init_label.setText(_("Recurrent weights of the RNN:"))
        for index in range(self.rnn_init.count()):
            self.rnn_init.setItemText(index, _(RNN_INITS[self.rnn_init.itemData(index)]))
        self.bias_label.setText(_("Forget-gate bias of the LSTM:"))
        self.compute_button.setText(_("Compute the gradients"))
        self.plot.setTitle(_("How much gradient reaches each time step"))
        self.plot.setLabel("bottom", _("time step"))
        self.plot.setLabel("left", _("gradient norm"))
        self.legend.clear()
        self.legend.addItem(self.curves["SimpleRNN"], _("RNN"))
        self.legend.addItem(self.curves["LSTM"], _("LSTM"))
        self.note.setText(_("Untrained models. With the forget-gate bias at 1 the LSTM keeps "
                            "about 0.73 of its cell state per step, so at first its gradient "
                            "also fades; a larger bias (what training learns when it must "
                            "remember) carries it much further than the RNN's."))
        self._show_summary()

    @Slot()
    def compute(self) -> None:
        length, init, bias = self.length.value(), self.rnn_init.currentData(), \
            self.forget_bias.value()
        device = self.device
        self.compute_button.setEnabled(False)
        self.summary.setText(_("Computing…"))
        self.run_task("norms", lambda: _gradient_norms(length, init, bias, device),
                      self._on_norms)

    def _on_norms(self, norms: dict[str, np.ndarray]) -> None:
        self.norms = norms
        for kind, values in norms.items():
            steps = np.arange(1, len(values) + 1)
            self.curves[kind].setData(steps, np.log10(np.maximum(values, 1e-300)))
        self.plot.enableAutoRange()
        self._show_summary()

    def task_ended(self) -> None:
        self.compute_button.setEnabled(not self.is_busy("norms"))

    def ratio(self, kind: str) -> float:
        """Gradient at the first step over gradient at the last step."""
        return _first_to_last(self.norms[kind])

    def _show_summary(self) -> None:
        if not self.norms:
            self.summary.setText(_("Press the button to compute."))
            return
        lines = []
        for kind, name in (("SimpleRNN", _("RNN")), ("LSTM", _("LSTM"))):
            exponent = float(np.log10(max(self.ratio(kind), 1e-300)))
            lines.append(_("{model}: the gradient at the first step is the one at the last "
                           "step times 10 to the power {exponent}").format(
                model=isolate(name), exponent=number(round(exponent, 1), 1)))
        self.summary.setText("\n".join(rtl_mark() + line for line in lines))
