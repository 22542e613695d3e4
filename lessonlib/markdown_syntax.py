"""The Markdown dialect of lessons: CommonMark through markdown-it-py, with tables,
strikethrough, `$math$`, admonitions (`::: note|tip|warning`) and glossary terms (`[[term]]`).

Only the syntax lives here; what the parsed tokens become is decided by `markdown_blocks`
and `markdown_inline`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar

from hafiza.lessonlib.markdown_links import use_linear_link_labels
from hafiza.lessonlib.markdown_tables import (
    MAX_TERM_CHARS,
    glossary_end,
    protect_cell_pipes,
    restore_cell_pipes,
)

ADMONITIONS = ("note", "tip", "warning")
__all__ = ["ADMONITIONS", "MAX_TERM_CHARS", "make_markdown", "markdown"]


def _glossary_rule(state, silent: bool) -> bool:
    """`[[term]]` or `[[term|shown text]]`: a glossary term (before links are tried)."""
    pos = state.pos
    if not state.src.startswith("[[", pos):
        return False
    end = glossary_end(state.src, pos, state.posMax)
    if end < 0:
        return False
    if not silent:
        term, _, shown = state.src[pos + 2 : end - 2].partition("|")
        token = state.push("glossary", "", 0)
        token.meta = {"term": term.strip(), "text": (shown or term).strip()}
    state.pos = end
    return True


def _container_validator(name: str):
    def validate(params: str, *args) -> bool:
        words = params.strip().split(maxsplit=1)
        return bool(words) and words[0] == name
    return validate


_MATH_INLINE = math_inline_dollar(allow_space=True, allow_digits=True, allow_double=True)


def _math_inline_not_beside_digits(state, silent: bool) -> bool:
    """dollarmath's inline rule with `allow_digits=False` done right: the plugin reads the
    character before a `$` at the start of a paragraph or table cell as `src[-1]`, the text's
    last one, so `$(0, 1)$, summing to 1` was never a formula. `$5` and `5$` stay amounts."""
    start = state.pos
    if state.src[start] != "$" or (start > 0 and state.src[start - 1].isdigit()):
        return False
    count = len(state.tokens)
    if not _MATH_INLINE(state, silent):
        return False
    if state.src[state.pos:state.pos + 1].isdigit():  # the closing $ touches a digit
        state.pos = start
        del state.tokens[count:]
        return False
    return True


def as_document(source: str) -> str:
    """A whole lesson text as the block parser must get it: ending with a line break.
    mdit-py-plugins' container rule reads one character past the end of a text whose last
    line is an empty quote line (">::: note\n>" raised IndexError, found by the parser's
    fuzz test). Only whole documents: a quiz option parsed alone would keep the break as a
    trailing space."""
    return source if source.endswith("\n") else source + "\n"


def make_markdown() -> MarkdownIt:
    # html=True only so raw HTML is *seen* (and reported); it is never rendered as HTML.
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # every link reaches us; the policy is ours
    md.use(dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=False,
           double_inline=True)
    md.inline.ruler.at("math_inline", _math_inline_not_beside_digits)
    for name in ADMONITIONS:
        md.use(container_plugin, name, validate=_container_validator(name))
    md.inline.ruler.before("link", "glossary", _glossary_rule)
    # The `|` of a glossary term or a formula in a table row does not split the cell.
    md.core.ruler.before("block", "protect_cell_pipes", protect_cell_pipes)
    md.core.ruler.after("block", "restore_cell_pipes", restore_cell_pipes)
    use_linear_link_labels(md)
    return md


_MD: MarkdownIt | None = None


def markdown() -> MarkdownIt:
    """The one shared parser, made on first use (building it costs a few milliseconds)."""
    global _MD
    if _MD is None:
        _MD = make_markdown()
    return _MD
