"""What bench/fuzz_lessons.py found, each kept as a test.

A text that turns into formulas (one `$$` left open makes the rest of a lesson a formula)
is not drawn: drawing costs about a millisecond a character, in the checker and on the GUI
thread; one mutated lesson held the checker for 189 s. Nor is a formula nested too deep,
nor a figure path longer than file systems allow."""

from __future__ import annotations

from conftest import ROOT

from hafiza.lessonlib.model import FormulaBlock
from hafiza.lessonlib.parse_state import MAX_FORMULA_CHARS, MAX_FORMULA_CHARS_PER_TEXT
from hafiza.lessonlib.parser import parse_markdown


def _parse(text: str):
    return parse_markdown(text, "en.md", None, None, "en")


def _formulas(document) -> list[str]:
    found = []
    for block in document.blocks:
        found.extend(getattr(block, "formulas", []))
        if isinstance(block, FormulaBlock):
            found.append(block.latex)
    return found


def test_a_formula_longer_than_the_limit_is_shown_as_text_with_a_problem():
    long = "x + " * (MAX_FORMULA_CHARS // 4 + 10)
    document = _parse(f"Before ${long}$ after.\n\n$$\n{long}\n$$\n")
    assert _formulas(document) == []  # nothing for the renderer
    messages = [p.message for p in document.problems]
    assert sum("at most 400 are drawn" in m for m in messages) == 2
    assert "x + x + x" in document.blocks[0].html  # the learner still sees the text


def test_a_text_with_more_formula_than_the_budget_draws_the_first_ones_only():
    piece = "a_{1} + b^{2} + " * 10  # 160 characters, as long as the course's longest
    count = MAX_FORMULA_CHARS_PER_TEXT // len(piece) + 5
    document = _parse("\n\n".join(f"Line ${piece}$." for _ in range(count)))
    drawn = _formulas(document)
    assert sum(map(len, drawn)) <= MAX_FORMULA_CHARS_PER_TEXT
    assert len(drawn) == MAX_FORMULA_CHARS_PER_TEXT // len(piece)
    assert [p.message for p in document.problems].count(
        f"the formulas of this text pass {MAX_FORMULA_CHARS_PER_TEXT} characters; the rest "
        "are shown as text (a `$` left open?)") == 1


def test_the_fuzzers_lesson_with_an_open_display_formula_is_drawn_within_the_budget():
    """tests/fixtures/fuzz/open-display-formula.md: a built-in lesson as bench/fuzz_lessons.py
    mutated it (seed 0, mutation 8389). Its checker run took 189 s: a `$$` opened and never
    closed turned 1,653 characters of prose into one formula. Now 0.5 s."""
    text = (ROOT / "tests" / "fixtures" / "fuzz" / "open-display-formula.md").read_text(
        encoding="utf-8")
    document = _parse(text)
    assert sum(map(len, _formulas(document))) <= MAX_FORMULA_CHARS_PER_TEXT
    assert any(p.message.startswith("this formula has 1653 characters")
               for p in document.problems)


def test_a_formula_nested_beyond_the_limit_is_not_drawn():
    """Also from the fuzzer (seed 0, mutation 9275): `W{{{…{_y h_t)`, fifty `{` never
    closed. Each level doubles ziamath's work: twelve took 13 s."""
    from hafiza.lessonlib.parse_state import MAX_FORMULA_DEPTH, formula_depth

    assert formula_depth(r"\left( \frac{a}{b^{2}} \right)") == 3
    assert formula_depth(r"\{ x \} + a_{1}") == 1  # escaped braces are characters
    deep = "W" + "{" * 50 + "_y h_t"
    fine = "a" + "^{b" * MAX_FORMULA_DEPTH + "}" * MAX_FORMULA_DEPTH
    document = _parse(f"$${deep}$$\n\nAnd ${fine}$ stays.\n")
    assert _formulas(document) == [fine]
    assert [p.message for p in document.problems] == [
        f"this formula nests 50 levels deep; at most {MAX_FORMULA_DEPTH} are drawn"]


def test_an_image_path_longer_than_file_systems_allow_is_a_problem_not_a_crash(tmp_path):
    """From the fuzzer (seed 0, mutation 2593): a figure name of 1,800 characters made
    `stat` raise "File name too long" out of the parser."""
    from hafiza.lessonlib.parser import parse_markdown

    name = "%60" * 600 + "rnn-unrolled.svg"
    document = parse_markdown(f"![a figure](figures/{name})\n", tmp_path / "en.md", tmp_path,
                              None, "en")
    assert [p.message for p in document.problems] == [
        f"image path {('figures/' + name)[:60]!r}… is too long"]
