"""Where the right answers of a lesson's choice quizzes stand, as authored.

The window shuffles options (QuizBlock.display_order), but a lesson is also read as a file,
printed or shown by an older Hafiza: when most right answers sit in one place (every one
first, as the course had them), always picking that option wins. The checker warns.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hafiza.lessonlib.model import Problem, QuizBlock
from hafiza.words import ngettext

# Fewer choice quizzes than this say nothing about a habit.
MIN_QUIZZES = 4
# More than this share of right answers in one place is a pattern a learner can exploit.
MAX_SHARE = 0.5


def first_right_position(quiz: QuizBlock) -> int | None:
    """The place (0 = first) of a choice quiz's first right option; None for other kinds."""
    if quiz.kind not in ("single", "multiple"):
        return None
    return next((i for i, option in enumerate(quiz.options) if option.correct), None)


def clustered_answers(texts) -> list[Problem]:
    """One warning per pattern of right-answer places that gives the answer away, at the
    first quiz of the first text with that pattern; texts that share it are named with it
    (the five texts of a lesson should share one order, so one warning, not five).
    `texts` are variety_compare.Text objects (quizzes by id, in the text's order)."""
    by_pattern: dict[tuple, list] = {}
    for text in texts:
        places = tuple((quiz_id, first_right_position(quiz))
                       for quiz_id, quiz in text.quizzes.items()
                       if first_right_position(quiz) is not None)
        by_pattern.setdefault(places, []).append(text)
    problems = []
    for places, group in by_pattern.items():
        if len(places) < MIN_QUIZZES:
            continue
        place, count = Counter(p for _quiz, p in places).most_common(1)[0]
        if count / len(places) <= MAX_SHARE:
            continue
        first = group[0]
        quiz_id = next(q for q, p in places if p == place)
        others = ", ".join(Path(str(t.path)).name for t in group[1:])
        if others:
            message = ngettext(
                "the right answer is option {place} in {count} of the {n} choice quizzes "
                "(also in {others}): a learner who always picks it wins; move some right "
                "answers to other places (the app shuffles options on screen, a printed "
                "lesson does not)",
                "the right answer is option {place} in {count} of the {n} choice quizzes "
                "(also in {others}): a learner who always picks it wins; move some right "
                "answers to other places (the app shuffles options on screen, a printed "
                "lesson does not)", len(places))
        else:
            message = ngettext(
                "the right answer is option {place} in {count} of the {n} choice quizzes: a "
                "learner who always picks it wins; move some right answers to other places "
                "(the app shuffles options on screen, a printed lesson does not)",
                "the right answer is option {place} in {count} of the {n} choice quizzes: a "
                "learner who always picks it wins; move some right answers to other places "
                "(the app shuffles options on screen, a printed lesson does not)",
                len(places))
        problems.append(Problem(
            first.path, first.quizzes[quiz_id].line,
            message.format(place=place + 1, count=count, n=len(places), others=others),
            "warning"))
    return problems
