"""Plain text for language models: a user's file, the lessons themselves, Hafez's ghazals.

Every corpus is a ``str`` of lines; ``engine.data.lm`` turns it into token ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, partial
from importlib import metadata
from pathlib import Path

from hafiza.engine.data import text_files
from hafiza.paths import BUILTIN_LESSONS_DIR, is_inside
from hafiza.varieties import TAGS as VARIETIES
from hafiza.words import _

MAX_CORPUS_BYTES = 200 * 1024 * 1024
# Built-in lessons sit beside the engine package, in the repository and when installed.
DEFAULT_LESSONS_DIR = BUILTIN_LESSONS_DIR


class CorpusError(ValueError):
    """A corpus that cannot be read, said so that the learner knows what to fix."""


def read_text_file(path: str | Path) -> str:
    """The text of a file in UTF-8 (with or without a byte-order mark), UTF-16 with one, or
    the Windows code pages learners' files often use (cp1256, cp1252), detected as
    engine.data.text_files does; line ends become "\\n"."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(_("no file at {path}").format(path=path))
    if not path.is_file():
        raise CorpusError(_("{path} is a folder, not a text file").format(path=path))
    size = path.stat().st_size
    if size > MAX_CORPUS_BYTES:
        raise CorpusError(_("{file} is {size} MB; a corpus may be at most {limit} MB").format(
            file=path.name, size=f"{size / 2**20:.0f}", limit=MAX_CORPUS_BYTES // 2**20))
    try:  # a bounded read: the file may have grown since its size was looked at
        text = text_files.read_text_file(path, MAX_CORPUS_BYTES).text
    except text_files.TextFileError as exc:
        raise CorpusError(f"{path.name}: {exc}") from None
    if not text.strip():
        raise CorpusError(_("{file} is empty").format(file=path.name))
    return text


_GUTENBERG_START = re.compile(r"^\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG.*$", re.M)
_GUTENBERG_END = re.compile(r"^\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG.*$", re.M)


def gutenberg_body(text: str) -> str:
    """The book inside a Project Gutenberg file, without its header and licence (the whole
    text when the markers are missing), so a model learns Tolstoy and not the licence."""
    start, end = _GUTENBERG_START.search(text), _GUTENBERG_END.search(text)
    begin = start.end() if start else 0
    finish = end.start() if end and end.start() > begin else len(text)
    return text[begin:finish].strip("\n")


def gutenberg_book(text: str) -> str:
    """A Project Gutenberg file as a model should read it: the book alone, its lines (wrapped
    at about 70 characters) joined into paragraphs, so each end of line a model learns to
    predict ends a paragraph and not an arbitrary break. Any other text comes back as it is:
    its line breaks are the writer's."""
    if not (_GUTENBERG_START.search(text) and _GUTENBERG_END.search(text)):
        return text
    return re.sub(r"(?<!\n)\n(?!\n)", " ", gutenberg_body(text))


# Markdown to prose. Whole blocks go first (front matter, fences, display math, containers
# such as ::: quiz), then the markup of each remaining line.
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---[ \t]*(\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]", re.S)
_CONTAINER = re.compile(
    r"^[ \t]*(:{3,})[ \t]*(quiz|exercise|question|answer|solution)\b.*?^[ \t]*\1[ \t]*$",
    re.S | re.M | re.I,
)
_CONTAINER_MARK = re.compile(r"^[ \t]*:{3,}.*$", re.M)
# A stray YAML setting outside a fence ("epochs: 10", "shuffle: false", "- lr: 0.01").
_YAML_LINE = re.compile(
    r"^[ \t]*(- )?[a-z_][\w.]*:[ \t]*(true|false|null|none|nan|[-+.\d]+|\[.*\]|\{.*\})?"
    r"[ \t]*$", re.M | re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
# Marks that belong to formulas and code, never to a sentence: brackets, operators and arrows
# ("f(x) = Wx + b" read as words would teach the model "(", "=" and "+"). Prose punctuation
# (. ، , ؛ : ! ? ؟ « » " ' -) stays: the model writes sentences with it.
_NOT_PROSE = re.compile(r"[()\[\]{}<>=+*/\\^_~#$&@|×÷−±→←↑↓⇒≈≠≤≥∑√∞]")
_INLINE_RULES = [
    (re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]+\S.*$"), ""),  # link reference definitions
    (re.compile(r"^[ \t]*(([-*_][ \t]*){3,}|=+)$|^[ \t]*\|?[ \t:|-]*-[ \t:|-]*$"), ""),  # rules
    (re.compile(r"^[ \t]*(#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)+"), ""),  # markers
    # Inline math, also glued to a word ("و$x$", "$t$ام": Arabic and Persian attach letters).
    (re.compile(r"(?<!\\)\$[^$\n]+?\$|\\\(.*?\\\)"), " "),
    (re.compile(r"\[\[[^\]|]*\|([^\]]*)\]\]|\[\[([^\]]*)\]\]"),  # glossary terms keep their text
     lambda m: m.group(1) if m.group(1) is not None else m.group(2)),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"</?[A-Za-z][^>\n]*>"), " "),  # HTML tags
    # Inline code: a bare name (`LSTM`, `Dense`) reads as a word of the sentence; anything
    # else (`return_sequences=True`, `nn.LSTM(64)`) is code, not language, and goes.
    (re.compile(r"`+[ ]?([A-Za-z][A-Za-z-]*)[ ]?`+"), r"\1"),
    (re.compile(r"`+[^`\n]*`+"), " "),
    # Python names and literals left in prose ("return_sequences", "True", "NaN") are code.
    (re.compile(r"\b[A-Za-z]\w*_\w*\b|\b(True|False|None|NaN|nan|null|inf)\b"), " "),
    (re.compile(r"(?<!\\)(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis
    (re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|])"), r"\1"),  # backslash escapes
    (re.compile(r"\|"), " "),  # table cells
    (_URL, " "),
    (_NOT_PROSE, " "),
    (re.compile(r"[ \t]{2,}"), " "),
]


def markdown_to_prose(markdown: str) -> str:
    """Lesson Markdown as plain sentences: no code, math, quizzes, exercises or markup."""
    text = _FRONT_MATTER.sub("", markdown.replace("\r\n", "\n"))
    for block in (_HTML_COMMENT, _FENCE, _CONTAINER, _DISPLAY_MATH, _CONTAINER_MARK,
                  _YAML_LINE):
        text = block.sub("", text)
    lines = []
    for line in text.split("\n"):
        for pattern, replacement in _INLINE_RULES:
            line = pattern.sub(replacement, line)
        lines.append(line.strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def lesson_corpus(variety: str, lessons_dir: Path | str = DEFAULT_LESSONS_DIR) -> str:
    """The prose of every lesson written in ``variety`` (``lessons_dir/*/<variety>.md``, in
    folder order), or "" when there is none yet: the caller decides whether that is enough."""
    if variety not in VARIETIES:
        raise CorpusError(_("unknown language variety {variety}; known: {known}").format(
            variety=repr(variety), known=", ".join(VARIETIES)))
    lessons_dir = Path(lessons_dir)
    if not lessons_dir.is_dir():
        return ""
    parts = []
    for path in sorted(lessons_dir.glob(f"*/{variety}.md")):
        # A link leading out of the folder is not a lesson of it (a pack may hold links).
        if not is_inside(lessons_dir, path) or path.stat().st_size == 0:
            continue
        prose = markdown_to_prose(read_text_file(path))
        if prose:
            parts.append(prose)
    return "\n\n".join(parts)


@cache
def hafez_corpus() -> str:
    """The ghazals of Hafez from the ``hafez`` package (MIT): one hemistich a line, a blank
    line between ghazals. Reads the package's data file without importing the package,
    which would pull in pandas and requests."""
    try:
        data_file = metadata.distribution("hafez").locate_file("hafez/data/hafez.json")
    except metadata.PackageNotFoundError:
        raise CorpusError(_("the Hafez corpus needs the Python package {package}").format(
            package="'hafez'")) from None
    try:
        poems = json.loads(Path(data_file).read_text(encoding="utf-8"))
        ghazals = ["\n".join(line.strip() for line in poem["poem"]) for poem in poems]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(_("the {package} package's poems cannot be read: {error}").format(
            package="'hafez'", error=exc)) from None
    return "\n\n".join(g for g in ghazals if g)


CORPORA: dict[str, Callable[[], str]] = {
    "hafez": hafez_corpus,
    **{f"lessons:{v}": partial(lesson_corpus, v) for v in VARIETIES},
}


def get_corpus(name: str) -> str:
    """The built-in corpus ``name`` of ``CORPORA``."""
    try:
        load = CORPORA[name]
    except KeyError:
        raise CorpusError(_("unknown corpus {name}; known: {known}").format(
            name=repr(name), known=", ".join(CORPORA))) from None
    return load()
