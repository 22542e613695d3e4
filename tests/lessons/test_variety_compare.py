"""A lesson's varieties compared (issue 20 item 9, issue 19 item 2): what one text lacks
against the others and quizzes with the same id that differ, each said once as a warning
with the file:line of both sides."""

from pathlib import Path

import pytest

from hafiza.lessonlib import checker

LESSON_YAML = """\
id: compare
order: 1
title: {en: "Compare", fa: "مقایسه", arz: "مقارنة"}
glossary:
  RNN:
    en: "A recurrent network."
    fa: "شبکهٔ بازگشتی."
    arz: "شبكة متكررة."
exercises:
  - {id: sine, task: regression, dataset: {name: sine}, model: ["Dense(1, linear)"]}
"""

TEXT = """\
# Compare

## First part

An [[RNN]].

![A figure](figures/plot.png)

```quiz
id: pick
type: single
question: "Pick one"
options:
  - text: "right"
    correct: true
  - text: "wrong"
```

## Second part

```quiz
id: count
type: numeric
question: "How many?"
answer: 0.3
tolerance: 0.01
```

```exercise
id: sine
```
"""
# lines in TEXT: "## First part" 3, figure 7, quiz pick 9, "## Second part" 19, quiz count 21,
# exercise 29
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
       b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd"
       b"\x8d\xb4\x00\x00\x00\x00IEND\xaeB`\x82")


def lesson(tmp_path: Path, fa_text: str = TEXT, yaml_text: str = LESSON_YAML,
           figures: tuple[str, ...] = ("plot.png",)) -> Path:
    folder = tmp_path / "compare"
    (folder / "figures").mkdir(parents=True)
    (folder / "lesson.yaml").write_text(yaml_text, encoding="utf-8")
    for tag in ("en", "arz"):
        (folder / f"{tag}.md").write_text(TEXT, encoding="utf-8")
    (folder / "fa.md").write_text(fa_text, encoding="utf-8")
    for name in figures:
        (folder / "figures" / name).write_bytes(PNG)
    return folder


def warnings_of(folder: Path) -> list[tuple[str, int, str]]:
    problems = checker.check_lesson(folder, validate_exercises=False)
    assert checker.errors(problems) == []
    return [(Path(str(p.path)).name, p.line, p.message) for p in problems
            if "no text in" not in p.message]


def cut(old: str, new: str = ""):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


QUIZ_PICK = TEXT[TEXT.index("```quiz\nid: pick"):TEXT.index("## Second")]
# name: (how fa.md is broken, file, line, words the message must hold)
BATTERY = {
    "missing-quiz": (cut(QUIZ_PICK), "fa.md", 7, ["no quiz 'pick'", "en.md:9"]),
    "missing-figure": (cut("![A figure](figures/plot.png)\n"), "fa.md", 3,
                       ["no figure 'plot.png'", "en.md:7"]),
    "missing-exercise": (cut("```exercise\nid: sine\n```\n"), "fa.md", 21,
                         ["no exercise 'sine'", "en.md:29"]),
    "missing-section": (cut("## Second part\n", "Second part\n"), "fa.md", 3,
                        ["1 section heading", "en.md:19"]),
    "different-answer": (cut("answer: 0.3", "answer: 0.6"), "fa.md", 21,
                         ["'count'", "answer", "0.3 in arz.md:21, en.md:21", "0.6 in fa.md:21"]),
    "different-tolerance": (cut("tolerance: 0.01", "tolerance: 0.001"), "fa.md", 21,
                            ["tolerance", "0.001 in fa.md:21"]),
    "different-type": (cut("type: single", "type: multiple"), "fa.md", 9, ["type", "multiple"]),
    "different-option-count": (cut('  - text: "wrong"\n', '  - text: "wrong"\n  - text: "no"\n'),
                               "fa.md", 9, ["number of options", "3 in fa.md:9"]),
    "different-correct-set": (cut('  - text: "right"\n    correct: true\n  - text: "wrong"\n',
                                  '  - text: "wrong"\n  - text: "right"\n    correct: true\n'),
                              "fa.md", 9, ["correct options", "2 in fa.md:9"]),
}


def test_the_same_lesson_in_three_varieties_compares_clean(tmp_path):
    assert warnings_of(lesson(tmp_path)) == []


@pytest.mark.parametrize("name", sorted(BATTERY))
def test_each_divergence_is_one_warning_with_both_sides(tmp_path, name):
    edit, filename, line, words = BATTERY[name]
    found = warnings_of(lesson(tmp_path, edit(TEXT)))
    assert len(found) == 1, found
    file, at, message = found[0]
    assert (file, at) == (filename, line), found
    for word in words:
        assert word in message, message


def test_a_missing_glossary_definition_is_one_warning_at_its_term(tmp_path):
    yaml_text = LESSON_YAML.replace('    fa: "شبکهٔ بازگشتی."\n', "")
    assert warnings_of(lesson(tmp_path, yaml_text=yaml_text)) == [
        ("lesson.yaml", 5, "glossary term 'RNN' has no definition in fa (those texts exist; "
                           "their learners read another variety's definition)")]


def test_a_quiz_only_one_variety_has_is_one_warning_naming_the_others(tmp_path):
    extra = "\n```quiz\nid: extra\ntype: numeric\nquestion: Q\nanswer: 1\n```\n"
    [(file, line, message)] = warnings_of(lesson(tmp_path, TEXT + extra))
    assert (file, line) == ("fa.md", 33)
    assert "quiz 'extra' is missing from arz.md (after line 29), en.md (after line 29)" in message


def test_figures_drawn_per_variety_count_as_the_same_figure(tmp_path):
    fa_text = TEXT.replace("figures/plot.png", "figures/plot.fa.png")
    assert warnings_of(lesson(tmp_path, fa_text, figures=("plot.png", "plot.fa.png"))) == []


def test_a_broken_quiz_is_said_once_not_also_as_missing(tmp_path):
    """An instructor's quiz without a right answer is an error at its fence; the other
    variety's copy of it must not add "fa.md has no quiz ..." (read as "my quiz vanished")."""
    from hafiza.lessonlib.checker import check_lesson

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "lesson.yaml").write_text("id: broken\norder: 1\ntitle: {en: T, fa: T}\n",
                                        encoding="utf-8")
    good = ("# T\n\nText.\n\n```quiz\nid: q\ntype: single\nquestion: Q?\noptions:\n"
            "  - text: a\n    correct: true\n  - text: b\n```\n")
    (folder / "en.md").write_text(good, encoding="utf-8")
    (folder / "fa.md").write_text(good.replace("    correct: true\n", ""), encoding="utf-8")
    problems = check_lesson(folder)
    assert [p.severity for p in problems if p.path.name == "fa.md"] == ["error"]
    assert not [p for p in problems if "has no quiz" in p.message or "missing from" in
                p.message]
