"""Finding where a link's `[label]` ends, in time linear in the paragraph.

markdown-it's `parseLinkLabel` walks from a `[` to its matching `]`, and the inline parser
asks it at every `[`: a paragraph of 600 KB of `[` (or `[[`, or `![`) walks to the end from
each of them, which takes hours. The walk's path depends only on where it is (markdown-it
caches `skipToken` by position), so every plain `[` that one walk crosses ends at the `]`
that brings the walk back to that bracket's level, or nowhere if the walk runs out first.
One walk therefore answers for every bracket it crosses; a later question is looked up, and
a walk that meets a bracket already answered jumps to its end. Each position is walked once
per paragraph (per `posMax`), as commonmark.js and markdown-to-jsx do for the same reason.

The answers are the ones markdown-it's own function gives; only the time differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

_MEMO_ATTRIBUTE = "_hafiza_link_labels"


@dataclass
class _Labels:
    """For one paragraph range: each plain `[` -> (its `]` or -1, whether a token that
    starts with `[` — a nested link, a glossary term — lies between them)."""

    ends: dict[int, tuple[int, bool]] = field(default_factory=dict)


def _labels(state: StateInline) -> _Labels:
    memo = getattr(state, _MEMO_ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(state, _MEMO_ATTRIBUTE, memo)
    return memo.setdefault(state.posMax, _Labels())


def parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:  # noqa: N803
    """markdown-it's `parseLinkLabel` (same arguments, same answer), in amortised O(1)."""
    labels = _labels(state)
    if start not in labels.ends:
        old_pos = state.pos
        try:
            _walk(state, start, labels)
        finally:
            state.pos = old_pos
    end, nested = labels.ends[start]
    if end < 0 or (disableNested and nested):
        return -1
    return end


def _walk(state: StateInline, start: int, labels: _Labels) -> None:
    # The open brackets crossed, each with the count of nested tokens seen when it opened.
    stack: list[tuple[int, int]] = [(start, 0)]
    nested_seen = 0
    state.pos = start + 1
    while state.pos < state.posMax:
        position = state.pos
        marker = state.src[position]
        if marker == "]":
            opener, nested_then = stack.pop()
            labels.ends[opener] = (position, nested_seen > nested_then)
            if not stack:
                return
        state.md.inline.skipToken(state)
        if marker != "[":
            continue
        if state.pos != position + 1:  # this `[` began a token (a link, a glossary term)
            nested_seen += 1
            continue
        known = labels.ends.get(position)
        if known is None:
            stack.append((position, nested_seen))
            continue
        end, nested = known
        if end < 0:  # that bracket never closes, so none of the open ones below it does
            break
        # Jump to its `]`: the loop pops it there, as the walk would have arrived.
        stack.append((position, nested_seen))
        nested_seen += nested
        state.pos = end
    for opener, _nested in stack:
        labels.ends[opener] = (-1, False)


def use_linear_link_labels(md: MarkdownIt) -> None:
    """Makes `md` (this instance only) find link labels with `parse_link_label`."""
    helpers = SimpleNamespace(**{name: getattr(md.helpers, name) for name in dir(md.helpers)
                                 if not name.startswith("_")})
    helpers.parseLinkLabel = parse_link_label
    md.helpers = helpers
