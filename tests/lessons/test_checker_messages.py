"""Messages an instructor understands: each mistake in lesson.yaml or a quiz fence is said once,
in words, at the line where it was made (issue 20, item 8).

The battery breaks a lesson that checks clean in one way per row and expects exactly one
problem: (file, line, a word of the message, severity). Nothing else may be reported, so a
mistake that cascades into several messages fails its row too.
"""

from pathlib import Path

import pytest

from hafiza.lessonlib import checker
from hafiza.lessonlib.loader import load_lesson
from hafiza.lessonlib.model import LessonError

LESSON_YAML = """\
id: birnn
order: 30
estimated_minutes: 20
prerequisites: []
title:
  en: "Bidirectional RNNs"
  fa: "شبکه‌های بازگشتی دوسویه"
glossary:
  RNN:
    en: "A recurrent neural network."
    fa: "شبکهٔ عصبی بازگشتی."
exercises:
  - id: sine
    task: regression
    dataset: {name: sine, n_samples: 200, window: 10}
    model: ["LSTM(8)", "Dense(1, linear)"]
    input_shape: [10, 1]
"""

QUIZ = """\
```quiz
id: q1
type: single
question: "Which one reads backwards?"
options:
  - text: "the second RNN"
    correct: true
  - text: "the first RNN"
```

```exercise
id: sine
```
"""

MARKDOWN = """\
# Bidirectional RNNs

## Two directions

An [[RNN]] reads forwards.

{quiz}"""


def lesson(tmp_path: Path, yaml_text: str = LESSON_YAML, quiz: str = QUIZ) -> Path:
    folder = tmp_path / "birnn"
    folder.mkdir()
    (folder / "lesson.yaml").write_text(yaml_text, encoding="utf-8")
    for tag in ("en", "fa"):
        (folder / f"{tag}.md").write_text(MARKDOWN.format(quiz=quiz), encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[tuple[str, int, str, str]]:
    return [(Path(str(p.path)).name, p.line, p.message, p.severity)
            for p in checker.check_lesson(folder, ["birnn"], validate_exercises=False)
            if "no text in" not in p.message]  # the lesson has two varieties on purpose


def yaml_edit(old: str, new: str):
    def edit(yaml_text: str, quiz: str) -> tuple[str, str]:
        assert old in yaml_text, old
        return yaml_text.replace(old, new, 1), quiz
    return edit


def both_edit(old: str, new: str):
    """The same change in lesson.yaml and the texts (an id renamed everywhere)."""
    def edit(yaml_text: str, quiz: str) -> tuple[str, str]:
        return yaml_edit(old, new)(yaml_text, quiz)[0], quiz.replace(old, new)
    return edit


def quiz_edit(old: str, new: str):
    def edit(yaml_text: str, quiz: str) -> tuple[str, str]:
        assert old in quiz, old
        return yaml_text, quiz.replace(old, new, 1)
    return edit


# The quiz fence starts on line 7 of each Markdown file: its YAML lines are 8 (id) to 15.
# name: (how the good lesson is broken, file, line, a word the message must hold, severity)
BATTERY = {
    "tab-indent": (yaml_edit('  fa: "شبکه', '\tfa: "شبکه'), "lesson.yaml", 7, "tab", "error"),
    "indent-more": (yaml_edit('  fa: "شبکه', '   fa: "شبکه'), "lesson.yaml", 7,
                    "indented", "error"),
    "indent-less": (yaml_edit('  fa: "شبکه', ' fa: "شبکه'), "lesson.yaml", 7,
                    "indented differently", "error"),
    # the dedented item (line 13) makes its next line (14) the one indented further
    "list-item-misindented": (yaml_edit("  - id: sine", " - id: sine"), "lesson.yaml", 14,
                              "indent", "error"),
    "missing-colon": (yaml_edit("order: 30", "order 30"), "lesson.yaml", 2, "no colon",
                      "error"),
    "unclosed-double-quote": (yaml_edit('"Bidirectional RNNs"', '"Bidirectional RNNs'),
                              "lesson.yaml", 6, "never closed", "error"),
    "apostrophe-in-single-quotes": (yaml_edit('"Bidirectional RNNs"', "'Bidirectional's RNNs'"),
                                    "lesson.yaml", 6, "ends it early", "error"),
    "text-after-quote": (yaml_edit('"Bidirectional RNNs"', '"Bidirectional" RNNs'),
                         "lesson.yaml", 6, "ends it early", "error"),
    "colon-in-value": (yaml_edit('"A recurrent neural network."',
                                 "A recurrent network: it loops."), "lesson.yaml", 10,
                       "quotes", "error"),
    "unclosed-bracket": (yaml_edit('model: ["LSTM(8)", "Dense(1, linear)"]',
                                   'model: ["LSTM(8)", "Dense(1, linear)"'), "lesson.yaml", 16,
                         "never closed", "error"),
    "unclosed-brace": (yaml_edit("window: 10}", "window: 10"), "lesson.yaml", 15,
                       "never closed", "error"),
    "backtick-value": (yaml_edit('"A recurrent neural network."', "`RNN` is recurrent"),
                       "lesson.yaml", 10, "quotes", "error"),
    "star-value": (yaml_edit('"A recurrent neural network."', "*recurrent* network"),
                   "lesson.yaml", 10, "quotes", "error"),
    "latex-escape-in-double-quotes": (yaml_edit('"A recurrent neural network."',
                                                '"uses $\\sigma$"'), "lesson.yaml", 10,
                                      "backslash", "error"),
    "python-tag": (yaml_edit("estimated_minutes: 20", "estimated_minutes: !!python/name:os.system"),
                   "lesson.yaml", 3, "tags", "error"),
    "second-document": (yaml_edit("estimated_minutes: 20", "---\nestimated_minutes: 20"),
                        "lesson.yaml", 3, "second document", "error"),
    "anchor": (yaml_edit("prerequisites: []", "prerequisites: &p []"), "lesson.yaml", 4,
               "aliases", "error"),
    "duplicate-key": (yaml_edit("estimated_minutes: 20", "order: 31"), "lesson.yaml", 3,
                      "first on line 2", "error"),
    "id-rule": (yaml_edit("id: birnn", "id: BiRNN_1"), "lesson.yaml", 1,
                "lowercase letters", "error"),
    "prerequisite-rule": (yaml_edit("prerequisites: []", "prerequisites: [Sequences RNN]"),
                          "lesson.yaml", 4, "lowercase letters", "error"),
    "exercise-id-rule": (both_edit("id: sine", "id: sine wave"), "lesson.yaml", 13,
                         "without spaces", "error"),
    "misspelt-field": (yaml_edit("estimated_minutes: 20", "estimated_minute: 20"),
                       "lesson.yaml", 3, "did you mean 'estimated_minutes'", "error"),
    "misspelt-required-field": (yaml_edit("title:", "titles:"), "lesson.yaml", 5,
                                "did you mean 'title'", "error"),
    "missing-required-field": (yaml_edit("order: 30\n", ""), "lesson.yaml", 1,
                               "'order' is missing", "error"),
    "order-not-a-number": (yaml_edit("order: 30", "order: third"), "lesson.yaml", 2,
                           "whole number", "error"),
    "order-negative": (yaml_edit("order: 30", "order: -1"), "lesson.yaml", 2,
                       "at least 0", "error"),
    "unknown-variety": (yaml_edit('  en: "Bidirectional RNNs"\n',
                                  '  en: "Bidirectional RNNs"\n  fr: "RNN"\n'),
                        "lesson.yaml", 7, "not a variety", "error"),
    "title-not-a-mapping": (yaml_edit('title:\n  en: "Bidirectional RNNs"\n'
                                      '  fa: "شبکه‌های بازگشتی دوسویه"\n',
                                      'title: Bidirectional RNNs\n'), "lesson.yaml", 5,
                            "name: value", "error"),
    "empty-title": (yaml_edit('"Bidirectional RNNs"', '""'), "lesson.yaml", 6, "empty",
                    "error"),
    "duplicate-prerequisite": (yaml_edit("prerequisites: []", "prerequisites: [birnn, birnn]"),
                               "lesson.yaml", 4, "twice", "error"),
    "quiz-indent": (quiz_edit("  - text: \"the first RNN\"", "   - text: \"the first RNN\""),
                    "en.md", 14, "indent", "error"),
    "quiz-unclosed-quote": (quiz_edit('"Which one reads backwards?"',
                                      '"Which one reads backwards?'), "en.md", 10,
                            "never closed", "error"),
    "quiz-colon-in-question": (quiz_edit('"Which one reads backwards?"',
                                         "Which one: forwards or backwards?"), "en.md", 10,
                               "quotes", "error"),
    "quiz-missing-colon": (quiz_edit("type: single", "type single"), "en.md", 9, "no colon",
                           "error"),
}


def test_the_good_lesson_checks_clean(tmp_path):
    assert problems_of(lesson(tmp_path)) == []


@pytest.mark.parametrize("name", sorted(BATTERY))
def test_each_mistake_is_said_once_in_words_at_its_line(tmp_path, name):
    edit, filename, line, words, severity = BATTERY[name]
    yaml_text, quiz = edit(LESSON_YAML, QUIZ)
    found = problems_of(lesson(tmp_path, yaml_text, quiz))
    if filename.endswith(".md"):  # the quiz is broken in both texts: one message in each
        found = [p for p in found if p[0] == filename]
    assert len(found) == 1, found
    file, at, message, level = found[0]
    assert (file, at, level) == (filename, line, severity), found
    assert words in message, message
    for jargon in ("did not find expected", "does not match '^", "is not of type",
                   "is a required property", "could not find expected"):
        assert jargon not in message


def test_the_page_shows_the_checkers_file_and_line(tmp_path):
    """The app's in-page error is the LessonError of `load_lesson`: the same file, line and
    words as the checker."""
    yaml_text, _ = BATTERY["unclosed-double-quote"][0](LESSON_YAML, QUIZ)
    folder = lesson(tmp_path, yaml_text)
    [(file, line, message, _severity)] = problems_of(folder)
    with pytest.raises(LessonError) as raised:
        load_lesson(folder)
    assert (Path(str(raised.value.path)).name, raised.value.line, raised.value.message) == \
        (file, line, message)


def test_a_numeric_answer_in_persian_or_arabic_digits_is_the_number():
    """An author writing Persian types `answer: ۶۴`, as learners type it (walkthrough)."""
    from hafiza.lessonlib.parser import parse_markdown

    for written, value in (("۶۴", 64.0), ("۰٫۵", 0.5), ("٣", 3.0)):
        quiz = parse_markdown(f"```quiz\nid: n\ntype: numeric\nquestion: Q?\nanswer: {written}"
                              "\n```\n", "fa.md", variety="fa").blocks[0]
        assert quiz.answer == value


def test_a_quiz_without_an_id_is_told_the_id_is_missing():
    from hafiza.lessonlib.parser import parse_markdown

    block = parse_markdown("```quiz\ntype: numeric\nquestion: Q?\nanswer: 1\n```\n", "en.md",
                           variety="en").blocks[0]
    assert "has no id" in block.message and "id: a-short-name" in block.message


def test_a_quiz_mistake_is_said_at_the_line_of_its_field():
    """A quiz's mistakes stand at the field they concern (the walkthrough found them all at
    the fence line): the options for a missing right answer, the option for a bad `correct`,
    the answer for a numeric quiz's answer."""
    from hafiza.lessonlib.parser import parse_markdown

    text = ("# T\n\n```quiz\nid: a\ntype: single\nquestion: Q?\noptions:\n  - text: x\n"
            "  - text: y\n```\n\n```quiz\nid: b\ntype: single\nquestion: Q?\noptions:\n"
            "  - text: x\n    correct: maybe\n  - text: y\n    correct: true\n```\n\n"
            "```quiz\nid: c\ntype: numeric\nquestion: Q?\nanswer: many\n```\n")
    problems = parse_markdown(text, "en.md", variety="en").problems
    at = {p.line: p.message for p in problems}
    assert "exactly one correct option" in at[7]  # options: of quiz a
    assert "correct is true or false" in at[18]  # correct: maybe, in quiz b
    assert "needs a number as answer" in at[27]  # answer: many, in quiz c
