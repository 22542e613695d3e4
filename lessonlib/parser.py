"""One Markdown file of a lesson to a `Document`: the entry point of the lesson parser.

What a lesson's Markdown may hold: headings, paragraphs, lists, tables, emphasis, links,
images from the lesson folder, `$inline$` and `$$display$$` math, fenced code, admonitions
(`::: note`, `::: tip`, `::: warning`), glossary terms (`[[term]]` or `[[term|shown text]]`),
quizzes (a ```` ```quiz ```` fence holding YAML) and exercises (```` ```exercise ````).

The parser is in parts, each with one job: `markdown_syntax` (the markdown-it dialect),
`markdown_blocks` (blocks), `markdown_inline` (safe inline HTML: raw HTML is reported and
shown as text, only http(s) links and in-lesson `#anchors` become links) and `quizzes`.
This module reads the file, runs them and checks the whole document. `parse_markdown` raises
nothing but `LessonError`; everything else that is wrong becomes a `Problem` with its line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hafiza.lessonlib.markdown_blocks import parse_blocks
from hafiza.lessonlib.markdown_syntax import as_document, markdown
from hafiza.lessonlib.model import (  # noqa: F401 - MAX_MARKDOWN_BYTES: the parser's limit
    MAX_MARKDOWN_BYTES,
    Block,
    Document,
    Lesson,
    LessonError,
    TextBlock,
)
from hafiza.lessonlib.parse_state import ParseState
from hafiza.words import _


def parse_markdown(source: Any, path: Path | str = "lesson.md", folder: Path | None = None,
                   lesson: Lesson | None = None, variety: str = "en",
                   image_exists: Callable[[str], bool] | None = None) -> Document:
    """Parses one Markdown file of a lesson. Raises only `LessonError`.

    Images are looked up in `folder`, or, without a folder, through `image_exists(relative
    path)` (a pack checked in memory)."""
    if not isinstance(source, str):
        raise LessonError(_("the lesson text must be text"), path, 1)
    if len(source) > MAX_MARKDOWN_BYTES:
        raise LessonError(_("the file is larger than {size} KB").format(
            size=MAX_MARKDOWN_BYTES // 1024), path, 1)
    source = source.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    state = ParseState(source, path, folder, lesson, image_exists, variety=variety)
    try:
        blocks = parse_blocks(state, markdown().parse(as_document(source)))
    except RecursionError:
        raise LessonError(_("the text is nested too deeply"), path, 1) from None
    check_structure(state, blocks)
    return Document(variety, blocks, sorted(state.problems, key=lambda p: p.line),
                    Path(path) if path else None)


def check_structure(state: ParseState, blocks: list[Block]) -> None:
    """Whole-document checks: empty text, heading levels, dangling #anchors."""
    if not blocks:
        state.problem(1, _("the text is empty"))
        return
    previous = 0
    for block in blocks:
        if isinstance(block, TextBlock) and block.kind == "heading":
            if previous and block.level > previous + 1:
                state.problem(block.line, _("heading level jumps from {before} to {level}")
                              .format(before=previous, level=block.level), "warning")
            if block.level == 1 and previous:
                state.problem(block.line,
                              _("a lesson has one level-1 heading (#), at the top"), "warning")
            previous = block.level
    for anchor, line in state.links:
        if anchor not in state.anchors:
            state.problem(line, _("link to #{anchor}: no heading has this anchor")
                          .format(anchor=anchor))


def read_text(path: Path) -> str:
    """A lesson's Markdown file as text; raises LessonError."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LessonError(_("cannot read: {error}").format(error=error.strerror or error),
                          path, 1) from None
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path | str) -> str:
    """UTF-8 text under the size limit; raises LessonError with the line of a bad byte."""
    if len(raw) > MAX_MARKDOWN_BYTES:
        raise LessonError(_("the file is larger than {size} KB").format(
            size=MAX_MARKDOWN_BYTES // 1024), path, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LessonError(_("not UTF-8 text"), path, line) from None
