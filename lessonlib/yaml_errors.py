"""YAML mistakes said in words, at the line where the author made them.

PyYAML reports what its parser expected ("did not find expected key") at the place where it
gave up, which is often lines below the mistake: an unclosed quote runs on until the next
quote, a missing colon is noticed on the next line. Instructors are not programmers, so each
parser error is turned into (line, message): what is wrong on that line and how to fix it.
The original wording is kept only as a last resort, with a general hint.
"""

from __future__ import annotations

import re

import yaml

from hafiza.words import N_, _

PREFIX = "not valid YAML: "  # in English; each message is said through `_invalid`
INDENTATION_HINT = N_("YAML uses indentation to group things: the lines of one group start "
                      "with the same number of spaces; check the spaces")
QUOTE_HINT = N_('put the whole text in quotes, e.g. "…"')

# the value part of `key: value` or `- value`, where an author's quotes start
_VALUE = re.compile(r"^\s*(?:-\s+)?(?:[^\s#'\"][^:#]*?:\s+|-\s+)?(?P<value>.*)$")


def _invalid(problem: str) -> str:
    """'not valid YAML: <problem>', in the reader's language."""
    return _("not valid YAML: {problem}").format(problem=problem)


def explain(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """(1-based line, message in words) for a YAML error in `text`."""
    lines = text.splitlines()
    problem = getattr(error, "problem", None) or ""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    line = problem_mark.line + 1 if problem_mark else 1
    column = problem_mark.column if problem_mark else 0
    context_line = context_mark.line + 1 if context_mark else line
    quote_hint = _(QUOTE_HINT)

    tab_line = _first_tab_indent(lines, line)
    if tab_line:
        return tab_line, _invalid(_("this line is indented with a tab; YAML indents with "
                                    "spaces only: replace the tab with spaces"))
    quote = _quote_problem(lines, line)
    if quote:
        return quote[0], _invalid(quote[1])
    character = _char_at(lines, line, column)
    if "cannot start any token" in problem:
        if character == "\t":
            return line, _invalid(_("a tab character here: YAML uses spaces only; replace it"))
        return line, _invalid(_("a value cannot start with {character!r} in YAML: {hint}"
                                ).format(character=character, hint=quote_hint))
    if "while scanning an alias" in str(getattr(error, "context", "")):
        return line, _invalid(_("a value that starts with * is read as a YAML alias: {hint} "
                                "(\"*word* …\")").format(hint=quote_hint))
    if "could not find expected ':'" in problem:
        return context_line, _invalid(_("this line has no colon: write `name: value`, with a "
                                        "colon and a space after the name (if it continues "
                                        "the text above, indent it further)"))
    if "unknown escape character" in problem:
        return line, _invalid(_("inside \"…\" a backslash starts an escape such as \\n; for "
                                "LaTeX like \\sigma use single quotes '…' instead, or write "
                                "the backslash twice (\\\\sigma)"))
    if "mapping values are not allowed" in problem:
        if _indent(lines, line) > _indent(lines, _previous_line(lines, line)) \
                and not _opens_group(lines, _previous_line(lines, line)):
            return line, _invalid(_("this line is indented further than the one above — "
                                    "{hint}").format(hint=_(INDENTATION_HINT)))
        return line, _invalid(_("a second ': ' inside a value (YAML reads it as a new field): "
                                "{hint}").format(hint=quote_hint))
    if "expected ',' or ']'" in problem:
        return context_line, _invalid(_("the [ opened on this line is never closed: add ] at "
                                        "its end (or, if this is text, {hint})"
                                        ).format(hint=quote_hint))
    if "expected ',' or '}'" in problem:
        return context_line, _invalid(_("the {{ opened on this line is never closed: add }} at "
                                        "its end (or, if this is text, {hint})"
                                        ).format(hint=quote_hint))
    if "expected key" in problem or "expected <block end>" in problem \
            or "expected '-' indicator" in problem:
        return _misplaced(lines, line, column, context_line)
    if "could not determine a constructor" in problem:
        return line, _invalid(_("YAML tags (!name, !!python/...) are not allowed: remove the ! "
                                "part, or {hint}").format(hint=quote_hint))
    if "another document" in problem:
        return line, _invalid(_("'---' starts a second document; a lesson file is one "
                                "document: remove this line"))
    if "unhashable key" in problem:
        return line, _invalid(_("a field name must be plain text, not a list or a mapping"))
    if "end of stream" in problem and "quoted scalar" in str(getattr(error, "context", "")):
        return context_line, _invalid(_("the quote opened on this line is never closed"))
    detail = problem or str(error).splitlines()[0]
    return line, _invalid(_("{detail} (check the spaces at the start of the line, the colons "
                            "and the quotes)").format(detail=detail))


def _misplaced(lines: list[str], line: int, column: int, context_line: int) -> tuple[int, str]:
    """The parser met something where it expected `name:` at that indentation."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    stripped = text.strip()
    quote_hint = _(QUOTE_HINT)
    if column > _indent(lines, line) and stripped[:1] not in ("-",):
        value = _VALUE.match(text)
        start = value.group("value")[:1] if value else ""
        if start == "[":
            return line, _invalid(_("a value that starts with [ is read as a list, and here "
                                    "text follows it: {hint}").format(hint=quote_hint))
        if start == "{":
            return line, _invalid(_("a value that starts with {{ is read as a mapping, and "
                                    "here text follows it: {hint}").format(hint=quote_hint))
        return line, _invalid(_("something follows the value on this line: {hint}"
                                ).format(hint=quote_hint))
    if stripped.startswith("-") and context_line != line:
        group = lines[context_line - 1] if 0 < context_line <= len(lines) else ""
        if not group.lstrip().startswith("-") or _indent(lines, line) != _indent(
                lines, context_line):
            return line, _invalid(_("a list item (- …) where a field (name: value) or a "
                                    "differently indented item was expected — {hint}"
                                    ).format(hint=_(INDENTATION_HINT)))
    return line, _invalid(_("this line is indented differently from the one above — {hint}"
                            ).format(hint=_(INDENTATION_HINT)))


def _quote_problem(lines: list[str], until: int) -> tuple[int, str] | None:
    """The first line up to `until` whose quoted value is never closed or is closed early."""
    for number, text in enumerate(lines[:until], 1):
        match = _VALUE.match(text)
        value = match.group("value") if match else ""
        if not value or value[0] not in "'\"":
            continue
        quote = value[0]
        closing = _closing_quote(value, quote)
        if closing is None:
            return number, _("the text that starts with {quote} is never closed: add the "
                             "closing {quote} at the end of the line").format(quote=quote)
        rest = value[closing + 1:].strip()
        if rest and not rest.startswith("#") and rest[0] not in ",]}:":
            if quote == "'":
                return number, _("the ' inside this text ends it early: write it twice ('') "
                                 "or put the text in double quotes \"…\"")
            return number, _("the \" inside this text ends it early: write \\\" or put the "
                             "text in single quotes '…'")
    return None


def _closing_quote(value: str, quote: str) -> int | None:
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1:index + 2] == "'":
                index += 2  # '' is an apostrophe inside single quotes
                continue
            return index
        index += 1
    return None


def _first_tab_indent(lines: list[str], until: int) -> int:
    for number, text in enumerate(lines[:until], 1):
        if text[: len(text) - len(text.lstrip())].count("\t"):
            return number
    return 0


def _char_at(lines: list[str], line: int, column: int) -> str:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[column] if 0 <= column < len(text) else ""


def _indent(lines: list[str], line: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text) - len(text.lstrip(" "))


def _previous_line(lines: list[str], line: int) -> int:
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return line


def _opens_group(lines: list[str], line: int) -> bool:
    """Whether `line` ends with a colon, so the lines below it may be indented further."""
    text = lines[line - 1].split(" #")[0].rstrip() if 0 < line <= len(lines) else ""
    return text.endswith(":") or text.endswith(("|", ">", "|-", ">-"))
