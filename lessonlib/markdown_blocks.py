"""Block-level Markdown tokens to lesson blocks: headings (with their anchors), paragraphs,
figures, lists, tables and quotes (as HTML that Qt's rich text draws), formulas, code,
admonitions, and the quiz and exercise fences (see `quizzes`)."""

from __future__ import annotations

import html
import re

from markdown_it.token import Token

from hafiza.digits import prose_numbers
from hafiza.lessonlib.markdown_inline import (
    InlineSink,
    image_alt,
    image_path,
    inline_html,
)
from hafiza.lessonlib.markdown_syntax import markdown
from hafiza.lessonlib.model import (
    AdmonitionBlock,
    Block,
    CodeBlock,
    FigureBlock,
    FormulaBlock,
    ProblemBlock,
    TextBlock,
)
from hafiza.lessonlib.parse_state import ParseState
from hafiza.lessonlib.plain_text import raw_html
from hafiza.lessonlib.quizzes import exercise_block, quiz_block
from hafiza.words import _

EXPLICIT_ANCHOR = re.compile(r"\s*\{#([\w-]{1,64})\}\s*$")
_CONTAINERS = {"bullet_list_open": "list", "ordered_list_open": "list", "table_open": "table",
               "blockquote_open": "quote"}
_CELL_ALIGN = {"text-align:left": "left", "text-align:right": "right",
               "text-align:center": "center"}


def slug(text: str) -> str:
    """A heading's default anchor: its words, lower case, joined by '-'."""
    words = re.findall(r"[\w]+", text.lower())
    return "-".join(words)[:64]


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def parse_blocks(state: ParseState, tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        line = _line(token)
        end = matching(tokens, i) if token.nesting == 1 else i
        kind = token.type
        if kind == "heading_open":
            blocks.append(heading(state, token, tokens[i + 1], line))
        elif kind == "paragraph_open":
            blocks.append(paragraph(state, tokens[i + 1], line))
        elif kind in _CONTAINERS:
            sink = InlineSink()
            html_text = container_html(state, tokens[i : end + 1], sink)
            blocks.append(TextBlock(line, _CONTAINERS[kind], html_text, formulas=sink.formulas,
                                    text="".join(sink.text)))
        elif kind == "hr":
            blocks.append(TextBlock(line, "rule", "<hr>"))
        elif kind == "math_block":
            blocks.append(formula_block(state, token.content.strip(), line))
        elif kind == "fence":
            blocks.append(fence(state, token, line))
        elif kind == "code_block":
            blocks.append(CodeBlock(line, token.content.rstrip("\n")))
        elif kind == "html_block":
            state.problem(line, _("raw HTML is not allowed: {html}").format(
                html=repr(token.content.strip()[:40])))
            blocks.append(ProblemBlock(line, _("raw HTML is not allowed")))
        elif kind.startswith("container_") and kind.endswith("_open"):
            blocks.append(admonition(state, token, tokens[i + 1 : end], tokens[end], line))
        i = end + 1
    return blocks


def matching(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the one opened at `start`."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def heading(state: ParseState, opening: Token, inline: Token, line: int) -> TextBlock:
    level = int(opening.tag[1]) if opening.tag[1:].isdigit() else 1
    children = list(inline.children or ())
    anchor = ""
    if children and children[-1].type == "text":
        match = EXPLICIT_ANCHOR.search(children[-1].content)
        if match:
            anchor = match.group(1)
            last = children[-1].copy()
            last.content = children[-1].content[: match.start()]
            children[-1] = last
    sink = InlineSink()
    html_text = inline_html(state, children, line, sink)
    text = "".join(sink.text).strip()
    anchor = anchor or slug(text) or f"section-{line}"
    base, n = anchor, 2
    while anchor in state.anchors:
        anchor, n = f"{base}-{n}", n + 1
    state.anchors.add(anchor)
    return TextBlock(line, "heading", html_text, level=level, anchor=anchor,
                     formulas=sink.formulas, text=text)


def paragraph(state: ParseState, inline: Token, line: int) -> Block:
    """A paragraph, or a figure when it holds one image and nothing else."""
    children = [c for c in inline.children or ()
                if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        return figure(state, children[0], line)
    sink = InlineSink()
    html_text = inline_html(state, inline.children, line, sink)
    return TextBlock(line, "paragraph", html_text, formulas=sink.formulas,
                     text="".join(sink.text))


def figure(state: ParseState, image: Token, line: int) -> Block:
    resolved = image_path(state, str(image.attrs.get("src", "")), line)
    alt = image_alt(image)
    if resolved is None:
        return ProblemBlock(line, _("missing image: {image}").format(
            image=alt or image.attrs.get("src")))
    title = str(image.attrs.get("title") or "")
    caption = ""
    if title or alt:
        caption = inline_html(state, markdown().parseInline(title or alt)[0].children, line,
                              InlineSink())
    return FigureBlock(line, resolved, caption, alt)


def container_html(state: ParseState, tokens: list[Token], sink: InlineSink) -> str:
    """Lists, tables and quotes as HTML (Qt's rich text draws them)."""
    out: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "inline":
            out.append(inline_html(state, token.children, _line(token), sink))
            sink.text.append(" ")
        elif kind in ("paragraph_open", "paragraph_close"):
            if not token.hidden:
                out.append("<p>" if kind.endswith("open") else "</p>")
        elif kind in ("fence", "code_block"):
            out.append(f'<pre dir="ltr">{html.escape(token.content.rstrip())}</pre>')
        elif kind == "math_block":
            latex = token.content.strip()
            if state.formula_allowed(latex, _line(token)):
                index = len(sink.formulas)
                sink.formulas.append(latex)
                out.append(f'<p align="center"><img src="formula:{index}"></p>')
            else:
                out.append(f'<pre dir="ltr">{html.escape(latex)}</pre>')
        elif kind == "html_block":
            state.problem(_line(token), _("raw HTML is not allowed: {html}").format(
                html=repr(token.content.strip()[:40])))
            out.append(f"<p>{html.escape(token.content)}</p>")
        elif kind in ("th_open", "td_open"):
            style = str(token.attrs.get("style", ""))
            align = _CELL_ALIGN.get(style.replace(" ", ""), "")
            attribute = f' align="{align}"' if align else ""
            out.append(f"<{token.tag}{attribute}>")
        elif kind == "ordered_list_open":
            start = token.attrs.get("start")
            out.append(f'<ol start="{int(start)}">' if isinstance(start, int) else "<ol>")
        elif kind == "table_open":
            out.append('<table border="1" cellspacing="0" cellpadding="6">')
        elif kind.startswith("container_") or kind in ("heading_open", "heading_close"):
            tag = {"heading_open": "<p><b>", "heading_close": "</b></p>"}.get(kind, "")
            out.append(tag)
        elif kind == "hr":
            out.append("<hr>")
        elif token.tag and token.nesting in (1, -1):
            out.append(f"<{'/' if token.nesting == -1 else ''}{token.tag}>")
    return "".join(out)


def admonition(state: ParseState, opening: Token, inner: list[Token], closing: Token,
               line: int) -> Block:
    words = opening.info.strip().split(maxsplit=1)
    kind = words[0]
    title = words[1].strip() if len(words) > 1 else ""
    # The title is shown as plain text; a tag in it is reported as in the prose.
    found = raw_html(title)
    if found:
        state.problem(line, _("raw HTML is not allowed: {html}").format(html=repr(found[:40])))
    if closing.markup != ":::" and not closing.markup.startswith(":"):
        state.problem(line, _("this '::: {kind}' block is never closed with ':::'")
                      .format(kind=kind))
    title = prose_numbers(title, state.variety)
    return AdmonitionBlock(line, kind, title, parse_blocks(state, inner))


def fence(state: ParseState, token: Token, line: int) -> Block:
    info = token.info.strip().split(maxsplit=1)
    language = info[0].lower() if info else ""
    if not fence_closed(state, token):
        state.problem(line, _("this ``` block ({language}) is never closed").format(
            language=language or "code"))
    if language == "quiz":
        return quiz_block(state, token.content, line)
    if language == "exercise":
        return exercise_block(state, token.content, line)
    if language in ("math", "latex"):
        return formula_block(state, token.content.strip(), line)
    return CodeBlock(line, token.content.rstrip("\n"), language)


def formula_block(state: ParseState, latex: str, line: int) -> FormulaBlock | CodeBlock:
    """A display formula, or its text as code when it is beyond what may be drawn."""
    if state.formula_allowed(latex, line):
        return FormulaBlock(line, latex)
    return CodeBlock(line, latex)


def fence_closed(state: ParseState, token: Token) -> bool:
    if not token.map:
        return True
    last = token.map[1] - 1
    if last <= token.map[0] or last >= len(state.lines):
        return False
    closing = state.lines[last].strip()
    return closing.startswith(token.markup[:1] * len(token.markup))
