"""Backpropagation, step by step: a 2-2-1 network with the learner's numbers (or the
playground's example), followed one node at a time with Next and Back (or the arrow keys):
the forward pass, the loss, each partial derivative backward as the product of its chain-rule
factors, the update of every weight and bias, and a check that the loss fell.

engine.playgrounds.backprop computes every number and every formula (pure Python, fast
enough for the GUI thread, checked against autograd in its tests); this widget words each
step in the learner's variety, renders the formula and puts the numbers in the reader's
digits. The drawing is ui/playgrounds/backprop_drawing.py."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hafiza.engine.playgrounds.backprop import (
    HIDDEN_ACTIVATIONS,
    PARAMETER_BY_NAME,
    Network,
    Step,
    Token,
    Walk,
    walk,
)
from hafiza.ui.blocks.formula import render_formula
from hafiza.ui.exercise_spin_boxes import ClampNote, RealSpinBox
from hafiza.ui.i18n import N_, _, isolate
from hafiza.ui.playgrounds.backprop_drawing import NetworkDrawing, short
from hafiza.ui.playgrounds.base import Playground
from hafiza.ui.playgrounds.common import rtl_mark
from hafiza.ui.plots import LEFT_TO_RIGHT_MARK

ACTIVATIONS = {"sigmoid": N_("sigmoid"), "relu": N_("ReLU"), "linear": N_("linear")}
# The fields, row by row as the grid shows them: (the field's key, its symbol). Keys are
# Network's parameter names (engine.playgrounds.backprop.PARAMETERS) and the inputs' own.
ROWS = (("x, y", (("x1", "x₁"), ("x2", "x₂"), ("y", "y"))),
        ("h₁", (("W1_11", "W¹₁,₁"), ("W1_12", "W¹₁,₂"), ("b1_1", "b¹₁"))),
        ("h₂", (("W1_21", "W¹₂,₁"), ("W1_22", "W¹₂,₂"), ("b1_2", "b¹₂"))),
        ("ŷ", (("W2_11", "W²₁,₁"), ("W2_12", "W²₁,₂"), ("b2_1", "b²₁"))))
VALUE_RANGE = (-10.0, 10.0)  # every input, target, weight and bias
RATE_RANGE = (0.001, 2.0)
# Wider than this, the fields stand beside the drawing; narrower, above it.
SIDE_BY_SIDE_WIDTH = 820

PHASES = {"forward": N_("Step {step} of {steps}: forward pass"),
          "loss": N_("Step {step} of {steps}: the loss"),
          "backward": N_("Step {step} of {steps}: backward pass"),
          "update": N_("Step {step} of {steps}: update"),
          "check": N_("Step {step} of {steps}: check")}
START = N_("The network and its numbers. Change any of them, then press Next (or the right "
           "arrow key) to follow the forward pass, the loss, the backward pass and the update.")
# One sentence per kind of step (engine.playgrounds.backprop.KINDS); some per activation.
SENTENCES = {
    "sum": N_("Hidden neuron {neuron} adds up its inputs, each multiplied by its weight, and "
              "then its bias: this is its weighted sum z."),
    ("activation", "sigmoid"): N_("The neuron passes its sum through the sigmoid, which "
                                  "squeezes any number into the range between 0 and 1."),
    ("activation", "relu"): N_("ReLU keeps a positive sum as it is and turns a negative sum "
                               "into 0."),
    ("activation", "linear"): N_("With a linear activation the neuron passes its sum on "
                                 "unchanged."),
    "output": N_("The output neuron adds up the hidden neurons' outputs, each multiplied by "
                 "its weight, and its bias. It is linear, so this sum is the prediction."),
    "loss": N_("The loss compares the prediction with the target: the squared error. The "
               "forward pass ends here."),
    "loss_gradient": N_("The backward pass starts at the loss: how much does it change when "
                        "the prediction moves a little? The slope of the squared error is "
                        "twice the error."),
    "weight_gradient": N_("The gradient of a weight is the gradient already computed at its "
                          "neuron times the value that flows through this weight. Nothing "
                          "is computed twice."),
    "bias_gradient": N_("A bias is like a weight whose input is always 1, so its gradient is "
                        "the gradient at its neuron."),
    "hidden_gradient": N_("The gradient travels back to hidden neuron {neuron} along its "
                          "weight to the output: the gradient of the prediction times that "
                          "weight."),
    ("slope_gradient", "sigmoid"): N_("To go back through the activation, multiply by its "
                                      "slope. The sigmoid's slope is a(1 − a), at most 0.25: "
                                      "the gradient shrinks here."),
    ("slope_gradient", "relu"): N_("To go back through the activation, multiply by its "
                                   "slope. ReLU's slope is 1 where z is above 0 and 0 "
                                   "elsewhere: a neuron that was off passes no gradient back."),
    ("slope_gradient", "linear"): N_("To go back through the activation, multiply by its "
                                     "slope. A linear activation's slope is 1: the gradient "
                                     "passes unchanged."),
    "update": N_("Each weight and bias takes a step against its gradient: the learning rate α "
                 "times the gradient is subtracted. A negative gradient raises it, a positive "
                 "one lowers it."),
    "check": N_("Check: a new forward pass with the updated weights gives a loss of {after}, "
                "against {before} before this step."),
}


def phase(step: Step) -> str:
    """Which of PHASES a step belongs to."""
    if step.kind in ("sum", "activation", "output"):
        return "forward"
    if step.kind.endswith("_gradient"):
        return "backward"
    return step.kind


def numbers_line(tokens: tuple[Token, ...], value: float) -> str:
    """"= 0.5 × 1 + (−0.3) × 0.5 = 0.35" in the reader's digits, each number isolated so it
    keeps its sign beside it; a negative number inside the expression in brackets."""
    parts = ["="]
    for position, token in enumerate(tokens):
        if isinstance(token, str):
            parts.append(token)
            continue
        text = isolate(short(token))
        parts.append(f"({text})" if token < 0 and round(token, 3) != 0 and position
                     else text)
    parts += ["=", isolate(short(value))]
    # A left-to-right mark first: the line runs left to right even when its first number
    # is Arabic-Indic (a weak letter) and the window right to left.
    return LEFT_TO_RIGHT_MARK + " ".join(parts).replace("( ", "(").replace(" )", ")")


class BackpropPlayground(Playground):
    name = "backprop"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.walk: Walk = walk()
        self.index = -1  # the step shown; -1: before the first
        self.fields: dict[str, RealSpinBox] = {}
        self.field_labels: list[QLabel] = []

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        notes = QVBoxLayout()
        for row, (header, fields) in enumerate(ROWS):
            grid.addWidget(self._symbol_label(header), row, 0)
            for column, (key, symbol) in enumerate(fields):
                spin = self._field(key, VALUE_RANGE, 2)
                label = self._symbol_label(symbol)
                label.setBuddy(spin)
                grid.addWidget(label, row, 1 + 2 * column)
                grid.addWidget(spin, row, 2 + 2 * column)
                notes.addWidget(ClampNote(spin))
        self.rate = self._field("rate", RATE_RANGE, 3)
        self.rate_label = self._symbol_label("α")
        self.rate_label.setBuddy(self.rate)
        notes.addWidget(ClampNote(self.rate))
        self.activation_label = QLabel()
        self.activation = QComboBox()
        for key in HIDDEN_ACTIVATIONS:
            self.activation.addItem("", key)
        self.activation_label.setBuddy(self.activation)
        last = len(ROWS)
        grid.addWidget(self.rate_label, last, 1)
        grid.addWidget(self.rate, last, 2)
        grid.addWidget(self.activation_label, last, 3, 1, 2,
                       Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.activation, last, 5, 1, 2)
        self.example_button = QPushButton()
        grid.addWidget(self.example_button, last + 1, 1, 1, 6)
        fields_box = QVBoxLayout()
        fields_box.addLayout(grid)
        fields_box.addLayout(notes)
        fields_box.addStretch(1)

        self.drawing = NetworkDrawing()
        self.drawing.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.addLayout(fields_box)
        self.top.addWidget(self.drawing, 1)

        self.phase = QLabel()
        self.phase.setObjectName("backprop-phase")
        font = self.phase.font()
        font.setBold(True)
        self.phase.setFont(font)
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.formula = QLabel()  # the symbols: LaTeX, drawn left to right
        self.formula.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.formula.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
        self.numbers = QLabel()  # the same with the numbers put in, in the reader's digits
        self.numbers.setObjectName("backprop-numbers")
        self.numbers.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button, self.next_button, self.reset_button = \
            QPushButton(), QPushButton(), QPushButton()
        buttons = QHBoxLayout()
        for button in (self.back_button, self.next_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = self.body()
        layout.addLayout(self.top, 1)
        layout.addWidget(self.phase)
        layout.addWidget(self.sentence)
        layout.addWidget(self.formula)
        layout.addWidget(self.numbers)
        layout.addLayout(buttons)

        self.next_button.clicked.connect(self.next_step)
        self.back_button.clicked.connect(self.previous_step)
        self.reset_button.clicked.connect(self.reset)
        self.example_button.clicked.connect(self.use_example)
        for widget in (self.back_button, self.next_button, self.reset_button,
                       self.example_button, self.drawing):
            widget.installEventFilter(self)
        self.activation.currentIndexChanged.connect(self.recompute)
        self.use_example()
        self.retranslate()

    # -- fields ----------------------------------------------------------------------------
    def _symbol_label(self, text: str) -> QLabel:
        label = QLabel(isolate(text))
        self.field_labels.append(label)
        return label

    def _field(self, key: str, limits: tuple[float, float], decimals: int) -> RealSpinBox:
        spin = RealSpinBox()
        spin.setObjectName(f"backprop-{key}")
        spin.setDecimals(decimals)
        spin.setRange(*limits)
        spin.setSingleStep(0.1)
        spin.valueChanged.connect(self.recompute)
        self.fields[key] = spin
        return spin

    def network(self) -> Network:
        """The network the fields describe."""
        value = {key: spin.value() for key, spin in self.fields.items()}
        return Network(inputs=(value["x1"], value["x2"]), target=value["y"],
                       learning_rate=value["rate"],
                       activation=self.activation.currentData() or "sigmoid"
                       ).with_parameters({name: value[name] for name in PARAMETER_BY_NAME})

    def set_network(self, network: Network) -> None:
        """Puts ``network``'s numbers in the fields (one recomputation at the end)."""
        values = {"x1": network.inputs[0], "x2": network.inputs[1], "y": network.target,
                  "rate": network.learning_rate, **network.parameters()}
        for key, spin in self.fields.items():
            spin.blockSignals(True)
            spin.setValue(values[key])
            spin.blockSignals(False)
        self.activation.blockSignals(True)
        self.activation.setCurrentIndex(self.activation.findData(network.activation))
        self.activation.blockSignals(False)
        self.recompute()

    @Slot()
    def use_example(self) -> None:
        """The playground's example: x = (1, 0.5), target 1, sigmoid hidden layer, α = 0.1."""
        self.set_network(Network())
        self.reset()

    @Slot()
    def recompute(self) -> None:
        """New numbers: the same step, computed again (pure Python, instant)."""
        self.walk = walk(self.network())
        self.index = min(self.index, len(self.walk.steps) - 1)
        self.show_step()

    # -- stepping --------------------------------------------------------------------------
    @Slot()
    def next_step(self) -> None:
        self.go_to(self.index + 1)

    @Slot()
    def previous_step(self) -> None:
        self.go_to(self.index - 1)

    @Slot()
    def reset(self) -> None:
        self.go_to(-1)

    def go_to(self, index: int) -> None:
        self.index = max(-1, min(index, len(self.walk.steps) - 1))
        self.show_step()

    def step_key(self, key: int) -> bool:
        """Right: the next step, Left: the one before, Home: the start; True when ``key`` was
        one of them. Right always goes forward, as the drawing does, in every language."""
        moves = {Qt.Key.Key_Right: self.next_step, Qt.Key.Key_Left: self.previous_step,
                 Qt.Key.Key_Home: self.reset}
        move = moves.get(Qt.Key(key))
        if move is not None:
            move()
        return move is not None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if self.step_key(event.key()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The buttons and the drawing give their arrow keys to the steps (a button would
        move the focus with them); the fields keep theirs, to edit the number."""
        if event.type() == QEvent.Type.KeyPress and self.step_key(event.key()):
            return True
        return super().eventFilter(watched, event)

    def current(self) -> Step | None:
        return self.walk.steps[self.index] if self.index >= 0 else None

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The fields beside the drawing when there is room, above it when there is not
        (a narrow window, a large text size)."""
        super().resizeEvent(event)
        wanted = QBoxLayout.Direction.LeftToRight if self.width() >= SIDE_BY_SIDE_WIDTH \
            else QBoxLayout.Direction.TopToBottom
        if self.top.direction() != wanted:
            self.top.setDirection(wanted)

    # -- words and numbers -----------------------------------------------------------------
    def translate_texts(self) -> None:
        self.activation_label.setText(_("Hidden activation:"))
        for index in range(self.activation.count()):
            self.activation.setItemText(index, _(ACTIVATIONS[self.activation.itemData(index)]))
        self.example_button.setText(_("The example's numbers"))
        self.back_button.setText(_("Back"))
        self.next_button.setText(_("Next"))
        self.reset_button.setText(_("Start again"))
        self.rate.setToolTip(_("Learning rate"))
        self.drawing.setAccessibleName(_("The network"))
        self.show_step()

    def sentence_for(self, step: Step) -> str:
        activation = self.walk.network.activation
        template = SENTENCES.get((step.kind, activation)) or SENTENCES[step.kind]
        node = PARAMETER_BY_NAME[step.node].into if step.node in PARAMETER_BY_NAME \
            else step.node
        return _(template).format(neuron=isolate(node[-1:]) if node[-1:].isdigit() else "",
                                  after=isolate(short(step.value)),
                                  before=isolate(short(step.before or 0.0)))

    def show_step(self) -> None:
        if not hasattr(self, "numbers"):  # called while the fields are being made
            return
        step = self.current()
        steps = len(self.walk.steps)
        self.drawing.show_walk(self.walk, self.index)
        self.back_button.setEnabled(self.index >= 0)
        self.reset_button.setEnabled(self.index >= 0)
        self.next_button.setEnabled(self.index < steps - 1)
        if step is None:
            self.phase.setText("")
            self.sentence.setText(rtl_mark() + _(START))
            self.formula.clear()
            self.numbers.clear()
        else:
            self.phase.setText(rtl_mark() + _(PHASES[phase(step)]).format(
                step=short(self.index + 1), steps=short(steps)))
            self.sentence.setText(rtl_mark() + self.sentence_for(step))
            self._show_formula(step)
            self.numbers.setText(numbers_line(step.numbers, step.value))
        self.computed.emit()

    def _show_formula(self, step: Step) -> None:
        sign = " := " if step.assigns else " = "
        latex = sign.join(side.latex for side in step.equation())
        colour = self.palette().color(QPalette.ColorRole.Text).name()
        size_px = (self.fontInfo().pixelSize() or 14) * 1.15
        image = render_formula(latex, size_px, colour, self.devicePixelRatioF(), display=True)
        self.formula.setPixmap(QPixmap.fromImage(image))
        self.formula.setAccessibleDescription(sign.join(side.text for side in step.equation()))
