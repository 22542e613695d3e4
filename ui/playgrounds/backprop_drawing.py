"""The drawing of the backpropagation playground's 2-2-1 network: inputs, hidden neurons, the
output and the loss, left to right in every language (a diagram, like a plot, does not
mirror). It shows what the steps so far have computed: values under the nodes, gradients in
their own colour under those, each weight on its edge (old → new once updated), and the node
or edge of the current step highlighted. All numbers come from engine.playgrounds.backprop."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QTextOption
from PySide6.QtWidgets import QSizePolicy, QWidget

from hafiza.engine.playgrounds.backprop import NEURONS, PARAMETER_BY_NAME, PARAMETERS, Step, Walk
from hafiza.ui.i18n import _
from hafiza.ui.plots import LEFT_TO_RIGHT_MARK, plot_number
from hafiza.ui.theme import is_dark

# Where each node sits, as fractions of the width and height (left to right: the flow).
POSITIONS = {"x1": (0.07, 0.3), "x2": (0.07, 0.74), "h1": (0.4, 0.3), "h2": (0.4, 0.74),
             "out": (0.72, 0.52), "loss": (0.93, 0.52)}
LABELS = {"x1": "x₁", "x2": "x₂", "h1": "h₁", "h2": "h₂", "out": "ŷ", "loss": "L"}
RADIUS = 17
DECIMALS = 3
ARROW = "\u2192"  # old -> new, in a left-to-right drawing


def short(value: float) -> str:
    """A value in the reader's digits, at most three decimals, no trailing zeros, never
    "−0"; a negative keeps its minus on its left in a left-to-right line (plot_number)."""
    rounded = round(value, DECIMALS) or 0.0
    decimals = len(f"{abs(rounded):.{DECIMALS}f}".rstrip("0").split(".")[1])
    return plot_number(rounded, decimals)


def gradient_ink() -> QColor:
    """The colour of gradients, readable on the theme's background (4.5:1 or more)."""
    return QColor("#ffb366" if is_dark() else "#a8470a")


class NetworkDrawing(QWidget):
    """Draws ``walk`` as it stands after step ``index`` (-1: before the first step)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backprop-drawing")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setMinimumSize(300, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.walk: Walk | None = None
        self.index = -1

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, 230)

    def show_walk(self, walk: Walk, index: int) -> None:
        self.walk, self.index = walk, index
        self.setAccessibleDescription(self.describe())
        self.update()

    def done(self) -> list[Step]:
        """The steps computed so far, the current one included."""
        return [] if self.walk is None else self.walk.steps[: self.index + 1]

    def current(self) -> Step | None:
        return self.walk.steps[self.index] if self.walk is not None and self.index >= 0 \
            else None

    def describe(self) -> str:
        """What the drawing shows, for a screen reader."""
        step = self.current()
        return _("A network with two inputs, two hidden neurons and one output.") if step is None \
            else step.symbol.text

    # -- what is known ---------------------------------------------------------------------
    def node_lines(self) -> dict[str, tuple[list[str], list[str]]]:
        """Each node's (values, gradients) as lines of text, from the steps done so far."""
        network = self.walk.network
        lines: dict[str, tuple[list[str], list[str]]] = {node: ([], []) for node in POSITIONS}
        for j in NEURONS:
            lines[f"x{j}"][0].append(short(network.inputs[j - 1]))
        lines["loss"][0].append(f"y = {short(network.target)}")
        for step in self.done():
            values, gradients = lines.get(step.node, ([], []))
            if step.kind in ("sum", "activation", "output"):
                values.append(f"{step.symbol.text.rstrip('¹²₁₂')} = {short(step.value)}")
            elif step.kind == "loss":
                values.append(f"L = {short(step.value)}")
            elif step.kind == "check":
                values[-1] = f"L = {short(step.before)} {ARROW} {short(step.value)}"
            elif step.kind in ("loss_gradient", "hidden_gradient", "slope_gradient"):
                by = step.symbol.text.split("∂")[-1].rstrip("¹²₁₂")
                gradients.append(f"∂L/∂{by} = {short(step.value)}")
        return lines

    def parameter_texts(self) -> dict[str, str]:
        """Each weight's and bias's value, "old → new" once its update step is done."""
        old = self.walk.network.parameters()
        texts = {name: short(value) for name, value in old.items()}
        for step in self.done():
            if step.kind == "update":
                texts[step.node] = f"{short(old[step.node])} {ARROW} {short(step.value)}"
        return texts

    # -- drawing -------------------------------------------------------------------------------
    def _point(self, node: str) -> QPointF:
        fx, fy = POSITIONS[node]
        margin = 8
        return QPointF(margin + fx * (self.width() - 2 * margin),
                       margin + fy * (self.height() - 2 * margin))

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if self.walk is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ink, accent = palette.color(QPalette.ColorRole.Text), \
            palette.color(QPalette.ColorRole.Highlight)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        step = self.current()
        lit = step.node if step is not None else None
        texts = self.parameter_texts()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.9))
        painter.setFont(small)
        for parameter in PARAMETERS:  # the weights: edges with their values
            if parameter.source is None:
                continue
            start, end = self._point(parameter.source), self._point(parameter.into)
            on = parameter.name == lit
            painter.setPen(QPen(accent if on else ink, 3 if on else 1))
            painter.drawLine(start, end)
            label = start + (end - start) * 0.68
            self._text(painter, label, texts[parameter.name], accent if on else ink, bold=on)
        loss_on = lit == "loss"
        painter.setPen(QPen(accent if loss_on else ink, 3 if loss_on else 1,
                            Qt.PenStyle.DashLine))
        painter.drawLine(self._point("out"), self._point("loss"))
        lines = self.node_lines()
        for node, (values, gradients) in lines.items():
            centre = self._point(node)
            bias = PARAMETER_BY_NAME.get(f"b1_{node[1]}" if node in ("h1", "h2") else
                                         "b2_1" if node == "out" else "")
            on = node == lit or (bias is not None and bias.name == lit)
            painter.setPen(QPen(accent if on else ink, 3 if on else 1.2))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawEllipse(centre, RADIUS, RADIUS)
            self._text(painter, centre, LABELS[node], accent if on else ink, bold=True)
            if bias is not None:
                self._text(painter, centre - QPointF(0, RADIUS + 9),
                           f"{bias.symbol.text} = {texts[bias.name]}",
                           accent if bias.name == lit else ink, bold=bias.name == lit)
            below = centre.y() + RADIUS + 9
            for text, colour in [(t, ink) for t in values] + \
                    [(t, gradient_ink()) for t in gradients]:
                self._text(painter, QPointF(centre.x(), below), text, colour)
                below += painter.fontMetrics().height()
        painter.end()

    def _text(self, painter: QPainter, centre: QPointF, text: str, colour: QColor,
              bold: bool = False) -> None:
        """``text`` centred on ``centre``, on the background so crossing lines stay readable,
        kept inside the widget."""
        font = painter.font()
        font.setBold(bold)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width, height = metrics.horizontalAdvance(text) + 4, metrics.height()
        left = min(max(0.0, centre.x() - width / 2), self.width() - width)
        box = QRectF(left, centre.y() - height / 2, width, height)
        painter.fillRect(box, self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(colour)
        # Left to right whatever the letters: "z = ٠٫٤٥" keeps its order in every variety.
        option = QTextOption(Qt.AlignmentFlag.AlignCenter)
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        painter.drawText(box, LEFT_TO_RIGHT_MARK + text, option)
