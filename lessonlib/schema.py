"""Reading `lesson.yaml` safely and checking it against `lesson.schema.json`.

The schema is a file of its own so editors can use it (VS Code's YAML extension:
`# yaml-language-server: $schema=.../lessonlib/lesson.schema.json`). The variety tags are not
listed in it: they come from the one table, `hafiza.varieties`, when the schema is loaded.
Every problem carries the line of the offending value in the YAML file, found through the
composed YAML nodes.
YAML is read with the safe loader only; anchors and aliases are refused (a few lines of
aliases can expand to billions of values), and so are non-text mapping keys.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import yaml

from hafiza import varieties
from hafiza.lessonlib import schema_words, yaml_errors
from hafiza.lessonlib.model import LessonError, Problem
from hafiza.words import N_, _

SCHEMA_PATH = Path(__file__).with_name("lesson.schema.json")
MAX_YAML_BYTES = 256 * 1024
ALIAS_MESSAGE = N_("YAML anchors and aliases (&, *) are not allowed: if this text starts "
                   "with * or & (as *emphasis* does), put the whole text in quotes")


@functools.cache
def schema() -> dict[str, Any]:
    loaded = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    loaded["$defs"]["variety"] = {"enum": list(varieties.TAGS)}
    return loaded


@functools.cache
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


# libyaml's C parser when PyYAML has it: the same safe loader, ~10x faster (the app reads
# every lesson.yaml for its outline at start-up).
FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _too_large() -> str:
    return _("the file is larger than {size} KB").format(size=MAX_YAML_BYTES // 1024)


def read_yaml(text: str, path: Path | str = "lesson.yaml") -> tuple[Any, yaml.Node | None]:
    """(data, root node) of a YAML text; raises LessonError with the line of the fault."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise LessonError(_too_large(), path, 1)
    try:
        for event in yaml.parse(text, Loader=FastSafeLoader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None or isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise LessonError(_(ALIAS_MESSAGE), path, line)
        node = yaml.compose(text, Loader=FastSafeLoader)
        data = yaml.load(text, Loader=FastSafeLoader)
    except yaml.YAMLError as error:
        line, message = yaml_errors.explain(error, text)
        raise LessonError(message, path, line) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as error:
        raise LessonError(_("not valid YAML: {error}").format(error=error), path,
                          1) from None
    return data, node


def _node_problems(node: yaml.Node | None, path: Path | str) -> list[Problem]:
    """Duplicate keys and keys that are not text, anywhere in the document."""
    problems: list[Problem] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                line = key.start_mark.line + 1
                if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                    problems.append(Problem(path, line, _("keys must be plain text")))
                elif key.value in seen:
                    problems.append(Problem(path, line, _(
                        "duplicate key {key!r} (first on line {line}): a field is written "
                        "once; keep one of them").format(key=key.value, line=seen[key.value])))
                else:
                    seen[key.value] = line
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(problems, key=lambda p: p.line)


def line_of(node: yaml.Node | None, keys: list[Any], key_itself: bool = False) -> int:
    """The 1-based line of the value at `keys` (a JSON path) in the composed YAML."""
    if node is None:
        return 1
    current = node
    for key in keys:
        found = None
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                    found = value_node
                    if key_itself and key is keys[-1]:
                        return key_node.start_mark.line + 1
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int):
            if 0 <= key < len(current.value):
                found = current.value[key]
        if found is None:
            break
        current = found
    return current.start_mark.line + 1


def validate(data: Any, node: yaml.Node | None, path: Path | str) -> list[Problem]:
    """Schema problems of a lesson.yaml's data, each with its line, in words."""
    problems = _node_problems(node, path)
    if problems:
        return problems
    found = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    for error in _without_cascades(found):
        keys = list(error.absolute_path)
        where = "/".join(str(k) for k in keys)
        line = line_of(node, keys)
        if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
            line = line_of(node, [*keys, error.instance], key_itself=True)
        extra = _unknown_fields(error)
        if extra:
            line = line_of(node, [*keys, extra[0]], key_itself=True)
        message = schema_words.describe(error, extra)
        problems.append(Problem(path, line, f"{where}: {message}" if where else message))
    return problems


def _unknown_fields(error) -> list[str]:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = set(error.schema.get("properties", {}))
    return sorted(str(k) for k in error.instance if k not in allowed)


def _without_cascades(errors: list) -> list:
    """One message per mistake: a required field that is missing because its name is
    misspelt ('titles' for 'title') is said once, by the unknown-field message."""
    misspelt: set[tuple] = set()
    for error in errors:
        for name in _unknown_fields(error):
            close = schema_words.closest(name, error.schema.get("properties", {}))
            if close:
                misspelt.add((tuple(error.absolute_path), close))
    return [e for e in errors
            if not (e.validator == "required" and
                    (tuple(e.absolute_path), schema_words.missing_field(e)) in misspelt)]


def load_lesson_data(path: Path) -> tuple[dict[str, Any], yaml.Node | None, list[Problem]]:
    """Reads and checks a lesson.yaml; raises LessonError when it cannot be read at all."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LessonError(_("cannot read: {reason}").format(reason=error.strerror or error),
                          path, 1) from None
    return lesson_data_from_bytes(raw, path)


def lesson_data_from_bytes(raw: bytes, path: Path | str
                           ) -> tuple[dict[str, Any], yaml.Node | None, list[Problem]]:
    if len(raw) > MAX_YAML_BYTES:
        raise LessonError(_too_large(), path, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LessonError(_("not UTF-8 text"), path, line) from None
    data, node = read_yaml(text, path)
    if not isinstance(data, dict):
        raise LessonError(_("lesson.yaml must be a mapping of fields (id, order, title…)"),
                          path, 1)
    return data, node, validate(data, node, path)
