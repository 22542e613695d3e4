"""Paths into a parsed YAML document and a copy with one of them replaced: how the checker's
type fuzzing (tests/lessons/test_fuzz_parser.py, test_checker_hostile.py) and
bench/fuzz_lessons.py reach every key of a `lesson.yaml`."""

from __future__ import annotations

from typing import Any


def key_paths(value: Any, prefix: tuple = ()):
    """Every key path of the document, to the leaves and to every container on the way."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from key_paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from key_paths(inner, (*prefix, index))


def replaced(document: Any, path: tuple, value: Any) -> Any:
    """A copy of `document` with the item at `path` set to `value` (the input untouched)."""
    if not path:
        return value
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[path[0]] = replaced(document[path[0]], path[1:], value)
    return copy
