"""The lesson schema repeats a few of the engine's tables (an editor needs them in one JSON
file); these tests fail when the two disagree, so a new playground cannot be added to one."""

import json

from hafiza.engine.tables import PLAYGROUNDS
from hafiza.lessonlib.schema import SCHEMA_PATH


def _playground_enum(node):
    if isinstance(node, dict):
        if "playground" in node.get("properties", {}):
            return node["properties"]["playground"]["enum"]
        for value in node.values():
            found = _playground_enum(value)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _playground_enum(value)
            if found:
                return found
    return None


def test_the_schema_names_every_playground_of_the_engine():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert sorted(_playground_enum(schema)) == sorted(PLAYGROUNDS)
