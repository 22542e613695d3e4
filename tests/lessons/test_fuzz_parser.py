"""Property-based fuzzing of what reads and draws a lesson: the Markdown parser, the checker
and the lesson page. Whatever the text or the types in lesson.yaml, nothing escapes: the
parser raises only LessonError, the checker returns Problems, the page draws (an in-page
error at worst). A few hundred examples, derandomized so CI sees the same ones every run;
bench/fuzz_lessons.py runs the same properties on thousands of mutations outside CI.
"""

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml_mutations import key_paths, replaced

from hafiza.lessonlib.checker import check_lesson_files
from hafiza.lessonlib.model import Document, LessonError, Problem
from hafiza.lessonlib.parser import parse_markdown

# The syntax's own tokens, and what sits around them in a lesson.
TOKENS = ["[[", "]]", "|", "$", "$$", ":::", "::: note", "::: warning Title", "```",
          "```quiz", "```exercise", "![", "](", ")", "[", "]", "<", ">", "&", "&amp;", "#",
          "## ", "- ", "1. ", "> ", "*", "_", "`", "\\", "\n", "\n\n", " ", "|---|", "id: q",
          "type: single", "options:", "  - text: a", "correct: true", "figures/x.png",
          "https://example.com", "javascript:", "<script>", "\u200f", "\u200c", "\x00",
          "\\frac{a}{b}", "{", "}", "سلام", "درود"]
markdown_texts = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)),
                          max_size=60).map("".join)

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def parse_or_lesson_error(text: str) -> Document | None:
    try:
        document = parse_markdown(text, "fuzz/en.md")
    except LessonError as error:
        assert isinstance(error.problem(), Problem)
        return None
    assert all(isinstance(problem, Problem) for problem in document.problems)
    return document


@FUZZ
@given(markdown_texts)
def test_the_parser_raises_nothing_but_lesson_error(text):
    parse_or_lesson_error(text)


@settings(FUZZ, max_examples=150)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=200).map("".join))
def test_the_parser_survives_token_soup(text):
    parse_or_lesson_error(text)


VALID = {
    "id": "fuzz", "order": 1, "estimated_minutes": 10, "prerequisites": ["other"],
    "title": {"en": "Fuzz"}, "authors": ["A"], "license": "CC-BY",
    "glossary": {"term": {"en": "a term"}},
    "exercises": [
        {"id": "ex", "task": "binary", "dataset": {"name": "xor", "noise": 0.1},
         "model": ["Dense(4, tanh)", "Dense(1, sigmoid)"], "input_shape": [2],
         "loss": "binary_crossentropy",
         "hyperparameters": {"optimizer": "adam", "learning_rate": 0.05, "epochs": 5,
                             "batch_size": 8},
         "controls": ["epochs"], "goal": {"metric": "val_accuracy", "op": ">=", "value": 0.9}},
        {"id": "play", "playground": "activations"},
    ],
}
MARKDOWN = ("# Fuzz\n\nSee [[term]].\n\n```exercise\nid: ex\n```\n\n```quiz\nid: q1\n"
            "type: single\nquestion: Q?\noptions:\n  - text: a\n    correct: true\n"
            "  - text: b\n```\n")
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


PATHS = [path for path in key_paths(VALID) if path]


def check_returns_problems(data) -> list[Problem]:
    text = yaml.safe_dump(data, allow_unicode=True)
    problems = check_lesson_files("fuzz", {"lesson.yaml": text.encode("utf-8"),
                                           "en.md": MARKDOWN.encode("utf-8")})
    assert all(isinstance(problem, Problem) for problem in problems)
    return problems


def test_the_valid_lesson_used_for_mutations_is_valid():
    assert [p for p in check_returns_problems(VALID) if p.severity == "error"] == []


@settings(FUZZ, max_examples=150)
@given(st.sampled_from(PATHS), values)
def test_the_checker_turns_every_wrong_type_into_problems(path, value):
    check_returns_problems(replaced(VALID, path, value))


@settings(FUZZ, max_examples=40)
@given(values)
def test_the_checker_survives_a_lesson_yaml_that_is_anything(value):
    try:
        check_returns_problems(value)
    except yaml.representer.RepresenterError:  # not YAML at all: nothing to check
        pass


@settings(FUZZ, max_examples=30)
@given(markdown_texts, st.sampled_from(PATHS), values)
def test_the_lesson_page_draws_whatever_it_is_given(qtbot, qapp, text, path, value):
    from hafiza.lessonlib.outline import read_outline
    from hafiza.ui import i18n
    from hafiza.ui.lesson_page import LessonPage

    i18n.apply_language(qapp, "en")
    with tempfile.TemporaryDirectory() as library:
        folder = Path(library) / "fuzz"
        folder.mkdir()
        (folder / "lesson.yaml").write_text(
            yaml.safe_dump(replaced(VALID, path, value) if path[0] != "id" else VALID),
            encoding="utf-8")
        (folder / "en.md").write_text(text + "\n" + MARKDOWN, encoding="utf-8",
                                      errors="surrogatepass")
        outline = read_outline(Path(library))
        entry = outline.find("fuzz")
        if entry is None:  # the outline itself refused the lesson.yaml: nothing to draw
            assert outline.problems
            return
        page = LessonPage()
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.rendered, timeout=20_000):
            page.show_lesson(outline, entry)
        qtbot.waitUntil(lambda: getattr(page, "loading", None) is None, timeout=20_000)
        assert page.blocks  # at least the title: the page was drawn
        page.close()
