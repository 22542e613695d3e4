"""The checker against hostile lessons: raw HTML outside the prose, links, figures that are
not what they say, data paths leaving the lesson, and lesson.yaml of every wrong type."""

import re
import struct
import zlib

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml_mutations import key_paths, replaced

from hafiza.lessonlib import checker, parse_markdown

LESSON_YAML = "id: {id}\norder: 1\ntitle:\n  en: A lesson\n"
SVG_OK = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def png(width, height):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))


def lesson(tmp_path, yaml_text=None, md="# A lesson\n\nText.\n", files=None, lesson_id="x"):
    folder = tmp_path / lesson_id
    folder.mkdir()
    (folder / "lesson.yaml").write_text(yaml_text or LESSON_YAML.format(id=lesson_id),
                                        encoding="utf-8")
    (folder / "en.md").write_text(md, encoding="utf-8")
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def found(folder, severity="error"):
    return [(str(p.path).rsplit("/", 1)[-1], p.line, p.message)
            for p in checker.check_lesson(folder, validate_exercises=False)
            if p.severity == severity]


# -- raw HTML anywhere ---------------------------------------------------------------------
RAW_HTML_IN_MARKDOWN = {
    "admonition title": ("::: note <img src='file:///etc/x.png'>\nBody.\n:::\n", 3),
    "quiz question": ("```quiz\nid: q\nquestion: <b onmouseover=x>Why</b>?\noptions:\n"
                      "  - {text: a, correct: true}\n  - b\n```\n", 3),
    "quiz option": ("```quiz\nid: q\nquestion: Why?\noptions:\n"
                    "  - {text: '<img src=x>', correct: true}\n  - b\n```\n", 3),
    "quiz explanation": ("```quiz\nid: q\nquestion: Why?\nexplain: <a href=file:x>see</a>\n"
                         "options:\n  - {text: a, correct: true}\n  - b\n```\n", 3),
    "table cell": ("| a | b |\n|---|---|\n| <img src=x> | 2 |\n", 5),
}


@pytest.mark.parametrize("name", sorted(RAW_HTML_IN_MARKDOWN))
def test_raw_html_outside_the_prose_is_an_error_at_its_line(tmp_path, name):
    body, line = RAW_HTML_IN_MARKDOWN[name]
    folder = lesson(tmp_path, md="# A lesson\n\n" + body)
    assert {(f, n) for f, n, m in found(folder) if "raw HTML" in m} == {("en.md", line)}
    document = parse_markdown((folder / "en.md").read_text(), folder / "en.md", folder)
    rendered = repr(document.blocks)  # the HTML fields hold the tags escaped, never as tags
    assert not re.search(r"html='[^']*<(img|b |a )", rendered)
    assert "&lt;" in rendered or name == "admonition title"  # a title is plain text


RAW_HTML_IN_YAML = {
    "title": ("title:\n  en: <img src='file:///x'>\n", 4),
    "glossary": ("title: {en: T}\nglossary:\n  term:\n    en: <script>x</script>\n", 6),
    "authors": ("title: {en: T}\nauthors:\n  - <a href=x>me</a>\n", 5),
}


@pytest.mark.parametrize("name", sorted(RAW_HTML_IN_YAML))
def test_raw_html_in_lesson_yaml_texts_is_an_error_at_its_line(tmp_path, name):
    text, line = RAW_HTML_IN_YAML[name]
    folder = lesson(tmp_path, yaml_text="id: x\norder: 1\n" + text)
    assert [(f, n) for f, n, m in found(folder) if "raw HTML" in m] == [("lesson.yaml", line)]


def test_raw_html_in_the_course_glossary_is_an_error(tmp_path):
    lesson(tmp_path)
    (tmp_path / "glossary.yaml").write_text(
        "gate:\n  en: {term: gate, definition: '<img src=\"file:///x\">'}\n", encoding="utf-8")
    problems = checker.errors(checker.check_paths([tmp_path], validate_exercises=False))
    assert [(p.line, "raw HTML" in p.message) for p in problems] == [(2, True)]


def test_plain_comparisons_are_not_mistaken_for_html(tmp_path):
    folder = lesson(tmp_path, yaml_text="id: x\norder: 1\ntitle:\n  en: 'x < 3 and y <= 4'\n")
    assert found(folder) == []


@pytest.mark.parametrize("href, allowed", [
    ("https://example.org/a", True), ("mailto:teacher@example.org", True),
    ("mailto:teacher@example.org?subject=Hi", True),
    ("https://user:secret@example.org/", False), ("http://user@example.org/", False),
    ("mailto:a@b.org%0Abcc:x@y.org", False), ("mailto:", False), ("javascript:alert(1)", False),
    ("file:///etc/passwd", False), ("data:text/html,x", False), ("ftp://example.org", False),
])
def test_links_are_http_https_or_mailto_without_credentials(href, allowed):
    document = parse_markdown(f"# T\n\n[here]({href})\n")
    assert ("<a href=" in document.blocks[1].html) == allowed
    assert bool(document.problems) != allowed


# -- figures and data ------------------------------------------------------------------------
FIGURES = {
    "fake png": (b"GIF89a\x01\x00\x01\x00", "but is a GIF file"),
    "text as png": (b"hello", "but is not an image"),
    "huge png": (png(20_000, 100), "20000 x 100 pixels"),
    "svg as png": (SVG_OK, "but is a SVG file"),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figures_must_be_what_their_extension_says_and_not_too_large(tmp_path, name):
    data, words = FIGURES[name]
    folder = lesson(tmp_path, files={"figures/plot.png": data})
    assert [(f, words in m) for f, _, m in found(folder)] == [("plot.png", True)]


@pytest.mark.parametrize("svg, words", [
    (b'<!DOCTYPE svg [<!ENTITY a "x">]><svg/>', "DOCTYPE"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="90000" height="5"/>', "width"),
    (b"not xml at all", "well-formed"),
])
def test_svg_figures_that_cannot_be_cleaned_are_refused_with_the_reason(tmp_path, svg, words):
    folder = lesson(tmp_path, files={"figures/cell.svg": svg})
    assert [(f, "SVG figure refused" in m and words in m) for f, _, m in found(folder)] == \
        [("cell.svg", True)]


def test_good_figures_pass_and_stray_files_are_warned_about(tmp_path):
    folder = lesson(tmp_path, files={"figures/a.png": png(64, 32), "figures/b.svg": SVG_OK,
                                     "figures/notes.txt": b"x", "figures/run.sh": b"x"})
    assert found(folder) == []
    strays = [f for f, _, m in found(folder, "warning") if "unexpected file in figures/" in m]
    assert sorted(strays) == ["notes.txt", "run.sh"]


def test_a_link_in_figures_is_refused(tmp_path):
    folder = lesson(tmp_path)
    (folder / "figures").mkdir()
    (folder / "figures" / "passwd.png").symlink_to("/etc/passwd")
    assert [(f, "link" in m) for f, _, m in found(folder)] == [("passwd.png", True)]


EXERCISE = ("id: x\norder: 1\ntitle: {{en: T}}\nexercises:\n  - id: e\n    task: language_model\n"
            "    dataset: {{name: {name}, {key}: {value}}}\n    model: [embedding 8, lstm 8]\n")


@pytest.mark.parametrize("value, words", [
    ("/etc/passwd", "relative path"), ("../outside.txt", "relative path"),
    ("'~/.ssh/id_rsa'", "relative path"), ("'C:\\\\Windows\\\\win.ini'", "relative path"),
    ("data/missing.txt", "no such file"), ("[a, b]", "must name a file"),
])
def test_exercise_data_paths_must_stay_in_the_lesson_folder(tmp_path, value, words):
    (tmp_path / "outside.txt").write_text("secret words")
    folder = lesson(tmp_path, yaml_text=EXERCISE.format(name="text_file", key="path",
                                                         value=value))
    messages = [(f, n, m) for f, n, m in found(folder) if "dataset.path" in m]
    assert [(f, n, words in m) for f, n, m in messages] == [("lesson.yaml", 7, True)]


def test_a_data_file_inside_the_lesson_is_accepted_on_disk_and_in_a_pack(tmp_path):
    text = EXERCISE.format(name="text_file", key="path", value="data/corpus.txt")
    folder = lesson(tmp_path, yaml_text=text, files={"data/corpus.txt": b"words " * 50})
    assert [m for _, _, m in found(folder) if "dataset" in m] == []
    files = {"lesson.yaml": text.encode(), "en.md": b"# T\n\nText.\n"}
    in_memory = checker.errors(checker.check_lesson_files("x", files, validate_exercises=False))
    assert [p.message for p in in_memory if "dataset.path" in p.message] == \
        ["dataset.path 'data/corpus.txt': no such file in the lesson"]
    files["data/corpus.txt"] = b"words"
    assert checker.errors(checker.check_lesson_files("x", files, validate_exercises=False)) == []


def test_a_lessons_dir_outside_the_lesson_is_refused(tmp_path):
    folder = lesson(tmp_path, yaml_text=EXERCISE.format(name="lessons", key="lessons_dir",
                                                         value="'..'"))
    assert [n for _, n, m in found(folder) if "dataset.lessons_dir" in m] == [7]


# -- the checker never raises ------------------------------------------------------------------
VALID = {"id": "x", "order": 1, "title": {"en": "T"}, "estimated_minutes": 5,
         "prerequisites": ["a"], "authors": ["me"], "license": "CC",
         "glossary": {"term": {"en": "def"}},
         "exercises": [{"id": "e", "task": "regression", "dataset": {"name": "toy"},
                        "model": ["linear 1"], "title": {"en": "E"}, "controls": ["lr"],
                        "goal": {"metric": "loss", "op": "<", "value": 1}},
                       {"id": "p", "playground": "activations"}]}
ODD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                       st.text(max_size=5), st.lists(st.integers(), max_size=2),
                       st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                       st.just([[1]]), st.just({"id": ["a"]}))


PATHS = [path for path in key_paths(VALID) if path]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), ODD_VALUES), min_size=1, max_size=3),
       st.booleans())
def test_any_type_anywhere_in_lesson_yaml_gives_problems_never_an_exception(mutations, pack):
    data = VALID
    for path, value in mutations:
        try:
            data = replaced(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation took the path away
    text = yaml.safe_dump(data, allow_unicode=True)
    files = {"lesson.yaml": text.encode(), "en.md": b"# T\n\n```exercise\nid: e\n```\n"}
    problems = checker.check_lesson_files("x", files) if pack else None
    if problems is None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "x"
            folder.mkdir()
            for name, content in files.items():
                (folder / name).write_bytes(content)
            problems = checker.check_lesson(folder)
    assert all(isinstance(p.line, int) and p.line >= 1 for p in problems)
    assert not [p for p in problems if checker.INTERNAL_ERROR in p.message]
