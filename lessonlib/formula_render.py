"""The formula as the page draws it, without Qt: LaTeX to MathML (ziamath's own `tex2mml`),
corrected, then drawn by ziamath as SVG. The checker draws through the same two functions,
so what it passes is what the learner sees.

ziamath's default SVG 2 output renders blank in Qt (QSvgRenderer still says it is valid),
so `ziamath.config.svg2` is switched off before anything is drawn.

Two faults of ziamath 0.13 are corrected in the MathML before it is drawn (`formula_mathml`):
- A large operator (Σ, Π…) is marked stretchy in its operator table. Inside `\\left( …
  \\right)` ziamath measures the row without its stretchy members to size the fences; a Σ
  with a subscript only then has an empty box (±999 units) and the fences grow to 2,000 px.
  A large operator has its own display size and is never stretched by TeX either, so it is
  marked not stretchy.
- A minus (or plus) that starts a row or follows an opening fence, a relation or another
  operator (`(-0.6)`, `= -0.4`) is a sign, not a subtraction, but ziamath spaces every `−`
  as a binary operator unless its MathML says `form="prefix"`.
Formulas inside prose are drawn in text style (a Σ keeps its limits at its side and a
fraction is small), so an inline formula does not push its line apart; only a display
formula (`$$…$$` on its own) is drawn in display style.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

# MathML elements whose children are laid out one after the other, as a row; in any other
# element (msub, mfrac…) each child is an argument on its own.
ROW_ELEMENTS = {"math", "mrow", "mstyle", "mtd", "msqrt", "mpadded", "mphantom", "menclose"}
SIGNS = {"−", "-", "+", "±", "∓"}
# After these a sign is a subtraction again: closing fences and postfix operators end an
# operand, as in `(a) - b` or `n! - 1`.
ENDS_OPERAND = set(")]}|‖⟩⌉⌋!′″%°")


def local_name(tag: str) -> str:
    """`mfrac` of `{http://www.w3.org/1998/Math/MathML}mfrac`."""
    return tag.rsplit("}", 1)[-1]


def formula_mathml(latex: str, display: bool) -> ET.Element:
    """The MathML ziamath draws for `latex`, with its two faults corrected (module doc)."""
    from ziamath import operators
    from ziamath.tex import tex2mml

    root = ET.fromstring(tex2mml(latex, inline=not display))
    for parent in root.iter():
        in_row = local_name(parent.tag) in ROW_ELEMENTS
        before: ET.Element | None = None  # the previous child that is not a space
        for child in parent:
            if local_name(child.tag) == "mo":
                text = (child.text or "").strip()
                if operators.get_params(text, "prefix").get("largeop") == "true":
                    child.set("stretchy", "false")
                if in_row and text in SIGNS and _starts_operand(before):
                    child.set("form", "prefix")
            if local_name(child.tag) != "mspace":
                before = child
    return root


def _starts_operand(before: ET.Element | None) -> bool:
    """Whether what comes after `before` in a row is a new operand (a sign may start it)."""
    if before is None:
        return True
    if local_name(before.tag) != "mo" or before.get("form") == "postfix":
        return False
    return (before.text or "").strip() not in ENDS_OPERAND


def svg_of_mathml(mathml: ET.Element, size_px: float, colour: str) -> str:
    """`mathml` (from `formula_mathml`) drawn by ziamath as SVG 1.1, in `colour`."""
    import ziamath

    ziamath.config.svg2 = False
    mathml.set("mathcolor", colour)
    return ziamath.Math(mathml, size=size_px).svg()


def formula_svg(latex: str, size_px: float, colour: str, display: bool = True) -> str:
    """The formula as the page draws it, as SVG text; raises what ziamath raises."""
    return svg_of_mathml(formula_mathml(latex, display), size_px, colour)
