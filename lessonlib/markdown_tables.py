"""Tables keep the cells their author wrote, and read from the right in right-to-left text.

markdown-it's GFM table rule splits a row at every `|` not written `\\|`, before any inline
rule runs, so the `|` of a glossary term `[[term|shown]]` or of a formula `$|x|$` cut the
cell in two: columns shifted, one was lost, and raw `[[`, `]]` showed. Two core rules around
the block stage hide those pipes from the split: `protect_cell_pipes` replaces each one by a
NUL (markdown-it's `normalize` rule has already replaced every NUL of the text, so none is
ever the author's), and `restore_cell_pipes` puts the `|` back into every token, so the
inline rules see exactly what was written. Both are one pass over the text.

Qt's rich text lays a table's columns out left to right whatever its direction, so
`mirror_table_columns` writes each row's cells in reverse order for a right-to-left page:
the first column then stands on the right, where a reader of Arabic or Persian starts.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type here: the page imports mirror_table_columns at start-up,
    # and markdown-it loads with the first lesson (ui.course), not before the window
    from markdown_it.rules_core import StateCore

HIDDEN_PIPE = "\x00"
MAX_TERM_CHARS = 200  # a glossary term's text, shown label included

# A `$` that could open or close a formula: one not escaped by an odd number of `\`.
_DOLLAR = re.compile(r"(?<!\\)(?:\\\\)*\$")


def protect_cell_pipes(state: StateCore) -> None:
    """Hides the `|` inside `[[...]]` and `$...$` from the table rule (lines holding a `|`)."""
    if "|" not in state.src:
        return
    lines = state.src.split("\n")
    for index, line in enumerate(lines):
        if "|" in line and ("[[" in line or "$" in line):
            lines[index] = _protect_line(line)
    state.src = "\n".join(lines)


def restore_cell_pipes(state: StateCore) -> None:
    """Puts every hidden `|` back, in the text and in each token the block stage made."""
    if HIDDEN_PIPE not in state.src:
        return
    state.src = state.src.replace(HIDDEN_PIPE, "|")
    for token in state.tokens:
        for name in ("content", "info", "markup"):
            value = getattr(token, name)
            if HIDDEN_PIPE in value:
                setattr(token, name, value.replace(HIDDEN_PIPE, "|"))


def _protect_line(line: str) -> str:
    """`line` with the `|` of its glossary terms and formulas hidden. The spans are found as
    the inline rules will find them (`markdown_syntax._glossary_rule`, dollarmath without
    digits beside the `$`), so what is protected is what becomes one term or one formula."""
    dollars = [match.end() - 1 for match in _DOLLAR.finditer(line)]
    doubles = [d for d, following in zip(dollars, dollars[1:], strict=False) if following == d + 1]
    unescaped = set(dollars)
    hidden: list[tuple[int, int]] = []  # [start, end) spans whose pipes are hidden
    pos = 0
    while pos < len(line):
        if line.startswith("[[", pos):
            end = glossary_end(line, pos, len(line))
            if end > 0:
                hidden.append((pos, end))
                pos = end
                continue
        elif pos in unescaped:
            end = _formula_end(line, pos, dollars, doubles)
            if end > 0:
                hidden.append((pos, end))
                pos = end
                continue
        pos += 1
    if not hidden:
        return line
    parts, last = [], 0
    for start, end in hidden:
        parts += [line[last:start], line[start:end].replace("|", HIDDEN_PIPE)]
        last = end
    parts.append(line[last:])
    return "".join(parts)


def glossary_end(src: str, pos: int, limit: int) -> int:
    """Where the glossary term `[[term]]` or `[[term|shown]]` opened at `pos` ends (after its
    `]]`, before `limit`), or -1. Shared with the inline rule (`markdown_syntax`), so a
    table protects exactly the terms that rule finds."""
    # Looked for only as far as a term may reach: searching to the end of the paragraph from
    # every `[[` made a paragraph of `[[` quadratic.
    end = src.find("]]", pos + 2, min(limit, pos + 4 + MAX_TERM_CHARS))
    if end < 0:
        return -1
    inner = src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner or len(inner) > MAX_TERM_CHARS:
        return -1
    return end + 2


def _formula_end(line: str, pos: int, dollars: list[int], doubles: list[int]) -> int:
    """Where the formula opened by the `$` at `pos` ends (after its closing `$`), or -1."""
    if pos > 0 and line[pos - 1].isdigit():
        return -1
    double = line.startswith("$$", pos)
    found = doubles if double else dollars
    at = bisect_left(found, pos + (2 if double else 1))
    if at == len(found):
        return -1
    close = found[at] + (2 if double else 1)
    if close < len(line) and line[close].isdigit():
        return -1
    if close - pos <= (4 if double else 2):  # nothing inside
        return -1
    return close


_ROW = re.compile(r"(<tr>)(.*?)(</tr>)", re.DOTALL)
_CELL = re.compile(r"<(t[hd])\b[^>]*>.*?</\1>", re.DOTALL)


def mirror_table_columns(html: str) -> str:
    """`html` with the cells of every table row in reverse order (for right-to-left text).

    The HTML is the parser's own (`markdown_blocks.container_html`): a cell holds inline
    HTML only, whose `<` in text is escaped, so a cell ends at the first `</td>` or `</th>`."""
    if "<table" not in html:
        return html

    def reverse(row: re.Match[str]) -> str:
        cells = [cell.group(0) for cell in _CELL.finditer(row.group(2))]
        return row.group(1) + "".join(reversed(cells)) + row.group(3)

    return _ROW.sub(reverse, html)
