"""Tables keep exactly the cells their author wrote: the `|` of a glossary term or a formula
does not split a cell (lessonlib/markdown_tables.py), a formula in a cell is drawn, and a
right-to-left page gets each row's cells in reverse order."""

import re

from hafiza.lessonlib import parse_markdown
from hafiza.lessonlib.markdown_tables import HIDDEN_PIPE, mirror_table_columns
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR

TABLE = """# T

| Variant | Term | Formula |
|---|---|---|
| batch | [[mini-batch|دستهٔ کوچک]] (mini-batch) | $|x| + y$ |
| [[stochastic gradient descent|گرادیان کاهشی تصادفی]] (SGD) | one | $\\left| a \\right|$ |
"""


def table_of(source, **kwargs):
    document = parse_markdown(source, **kwargs)
    tables = [b for b in document.blocks if getattr(b, "kind", "") == "table"]
    assert len(tables) == 1, document.blocks
    return tables[0], document


def rows(html):
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", html)]


def test_glossary_terms_and_formulas_keep_their_cell():
    table, document = table_of(TABLE)
    cells = rows(table.html)
    assert [len(row) for row in cells] == [3, 3, 3]
    assert cells[1][1] == '<a href="glossary:mini-batch">دستهٔ کوچک</a> (mini-batch)'
    assert cells[2][0].startswith('<a href="glossary:stochastic gradient descent">')
    assert table.formulas == ["|x| + y", "\\left| a \\right|"]
    assert cells[1][2].startswith('<img src="formula:0"')
    assert "[[" not in table.html and HIDDEN_PIPE not in table.html
    assert document.problems == []


def test_dollars_that_are_not_a_formula_still_separate_cells():
    table, _document = table_of("| a | b | c |\n|---|---|---|\n| $5 | $10 | 3 |\n")
    assert rows(table.html)[1] == ["$5", "$10", "3"]


def test_an_escaped_pipe_and_pipes_outside_tables_are_as_before():
    table, _document = table_of("| a | b |\n|---|---|\n| x \\| y | [[t|shown]] |\n")
    assert rows(table.html)[1] == ["x | y", '<a href="glossary:t">shown</a>']
    document = parse_markdown("# T\n\nA [[t|shown]] and $|x|$ in prose.\n")
    paragraph = document.blocks[1]
    assert 'href="glossary:t">shown</a>' in paragraph.html
    assert paragraph.formulas == ["|x|"]


def test_the_course_tables_keep_the_columns_of_their_header():
    """Lesson 2's table in fa, ar, ary and arz holds glossary terms with labels."""
    for tag in ("fa", "ar", "ary", "arz", "en"):
        path = BUILTIN_LESSONS_DIR / "how-networks-learn" / f"{tag}.md"
        table, _document = table_of(path.read_text(encoding="utf-8"))
        counts = [len(row) for row in rows(table.html)]
        assert counts == [3] * len(counts), (tag, counts)
        assert "[[" not in table.html and "]]" not in table.html


def test_mirroring_reverses_each_rows_cells_and_nothing_else():
    table, _document = table_of(TABLE)
    mirrored = mirror_table_columns(table.html)
    assert rows(mirrored) == [list(reversed(row)) for row in rows(table.html)]
    assert mirror_table_columns("<p>1 | 2</p>") == "<p>1 | 2</p>"
