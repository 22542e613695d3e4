"""The built-in course: seven lessons in five varieties, each whole, consistent and clean."""

import re
from pathlib import Path

import pytest
import yaml

from hafiza.lessonlib.checker import check_paths, errors
from hafiza.lessonlib.loader import load_lesson
from hafiza.lessonlib.model import AdmonitionBlock, ExerciseBlock, FigureBlock, QuizBlock, TextBlock
from hafiza.lessonlib.parser import parse_markdown

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "lessons"
VARIETIES = ("ary", "arz", "ar", "fa", "en")
LESSON_IDS = ("neurons-activations", "how-networks-learn", "sequences-rnn", "language-models",
              "vanishing-gradients-lstm-gru", "rnn-in-practice", "imdb-sentiment")


def walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, AdmonitionBlock):
            yield from walk(block.blocks)


def document(lesson_id, variety):
    lesson = load_lesson(LESSONS / lesson_id)
    path = LESSONS / lesson_id / f"{variety}.md"
    return parse_markdown(path.read_text(encoding="utf-8"), path, path.parent, lesson, variety)


def test_all_seven_lessons_exist_in_all_five_varieties():
    for lesson_id in LESSON_IDS:
        for variety in VARIETIES:
            assert (LESSONS / lesson_id / f"{variety}.md").is_file(), (lesson_id, variety)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_has_a_quiz_an_exercise_figures_and_the_same_ids_everywhere(lesson_id):
    ids = {}
    for variety in VARIETIES:
        blocks = list(walk(document(lesson_id, variety).blocks))
        quizzes = [b.id for b in blocks if isinstance(b, QuizBlock)]
        exercises = [b.exercise_id for b in blocks if isinstance(b, ExerciseBlock)]
        figures = [b for b in blocks if isinstance(b, FigureBlock)]
        headings = [b for b in blocks if isinstance(b, TextBlock) and b.kind == "heading"]
        assert len(quizzes) >= 5, (lesson_id, variety)
        assert exercises, (lesson_id, variety)
        assert figures, (lesson_id, variety)
        assert len(headings) >= 5, (lesson_id, variety)
        assert all(b.exercise is not None for b in blocks if isinstance(b, ExerciseBlock))
        ids[variety] = (quizzes, exercises)
    assert len({repr(v) for v in ids.values()}) == 1, ids  # same quizzes and exercises


def test_the_checker_finds_nothing_wrong_in_the_course():
    assert errors(check_paths([LESSONS])) == []


def test_every_glossary_term_of_the_lessons_is_in_the_course_glossary_in_five_varieties():
    glossary = yaml.safe_load((LESSONS / "glossary.yaml").read_text(encoding="utf-8"))
    for term, entry in glossary.items():
        assert set(entry) == set(VARIETIES), term
        assert all(entry[v]["term"] and entry[v]["definition"] for v in VARIETIES), term
    used = set()
    for path in LESSONS.glob("*/*.md"):
        used |= {m.split("|")[0].strip()
                 for m in re.findall(r"\[\[([A-Za-z][^\]]*)\]\]",
                                     path.read_text(encoding="utf-8"))}
    assert used <= set(glossary), sorted(used - set(glossary))


def test_persian_text_uses_persian_letters():
    for path in LESSONS.glob("*/fa.md"):
        text = path.read_text(encoding="utf-8")
        assert "ي" not in text and "ك" not in text, path  # Arabic yeh and kaf
        assert "\u200c" in text, path  # the zero-width non-joiner is used
