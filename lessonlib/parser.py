"""Markdown (CommonMark, through markdown-it-py) to lesson blocks.

What a lesson's Markdown may hold: headings, paragraphs, lists, tables, emphasis, links,
images from the lesson folder, `$inline$` and `$$display$$` math, fenced code, admonitions
(`::: note`, `::: tip`, `::: warning`), glossary terms (`[[term]]` or `[[term|shown text]]`),
quizzes (a ```` ```quiz ```` fence holding YAML) and exercises (```` ```exercise ````).

The HTML in text blocks is written here, token by token, from what markdown-it parsed; raw
HTML in a lesson is never passed through (it is reported and shown as plain text). Only
http(s) links and in-lesson `#anchors` become links. `parse_markdown` raises nothing but
`LessonError`; everything else that is wrong becomes a `Problem` with its line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from hafiza.lessonlib.model import (
    QUIZ_KINDS,
    AdmonitionBlock,
    Block,
    CodeBlock,
    Document,
    ExerciseBlock,
    FigureBlock,
    FormulaBlock,
    Lesson,
    LessonError,
    Problem,
    ProblemBlock,
    QuizBlock,
    QuizOption,
    TextBlock,
)
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

MAX_MARKDOWN_BYTES = 1024 * 1024
ADMONITIONS = ("note", "tip", "warning")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
QUIZ_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$")
EXPLICIT_ANCHOR = re.compile(r"\s*\{#([\w-]{1,64})\}\s*$")


def _glossary_rule(state, silent: bool) -> bool:
    """`[[term]]` or `[[term|shown text]]`: a glossary term (before links are tried)."""
    pos = state.pos
    if not state.src.startswith("[[", pos):
        return False
    end = state.src.find("]]", pos + 2)
    if end < 0:
        return False
    inner = state.src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner or len(inner) > 200:
        return False
    if not silent:
        term, _, shown = inner.partition("|")
        token = state.push("glossary", "", 0)
        token.meta = {"term": term.strip(), "text": (shown or term).strip()}
    state.pos = end + 2
    return True


def _container_validator(name: str):
    def validate(params: str, *args) -> bool:
        words = params.strip().split(maxsplit=1)
        return bool(words) and words[0] == name
    return validate


def make_markdown() -> MarkdownIt:
    # html=True only so raw HTML is *seen* (and reported); it is never rendered as HTML.
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # every link reaches us; the policy is ours
    md.use(dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=False,
           double_inline=True)
    for name in ADMONITIONS:
        md.use(container_plugin, name, validate=_container_validator(name))
    md.inline.ruler.before("link", "glossary", _glossary_rule)
    return md


_MD: MarkdownIt | None = None


def markdown() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = make_markdown()
    return _MD


@dataclass
class _Inline:
    """Collects what one block's inline HTML refers to."""

    formulas: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, source: str, path: Path | str, folder: Path | None,
                 lesson: Lesson | None, image_exists=None) -> None:
        self.image_exists = image_exists
        self.source = source
        self.lines = source.split("\n")
        self.path = path
        self.folder = folder
        self.lesson = lesson
        self.problems: list[Problem] = []
        self.anchors: set[str] = set()
        self.links: list[tuple[str, int]] = []  # in-lesson anchors used, checked at the end
        self.quiz_ids: dict[str, int] = {}
        self.figures: list[tuple[Path, int]] = []

    # -- problems ---------------------------------------------------------------------------
    def problem(self, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, message, severity))

    # -- inline -----------------------------------------------------------------------------
    def inline_html(self, tokens: list[Token] | None, line: int, sink: _Inline) -> str:
        out: list[str] = []
        links: list[str] = []  # open link tags: "a" or "span" (a refused link)
        for token in tokens or ():
            kind = token.type
            if kind == "text":
                out.append(html.escape(token.content, quote=False))
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
                tag = {"em": "em", "strong": "strong", "s": "s"}[kind.rsplit("_", 1)[0]]
                out.append(f"<{'/' if kind.endswith('close') else ''}{tag}>")
            elif kind == "link_open":
                href = str(token.attrs.get("href", ""))
                target = self.link_target(href, line)
                if target is None:
                    links.append("span")
                    out.append("<span>")
                else:
                    links.append("a")
                    out.append(f'<a href="{html.escape(target)}">')
            elif kind == "link_close":
                if links:
                    out.append(f"</{links.pop()}>")
            elif kind in ("math_inline", "math_inline_double"):
                index = len(sink.formulas)
                sink.formulas.append(token.content)
                alt = html.escape(token.content)
                out.append(f'<img src="formula:{index}" alt="{alt}" '
                           'style="vertical-align: middle">')
                sink.text.append(f"${token.content}$")
            elif kind == "image":
                alt = "".join(c.content for c in token.children or () if c.type == "text")
                resolved = self.image_path(str(token.attrs.get("src", "")), line)
                if resolved is not None:
                    uri = resolved.as_uri() if resolved.is_absolute() else str(resolved)
                    out.append(f'<img src="{html.escape(uri)}" '
                               f'alt="{html.escape(alt)}">')
                else:
                    out.append(html.escape(alt))
            elif kind == "glossary":
                term, shown = token.meta["term"], token.meta["text"]
                if self.lesson is not None and term not in self.lesson.glossary:
                    self.problem(line, f"glossary term {term!r} is not defined in lesson.yaml "
                                       "(glossary:)")
                out.append(f'<a href="glossary:{html.escape(term)}">'
                           f"{html.escape(shown, quote=False)}</a>")
                sink.text.append(shown)
            elif kind == "html_inline":
                self.problem(line, f"raw HTML is not allowed: {token.content[:40]!r}")
                out.append(html.escape(token.content, quote=False))
                sink.text.append(token.content)
            else:  # anything a later markdown-it adds: show its text, escaped
                out.append(html.escape(token.content or "", quote=False))
        out.extend(f"</{tag}>" for tag in reversed(links))
        return "".join(out)

    def link_target(self, href: str, line: int) -> str | None:
        """The href to keep, or None (the link becomes plain text) with a problem."""
        lowered = href.strip().lower()
        if lowered.startswith(("http://", "https://")) and len(href) <= 2000:
            return href.strip()
        if href.startswith("#") and len(href) > 1:
            self.links.append((href[1:], line))
            return href
        shown = href if len(href) <= 60 else href[:60] + "…"
        self.problem(line, f"link {shown!r} is not allowed: use an http(s) address or an "
                           "in-lesson #anchor")
        return None

    def image_path(self, src: str, line: int) -> Path | None:
        """The image file inside the lesson folder, or None with a problem."""
        pure = PurePosixPath(src)
        if (not src or "\\" in src or ":" in src or pure.is_absolute()
                or ".." in pure.parts or src.startswith("~")):
            self.problem(line, f"image {src[:60]!r} must be a relative path inside the lesson "
                               "folder (figures/...)")
            return None
        if pure.suffix.lower() not in IMAGE_SUFFIXES:
            self.problem(line, f"image {src!r} is not a PNG, JPEG, GIF, SVG or WebP file")
            return None
        if self.folder is None:
            if self.image_exists is not None and not self.image_exists("/".join(pure.parts)):
                self.problem(line, f"image {src!r} does not exist")
                return None
            return Path(src)
        path = self.folder.absolute().joinpath(*pure.parts)
        if not path.is_file():
            self.problem(line, f"image {src!r} does not exist")
            return None
        self.figures.append((path, line))
        return path

    # -- blocks -----------------------------------------------------------------------------
    def blocks(self, tokens: list[Token]) -> list[Block]:
        blocks: list[Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            line = token.map[0] + 1 if token.map else 1
            end = self.matching(tokens, i) if token.nesting == 1 else i
            kind = token.type
            if kind == "heading_open":
                blocks.append(self.heading(token, tokens[i + 1], line))
            elif kind == "paragraph_open":
                blocks.append(self.paragraph(tokens[i + 1], line))
            elif kind in ("bullet_list_open", "ordered_list_open", "table_open",
                          "blockquote_open"):
                sink = _Inline()
                html_text = self.container_html(tokens[i : end + 1], sink)
                block_kind = {"table_open": "table", "blockquote_open": "quote"}.get(kind, "list")
                blocks.append(TextBlock(line, block_kind, html_text, formulas=sink.formulas,
                                        text="".join(sink.text)))
            elif kind == "hr":
                blocks.append(TextBlock(line, "rule", "<hr>"))
            elif kind == "math_block":
                blocks.append(FormulaBlock(line, token.content.strip()))
            elif kind == "fence":
                blocks.append(self.fence(token, line))
            elif kind == "code_block":
                blocks.append(CodeBlock(line, token.content.rstrip("\n")))
            elif kind == "html_block":
                self.problem(line, "raw HTML is not allowed: "
                                   f"{token.content.strip()[:40]!r}")
                blocks.append(ProblemBlock(line, "raw HTML is not allowed"))
            elif kind.startswith("container_") and kind.endswith("_open"):
                blocks.append(self.admonition(token, tokens[i + 1 : end], tokens[end], line))
            i = end + 1
        return blocks

    @staticmethod
    def matching(tokens: list[Token], start: int) -> int:
        depth = 0
        for j in range(start, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        return len(tokens) - 1

    def heading(self, opening: Token, inline: Token, line: int) -> TextBlock:
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
        sink = _Inline()
        html_text = self.inline_html(children, line, sink)
        text = "".join(sink.text).strip()
        anchor = anchor or slug(text) or f"section-{line}"
        base, n = anchor, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        return TextBlock(line, "heading", html_text, level=level, anchor=anchor,
                         formulas=sink.formulas, text=text)

    def paragraph(self, inline: Token, line: int) -> Block:
        children = [c for c in inline.children or ()
                    if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            resolved = self.image_path(str(image.attrs.get("src", "")), line)
            alt = "".join(c.content for c in image.children or () if c.type == "text")
            if resolved is None:
                return ProblemBlock(line, f"missing image: {alt or image.attrs.get('src')}")
            title = str(image.attrs.get("title") or "")
            sink = _Inline()
            caption = self.inline_html(markdown().parseInline(title or alt)[0].children,
                                       line, sink) if (title or alt) else ""
            return FigureBlock(line, resolved, caption, alt)
        sink = _Inline()
        html_text = self.inline_html(inline.children, line, sink)
        return TextBlock(line, "paragraph", html_text, formulas=sink.formulas,
                         text="".join(sink.text))

    def container_html(self, tokens: list[Token], sink: _Inline) -> str:
        """Lists, tables and quotes as HTML (Qt's rich text draws them)."""
        out: list[str] = []
        for token in tokens:
            line = token.map[0] + 1 if token.map else 1
            kind = token.type
            if kind == "inline":
                out.append(self.inline_html(token.children, line, sink))
                sink.text.append(" ")
            elif kind in ("paragraph_open", "paragraph_close"):
                if not token.hidden:
                    out.append("<p>" if kind.endswith("open") else "</p>")
            elif kind in ("fence", "code_block"):
                out.append(f'<pre dir="ltr">{html.escape(token.content.rstrip())}</pre>')
            elif kind == "math_block":
                index = len(sink.formulas)
                sink.formulas.append(token.content.strip())
                out.append(f'<p align="center"><img src="formula:{index}"></p>')
            elif kind == "html_block":
                self.problem(line, f"raw HTML is not allowed: {token.content.strip()[:40]!r}")
                out.append(f"<p>{html.escape(token.content)}</p>")
            elif kind in ("th_open", "td_open"):
                style = str(token.attrs.get("style", ""))
                align = {"text-align:left": "left", "text-align:right": "right",
                         "text-align:center": "center"}.get(style.replace(" ", ""), "")
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

    def admonition(self, opening: Token, inner: list[Token], closing: Token,
                   line: int) -> Block:
        words = opening.info.strip().split(maxsplit=1)
        kind = words[0]
        title = words[1].strip() if len(words) > 1 else ""
        if closing.markup != ":::" and not closing.markup.startswith(":"):
            self.problem(line, f"this '::: {kind}' block is never closed with ':::'")
        return AdmonitionBlock(line, kind, title, self.blocks(inner))

    def fence(self, token: Token, line: int) -> Block:
        info = token.info.strip().split(maxsplit=1)
        language = info[0].lower() if info else ""
        if not self.fence_closed(token):
            self.problem(line, f"this ``` block ({language or 'code'}) is never closed")
        if language == "quiz":
            return self.quiz(token.content, line)
        if language == "exercise":
            return self.exercise(token.content, line)
        if language in ("math", "latex"):
            return FormulaBlock(line, token.content.strip())
        return CodeBlock(line, token.content.rstrip("\n"), language)

    def fence_closed(self, token: Token) -> bool:
        if not token.map:
            return True
        last = token.map[1] - 1
        if last <= token.map[0] or last >= len(self.lines):
            return False
        closing = self.lines[last].strip()
        return closing.startswith(token.markup[:1] * len(token.markup))

    # -- quizzes and exercises --------------------------------------------------------------
    def fence_yaml(self, content: str, line: int, what: str) -> Any:
        from hafiza.lessonlib.schema import read_yaml

        try:
            data, _node = read_yaml(content, self.path)
        except LessonError as error:
            # the fence's content starts on the line after the ``` line
            self.problem(line + error.line, f"{what}: {error.message}")
            return None
        return data

    def quiz(self, content: str, line: int) -> Block:
        data = self.fence_yaml(content, line, "quiz")
        if data is None:
            return ProblemBlock(line, "quiz: not valid YAML")
        errors: list[str] = []
        quiz = _build_quiz(data, line, errors, self)
        for message in errors:
            self.problem(line, f"quiz: {message}")
        if quiz is None:
            return ProblemBlock(line, "quiz: " + "; ".join(errors))
        if quiz.id in self.quiz_ids:
            self.problem(line, f"quiz id {quiz.id!r} is used twice (first on line "
                               f"{self.quiz_ids[quiz.id]})")
        self.quiz_ids.setdefault(quiz.id, line)
        return quiz

    def exercise(self, content: str, line: int) -> Block:
        data = self.fence_yaml(content, line, "exercise")
        exercise_id = data.get("id") if isinstance(data, dict) else data
        if not isinstance(exercise_id, str) or not exercise_id.strip():
            self.problem(line, "exercise: write the id of an exercise of lesson.yaml "
                               "(id: NAME)")
            return ProblemBlock(line, "exercise without an id")
        exercise_id = exercise_id.strip()
        exercise = None
        if self.lesson is not None:
            exercise = self.lesson.exercises.get(exercise_id)
            if exercise is None:
                self.problem(line, f"exercise {exercise_id!r} is not defined in lesson.yaml "
                                   "(exercises:)")
                return ProblemBlock(line, f"unknown exercise {exercise_id}")
        return ExerciseBlock(line, exercise_id, exercise)

    def rich(self, text: Any, line: int, sink: _Inline) -> str:
        """Inline Markdown of a quiz text as HTML."""
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            return ""
        tokens = markdown().parseInline(str(text)[:5000])
        return self.inline_html(tokens[0].children if tokens else [], line, sink)


def _build_quiz(data: Any, line: int, errors: list[str], parser: _Parser) -> QuizBlock | None:
    if not isinstance(data, dict):
        errors.append("a quiz is a mapping with id, type, question…")
        return None
    known = {"id", "type", "question", "options", "answer", "tolerance", "explain"}
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        errors.append(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
    quiz_id, kind, question = data.get("id"), data.get("type", "single"), data.get("question")
    if not isinstance(quiz_id, str) or not QUIZ_ID.match(quiz_id):
        errors.append("id must be a short name of letters, digits, - and _")
    if kind not in QUIZ_KINDS:
        errors.append(f"type must be one of {', '.join(QUIZ_KINDS)}")
    if not isinstance(question, str) or not question.strip():
        errors.append("question must be a text")
    if errors:
        return None
    sink = _Inline()
    quiz = QuizBlock(line, quiz_id, kind, parser.rich(question, line, sink))
    quiz.explanation_html = parser.rich(data.get("explain", ""), line, sink)
    if kind == "numeric":
        answer, tolerance = data.get("answer"), data.get("tolerance", 0)
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            errors.append("a numeric quiz needs a number as answer")
        elif isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) \
                or not tolerance >= 0 or tolerance == float("inf"):
            errors.append("tolerance must be a number ≥ 0")
        elif answer != answer or answer in (float("inf"), float("-inf")):
            errors.append("the answer must be a finite number")
        else:
            quiz.answer, quiz.tolerance = float(answer), float(tolerance)
        if "options" in data:
            errors.append("a numeric quiz has no options")
    else:
        options = data.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= 20:
            errors.append("options must be a list of 2 to 20 items")
            return None
        for number, item in enumerate(options, 1):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                item = {"text": item}
            if not isinstance(item, dict) or "text" not in item:
                errors.append(f"option {number} needs a text")
                continue
            extra = sorted(str(k) for k in item if k not in ("text", "correct", "explain"))
            if extra:
                errors.append(f"option {number}: unknown field {extra[0]!r}")
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                errors.append(f"option {number}: correct is true or false")
                correct = False
            option_sink = _Inline(formulas=sink.formulas)  # one numbering for the whole quiz
            text_html = parser.rich(item["text"], line, option_sink)
            explain_html = parser.rich(item.get("explain", ""), line,
                                       _Inline(formulas=sink.formulas))
            quiz.options.append(QuizOption(text_html, correct, explain_html,
                                           "".join(option_sink.text)))
        right = sum(o.correct for o in quiz.options)
        if kind == "single" and right != 1:
            errors.append(f"a single-choice quiz needs exactly one correct option, not {right}")
        if kind == "multiple" and right < 1:
            errors.append("a multiple-choice quiz needs at least one correct option")
        if kind == "order" and right:
            errors.append("an order quiz lists its steps in the right order, without 'correct'")
    quiz.formulas = sink.formulas
    return None if errors else quiz


def slug(text: str) -> str:
    words = re.findall(r"[\w]+", text.lower())
    return "-".join(words)[:64]


def parse_markdown(source: Any, path: Path | str = "lesson.md", folder: Path | None = None,
                   lesson: Lesson | None = None, variety: str = "en",
                   image_exists=None) -> Document:
    """Parses one Markdown file of a lesson. Raises only `LessonError`.

    Images are looked up in `folder`, or, without a folder, through `image_exists(relative
    path)` (a pack checked in memory)."""
    if not isinstance(source, str):
        raise LessonError("the lesson text must be text", path, 1)
    if len(source) > MAX_MARKDOWN_BYTES:
        raise LessonError(f"the file is larger than {MAX_MARKDOWN_BYTES // 1024} KB", path, 1)
    source = source.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    parser = _Parser(source, path, folder, lesson, image_exists)
    try:
        tokens = markdown().parse(source)
        blocks = parser.blocks(tokens)
    except RecursionError:
        raise LessonError("the text is nested too deeply", path, 1) from None
    structure(parser, blocks)
    return Document(variety, blocks, sorted(parser.problems, key=lambda p: p.line),
                    Path(path) if path else None)


def structure(parser: _Parser, blocks: list[Block]) -> None:
    """Whole-document checks: empty text, heading levels, dangling #anchors."""
    if not blocks:
        parser.problem(1, "the text is empty")
        return
    previous = 0
    for block in blocks:
        if isinstance(block, TextBlock) and block.kind == "heading":
            if previous and block.level > previous + 1:
                parser.problem(block.line, f"heading level jumps from {previous} to "
                                           f"{block.level}", "warning")
            if block.level == 1 and previous:
                parser.problem(block.line, "a lesson has one level-1 heading (#), at the top",
                               "warning")
            previous = block.level
    for anchor, line in parser.links:
        if anchor not in parser.anchors:
            parser.problem(line, f"link to #{anchor}: no heading has this anchor")


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LessonError(f"cannot read: {error.strerror or error}", path, 1) from None
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path | str) -> str:
    if len(raw) > MAX_MARKDOWN_BYTES:
        raise LessonError(f"the file is larger than {MAX_MARKDOWN_BYTES // 1024} KB", path, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LessonError("not UTF-8 text", path, line) from None
