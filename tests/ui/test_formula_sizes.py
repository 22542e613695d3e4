"""Formulas are as tall as what they hold: `\\left( \\sum_i … \\right)` once drew 2,000 px
parentheses, a sign was spaced as a subtraction, and an inline Σ pushed its line apart."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hafiza.lessonlib import model
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR
from hafiza.lessonlib.parser import parse_markdown
from hafiza.ui.blocks.formula import FormulaWidget, formula_mathml, formula_svg, render_formula
from hafiza.ui.blocks.text import TextBlockWidget

SIZE = 16  # px, the page's default text size
DISPLAY_SIZE = SIZE * 1.2  # what FormulaWidget draws a display formula at
# A display formula may hold a fraction with a Σ below it (about 3.5 lines); a line break
# (\\ in an align or a matrix) allows one more such line.
LINES_PER_ROW = 4
NEVER_TALLER = 200  # px, no formula of the course at the default size
INLINE_LINES = 2.5  # an inline formula stays about within its line and the next


def lesson_formulas() -> set[tuple[str, bool]]:
    """(LaTeX, display) of every formula of every shipped lesson, in every variety."""
    found: set[tuple[str, bool]] = set()

    def walk(blocks):
        for block in blocks:
            if isinstance(block, model.FormulaBlock):
                found.add((block.latex, True))
            elif isinstance(block, (model.TextBlock, model.QuizBlock)):
                found.update((latex, False) for latex in block.formulas)
            elif isinstance(block, model.AdmonitionBlock):
                walk(block.blocks)

    for path in sorted(Path(BUILTIN_LESSONS_DIR).glob("*/*.md")):
        document = parse_markdown(path.read_text("utf-8"), path, path.parent, variety=path.stem)
        walk(document.blocks)
    return found


def svg_width(latex: str, display: bool = False) -> float:
    return float(re.search(r'width="([\d.]+)"', formula_svg(latex, SIZE, "#000", display))[1])


def test_every_lesson_formula_is_as_tall_as_its_content(qapp):
    formulas = lesson_formulas()
    assert len(formulas) > 300  # the course has formulas in every variety
    too_tall = []
    for latex, display in sorted(formulas):
        rows = 1 + latex.count(r"\\")
        size = DISPLAY_SIZE if display else SIZE
        bound = size * (LINES_PER_ROW * rows if display else INLINE_LINES * rows)
        height = render_formula(latex, size, "#000000", 1.0, display).height()
        if height > min(bound, NEVER_TALLER):
            too_tall.append((height, latex))
    assert too_tall == []


@pytest.mark.parametrize("latex", [
    r"y = \operatorname{sign}\left(\sum_{i} w_i x_i + b\right)",
    r"a^{l}_{i} = f\left(\sum_{j} W^{l}_{i,j}\, a^{l-1}_{j} + b^{l}_{i}\right)",
    r"\left(\prod_{t} x_t\right)",
])
def test_fences_around_a_large_operator_fit_it(qapp, latex):
    display = render_formula(latex, DISPLAY_SIZE, "#000000", 1.0, True)
    inline = render_formula(latex, SIZE, "#000000", 1.0, False)
    assert display.height() <= 3.5 * DISPLAY_SIZE  # was 1,985 px
    assert inline.height() <= 2 * SIZE


def test_a_large_operator_is_never_stretched_to_its_row():
    root = formula_mathml(r"\left(\sum_i w_i\right)", display=True)
    sums = [mo for mo in root.iter() if mo.tag.endswith("mo") and mo.text == "\u2211"]
    assert [mo.get("stretchy") for mo in sums] == ["false"]


@pytest.mark.parametrize("latex, signs", [
    ("(-0.6)", ["prefix"]),
    ("x = -0.4", ["prefix"]),
    ("f(a, -b)", ["prefix"]),
    (r"\left( -x \right)", ["prefix"]),
    ("-x + 1", ["prefix", None]),
    ("a - b", [None]),
    ("(a) - b", [None]),
    ("x^2 - 1", [None]),
    ("n! - 1", [None]),
    (r"a \, - b", [None]),
])
def test_a_sign_is_told_from_a_subtraction(latex, signs):
    root = formula_mathml(latex, display=False)
    found = [mo.get("form") for mo in root.iter()
             if mo.tag.endswith("mo") and mo.text in ("\u2212", "+")]
    assert found == signs


def test_a_sign_is_drawn_close_to_its_number():
    sign = svg_width("(-0.6)") - svg_width("(0.6)")
    subtraction = svg_width("a-b") - svg_width("ab")
    glyph = svg_width("-x") - svg_width("x")  # a minus that starts a formula: a sign
    assert sign == pytest.approx(glyph, abs=1)
    assert sign < subtraction - 4  # no medium space on both sides


def test_inline_sum_keeps_its_limits_beside_it():
    latex = r"J = \frac{1}{m} \sum_{k=1}^{m} (y_k - \hat{y}_k)^2"
    inline = render_formula(latex, SIZE, "#000000", 1.0, False)
    display = render_formula(latex, SIZE, "#000000", 1.0, True)
    assert inline.height() < 0.7 * display.height()


def _list_widget(markdown: str, qtbot) -> TextBlockWidget:
    block = parse_markdown(markdown, "t.md", variety="fa").blocks[0]
    widget = TextBlockWidget(block.html, Qt.LayoutDirection.RightToLeft, block.formulas,
                             block.kind)
    qtbot.addWidget(widget)
    widget.resize(700, 100)
    return widget


def test_a_sum_in_a_bullet_does_not_push_the_line_apart(qtbot):
    plain = _list_widget("- آنتروپی متقاطع: J برابر است با میانگین خطا\n", qtbot)
    formula = _list_widget("- آنتروپی متقاطع: $J = -\\frac{1}{m} \\sum_{k=1}^{m} y_k \\log "
                           "\\hat{y}_k$\n", qtbot)
    assert formula.height() <= 1.5 * plain.height()


def test_display_formula_widget_is_drawn_in_display_style(qtbot):
    widget = FormulaWidget(r"\sum_{i=1}^{n} x_i")
    qtbot.addWidget(widget)
    inline = render_formula(r"\sum_{i=1}^{n} x_i", SIZE * 1.2, "#000000", 1.0, False)
    assert widget.image.height() / widget.image.devicePixelRatio() > inline.height()
