"""JSON Schema errors of lesson.yaml said in words an instructor understands.

jsonschema words its errors for programmers ("'X' does not match '^[a-z0-9]...'", "is not of
type 'integer'"); the checker says what the field must be instead, with an example, and
suggests the field an unknown name was probably meant to be.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from hafiza import varieties
from hafiza.words import N_, _, ngettext

LESSON_ID_RULE = N_("lowercase letters a-z, digits and hyphens (-), starting with a letter or "
                    "a digit, at most 64 characters, e.g. 'lstm-gates'")
EXERCISE_ID_RULE = N_("letters, digits, hyphens (-) and underscores (_), without spaces, at "
                      "most 64 characters, e.g. 'lstm-sine'")
GLOSSARY_TERM_RULE = N_("a glossary term may not contain [, ], | or a line break")

# what each JSON type is, for "must be ..." (translated when said)
TYPE_WORDS = {
    "integer": N_("a whole number (e.g. 10)"),
    "number": N_("a number (e.g. 0.5)"),
    "string": N_("a text"),
    "array": N_("a list (lines starting with '- ', or [a, b])"),
    "object": N_("a group of 'name: value' lines, indented under it"),
    "boolean": N_("true or false"),
    "null": N_("empty"),
}

# what a required field holds, to say what to add (translated when said)
FIELD_WORDS = {
    "id": N_("the lesson's id, the same as its folder's name"),
    "order": N_("its place in the course, a whole number"),
    "title": N_("its title in each variety (en: …, fa: …)"),
    "task": N_("regression, binary, multiclass, tagging or language_model"),
    "dataset": N_("the data set, e.g. {name: sine}"),
    "model": N_("the list of layers, e.g. [\"LSTM(16)\", \"Dense(1, linear)\"]"),
    "name": N_("the name of the data set"),
    "metric": N_("the metric the goal watches, e.g. val_loss"),
    "op": N_("one of >=, >, <=, <"),
    "value": N_("the number to reach"),
    "playground": N_("the playground's name"),
}


def closest(name: str, known) -> str:
    """The known field `name` most probably misspells, or ""."""
    matches = difflib.get_close_matches(name, [str(k) for k in known], n=1, cutoff=0.75)
    return matches[0] if matches else ""


def missing_field(error) -> str:
    match = re.match(r"'([^']+)' is a required property", error.message)
    return match.group(1) if match else ""


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:60] + "…"
        return _("the text {text!r}").format(text=text)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a group of fields")
    return _("nothing") if value is None else type(value).__name__


def _id_rule(error) -> str:
    path = [str(k) for k in error.absolute_path]
    if "glossary" in path[:1]:
        return _(GLOSSARY_TERM_RULE)
    if path[:1] == ["exercises"]:
        return _("an exercise id uses {rule}").format(rule=_(EXERCISE_ID_RULE))
    if path[:1] == ["prerequisites"]:
        return _("a prerequisite is a lesson id: {rule}").format(rule=_(LESSON_ID_RULE))
    return _("an id uses {rule}").format(rule=_(LESSON_ID_RULE))


def _unknown(field: str, guess: str, known: list[str]) -> str:
    listed = ", ".join(known)
    if guess:
        return _("unknown field {field!r}: did you mean {guess!r}? (known fields: {known})"
                 ).format(field=field, guess=guess, known=listed)
    if known:
        return _("unknown field {field!r} (known fields: {known})").format(field=field,
                                                                           known=listed)
    return _("unknown field {field!r}").format(field=field)


def _either(wanted: list[str]) -> str:
    """'a whole number (e.g. 10) or a text': the types a value may have, in words."""
    words = [_(TYPE_WORDS[t]) if t in TYPE_WORDS else t for t in wanted]
    said = words[0]
    for word in words[1:]:
        said = _("{first} or {second}").format(first=said, second=word)
    return said


def describe(error, unknown: list[str]) -> str:
    """The words for one jsonschema `error`; `unknown` lists the unknown fields it names."""
    kind, instance, expected = error.validator, error.instance, error.validator_value
    if unknown:
        known = sorted(str(k) for k in error.schema.get("properties", {}))
        return _unknown(unknown[0], closest(unknown[0], known), known)
    in_names = "propertyNames" in error.absolute_schema_path
    if kind == "enum" and in_names:
        names = ", ".join(f"{v.tag} ({v.english_name})" for v in varieties.VARIETIES.values()) \
            if set(expected) == set(varieties.TAGS) else ", ".join(map(str, expected))
        return _("key {key!r} is not a variety of Hafiza; use one of: {names}").format(
            key=instance, names=names)
    if kind == "pattern" and list(error.absolute_path) == ["version"]:
        return _("the version {version!r} is not dotted numbers: write it as \"1.3\" (in "
                 "quotes, so that 1.10 stays 1.10)").format(version=instance)
    if kind == "pattern":
        if in_names:
            return _("the key {key!r} is not allowed: {rule}").format(key=instance,
                                                                      rule=_id_rule(error))
        return _("the id {id!r} is not allowed: {rule}").format(id=instance,
                                                                rule=_id_rule(error))
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        if isinstance(instance, str) and "object" in wanted:
            return _("must be {expected}, not {actual} (is a colon missing after a name?)"
                     ).format(expected=_either(wanted), actual=_shown(instance))
        return _("must be {expected}, not {actual}").format(expected=_either(wanted),
                                                            actual=_shown(instance))
    if kind == "required":
        field = missing_field(error)
        what = FIELD_WORDS.get(field)
        if what:
            return _("the field {field!r} is missing: add {field}: with {what}").format(
                field=field, what=_(what))
        return _("the field {field!r} is missing").format(field=field)
    if kind == "enum":
        return _("{value} is not allowed here; use one of: {choices}").format(
            value=_shown(instance), choices=", ".join(map(str, expected)))
    if kind in ("minimum", "exclusiveMinimum"):
        return _("must be at least {minimum}, not {value}").format(minimum=expected,
                                                                   value=instance)
    if kind in ("maximum", "exclusiveMaximum"):
        return _("must be at most {maximum}, not {value}").format(maximum=expected,
                                                                  value=instance)
    if kind == "minLength":
        return _("is empty: write a text") if expected <= 1 else ngettext(
            "is too short (at least {n} characters)", "is too short (at least {n} characters)",
            expected).format(n=expected)
    if kind == "maxLength":
        return ngettext("is too long: at most {n} characters",
                        "is too long: at most {n} characters", expected).format(n=expected)
    if kind in ("minItems", "minProperties"):
        return ngettext("needs at least {n} item(s)", "needs at least {n} item(s)",
                        expected).format(n=expected)
    if kind in ("maxItems", "maxProperties"):
        return ngettext("has too many items: at most {n}", "has too many items: at most {n}",
                        expected).format(n=expected)
    if kind == "uniqueItems":
        return _("lists the same thing twice: keep one")
    message = error.message
    return message if len(message) <= 300 else message[:300] + "…"
