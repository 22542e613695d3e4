"""Previewing a lesson from the command line (issue 20, item 7), as an instructor does it:
`hafiza --lesson ID|FOLDER`, `hafiza lessons preview PATH` on a folder made with
`lessons new --dir` (no link into the library), the skeleton's schema link leading to a file
wherever the lesson is made, and `train ID` finding the exercise of an installed lesson.

The window itself is tested in tests/ui/test_lesson_preview.py; here the command line hands
over to it (replaced by a recorder) or, once, really renders it into a PNG.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import hafiza.__main__ as entry
from hafiza.lessonlib import skeleton
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR
from hafiza.lessonlib.schema import SCHEMA_PATH

EXERCISE = """exercises:
  - id: birnn-sine
    title: {en: "A sine wave"}
    task: regression
    dataset: {name: sine, n_samples: 100, window: 10}
    model: ["LSTM(4)", "Dense(1, linear)"]
    input_shape: [10, 1]
    loss: mse
    hyperparameters: {optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 32}
"""


@pytest.fixture
def lesson(tmp_path, hafiza_home) -> Path:
    return skeleton.new_lesson("birnn", ["fa", "en"], tmp_path / "work")


@pytest.fixture
def opened(monkeypatch):
    """What the command line hands to the preview window, instead of opening it."""
    calls = []

    def open_preview(folder, language, validate_exercises=True, **window):
        calls.append((folder, language, validate_exercises, window))
        return 0

    monkeypatch.setattr(entry, "_open_preview", open_preview)
    return calls


# -- hafiza --lesson ID|FOLDER ------------------------------------------------------------------
def test_lesson_option_with_a_folder_opens_the_preview(lesson, opened):
    assert entry.main(["--lesson", str(lesson), "--lang", "fa", "--size", "900x600"]) == 0
    assert opened == [(lesson.resolve(), "fa", True,
                       {"screenshot": None, "size": (900, 600), "theme": None})]


def test_lesson_option_with_a_relative_folder_and_a_file_in_it(lesson, opened, monkeypatch):
    monkeypatch.chdir(lesson.parent)
    assert entry.main(["--lesson", "./birnn"]) == 0
    assert entry.main(["--lesson", "birnn/en.md"]) == 0
    assert [call[0] for call in opened] == [lesson.resolve()] * 2


@pytest.mark.parametrize("where, words", [
    ("not-a-lesson", "is not a lesson folder: it has no lesson.yaml"),
    ("no/such/folder", "does not exist"),
])
def test_lesson_option_that_names_no_lesson_folder_exits_2(tmp_path, opened, capsys,
                                                           monkeypatch, where, words):
    (tmp_path / "not-a-lesson").mkdir()
    monkeypatch.chdir(tmp_path)
    assert entry.main(["--lesson", where]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hafiza: --lesson {where}: ") and words in err
    assert opened == []


def test_an_id_stays_an_id_even_where_a_folder_has_its_name(tmp_path, monkeypatch,
                                                            hafiza_home):
    (tmp_path / "sequences-rnn").mkdir()
    monkeypatch.chdir(tmp_path)
    assert not entry._names_a_folder("sequences-rnn")  # the built-in lesson
    (tmp_path / "my-draft").mkdir()
    assert entry._names_a_folder("my-draft")  # no lesson has this id: the folder
    assert not entry._names_a_folder("no-such-lesson")  # the app says "no lesson with id"
    assert entry._names_a_folder("~/lessons/x") and entry._names_a_folder("C:\\lessons\\x")


def test_lesson_option_with_a_folder_renders_the_preview_into_a_png(lesson, tmp_path):
    out = tmp_path / "preview.png"
    env = {**os.environ, "HAFIZA_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--screenshot", str(out), "--lang", "fa",
         "--lesson", str(lesson), "--size", "800x500"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "home" / "data" / "lessons").exists()  # nothing installed


# -- hafiza lessons preview PATH ------------------------------------------------------------------
def test_lessons_preview_opens_a_folder_outside_the_library(lesson, opened, hafiza_home):
    assert entry.main(["lessons", "preview", str(lesson), "--lang", "en", "--no-engine"]) == 0
    assert opened == [(lesson.resolve(), "en", False, {})]
    assert not (hafiza_home / "data" / "lessons").exists()


def test_lessons_preview_of_a_folder_without_a_lesson_exits_2(tmp_path, opened, capsys):
    assert entry.main(["lessons", "preview", str(tmp_path)]) == 2
    assert "has no lesson.yaml" in capsys.readouterr().err
    assert opened == []


def test_lessons_preview_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        entry.main(["lessons", "--help"])
    assert "preview" in capsys.readouterr().out


# -- the skeleton's schema link ------------------------------------------------------------------
def schema_of(folder: Path) -> Path:
    first = (folder / "lesson.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return folder / first.partition("$schema=")[2]


def test_a_skeleton_made_anywhere_links_to_a_schema_that_exists(lesson):
    link = schema_of(lesson)
    assert link == lesson / "../lesson.schema.json"
    assert link.read_bytes() == SCHEMA_PATH.read_bytes()


def test_a_skeleton_in_the_library_links_to_a_schema_that_exists(hafiza_home):
    folder = skeleton.new_lesson("in-library", ["en"], hafiza_home / "data" / "lessons")
    assert schema_of(folder).read_bytes() == SCHEMA_PATH.read_bytes()


def test_an_outdated_schema_beside_the_lessons_is_brought_up_to_date(tmp_path):
    (tmp_path / "lesson.schema.json").write_text("{}", encoding="utf-8")
    skeleton.new_lesson("second", ["en"], tmp_path)
    assert (tmp_path / "lesson.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()


def test_the_built_in_lessons_link_to_the_packages_own_schema():
    link = skeleton.schema_link(BUILTIN_LESSONS_DIR)
    assert link == "../../lessonlib/lesson.schema.json"
    assert (BUILTIN_LESSONS_DIR / "any-lesson" / link).resolve() == SCHEMA_PATH.resolve()
    assert not (BUILTIN_LESSONS_DIR / "lesson.schema.json").exists()  # no copy in the repo


# -- train ID: an installed lesson's exercise ------------------------------------------------------
@pytest.fixture
def library_lesson(hafiza_home) -> Path:
    folder = skeleton.new_lesson("birnn", ["en"], hafiza_home / "data" / "lessons")
    yaml_path = folder / "lesson.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("exercises: []\n",
                                                                       EXERCISE),
                         encoding="utf-8")
    return folder


def test_train_finds_an_exercise_of_a_library_lesson(library_lesson, capsys):
    from hafiza.engine import cli

    assert cli.main(["summary", "birnn-sine"]) == 0
    assert 'Model: "birnn-sine"' in capsys.readouterr().out
    assert cli.main(["train", "birnn:birnn-sine", "--quiet"]) in (0, 3)
    assert "Finished after 1 epochs" in capsys.readouterr().out


def test_a_library_lessons_exercise_reads_files_in_its_own_folder(library_lesson):
    from hafiza.engine import cli

    reference = cli.lesson_reference("birnn-sine")
    assert reference == f"{library_lesson / 'lesson.yaml'}:birnn-sine"
    assert cli.exercise_folder(reference) == library_lesson.resolve()


def test_train_finds_a_built_in_lessons_exercise(hafiza_home):
    from hafiza.engine import cli

    reference = cli.lesson_reference("sequence-regression")
    assert reference == f"{BUILTIN_LESSONS_DIR / 'sequences-rnn' / 'lesson.yaml'}:" \
                        "sequence-regression"


def test_an_exercise_id_in_two_lessons_asks_for_the_lesson(library_lesson, hafiza_home,
                                                           capsys):
    from hafiza.engine import cli

    other = skeleton.new_lesson("other", ["en"], hafiza_home / "data" / "lessons")
    (other / "lesson.yaml").write_text((library_lesson / "lesson.yaml").read_text(
        encoding="utf-8").replace("id: birnn\n", "id: other\n"), encoding="utf-8")
    assert cli.main(["summary", "birnn-sine"]) == 2
    err = capsys.readouterr().err
    assert "several lessons" in err and "birnn:birnn-sine" in err and "other:birnn-sine" in err
    assert cli.main(["summary", "other:birnn-sine"]) == 0


def test_an_unknown_exercise_names_every_way_to_name_one(hafiza_home, capsys):
    from hafiza.engine import cli

    assert cli.main(["train", "no-such-exercise"]) == 2
    assert "an exercise of a lesson, LESSON:ID" in capsys.readouterr().err
