"""One lesson, several varieties: what each text lacks against the others, and quizzes with
the same id that ask different things.

Progress is kept per quiz id and a learner may switch language mid-course, so a quiz must be
the same question in every variety (issue 19): the same type, options, correct set, answer
and tolerance. Each finding is a warning, said once, with the file:line of both sides: a
quiz missing from one variety gives one message at the place it would go in that variety;
a difference of answers gives one message that lists each variety's value.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hafiza.lessonlib.model import (
    VARIETY_TAGS,
    AdmonitionBlock,
    Document,
    ExerciseBlock,
    FigureBlock,
    Problem,
    ProblemBlock,
    QuizBlock,
    TextBlock,
)
from hafiza.words import N_, _, ngettext

WARNING = "warning"
REFERENCE = "en"  # between equally full texts, the one the others are compared with


@dataclass
class Text:
    """What a variety's text holds, each thing with its line."""

    tag: str
    path: Path | str
    quizzes: dict[str, QuizBlock] = field(default_factory=dict)
    # A quiz the parser could not read (an error said at its line): the quiz the other
    # texts have may be this one, so its lack is not said again.
    broken_quizzes: int = 0
    figures: dict[str, int] = field(default_factory=dict)
    exercises: dict[str, int] = field(default_factory=dict)
    sections: list[tuple[int, int, str]] = field(default_factory=list)  # level, line, words

    def landmarks(self) -> dict[tuple[str, str], int]:
        """Everything that can be matched across varieties, with its line: headings by their
        number, the rest by id."""
        found = {("heading", str(n)): line for n, (_level, line, _words)
                 in enumerate(self.sections)}
        found.update({("quiz", k): q.line for k, q in self.quizzes.items()})
        found.update({("figure", k): line for k, line in self.figures.items()})
        found.update({("exercise", k): line for k, line in self.exercises.items()})
        return found

    def where(self, line: int) -> str:
        return f"{Path(str(self.path)).name}:{line}"

    @property
    def name(self) -> str:
        return Path(str(self.path)).name


def read_text(tag: str, path: Path | str, document: Document) -> Text:
    text = Text(tag, path)
    for block in _walk(document.blocks):
        if isinstance(block, QuizBlock):
            text.quizzes.setdefault(block.id, block)
        elif isinstance(block, FigureBlock):
            text.figures.setdefault(_figure_key(Path(block.path).name), block.line)
        elif isinstance(block, ExerciseBlock):
            text.exercises.setdefault(block.exercise_id, block.line)
        elif isinstance(block, ProblemBlock) and block.about == "quiz":
            text.broken_quizzes += 1
    text.sections = [(b.level, b.line, b.text) for b in document.blocks
                     if isinstance(b, TextBlock) and b.kind == "heading" and b.level >= 2]
    return text


# What `_lacking` says, per kind of thing: one variety lacks it, or several do.
LACKS_ONE = {
    "quiz": N_("{file} has no quiz {key!r}, which {there} has (around here, after line "
               "{line})"),
    "figure": N_("{file} has no figure {key!r}, which {there} has (around here, after line "
                 "{line})"),
    "exercise": N_("{file} has no exercise {key!r}, which {there} has (around here, after "
                   "line {line})"),
}
LACKS_SEVERAL = {
    "quiz": N_("quiz {key!r} is missing from {places}"),
    "figure": N_("figure {key!r} is missing from {places}"),
    "exercise": N_("exercise {key!r} is missing from {places}"),
}


def compare(texts: list[Text], glossary: Any = None, glossary_line: Callable[[str], int]
            | None = None, yaml_path: Path | str = "lesson.yaml") -> list[Problem]:
    """Every lack and divergence between the varieties' `texts` (in VARIETY_TAGS order)."""
    if len(texts) < 2:
        return []
    problems: list[Problem] = []
    problems += _sections(texts)
    readable = [t for t in texts if not t.broken_quizzes]  # a broken quiz had its error
    if len(readable) > 1:
        problems += _lacking(readable, "quiz",
                             lambda t: {k: q.line for k, q in t.quizzes.items()})
    problems += _lacking(texts, "figure", lambda t: t.figures)
    problems += _lacking(texts, "exercise", lambda t: t.exercises)
    problems += _quiz_divergences(texts)
    problems += _glossary(texts, glossary, glossary_line or (lambda term: 1), yaml_path)
    return problems


def _lacking(texts: list[Text], kind: str, items: Callable[[Text], dict[str, int]]
             ) -> list[Problem]:
    """One message per thing some varieties have and others lack."""
    found = {t.tag: items(t) for t in texts}
    fullest = max(texts, key=lambda t: (len(found[t.tag]), t.tag == REFERENCE))
    order = list(found[fullest.tag]) + [k for t in texts for k in found[t.tag]
                                         if k not in found[fullest.tag]]
    problems = []
    for key in dict.fromkeys(order):
        having = [t for t in texts if key in found[t.tag]]
        lacking = [t for t in texts if key not in found[t.tag]]
        if not lacking:
            continue
        source = fullest if fullest in having else having[0]
        there = source.where(found[source.tag][key])
        if len(lacking) == 1:
            text = lacking[0]
            line = _place_in(text, source, found[source.tag][key])
            problems.append(Problem(text.path, line, _(LACKS_ONE[kind]).format(
                file=text.name, key=key, there=there, line=line), WARNING))
            continue
        places = ", ".join(_("{file} (after line {line})").format(
            file=t.name, line=_place_in(t, source, found[source.tag][key])) for t in lacking)
        problems.append(Problem(source.path, found[source.tag][key],
                                _(LACKS_SEVERAL[kind]).format(key=key, places=places),
                                WARNING))
    return problems


def _place_in(text: Text, source: Text, source_line: int) -> int:
    """The line in `text` where what `source` has at `source_line` would go: that of the last
    landmark before it in the source that this text has too (line 1 when none is)."""
    own = text.landmarks()
    before = [(line, key) for key, line in source.landmarks().items()
              if line < source_line and key in own]
    return own[max(before)[1]] if before else 1


def _sections(texts: list[Text]) -> list[Problem]:
    """Fewer headings than the fullest text: one message per variety, at the first heading
    where the outlines part."""
    fullest = max(texts, key=lambda t: (len(t.sections), t.tag == REFERENCE))
    problems = []
    for text in texts:
        if len(text.sections) >= len(fullest.sections):
            continue
        levels = [s[0] for s in text.sections]
        full_levels = [s[0] for s in fullest.sections]
        matcher = difflib.SequenceMatcher(a=full_levels, b=levels, autojunk=False)
        first = next((op for op in matcher.get_opcodes() if op[0] != "equal"), None)
        index, own_index = (first[1], first[3]) if first else (len(levels), len(levels))
        level, full_line, words = fullest.sections[min(index, len(fullest.sections) - 1)]
        own_line = text.sections[own_index - 1][1] if own_index else 1
        problems.append(Problem(
            text.path, own_line,
            ngettext("{file} has {n} section heading(s), {other} has {count}; the first "
                     "without a counterpart here is {where} {heading}",
                     "{file} has {n} section heading(s), {other} has {count}; the first "
                     "without a counterpart here is {where} {heading}",
                     len(text.sections)).format(
                file=text.name, n=len(text.sections), other=fullest.name,
                count=len(fullest.sections), where=fullest.where(full_line),
                heading=f"{'#' * level} {words[:60]}"), WARNING))
    return problems


def _quiz_facts(quiz: QuizBlock) -> dict[str, Any]:
    """What must be the same in every variety, in the order a difference is reported; a
    difference of type or option count hides those after it (they follow from it)."""
    facts: dict[str, Any] = {"type": quiz.kind}
    if quiz.kind == "numeric":
        facts["answer"] = _number(quiz.answer)
        facts["tolerance"] = _number(quiz.tolerance)
    else:
        facts["number of options"] = len(quiz.options)
        if quiz.kind in ("single", "multiple"):
            facts["correct options"] = ", ".join(
                str(i) for i, o in enumerate(quiz.options, 1) if o.correct)
    return facts


DECISIVE = ("type", "number of options")
# The facts' names as a message says them ("differs ... in its {what}").
FACT_WORDS = {
    "type": N_("type"),
    "answer": N_("answer"),
    "tolerance": N_("tolerance"),
    "number of options": N_("number of options"),
    "correct options": N_("correct options"),
}


def _quiz_divergences(texts: list[Text]) -> list[Problem]:
    problems = []
    quiz_ids = dict.fromkeys(k for t in texts for k in t.quizzes)
    for quiz_id in quiz_ids:
        having = [t for t in texts if quiz_id in t.quizzes]
        if len(having) < 2:
            continue
        facts = {t.tag: _quiz_facts(t.quizzes[quiz_id]) for t in having}
        for name in facts[having[0].tag]:
            groups: dict[Any, list[Text]] = {}
            for text in having:
                groups.setdefault(facts[text.tag].get(name), []).append(text)
            if len(groups) < 2:
                continue
            problems.append(_divergence(quiz_id, name, groups))
            if name in DECISIVE:
                break
    return problems


def _divergence(quiz_id: str, name: str, groups: dict[Any, list[Text]]) -> Problem:
    """One message for a fact that differs; at the odd one out when all others agree."""
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))
    odd = ranked[-1][1][0] if len(ranked) == 2 and len(ranked[-1][1]) == 1 \
        and len(ranked[0][1]) > 1 else None
    anchor = odd or ranked[0][1][0]
    listing = "; ".join(
        _("{value} in {places}").format(
            value=value, places=", ".join(t.where(t.quizzes[quiz_id].line) for t in members))
        for value, members in ranked)
    return Problem(anchor.path, anchor.quizzes[quiz_id].line,
                   _("quiz {id!r} differs between varieties in its {what} ({listing}); "
                     "progress is kept per quiz id, so it must be the same question "
                     "everywhere").format(id=quiz_id, what=_(FACT_WORDS.get(name, name)),
                                          listing=listing),
                   WARNING)


def _glossary(texts: list[Text], glossary: Any, line_of_term: Callable[[str], int],
              yaml_path: Path | str) -> list[Problem]:
    if not isinstance(glossary, dict):
        return []
    problems = []
    tags = [t.tag for t in texts]
    for term, definitions in glossary.items():
        if not isinstance(definitions, dict) or not definitions:
            continue
        missing = [tag for tag in tags if not definitions.get(tag)]
        if missing and len(missing) < len(tags):
            problems.append(Problem(yaml_path, line_of_term(str(term)), _(
                "glossary term {term!r} has no definition in {varieties} (those texts exist; "
                "their learners read another variety's definition)").format(
                    term=term, varieties=", ".join(missing)), WARNING))
    return problems


def _figure_key(name: str) -> str:
    """A figure drawn once per variety (`activations.fa.svg`, `gates-ary.png`) counts as the
    same figure as its English one (`activations.svg`)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return name
    for tag in VARIETY_TAGS:
        for mark in (".", "-", "_"):
            if stem.endswith(mark + tag):
                return f"{stem[: -len(tag) - 1]}.{suffix}"
    return name


def _number(value: float) -> str:
    return f"{value:g}"


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, AdmonitionBlock):
            yield from _walk(block.blocks)

