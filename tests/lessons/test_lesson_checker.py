"""The checker over a corpus of broken lessons, each problem at its file and line, and the
`lessons` command line (check, new)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hafiza.lessonlib import checker, skeleton

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "tests" / "fixtures" / "lessons" / "lstm-gates"
GOOD_YAML = "id: {id}\norder: 1\ntitle:\n  en: A lesson\n"
GOOD_MD = "# A lesson\n\nSome text.\n"


def make(tmp_path, lesson_id="broken", yaml_text=None, files=None):
    folder = tmp_path / lesson_id
    folder.mkdir()
    (folder / "lesson.yaml").write_text(yaml_text or GOOD_YAML.format(id=lesson_id),
                                        encoding="utf-8")
    for name, text in (files if files is not None else {"en.md": GOOD_MD}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def errors_of(folder):
    return [(Path(p.path).name, p.line, p.message)
            for p in checker.check_lesson(folder, validate_exercises=False)
            if p.severity == "error"]


# (lesson.yaml, {file: text}, expected file, line, words in the message)
CORPUS = {
    "bad-yaml": ("id: bad-yaml\norder: 1\ntitle: [unclosed\n", None,
                 "lesson.yaml", 3, "not valid YAML"),
    "missing-title": ("id: missing-title\norder: 1\n", None, "lesson.yaml", 1, "'title'"),
    "unknown-field": ("id: unknown-field\norder: 1\ntitle: {en: T}\ncolour: red\n", None,
                      "lesson.yaml", 4, "unknown field 'colour'"),
    "bad-order": ("id: bad-order\norder: first\ntitle: {en: T}\n", None,
                  "lesson.yaml", 2, "order"),
    "bad-variety": ("id: bad-variety\norder: 1\ntitle:\n  en: T\n  de: T\n", None,
                    "lesson.yaml", 5, "de"),
    "alias": ("id: alias\norder: 1\ntitle: &t {en: T}\nx: *t\n", None,
              "lesson.yaml", 3, "aliases"),
    "duplicate": ("id: duplicate\norder: 1\ntitle: {en: T}\norder: 2\n", None,
                  "lesson.yaml", 4, "duplicate key 'order'"),
    "wrong-id": ("id: another\norder: 1\ntitle: {en: T}\n", None,
                 "lesson.yaml", 1, "differs from the folder name"),
    "bad-exercise-goal": ("id: bad-exercise-goal\norder: 1\ntitle: {en: T}\nexercises:\n"
                          "  - id: e\n    task: binary\n    dataset: {name: xor}\n"
                          "    model: ['Dense(1, sigmoid)']\n"
                          "    goal: {metric: val_accuracy, op: '=>', value: 0.9}\n",
                          None, "lesson.yaml", 9, "goal/op"),
    "no-text": (None, {}, "lesson.yaml", 1, "has no text"),
    "bad-link": (None, {"en.md": "# T\n\nText.\n\nSee [x](file:///etc/passwd).\n"},
                 "en.md", 5, "not allowed"),
    "missing-image": (None, {"fa.md": "# T\n\n![شکل](figures/none.png)\n"},
                      "fa.md", 3, "does not exist"),
    "raw-html": (None, {"en.md": "# T\n\n<div>x</div>\n"}, "en.md", 3, "raw HTML"),
    "unknown-exercise": (None, {"en.md": "# T\n\n```exercise\nid: nope\n```\n"},
                         "en.md", 3, "not defined in lesson.yaml"),
    "unknown-term": (None, {"en.md": "# T\n\nAn [[RNN]].\n"}, "en.md", 3, "glossary term"),
    "broken-quiz": (None, {"en.md": "# T\n\nText\n\n```quiz\nid: q\ntype: single\n"
                           "question: Q?\noptions:\n  - a\n  - b\n```\n"},
                    "en.md", 9, "exactly one correct"),  # the options: line
    "quiz-yaml": (None, {"en.md": "# T\n\n```quiz\nid: q\nquestion: [oops\n```\n"},
                  "en.md", 5, "not valid YAML"),
    "duplicate-quiz": (None, {"en.md": "# T\n\n```quiz\nid: q\ntype: numeric\nquestion: Q\n"
                              "answer: 1\n```\n\n```quiz\nid: q\ntype: numeric\n"
                              "question: Q\nanswer: 2\n```\n"},
                       "en.md", 10, "used twice"),
    "bad-formula": (None, {"en.md": "# T\n\nText.\n\n$$\n\\frac{1}{\n$$\n"},
                    "en.md", 5, "does not render"),
    "dangling-anchor": (None, {"en.md": "# T\n\nGo [up](#nowhere).\n"}, "en.md", 3,
                        "no heading has this anchor"),
    "unclosed-note": (None, {"en.md": "# T\n\n::: warning\nCareful\n"}, "en.md", 3,
                      "never closed"),
    "not-utf8": (None, {"en.md": "# T\n\nok\n"}, "en.md", 2, "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_broken_lessons_report_the_right_file_and_line(tmp_path, name):
    yaml_text, files, filename, line, words = CORPUS[name]
    folder = make(tmp_path, name, yaml_text, files)
    if name == "not-utf8":
        (folder / "en.md").write_bytes(b"# T\n\xff\xfe broken\n")
    found = errors_of(folder)
    assert any(f == filename and ln == line and words in msg for f, ln, msg in found), found


def test_exercise_checked_by_the_engine_validator(tmp_path):
    pytest.importorskip("torch")
    folder = make(tmp_path, "engine-check",
                  "id: engine-check\norder: 1\ntitle: {en: T}\nexercises:\n"
                  "  - id: e\n    task: binary\n    dataset: {name: xor}\n"
                  "    model: ['Dense(1, sigmoid)']\n    hyperparameters: {epochs: -3}\n",
                  {"en.md": "# T\n\n```exercise\nid: e\n```\n"})
    problems = checker.check_lesson(folder)
    assert any(p.line == 9 and "epochs" in p.message for p in problems), problems


def test_demo_lesson_is_clean():
    assert checker.errors(checker.check_lesson(DEMO, ["sequences-rnn"])) == []


def test_missing_varieties_are_warnings(tmp_path):
    folder = make(tmp_path, "only-en")
    problems = checker.check_lesson(folder, validate_exercises=False)
    assert [p.severity for p in problems] == ["warning"]
    assert "ary, arz, ar, fa" in problems[0].message


def run_cli(*args, home):
    env = {**os.environ, "HAFIZA_HOME": str(home)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "lessons", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_cli_check_prints_file_line_message_and_fails(tmp_path):
    folder = make(tmp_path, "cli", files={"en.md": "# T\n\n[x](javascript:alert(1))\n"})
    result = run_cli("check", "--no-engine", str(folder), home=tmp_path / "home")
    assert result.returncode == 1
    assert f"{folder}/en.md:3: link" in result.stdout
    good = make(tmp_path, "fine")
    result = run_cli("check", "--no-engine", str(good), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout
    strict = run_cli("check", "--no-engine", "--strict", str(good), home=tmp_path / "home")
    assert strict.returncode == 1  # missing varieties


def test_cli_new_creates_a_skeleton_that_passes_the_checker(tmp_path):
    home = tmp_path / "home"
    result = run_cli("new", "my-lesson", "--varieties", "fa,arz", home=home)
    assert result.returncode == 0, result.stderr
    folder = home / "data" / "lessons" / "my-lesson"
    assert sorted(p.name for p in folder.iterdir()) == ["arz.md", "fa.md", "figures",
                                                         "lesson.yaml"]
    assert checker.errors(checker.check_lesson(folder, validate_exercises=False)) == []
    again = run_cli("new", "my-lesson", home=home)
    assert again.returncode == 1 and "already exists" in again.stderr
    with pytest.raises(skeleton.SkeletonError):
        skeleton.new_lesson("Bad Id", ["en"], tmp_path)


def test_library_dir_is_in_the_one_data_folder(hafiza_home):
    from hafiza.lessonlib.paths import library_dir
    from hafiza.paths import data_dir
    from hafiza.ui.course import library_dir as app_library_dir

    assert library_dir() == app_library_dir() == data_dir() / "lessons"
    assert library_dir() == hafiza_home / "data" / "lessons"
