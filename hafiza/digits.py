"""Numbers in prose written as the reader's interface writes them.

Lessons are written with Latin digits (`0.25`, `10,000`; a Darija text may write `0,95`), while
the interface shows each variety's own digits and separators (`ui.i18n.number`, through
QLocale): Persian ۰-۹ with ٫ and ٬, Egyptian and Standard Arabic ٠-٩ with ٫ and ٬, Darija
Latin digits with a decimal comma. `prose_numbers` rewrites the numbers of a prose text run so
that one screen follows one rule. It leaves alone what is not a number to the reader: a digit
inside an identifier (`h_t`, `x2`, `LSTM2`, `GPT-2`, `1e-3`, `2D`, `Dense(8)`), a version
(`2.13.0`), an address (`https://...`, `name@host`) or a list written without spaces
(`1,2,3`). Code and formulas never reach it: the parser calls it on prose text only.

Glossary definitions are prose with formulas written inline ("−log p", "w := w − α·∂J/∂w"):
`split_formulas` cuts such a text into its prose, whose numbers `prose_numbers` rewrites, and its
formulas, which keep what was written and which right-to-left text shows as left-to-right runs.

Base layer: no Qt, nothing of Hafiza's but the table of varieties.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hafiza.varieties import VARIETIES


@dataclass(frozen=True)
class NumberStyle:
    """How a locale writes a number: the separators, signs and percent QLocale uses
    (tests/ui/test_prose_digits.py checks each one against QLocale)."""

    decimal: str
    group: str
    minus: str  # with the bidi mark that keeps it before the digits in right-to-left text
    percent: str


# By the varieties' `locale` (hafiza/varieties.py), as QLocale formats them.
NUMBER_STYLES = {
    "ar_MA": NumberStyle(decimal=",", group=".", minus="\u200e-", percent="\u200e%\u200e"),
    "ar_EG": NumberStyle(decimal="٫", group="٬", minus="\u061c-", percent="٪\u061c"),
    "ar": NumberStyle(decimal="٫", group="٬", minus="\u061c-", percent="٪\u061c"),
    "fa_IR": NumberStyle(decimal="٫", group="٬", minus="\u200e−", percent="٪"),
    "en": NumberStyle(decimal=".", group=",", minus="-", percent="%"),
}

# A run of Latin digits with its separators, an optional sign before and percent after. The
# look-arounds keep it out of identifiers: no Latin letter, `_`, digit or `.` may touch it,
# and it may not open a call written in prose (`SimpleRNN(32)`).
_NUMBER = re.compile(
    r"(?P<sign>(?<![A-Za-z0-9_.\-−])[-−])?"
    r"(?<![A-Za-z0-9_.])(?<![A-Za-z0-9_]\()(?P<digits>[0-9]+(?:[.,][0-9]+)*)"
    r"(?P<percent>%)?"
    r"(?![A-Za-z0-9_]|[.,][0-9])"
)
# Addresses, whose digits are part of a name: left as written.
_ADDRESS = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HYPHENATED = re.compile(r"[A-Za-z_][-−]$")  # GPT-2, Conv-3: a name, not a minus


def prose_numbers(text: str, tag: str) -> str:
    """`text` (prose of the variety `tag`) with its numbers in that variety's digits and
    separators; unchanged for English and for a tag that is not in the table."""
    variety = VARIETIES.get(tag)
    if variety is None or not any("0" <= ch <= "9" for ch in text):
        return text
    style = NUMBER_STYLES.get(variety.locale, NUMBER_STYLES["en"])
    if style == NUMBER_STYLES["en"] and variety.zero_digit == "0":
        return text
    shift = ord(variety.zero_digit) - ord("0")
    out: list[str] = []
    last = 0
    for start, end in _prose_spans(text):
        out.append(text[last:start])
        out.append(_NUMBER.sub(lambda m: _rewrite(m, style, shift), text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


def _prose_spans(text: str) -> list[tuple[int, int]]:
    """The parts of `text` between its addresses."""
    spans, last = [], 0
    for address in _ADDRESS.finditer(text):
        spans.append((last, address.start()))
        last = address.end()
    spans.append((last, len(text)))
    return spans


def _rewrite(match: re.Match[str], style: NumberStyle, shift: int) -> str:
    digits = match.group("digits")
    start = match.start("digits")
    if _HYPHENATED.search(match.string[max(0, start - 2) : start]):
        return match.group(0)
    parts = _read(digits)
    if parts is None:  # a version or a list: not one number
        return match.group(0)
    whole_groups, fraction = parts
    written = style.group.join(_shifted(g, shift) for g in whole_groups)
    if fraction is not None:
        written += style.decimal + _shifted(fraction, shift)
    sign = style.minus if match.group("sign") else ""
    percent = style.percent if match.group("percent") else ""
    return sign + written + percent


def _shifted(digits: str, shift: int) -> str:
    return digits if shift == 0 else "".join(chr(ord(ch) + shift) for ch in digits)


def _read(digits: str) -> tuple[list[str], str | None] | None:
    """The whole part's groups and the fraction of a number as written in a lesson, or None
    when it is not one number. `10,000` and `1,234.5` are grouped by commas, `1.234,5` by
    points; a single separator before anything but three digits is the decimal one (`0.25`,
    `0,95`), as is one after a zero (`0,125`)."""
    pieces = re.split(r"([.,])", digits)
    numbers, separators = pieces[0::2], pieces[1::2]
    if not separators:
        return [digits], None
    if len(separators) == 1:
        whole, part = numbers
        if separators[0] == "," and len(part) == 3 and whole[0] != "0" and len(whole) <= 3:
            return numbers, None  # 10,000
        return [whole], part  # 0.25, 0,95
    group, last = separators[0], separators[-1]
    grouped = all(s == group for s in separators[:-1])
    head_ok = 1 <= len(numbers[0]) <= 3 and numbers[0][0] != "0"
    middle_ok = all(len(n) == 3 for n in numbers[1:-1])
    if not (grouped and head_ok and middle_ok):
        return None  # 2.13.0, 1,2,3
    if last == group:  # 1,000,000: all groups
        return (numbers, None) if len(numbers[-1]) == 3 and group == "," else None
    return numbers[:-1], numbers[-1]  # 1,234.5 or 1.234,5


# What a formula is made of besides Latin or Greek letters and digits: operators, brackets and
# the marks of TeX (`$\frac{1}{2}$`). Spaces, ".", "," and ":" may join its parts ("w := w").
_FORMULA_MARKS = set("^_\\{}[]()*·'′$/")
_FORMULA_JOINS = set(" .,:")
_SIGNS = set("-−+")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def split_formulas(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_formula) in order. A formula is a left-to-right run (Latin
    or Greek letters, digits, operators, brackets, with spaces between them) that has a letter
    or an operator: "−log p", "σ(z) = 1 / (1 + e^(−z))", "LSTM". A run of digits alone, with
    its sign ("-1", "0.5%", "(0, 1)"), is a number of the prose. A bracket or a mark of the
    sentence at a run's edge ("(LSTM)", "b:") stays with the prose."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in _left_to_right_runs(text):
        if not _is_formula(text[start:end]):
            continue
        if start > last:
            pieces.append((text[last:start], False))
        pieces.append((text[start:end], True))
        last = end
    if last < len(text) or not pieces:
        pieces.append((text[last:], False))
    return pieces


def _is_formula_part(char: str) -> bool:
    kind = unicodedata.bidirectional(char)
    return (kind in ("L", "EN", "ES", "ET") and char not in "\u200e\u200f"
            ) or char in _FORMULA_MARKS or unicodedata.category(char) == "Sm"


def _is_mark(char: str) -> bool:
    return unicodedata.bidirectional(char) == "NSM"


def _left_to_right_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of formula parts and joins that starts and ends with a part,
    without the unmatched brackets at its edges."""
    runs = []
    index = 0
    while index < len(text):
        if not _is_formula_part(text[index]):
            index += 1
            continue
        start = end = index
        while index < len(text):
            char = text[index]
            # A combining mark ("x̃") belongs to the letter before it.
            if _is_formula_part(char) or (index == end and _is_mark(char)):
                end = index + 1
            elif char not in _FORMULA_JOINS:
                break
            index += 1
        runs.append(_balanced(text, start, end))
    return [(start, end) for start, end in runs if start < end]


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The run without an opening bracket at its start or a closing one at its end that has
    no partner inside it (they belong to the sentence around), nor the joins they uncover."""
    changed = True
    while changed and start < end:
        changed = False
        run = text[start:end]
        for opening, closing in _BRACKETS.items():
            if run[0] == opening and run.count(opening) > run.count(closing):
                start, changed = start + 1, True
            elif run[-1] == closing and run.count(closing) > run.count(opening):
                end, changed = end - 1, True
            if changed:
                break
        while start < end and text[start] in _FORMULA_JOINS:
            start += 1
        while start < end and text[end - 1] in _FORMULA_JOINS:
            end -= 1
    return start, end


def _is_formula(run: str) -> bool:
    """A letter or an operator in it: more than a number (a sign before the digits is the
    number's own, "%" after them too)."""
    body = run[1:] if run[:1] in _SIGNS else run
    return any(unicodedata.bidirectional(char) == "L" or char in _FORMULA_MARKS
               or (unicodedata.category(char) == "Sm" and char not in _SIGNS)
               for char in body if char not in "()[],.")
