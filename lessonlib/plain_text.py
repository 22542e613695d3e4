"""The texts of `lesson.yaml` and `glossary.yaml` are plain text: no raw HTML in them.

A title, a glossary definition or an exercise's title is shown as text, never as markup;
one that holds a tag (`<img src="file:...">`, `<a href=...>`) is an error at its line, as raw
HTML in a lesson's Markdown is. (Which links a lesson may hold: `hafiza.safelinks`.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hafiza.lessonlib.model import Problem
from hafiza.words import _

# Anything shaped like a tag, a comment, a declaration or a processing instruction. Text such
# as "a < b" or "x <= 3" is not (the `<` is followed by a space or a digit).
RAW_HTML = re.compile(r"<(?:[A-Za-z][\w:.-]*|/[A-Za-z][\w:.-]*|!--|![A-Za-z\[]|\?)[^<>]*>?")


def raw_html(text: Any) -> str | None:
    """The first tag-like piece of `text`, or None when it has none (or is not text)."""
    if not isinstance(text, str):
        return None
    match = RAW_HTML.search(text)
    return match.group(0) if match else None


def _texts(data: Any, keys: list[Any]) -> Iterator[tuple[list[Any], str]]:
    if isinstance(data, str):
        yield keys, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, [*keys, key])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, [*keys, index])


# The fields of lesson.yaml whose texts learners see (shown as plain text).
SHOWN_FIELDS = ("title", "glossary", "authors", "license")


def lesson_yaml_problems(data: dict, node, path: Path | str) -> list[Problem]:
    """Raw HTML in the texts of a lesson.yaml that learners see, each at its line."""
    from hafiza.lessonlib.schema import line_of

    places: list[tuple[list[Any], str]] = []
    for field in SHOWN_FIELDS:
        places.extend(_texts(data.get(field), [field]))
    exercises = data.get("exercises")
    for index, exercise in enumerate(exercises if isinstance(exercises, list) else ()):
        if isinstance(exercise, dict):
            places.extend(_texts(exercise.get("title"), ["exercises", index, "title"]))
    problems = []
    for keys, text in places:
        found = raw_html(text)
        if found:
            problems.append(Problem(path, line_of(node, keys), _raw_html_message(found)))
    return problems


def glossary_yaml_problems(data: Any, node, path: Path | str) -> list[Problem]:
    """Raw HTML in a course glossary's terms and definitions, each at its line."""
    from hafiza.lessonlib.schema import line_of

    return [Problem(path, line_of(node, keys), _raw_html_message(found))
            for keys, text in _texts(data, []) if (found := raw_html(text))]


def _raw_html_message(found: str) -> str:
    return _("raw HTML is not allowed: {tag!r}").format(tag=found[:40])
