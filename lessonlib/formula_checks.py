"""Every formula of a lesson checked as the page will draw it, each problem in words at the
line of the formula itself.

ziamath is lenient: `\\fraq`, a `{` never closed or `\\frac{a}` draw something (the command's
name in italics, half a fraction) without a word. So a formula is read three ways: its LaTeX
(braces, `\\left`/`\\right`, `\\begin`/`\\end`, a backslash a quoted YAML text turned into a
control character), the MathML the page draws (`formula_render`: commands the renderer does
not know, fractions and scripts missing a part) and the drawing itself (what ziamath raises,
nothing drawn, a display formula taller than the page allows). A `$` that opens no formula
is found in the Markdown tokens (`stray_dollar_problems`).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import xml.etree.ElementTree as ET

from hafiza.lessonlib.formula_render import formula_mathml, local_name, svg_of_mathml
from hafiza.lessonlib.markdown_syntax import as_document
from hafiza.lessonlib.model import FormulaBlock, Problem, QuizBlock, TextBlock
from hafiza.words import N_, _, language

# FormulaWidget draws a display formula at 1.2 times the page's 16 px text; a formula taller
# than this at that size fills most of a laptop's page (tests/ui/test_formula_sizes.py).
DISPLAY_SIZE_PX = 16 * 1.2
MAX_DISPLAY_HEIGHT_PX = 200
SHOWN_CHARS = 40

# What latex2mathml raises, said for an author. Keys are class names: the classes live in a
# module that is not imported unless a formula is drawn.
# Said through `_` when used: the LaTeX in them is no placeholder (they are never formatted).
RAISED = {
    "NumeratorNotFoundError": N_(r"a fraction has no top: write \frac{top}{bottom}"),
    "DenominatorNotFoundError": N_(r"a fraction has no bottom: write \frac{top}{bottom}"),
    "ExtraLeftOrMissingRightError": N_(r"a \left has no matching \right: write them in pairs, "
                                       r"\left( ... \right)"),
    "MissingSuperScriptOrSubscriptError": N_("a ^ or _ has nothing after it: write x^{2} or "
                                             "x_{i}"),
    "DoubleSubscriptsError": N_("a symbol has two subscripts (x_a_b): group them as x_{a b}"),
    "DoubleSuperscriptsError": N_("a symbol has two superscripts (x^a^b): group them as "
                                  "x^{a b}"),
    "NoAvailableTokensError": N_("a command is missing what should follow it (a {...} group)"),
    "InvalidStyleForGenfracError": N_(r"\genfrac has a style that is not 0, 1, 2 or 3"),
    "MissingEndError": N_(r"a \begin{...} has no matching \end{...}"),
    "InvalidAlignmentError": N_("a column alignment is not l, c or r"),
    "InvalidWidthError": N_("a width is not a length such as 1em"),
    "LimitsMustFollowMathOperatorError": N_(r"\limits must follow an operator such as \sum"),
}
# MathML elements and how many parts they need: `\frac{a}` gives an mfrac with one.
PARTS = {"mfrac": (2, N_(r"a fraction needs a top and a bottom: \frac{top}{bottom}")),
         "msub": (2, N_("a _ needs something below it: x_{i}")),
         "msup": (2, N_("a ^ needs something above it: x^{2}")),
         "msubsup": (3, N_("a symbol with _ and ^ needs both parts: x_{i}^{2}")),
         "mroot": (2, N_(r"a root needs its index and its content: \sqrt[3]{x}")),
         "munder": (2, N_("an accent or limit below needs its content")),
         "mover": (2, N_("an accent above needs its content: \\hat{y}")),
         "munderover": (3, N_("a limit needs its content, below and above"))}
# The escapes of a double-quoted YAML text that eat a LaTeX backslash: "$\theta$" is a tab
# and "heta". A newline is only suspect where "n" and the letters after it name a command.
YAML_ESCAPES = {"\t": "t", "\b": "b", "\f": "f", "\r": "r", "\a": "a", "\v": "v",
                "\x1b": "e", "\x00": "0"}
# Environments ziamath rewrites before latex2mathml sees them (`tex2mml`).
TEX2MML_ALIASES = {"aligned"}
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_MARKDOWN_IN_FORMULA = re.compile(r"^\s*(#{1,6}\s|:::|```|!\[|\|?\s*:?-{3,}:?\s*\|)",
                                  re.MULTILINE)


@functools.cache
def known_commands() -> frozenset[str]:
    """Every `\\command` the renderer knows (latex2mathml's tables), for "did you mean"."""
    import latex2mathml.commands as commands
    from latex2mathml.symbols_parser import parse_symbols

    found: set[str] = set()
    for value in vars(commands).values():
        values = value if isinstance(value, (tuple, list, set, frozenset, dict)) else (value,)
        found.update(v for v in values if isinstance(v, str) and v.startswith("\\"))
    found.update(name for name in parse_symbols() if name.startswith("\\"))
    return frozenset(found)


@functools.cache
def structure_commands() -> frozenset[str]:
    """The commands that build a formula (\\frac, \\sqrt, \\left...), tried first for "did
    you mean": \\fraq is a misspelt \\frac, not the rare symbol \\mfrakq."""
    import latex2mathml.commands as commands

    return frozenset(v for v in vars(commands).values()
                     if isinstance(v, str) and v.startswith("\\"))


def did_you_mean(command: str) -> str:
    for candidates in (structure_commands(), known_commands()):
        close = difflib.get_close_matches(command, candidates, n=1, cutoff=0.75)
        if close:
            return _(" - did you mean {command}?").format(command=close[0])
    return ""


# -- one formula ----------------------------------------------------------------------------


def formula_error(latex: str, display: bool = False, quoted: bool = False) -> str:
    """Why `latex` does not draw as written, in words, or "" when it does. `quoted`: the
    formula comes from a quiz's YAML, where a newline may be a lost `\\n`."""
    return _formula_verdict(latex, display, quoted, language())[0]


def formula_warning(latex: str) -> str:
    """What is wrong with a display formula that draws (too tall for the page), or ""."""
    return _formula_verdict(latex, True, False, language())[1]


@functools.lru_cache(maxsize=4096)
def _formula_verdict(latex: str, display: bool, quoted: bool,
                     _language: str) -> tuple[str, str]:
    """(error, warning) of one formula, in the words of `_language` (the current one, a key
    of the cache); cached: five varieties often share their formulas."""
    if not latex.strip():
        return _("the formula is empty"), ""
    message = lost_backslash(latex, quoted) or unbalanced(latex) or markdown_inside(latex)
    if message:
        return message, ""
    try:
        mathml = formula_mathml(latex, display)
        message = mathml_problem(mathml)
        if message:
            return message, ""
        svg = svg_of_mathml(mathml, DISPLAY_SIZE_PX, "#000000")
    except RecursionError:
        return _("the formula is nested too deeply to draw"), ""
    except Exception as error:  # latex2mathml and ziamath raise many types
        return raised_in_words(error), ""
    if "<path" not in svg and "<text" not in svg:
        return _("the formula draws nothing"), ""
    height = _svg_height(svg)
    if display and height > MAX_DISPLAY_HEIGHT_PX:
        return "", _("the formula is {height} px tall on the page (more than {limit} px): "
                     "split it into several formulas, or use smaller fractions ({command})"
                     ).format(height=f"{height:.0f}", limit=MAX_DISPLAY_HEIGHT_PX,
                              command="\\tfrac")
    return "", ""


def raised_in_words(error: Exception) -> str:
    words = RAISED.get(type(error).__name__)
    if words:
        return _(words)
    detail = str(error).strip()
    # A message of ours only when it is words; a bare class or key name says nothing.
    if " " in detail:
        return _("the renderer cannot draw it ({detail})").format(detail=detail[:80])
    return _("the renderer cannot draw it")


def lost_backslash(latex: str, quoted: bool) -> str:
    """A control character where a quoted YAML text ate the backslash of a command."""
    for position, char in enumerate(latex):
        letter = YAML_ESCAPES.get(char) or ("n" if quoted and char == "\n" else None)
        if letter is None:
            continue
        rest = re.match(r"[A-Za-z]*", latex[position + 1:])[0]
        command = "\\" + letter + rest
        if char == "\n" and command not in known_commands():
            continue
        shown = command if command in known_commands() or rest else f"\\{letter}"
        return _("{command} lost its backslash: in a text between double quotes YAML reads "
                 "{escape} as a control character; write {doubled} or use single quotes").format(
            command=shown, escape="\\" + letter, doubled="\\" + shown)
    return ""


def unbalanced(latex: str) -> str:
    """Braces, \\left/\\right and \\begin/\\end that do not pair, said where they are."""
    braces: list[int] = []
    lefts: list[str] = []
    environments: list[str] = []
    position = 0
    while position < len(latex):
        char = latex[position]
        if char == "\\":
            match = _COMMAND.match(latex, position)
            if match is None:
                break
            name = match.group(1)
            after = latex[match.end():]
            if name == "left":
                lefts.append(_delimiter(after))
            elif name == "right":
                if not lefts:
                    return _(r"{right} has no \left before it: write them in pairs, "
                             r"\left( ... \right)").format(right="\\right" + _delimiter(after))
                lefts.pop()
            elif name in ("begin", "end"):
                environment = re.match(r"\s*\{([^}]*)\}", after)
                label = environment.group(1) if environment else ""
                if name == "begin":
                    if "\\" + label not in known_commands() and label not in TEX2MML_ALIASES:
                        hint = did_you_mean(chr(92) + label).replace(chr(92), "", 1)
                        return _("{begin} is not an environment the renderer knows").format(
                            begin=f"\\begin{{{label}}}") + hint
                    environments.append(label)
                elif not environments or environments[-1] != label:
                    return _("{end} has no matching {begin}").format(
                        end=f"\\end{{{label}}}", begin=f"\\begin{{{label}}}")
                else:
                    environments.pop()
            position = match.end()
            continue
        if char == "{":
            braces.append(position)
        elif char == "}":
            if not braces:
                return _("the formula has a }} that closes nothing (after `{before}`): remove "
                         "it or add its {{").format(before=_before(latex, position))
            braces.pop()
        position += 1
    if braces:
        return _("the formula has a {{ that is never closed (after `{before}`): add the "
                 "missing }}").format(before=_before(latex, braces[0]))
    if lefts:
        return _(r"{left} has no matching \right: close it with \right) (or \right. for no "
                 "bracket)").format(left="\\left" + lefts[0])
    if environments:
        return _("{begin} has no matching {end}").format(
            begin=f"\\begin{{{environments[0]}}}", end=f"\\end{{{environments[0]}}}")
    return ""


def _delimiter(after: str) -> str:
    match = re.match(r"\s*(\\[A-Za-z]+|\\.|.)", after, re.DOTALL)
    return match.group(1) if match else ""


def _before(latex: str, position: int) -> str:
    """What leads up to the brace at `position`, for the author to find it: its command
    (`\\frac{`) or the few characters before it."""
    match = re.search(r"\\[A-Za-z]+\s*$", latex[:position])
    if match:
        return match.group(0) + latex[position]
    window = latex[max(0, position - 24):position + 1]
    return window[max(0, window.rfind("\\")):].strip()


def markdown_inside(latex: str) -> str:
    """A formula holding Markdown: a `$$` above was never closed and swallowed the text."""
    if _MARKDOWN_IN_FORMULA.search(latex):
        return _("the formula holds Markdown (a heading, figure, table, fence or :::): a $$ "
                 "before it is probably never closed")
    return ""


def mathml_problem(mathml: ET.Element) -> str:
    """Commands the renderer does not know (it draws their names) and parts left out."""
    for element in mathml.iter():
        tag = local_name(element.tag)
        text = (element.text or "").strip()
        if tag in ("mi", "mo", "mn") and re.fullmatch(r"\\[A-Za-z]+", text):
            return _("{command} is not a command the renderer knows").format(
                command=text) + did_you_mean(text)
        needed = PARTS.get(tag)
        if needed and len(element) < needed[0]:
            return _(needed[1])
    return ""


def _svg_height(svg: str) -> float:
    match = re.search(r'<svg[^>]*\sheight="([\d.]+)', svg)
    return float(match.group(1)) if match else 0.0


# -- the formulas of a text ------------------------------------------------------------------


class SourceLines:
    """Finds where a formula is written in one Markdown file, in reading order per block."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def offset_of(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]

    def find(self, latex: str, cursor: int, inline: bool) -> int:
        """Offset of `latex` as written at or after `cursor` (-1 if not found): as is, or as
        a quoted YAML text writes it (backslashes doubled, escapes not yet read)."""
        first, *more = latex.split("\n", 1)
        restored = restore_escapes(first)
        doubled = "".join("\\" + YAML_ESCAPES[c] if c in YAML_ESCAPES else
                          "\\\\" if c == "\\" else c for c in first)
        for written in dict.fromkeys((first, restored, doubled)):
            candidates = [written]
            if inline:
                candidates[:0] = [f"${written}$"] * (not more) + [f"${written}"]
            for candidate in candidates:
                if candidate.strip("$ ") or candidate == f"${written}$":
                    found = self.text.find(candidate, cursor)
                    if found >= 0:
                        return found
        return -1


def restore_escapes(latex: str) -> str:
    """`latex` with each control character a quoted YAML text made written back as `\\t`."""
    return "".join("\\" + YAML_ESCAPES[c] if c in YAML_ESCAPES else c for c in latex)


def block_formula_problems(block, source: SourceLines, path) -> list[Problem]:
    """Problems of the formulas of one block, each at the line the formula is written on (a
    display formula: the line of its `$$`)."""
    if isinstance(block, FormulaBlock):
        formulas, display = [block.latex], True
    elif isinstance(block, (TextBlock, QuizBlock)):
        formulas, display = block.formulas, False
    else:
        return []
    quoted = isinstance(block, QuizBlock)
    problems: list[Problem] = []
    start = cursor = source.offset_of(block.line)
    for latex in formulas:
        line = block.line
        # A quiz's formula comes from YAML: a newline there was most likely written \n.
        written = latex.replace("\n", "\\n") if quoted else latex
        if not display:
            # In reading order; a quiz's formulas are numbered question, explanation, options.
            found = source.find(written, cursor, inline=True)
            found = found if found >= 0 else source.find(written, start, inline=True)
            if found >= 0:
                line, cursor = source.line_of(found), found + 1
        shown = restore_escapes(written).strip()[:SHOWN_CHARS].replace("\n", " ")
        message = formula_error(latex, display, quoted)
        if message:
            problems.append(Problem(path, line, _("formula {formula} does not render: {problem}")
                                    .format(formula=f"${shown}$", problem=message)))
        elif display:
            warning = formula_warning(latex)
            if warning:
                problems.append(Problem(path, line, _("formula {formula}: {problem}").format(
                    formula=f"${shown}$", problem=warning), "warning"))
    return problems


# -- a `$` that opens nothing ------------------------------------------------------------------


@functools.cache
def _dollar_markdown():
    """The lessons' Markdown parser, but keeping `\\$` apart from a plain `$`."""
    from hafiza.lessonlib.markdown_syntax import make_markdown

    md = make_markdown()
    md.core.ruler.disable("text_join")
    return md


def stray_dollar_problems(text: str, path) -> list[Problem]:
    """Every `$` or `$$` of the prose (quizzes included) that opens no formula: its formula
    is never closed, so the learner sees the dollar and the LaTeX as text."""
    import yaml

    problems: list[Problem] = []
    md = _dollar_markdown()
    for token in md.parse(as_document(text)):
        if token.type == "inline" and token.map:
            problems.extend(_inline_dollars(token.children or (), token.map[0] + 1, path))
        elif token.type == "fence" and token.info.strip() == "quiz" and token.map:
            try:
                data = yaml.safe_load(token.content)
            except yaml.YAMLError:
                continue  # the quiz checker reports it
            fence = SourceLines(token.content)
            for value in _quiz_texts(data):
                children = md.parseInline(value)[0].children or ()
                if _inline_dollars(children, 1, path):
                    where = fence.find(value.split("$", 1)[0] + "$", 0, inline=False)
                    line = token.map[0] + 1 + (fence.line_of(where) if where >= 0 else 1)
                    problems.append(Problem(path, line, _(_DOLLAR_MESSAGE)))
    return problems


_DOLLAR_MESSAGE = N_("a $ here opens a formula that is never closed, so it is shown as text: "
                     "close it with a second $ ($$ for a display formula), or write \\$ for a "
                     "dollar sign")


def _inline_dollars(children, line: int, path) -> list[Problem]:
    problems = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text" and _opens_formula(child.content):
            problems.append(Problem(path, line, _(_DOLLAR_MESSAGE)))
    return problems


def _opens_formula(text: str) -> bool:
    """A `$` not beside a digit: `$5` and `5$` are amounts (dollarmath leaves them alone)."""
    return any(not (text[i + 1:i + 2].isdigit() or text[i - 1:i].isdigit())
               for i, char in enumerate(text) if char == "$")


def _quiz_texts(data) -> list[str]:
    """The texts of a quiz that may hold formulas: question, explanations, options."""
    if not isinstance(data, dict):
        return []
    texts = [data.get("question"), data.get("explain")]
    for option in data.get("options") or () if isinstance(data.get("options"), list) else ():
        if isinstance(option, dict):
            texts += [option.get("text"), option.get("explain")]
        else:
            texts.append(option)
    return [text for text in texts if isinstance(text, str)]
