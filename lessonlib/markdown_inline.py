"""Inline Markdown (the tokens inside one paragraph, heading or table cell) to safe HTML.

The HTML is written here token by token: text is escaped, raw HTML is reported and shown as
text, only http(s) links (`hafiza.safelinks`), `mailto:` addresses and in-lesson `#anchors`
become links, images must be files inside the lesson folder, `$formulas$` become `formula:N`
images that the page draws.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markdown_it.token import Token

from hafiza.digits import prose_numbers
from hafiza.lessonlib.markdown_syntax import markdown
from hafiza.lessonlib.parse_state import ParseState
from hafiza.safelinks import is_mail_link, is_safe_link
from hafiza.words import _

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
MAX_LINK_CHARS = 2000
_EMPHASIS_TAGS = {"em": "em", "strong": "strong", "s": "s"}


@dataclass
class InlineSink:
    """What one block's inline HTML refers to: its formulas (numbered in order) and its
    plain text (for search and for screen readers)."""

    formulas: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def inline_html(state: ParseState, tokens: list[Token] | None, line: int,
                sink: InlineSink) -> str:
    out: list[str] = []
    links: list[str] = []  # open link tags: "a" or "span" (a refused link)
    for token in tokens or ():
        kind = token.type
        if kind == "text":
            # Prose only: code, formulas and addresses keep the digits they were written in.
            shown = prose_numbers(token.content, state.variety)
            out.append(html.escape(shown, quote=False))
            sink.text.append(token.content)
        elif kind == "softbreak":
            out.append(" ")
            sink.text.append(" ")
            line += 1
        elif kind == "hardbreak":
            out.append("<br>")
            line += 1
        elif kind == "code_inline":
            # Code stays left to right inside right-to-left prose.
            out.append(f'<code dir="ltr">\u2066{html.escape(token.content)}\u2069</code>')
            sink.text.append(token.content)
        elif kind in ("em_open", "em_close", "strong_open", "strong_close",
                      "s_open", "s_close"):
            tag = _EMPHASIS_TAGS[kind.rsplit("_", 1)[0]]
            out.append(f"<{'/' if kind.endswith('close') else ''}{tag}>")
        elif kind == "link_open":
            target = link_target(state, str(token.attrs.get("href", "")), line)
            links.append("span" if target is None else "a")
            out.append("<span>" if target is None else f'<a href="{html.escape(target)}">')
        elif kind == "link_close":
            if links:
                out.append(f"</{links.pop()}>")
        elif kind in ("math_inline", "math_inline_double"):
            sink.text.append(f"${token.content}$")
            if state.formula_allowed(token.content, line):
                index = len(sink.formulas)
                sink.formulas.append(token.content)
                alt = html.escape(token.content)
                out.append(f'<img src="formula:{index}" alt="{alt}" '
                           'style="vertical-align: middle">')
            else:  # beyond what may be drawn: its text, as code
                out.append(f'<code dir="ltr">\u2066{html.escape(token.content)}\u2069</code>')
        elif kind == "image":
            out.append(_image_html(state, token, line))
        elif kind == "glossary":
            out.append(_glossary_html(state, token, line, sink))
        elif kind == "html_inline":
            state.problem(line, _("raw HTML is not allowed: {html}").format(
                html=repr(token.content[:40])))
            out.append(html.escape(token.content, quote=False))
            sink.text.append(token.content)
        else:  # anything a later markdown-it adds: show its text, escaped
            out.append(html.escape(token.content or "", quote=False))
    out.extend(f"</{tag}>" for tag in reversed(links))
    return "".join(out)


def _image_html(state: ParseState, token: Token, line: int) -> str:
    alt = image_alt(token)
    resolved = image_path(state, str(token.attrs.get("src", "")), line)
    if resolved is None:
        return html.escape(alt)
    uri = resolved.as_uri() if resolved.is_absolute() else str(resolved)
    return f'<img src="{html.escape(uri)}" alt="{html.escape(alt)}">'


def _glossary_html(state: ParseState, token: Token, line: int, sink: InlineSink) -> str:
    term, written = token.meta["term"], token.meta["text"]
    if state.lesson is not None and term not in state.lesson.glossary:
        state.problem(line, _("glossary term {term} is not defined in lesson.yaml (glossary:)")
                      .format(term=repr(term)))
    sink.text.append(written)
    shown = prose_numbers(written, state.variety)
    return f'<a href="glossary:{html.escape(term)}">{html.escape(shown, quote=False)}</a>'


def image_alt(token: Token) -> str:
    return "".join(c.content for c in token.children or () if c.type == "text")


def link_target(state: ParseState, href: str, line: int) -> str | None:
    """The href to keep, or None (the link becomes plain text) with a problem."""
    if (is_safe_link(href.strip()) or is_mail_link(href.strip())) and \
            len(href) <= MAX_LINK_CHARS:
        return href.strip()
    if href.startswith("#") and len(href) > 1:
        state.links.append((href[1:], line))
        return href
    shown = href if len(href) <= 60 else href[:60] + "…"
    state.problem(line, _("link {link} is not allowed: use an http(s) address without a "
                          "user name or password, a mailto: address or an in-lesson #anchor")
                  .format(link=repr(shown)))
    return None


# A figure's path inside its lesson folder: below what every file system allows.
MAX_IMAGE_PATH = 200
MAX_IMAGE_NAME = 120


def image_path(state: ParseState, src: str, line: int) -> Path | None:
    """The image file inside the lesson folder, or None with a problem."""
    pure = PurePosixPath(src)
    if (not src or "\\" in src or ":" in src or pure.is_absolute()
            or ".." in pure.parts or src.startswith("~")):
        state.problem(line, _("image {image} must be a relative path inside the lesson "
                              "folder (figures/...)").format(image=repr(src[:60])))
        return None
    if pure.suffix.lower() not in IMAGE_SUFFIXES:
        state.problem(line, _("image {image} is not a PNG, JPEG, GIF, SVG or WebP file")
                      .format(image=repr(src[:60])))
        return None
    if len(src) > MAX_IMAGE_PATH or any(len(part) > MAX_IMAGE_NAME for part in pure.parts):
        # Longer than file systems allow (stat would raise "File name too long").
        state.problem(line, _("image path {image}… is too long").format(image=repr(src[:60])))
        return None
    if state.folder is None:
        if state.image_exists is not None and not state.image_exists("/".join(pure.parts)):
            state.problem(line, _("image {image} does not exist").format(image=repr(src)))
            return None
        return Path(src)
    path = state.folder.absolute().joinpath(*pure.parts)
    try:
        exists = path.is_file()
    except OSError:  # a name the file system refuses (its own length rule, a NUL, ...)
        exists = False
    if not exists:
        state.problem(line, _("image {image} does not exist").format(image=repr(src)))
        return None
    return path


def rich_html(state: ParseState, text: Any, line: int, sink: InlineSink) -> str:
    """A short text that may hold inline Markdown (a quiz question, a caption) as HTML."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        return ""
    tokens = markdown().parseInline(str(text)[:5000])
    return inline_html(state, tokens[0].children if tokens else [], line, sink)
