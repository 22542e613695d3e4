"""A lesson's `version` (`version: "1.3"` in lesson.yaml), read and compared.

The version is the text as written: YAML reads `version: 1.10` as the number 1.1, so the
scalar's own text is taken from the YAML node, never the parsed value. Versions compare as
dotted numbers ("1.10" is newer than "1.9"); a version that is not dotted numbers compares
as text. Import says what a pack's lesson does to the one the learner has: "updates 1.2 to
1.3", "older (1.2) than the installed 1.3", or neither.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from hafiza.lessonlib.model import LessonError
from hafiza.lessonlib.schema import read_yaml
from hafiza.words import _

_DOTTED = re.compile(r"\d+(\.\d+)*")


def version_of(data: object, node: yaml.Node | None) -> str | None:
    """The version as written in lesson.yaml, or None when it has none."""
    if not isinstance(data, dict) or data.get("version") in (None, ""):
        return None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "version" and isinstance(value, yaml.ScalarNode):
                return value.value.strip() or None
    return str(data["version"])


def version_from_bytes(raw: bytes | None) -> str | None:
    """The version of a lesson.yaml's bytes; None when it has none or cannot be read."""
    if raw is None:
        return None
    try:
        data, node = read_yaml(raw.decode("utf-8"))
    except (LessonError, UnicodeDecodeError, RecursionError):
        return None
    return version_of(data, node)


def folder_version(folder: Path) -> str | None:
    try:
        return version_from_bytes((Path(folder) / "lesson.yaml").read_bytes())
    except OSError:
        return None


def _key(version: str) -> tuple:
    if _DOTTED.fullmatch(version):
        numbers = [int(part) for part in version.split(".")]
        while len(numbers) > 1 and numbers[-1] == 0:  # 1.2 is 1.2.0
            numbers.pop()
        return (0, tuple(numbers))
    return (1, version)


def compare(new: str | None, old: str | None) -> int:
    """-1, 0 or 1 as `new` is older than, the same as or newer than `old`; 0 when either
    is missing (nothing can be said)."""
    if not new or not old:
        return 0
    a, b = _key(new), _key(old)
    if a[0] != b[0]:
        return 0  # a dotted number and free text: not comparable
    return (a > b) - (a < b)


def change_words(new: str | None, old: str | None) -> str | None:
    """What installing version `new` over `old` does, in words; None when nothing to say."""
    order = compare(new, old)
    if order > 0:
        return _("updates {old} to {new}").format(old=old, new=new)
    if order < 0:
        return _("older ({new}) than the installed {old}").format(new=new, old=old)
    if new and old and new == old:
        return _("the same version {new} as the installed one").format(new=new)
    return None
