"""Draws the built-in lessons' figures as SVG files: symbols, no prose, except where a figure
names things (the activation functions), which it then does once per variety.

    python tools/figures.py          # writes lessons/<id>/figures/*.svg

Each figure sits on a white card so it reads in the light and the dark theme alike, and uses
only SVG Tiny features that Qt's SVG renderer draws (no filters, no CSS, no foreignObject).
Subscripts are Unicode characters (x₁, hₜ₋₁), which DejaVu Sans and Noto Sans have.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hafiza.ui.colours import BLUE, GREEN, MUTED, ORANGE, RED  # noqa: E402
from hafiza.varieties import is_rtl  # noqa: E402

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
INK = "#1f2933"
FILL = "#eef3fb"
FONT = "DejaVu Sans, Noto Sans, sans-serif"
ARABIC_FONT = "Noto Sans Arabic, DejaVu Sans, sans-serif"

# The activation functions' names, as each variety's lesson calls them in its headings
# (ReLU and tanh are written the same everywhere). The learner reads the figure in their
# own language: activations.<tag>.svg, linked from lessons/neurons-activations/<tag>.md.
ACTIVATION_NAMES = {
    "en": ("binary step", "linear", "ReLU", "sigmoid", "tanh"),
    "ar": ("الخطوة الثنائية", "الخطية", "ReLU", "السيغمويدية", "tanh"),
    "ary": ("الدرجة الثنائية", "الخطية", "ReLU", "السيغمويد", "tanh"),
    "arz": ("الخطوة الثنائية", "الخطّية", "ReLU", "السيجمويد", "tanh"),
    "fa": ("پله‌ای دودویی", "خطی", "ReLU", "سیگموید", "tanh"),
}


class Svg:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = [
            f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="10" '
            f'fill="#ffffff" stroke="#d9e2ec"/>'
        ]

    def line(self, x1, y1, x2, y2, color=INK, width=1.6, arrow=False, dash=None):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{color}" stroke-width="{width}"{extra}/>'
        )
        if arrow:
            self.arrow_head(x1, y1, x2, y2, color)

    def arrow_head(self, x1, y1, x2, y2, color=INK, size=8):
        angle = math.atan2(y2 - y1, x2 - x1)
        left = (x2 - size * math.cos(angle - 0.4), y2 - size * math.sin(angle - 0.4))
        right = (x2 - size * math.cos(angle + 0.4), y2 - size * math.sin(angle + 0.4))
        self.parts.append(
            f'<polygon points="{x2:.1f},{y2:.1f} {left[0]:.1f},{left[1]:.1f} '
            f'{right[0]:.1f},{right[1]:.1f}" fill="{color}"/>'
        )

    def arrow(self, x1, y1, x2, y2, color=INK, width=1.6, gap=0.0):
        """An arrow from (x1, y1) to (x2, y2), shortened by `gap` at both ends."""
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        self.line(x1 + dx * gap, y1 + dy * gap, x2 - dx * gap, y2 - dy * gap, color, width,
                  arrow=True)

    def circle(self, x, y, r, fill=FILL, stroke=BLUE, width=1.6):
        self.parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{width}"/>'
        )

    def box(self, x, y, w, h, fill=FILL, stroke=BLUE, rx=6, width=1.6):
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"/>'
        )

    def text(self, x, y, content, size=15, color=INK, anchor="middle", weight="normal",
             italic=False):
        style = ' font-style="italic"' if italic else ""
        font = ARABIC_FONT if any("\u0600" <= ch <= "\u06ff" for ch in content) else FONT
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family="{font}" font-size="{size}" '
            f'fill="{color}" text-anchor="{anchor}" font-weight="{weight}"{style}>'
            f"{escape(content)}</text>"
        )

    def polyline(self, points, color=BLUE, width=2.0, dash=None):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{color}" '
            f'stroke-width="{width}"{extra}/>'
        )

    def path(self, d, color=INK, width=1.6, fill="none"):
        self.parts.append(f'<path d="{d}" fill="{fill}" stroke="{color}" stroke-width="{width}"/>')

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n  ".join(self.parts)
        path.write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{self.width}" '
            f'height="{self.height}" viewBox="0 0 {self.width} {self.height}">\n  {body}\n'
            f"</svg>\n",
            encoding="utf-8",
        )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def neuron() -> Svg:
    svg = Svg(620, 260)
    inputs = [("x₁", "w₁", 60), ("x₂", "w₂", 130), ("x₃", "w₃", 200)]
    for name, weight, y in inputs:
        svg.circle(70, y, 22)
        svg.text(70, y + 5, name, 16, italic=True)
        svg.arrow(70, y, 300, 130, gap=24)
        svg.text(190, (y + 130) / 2 - 6, weight, 14, BLUE, italic=True)
    svg.circle(300, 130, 34, stroke=ORANGE)
    svg.text(300, 138, "Σ", 24, ORANGE)
    svg.text(300, 196, "z = Σ wᵢxᵢ + b", 14, MUTED)
    svg.arrow(300, 40, 300, 94, ORANGE)
    svg.text(300, 32, "b", 16, ORANGE, italic=True)
    svg.arrow(334, 130, 420, 130, gap=2)
    svg.box(420, 105, 60, 50, stroke=GREEN)
    svg.text(450, 137, "f(z)", 16, GREEN, italic=True)
    svg.arrow(480, 130, 560, 130, gap=2)
    svg.text(580, 136, "y", 18, italic=True, weight="bold")
    return svg


def activations(tag: str = "en") -> Svg:
    """The five functions side by side, each named in the variety's words: in reading order
    (right to left for a right-to-left variety), while each plot's own axes stay left to
    right."""
    curves = [
        (lambda z: 1.0 if z >= 0 else 0.0, (-0.2, 1.2)),
        (lambda z: z, (-3.2, 3.2)),
        (lambda z: max(0.0, z), (-0.5, 3.2)),
        (lambda z: 1 / (1 + math.exp(-z)), (-0.2, 1.2)),
        (math.tanh, (-1.2, 1.2)),
    ]
    functions = [(name, f, bounds) for name, (f, bounds)
                 in zip(ACTIVATION_NAMES[tag], curves, strict=True)]
    step = functions[0]
    if is_rtl(tag):
        functions.reverse()
    panel_w, panel_h = 170, 170
    svg = Svg(20 + panel_w * len(functions) + 10 * (len(functions) - 1) + 20, panel_h + 70)
    for index, (name, f, (low, high)) in enumerate(functions):
        left = 20 + index * (panel_w + 10)
        top = 20
        svg.box(left, top, panel_w, panel_h, fill="#fbfcfe", stroke="#d9e2ec", rx=4)

        def to_px(z, value, left=left, top=top, low=low, high=high):
            x = left + 10 + (z + 3) / 6 * (panel_w - 20)
            y = top + panel_h - 10 - (value - low) / (high - low) * (panel_h - 20)
            return x, y

        x0, y_zero = to_px(0, 0)
        svg.line(left + 8, y_zero, left + panel_w - 8, y_zero, MUTED, 1)
        svg.line(x0, top + 8, x0, top + panel_h - 8, MUTED, 1)
        if (name, f, (low, high)) == step:  # two flat pieces and the jump between them
            svg.polyline([to_px(-3, 0), to_px(0, 0)], BLUE, 2.4)
            svg.polyline([to_px(0, 1), to_px(3, 1)], BLUE, 2.4)
            svg.line(*to_px(0, 0), *to_px(0, 1), BLUE, 1, dash="3,3")
        else:
            points = [to_px(z / 20, f(z / 20)) for z in range(-60, 61)]
            svg.polyline(points, BLUE, 2.4)
        svg.text(left + panel_w / 2, top + panel_h + 26, name, 15, weight="bold")
    return svg


def network_layers() -> Svg:
    svg = Svg(560, 300)
    layers = [(90, 3, "x"), (280, 4, "h"), (470, 2, "ŷ")]
    positions = []
    for x, count, _symbol in layers:
        ys = [150 + (i - (count - 1) / 2) * 62 for i in range(count)]
        positions.append([(x, y) for y in ys])
    for a, b in zip(positions, positions[1:], strict=False):
        for x1, y1 in a:
            for x2, y2 in b:
                svg.arrow(x1, y1, x2, y2, MUTED, 1.1, gap=22)
    for (_x, _count, symbol), nodes in zip(layers, positions, strict=True):
        for i, (nx, ny) in enumerate(nodes, 1):
            svg.circle(nx, ny, 20, stroke=ORANGE if symbol == "h" else BLUE)
            svg.text(nx, ny + 5, f"{symbol}{subscript(i)}", 14, italic=True)
    svg.text(185, 30, "W⁽¹⁾, b⁽¹⁾", 15, ORANGE, italic=True)
    svg.text(375, 30, "W⁽²⁾, b⁽²⁾", 15, ORANGE, italic=True)
    svg.arrow(120, 285, 440, 285, GREEN, 1.8)
    svg.text(280, 276, "forward pass", 13, GREEN)
    return svg


def gradient_descent() -> Svg:
    svg = Svg(620, 280)
    # J(w) = w², so one step is w := w − α·2w = (1 − 2α)·w.
    panels = [(20, "α = 0.1", descent(2.6, 0.1, 7), GREEN),
              (320, "α = 1.15", descent(1.2, 1.15, 4), RED)]
    for left, label, path, color in panels:
        svg.box(left, 20, 280, 230, fill="#fbfcfe", stroke="#d9e2ec", rx=4)

        def to_px(w, left=left):
            x = left + 140 + w * 40
            y = 220 - (w * w) * 18
            return x, y

        curve = [to_px(w / 10) for w in range(-33, 34)]
        svg.polyline(curve, BLUE, 2.2)
        for a, b in zip(path, path[1:], strict=False):
            svg.arrow(*to_px(a), *to_px(b), color, 1.6)
        for w in path:
            svg.circle(*to_px(w), 4, fill=color, stroke=color, width=1)
        svg.text(left + 140, 242, label, 15, color, weight="bold")
        svg.text(left + 24, 40, "J(w)", 13, MUTED, italic=True, anchor="start")
    svg.text(310, 272, "w := w − α ∂J/∂w", 14, INK, italic=True)
    return svg


def descent(start: float, rate: float, count: int) -> list[float]:
    points = [start]
    for _ in range(count - 1):
        points.append(points[-1] * (1 - 2 * rate))
    return points


def subscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋"))


def rnn_cell(svg: Svg, x, y, label="RNN", color=ORANGE, w=70, h=46):
    svg.box(x - w / 2, y - h / 2, w, h, stroke=color)
    svg.text(x, y + 5, label, 14, color, weight="bold")


def rnn_unrolled() -> Svg:
    svg = Svg(700, 280)
    # folded: a cell with a loop
    rnn_cell(svg, 100, 140)
    svg.path("M 135 130 C 175 100, 175 70, 100 70 C 40 70, 40 100, 70 125", ORANGE, 1.6)
    svg.arrow_head(60, 110, 70, 125, ORANGE)
    svg.text(172, 92, "hₜ₋₁", 13, ORANGE, italic=True, anchor="start")
    svg.arrow(100, 230, 100, 163, gap=0)
    svg.text(100, 250, "xₜ", 15, italic=True)
    svg.arrow(100, 117, 100, 40, gap=0)
    svg.text(122, 36, "yₜ", 15, italic=True, anchor="start")
    svg.text(220, 146, "=", 28, MUTED)
    labels = ["t−1", "t", "t+1"]
    for i, t in enumerate(labels):
        x = 330 + i * 140
        rnn_cell(svg, x, 140)
        svg.arrow(x, 230, x, 163)
        svg.text(x, 252, f"x{to_sub(t)}", 15, italic=True)
        svg.arrow(x, 117, x, 60)
        svg.text(x, 48, f"y{to_sub(t)}", 15, italic=True)
        if i < 2:
            svg.arrow(x + 35, 140, x + 105, 140, ORANGE)
            svg.text(x + 70, 132, f"h{to_sub(t)}", 13, ORANGE, italic=True)
    svg.arrow(250, 140, 295, 140, ORANGE)
    svg.arrow(645, 140, 690, 140, ORANGE)
    return svg


def to_sub(text: str) -> str:
    return text.translate(str.maketrans("0123456789+-−t", "₀₁₂₃₄₅₆₇₈₉₊₋₋ₜ"))


def rnn_shapes() -> Svg:
    svg = Svg(900, 270)
    shapes = [("one to one", [1], [1]), ("one to many", [1, 0, 0], [1, 1, 1]),
              ("many to one", [1, 1, 1], [0, 0, 1]), ("many to many", [1, 1, 1], [1, 1, 1])]
    left = 20
    for name, inputs, outputs in shapes:
        steps = len(inputs)
        width = 60 + 60 * steps
        for i in range(steps):
            x = left + 50 + i * 60
            svg.box(x - 20, 115, 40, 34, stroke=ORANGE)
            if inputs[i]:
                svg.box(x - 16, 190, 32, 26, stroke=BLUE)
                svg.arrow(x, 190, x, 149)
            if outputs[i]:
                svg.box(x - 16, 48, 32, 26, stroke=GREEN)
                svg.arrow(x, 115, x, 74)
            if i < steps - 1:
                svg.arrow(x + 20, 132, x + 40, 132, ORANGE)
        svg.text(left + 50 + (steps - 1) * 30, 250, name, 14, weight="bold")
        left += width + 10
    return svg


def language_model() -> Svg:
    svg = Svg(720, 300)
    tokens = ["x₁", "x₂", "x₃", "x₄"]
    for i, token in enumerate(tokens):
        x = 80 + i * 130
        svg.box(x - 24, 240, 48, 30, stroke=BLUE)
        svg.text(x, 261, token, 15, italic=True)
        svg.arrow(x, 240, x, 200)
        svg.text(x + 8, 222, "E", 12, MUTED, italic=True, anchor="start")
        rnn_cell(svg, x, 177, "h" + subscript(i + 1), w=60)
        if i < 3:
            svg.arrow(x + 30, 177, x + 100, 177, ORANGE)
        svg.arrow(x, 154, x, 120)
        svg.text(x, 112, "softmax", 11, MUTED)
        # a small probability bar chart per step
        for b, value in enumerate([0.1, 0.6, 0.2, 0.1]):
            bar_h = value * 60
            svg.box(x - 26 + b * 14, 95 - bar_h - 5, 10, bar_h, fill=GREEN, stroke=GREEN,
                    rx=1, width=0.5)
        svg.text(x, 26, "ŷ" + subscript(i + 1), 14, GREEN, italic=True)
    svg.text(640, 140, "P(xₜ₊₁ | x₁…xₜ)", 14, INK, italic=True)
    svg.text(640, 165, "Jₜ = −log ŷₜ[xₜ₊₁]", 13, MUTED, italic=True)
    return svg


def lstm_cell() -> Svg:
    svg = Svg(700, 330)
    svg.box(90, 60, 520, 220, fill="#fbfcfe", stroke=ORANGE, rx=14)
    # cell state line
    svg.arrow(30, 95, 670, 95, INK, 2.2)
    svg.text(40, 85, "cₜ₋₁", 15, anchor="start", italic=True)
    svg.text(660, 85, "cₜ", 15, anchor="end", italic=True)
    # hidden state in/out
    svg.text(40, 268, "hₜ₋₁", 15, anchor="start", italic=True)
    svg.line(70, 262, 200, 262, INK, 1.6)
    svg.text(200, 318, "xₜ", 15, italic=True)
    svg.arrow(200, 305, 200, 266)
    gates = [(200, "σ", "fₜ", RED), (300, "σ", "iₜ", BLUE), (380, "tanh", "c̃ₜ", BLUE),
             (480, "σ", "oₜ", GREEN)]
    svg.line(200, 262, 480, 262, INK, 1.6)
    for x, symbol, name, color in gates:
        svg.arrow(x, 262, x, 222)
        svg.box(x - 26, 192, 52, 30, stroke=color)
        svg.text(x, 212, symbol, 14, color, weight="bold")
        svg.text(x + 30, 240, name, 13, color, italic=True, anchor="start")
    # forget multiply on the cell line
    svg.circle(200, 95, 13, fill="#ffffff", stroke=RED)
    svg.text(200, 100, "×", 16, RED)
    svg.arrow(200, 192, 200, 108)
    # input * candidate, added to the cell line
    svg.circle(340, 150, 13, fill="#ffffff", stroke=BLUE)
    svg.text(340, 155, "×", 16, BLUE)
    svg.arrow(300, 192, 332, 160)
    svg.arrow(380, 192, 348, 160)
    svg.circle(340, 95, 13, fill="#ffffff", stroke=BLUE)
    svg.text(340, 100, "+", 16, BLUE)
    svg.arrow(340, 137, 340, 108)
    # output: tanh(c) * o
    svg.box(545, 120, 52, 26, stroke=GREEN)
    svg.text(571, 138, "tanh", 12, GREEN)
    svg.line(571, 95, 571, 120, GREEN, 1.4)
    svg.circle(571, 180, 13, fill="#ffffff", stroke=GREEN)
    svg.text(571, 185, "×", 16, GREEN)
    svg.arrow(571, 146, 571, 167)
    svg.arrow(480, 192, 558, 184)
    svg.line(571, 193, 571, 262, GREEN, 1.6)
    svg.arrow(571, 262, 670, 262, GREEN)
    svg.text(660, 252, "hₜ", 15, anchor="end", italic=True)
    svg.text(240, 40, "cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ c̃ₜ", 14, INK, italic=True)
    svg.text(480, 40, "hₜ = oₜ ⊙ tanh(cₜ)", 14, INK, italic=True)
    return svg


def return_sequences() -> Svg:
    svg = Svg(720, 280)
    for left, title, all_steps, shape in [
        (20, "return_sequences=False", False, "(batch, units)"),
        (370, "return_sequences=True", True, "(batch, steps, units)"),
    ]:
        svg.box(left, 20, 330, 240, fill="#fbfcfe", stroke="#d9e2ec", rx=4)
        svg.text(left + 165, 46, title, 14, weight="bold")
        for i in range(4):
            x = left + 60 + i * 70
            rnn_cell(svg, x, 150, "h" + subscript(i + 1), w=50, h=36)
            svg.arrow(x, 215, x, 168)
            svg.text(x, 232, "x" + subscript(i + 1), 13, italic=True)
            if i < 3:
                svg.arrow(x + 25, 150, x + 45, 150, ORANGE)
            if all_steps or i == 3:
                svg.arrow(x, 132, x, 90, GREEN)
                svg.box(x - 14, 64, 28, 24, stroke=GREEN)
        svg.text(left + 165, 252, shape, 12, MUTED, italic=True)
    return svg


def imdb_pipeline() -> Svg:
    svg = Svg(800, 200)
    stages = [("text", "\u201cgreat film\u2026\u201d"), ("ids", "[1, 86, 22, …]"),
              ("pad", "[0, 0, 1, 86, …]"), ("Embedding", "10000 × 32"), ("LSTM", "64"),
              ("Dense", "σ"), ("P(+)", "0.93")]
    x = 20
    width = 96
    for i, (name, detail) in enumerate(stages):
        color = ORANGE if name in ("Embedding", "LSTM", "Dense") else BLUE
        svg.box(x, 60, width, 70, stroke=color)
        svg.text(x + width / 2, 88, name, 14, color, weight="bold")
        svg.text(x + width / 2, 112, detail, 11, MUTED)
        if i < len(stages) - 1:
            svg.arrow(x + width, 95, x + width + 12, 95)
        x += width + 12
    svg.text(400, 170, "pad_sequences(maxlen, padding=\u201cpre\u201d)  ·  num_words = 10000",
             12, MUTED)
    return svg


FIGURES = {
    "neurons-activations": {"neuron": neuron, "activations": activations,
                            **{f"activations.{tag}": (lambda tag=tag: activations(tag))
                               for tag in ACTIVATION_NAMES if tag != "en"}},
    "how-networks-learn": {"network-layers": network_layers,
                           "gradient-descent": gradient_descent},
    "sequences-rnn": {"rnn-unrolled": rnn_unrolled, "rnn-shapes": rnn_shapes},
    "language-models": {"language-model": language_model},
    "vanishing-gradients-lstm-gru": {"lstm-cell": lstm_cell},
    "rnn-in-practice": {"return-sequences": return_sequences},
    "imdb-sentiment": {"imdb-pipeline": imdb_pipeline},
}


def main() -> None:
    for lesson, figures in FIGURES.items():
        for name, draw in figures.items():
            draw().save(LESSONS / lesson / "figures" / f"{name}.svg")


if __name__ == "__main__":
    main()
