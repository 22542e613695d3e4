"""The lesson checker speaks the instructor's language (issue 20, item 8): the messages of the
parser, quizzes, formulas, figures, SVG findings, data files and the exercises' checks
(engine.exercise_problems, engine.dry_run) come through hafiza.words in Persian and Darija.

The expected words are those of the catalogs (locales/<tag>/LC_MESSAGES/hafiza.po); a few of
each kind are checked here, once as catalog entries and once as the checker says them.
"""

from __future__ import annotations

import pytest

from hafiza import words

# msgid -> (fa, ary), as the catalogs translate them.
EXPECTED = {
    "quiz: {problem}": ("پرسش (quiz): {problem}", "السؤال (quiz): {problem}"),
    "heading level jumps from {before} to {level}": (
        "سطح سرفصل از {before} به {level} می‌پرد",
        "المستوى ديال العنوان كينقز من {before} ل {level}"),
    "image {image} does not exist": ("تصویر {image} وجود ندارد", "الصورة {image} ما كايناش"),
    "{command} is not a command the renderer knows": (
        "{command} دستوری نیست که موتور نمایش بشناسد",
        "{command} ماشي أمر كيعرفو الرسّام ديال المعادلات"),
    "SVG figure refused: {reason}": ("شکل SVG پذیرفته نشد: {reason}",
                                     "صورة الـSVG ترفضات: {reason}"),
    "The SVG's viewBox is not four numbers.": ("viewBox این SVG چهار عدد نیست.",
                                               "الـviewBox ديال الـSVG ماشي ربعة ديال الأرقام."),
    "{setting} {path}: no such file in the lesson": (
        "{setting} {path}: چنین فایلی در درس نیست",
        "{setting} {path}: هاد الملف ما كاينش فالدرس"),
    "unknown task {task}{hint}; the tasks are {tasks}": (
        "task ناشناخته {task}{hint}؛ taskها این‌ها هستند: {tasks}",
        "task ما معروفاش {task}{hint}؛ الـtasks هوما {tasks}"),
    "the layers do not fit together: {error}": ("لایه‌ها با هم جور نیستند: {error}",
                                                "الطبقات ما متوافقينش مع بعضياتهم: {error}"),
}


@pytest.mark.parametrize("tag, column", [("fa", 0), ("ary", 1)])
def test_the_catalogs_hold_the_checker_words(tag, column):
    words.set_language(tag)
    for msgid, translations in EXPECTED.items():
        assert words._(msgid) == translations[column], (tag, msgid)


def test_a_broken_quiz_and_heading_are_said_in_persian():
    from hafiza.lessonlib.parser import parse_markdown

    words.set_language("fa")
    text = "# T\n\n```quiz\nid: q\ntype: sometimes\nquestion: q\n```\n\n#### deep\n"
    said = [problem.message for problem in parse_markdown(text, variety="fa").problems]
    assert said == ["پرسش (quiz): type باید یکی از single, multiple, numeric, order باشد",
                    "سطح سرفصل از 1 به 4 می‌پرد"]


def test_formula_words_follow_the_language_even_when_cached():
    from hafiza.lessonlib.formula_checks import formula_error

    english = formula_error(r"\fraq{a}{b}")
    assert english.startswith(r"\fraq is not a command the renderer knows")
    words.set_language("fa")
    assert formula_error(r"\fraq{a}{b}") == (r"\fraq دستوری نیست که موتور نمایش بشناسد"
                                             r" - منظورتان \frac است؟")
    words.set_language("en")
    assert formula_error(r"\fraq{a}{b}") == english


def test_exercise_problems_are_said_in_darija():
    from hafiza.engine.exercise_problems import exercise_problems

    words.set_language("ary")
    exercise = {"id": "x", "task": "binary", "dataset": {"name": "sine"},
                "model": ["LSTM(4)", "Dense(1)"], "controls": ["model.5"]}
    said = [problem.message for problem in exercise_problems(exercise)]
    assert "الـcontrol 'model.5' ما كيسمّي حتى طبقة: الموديل فيه الطبقات من model.0 حتى ل " \
           "model.1" in said


def test_svg_refusals_keep_english_reasons_for_the_window():
    """The window picks the learner's words by the English `reason`; the checker says `words`."""
    from hafiza.lessonlib.svg_safety import SvgRefused, clean_svg

    words.set_language("fa")
    with pytest.raises(SvgRefused) as refused:
        clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1"/>')
    assert refused.value.reason == "The SVG's viewBox is not four numbers."
    assert refused.value.words == "viewBox این SVG چهار عدد نیست."
