"""A lesson's exercise reads only files inside its own lesson folder: a pack's exercise that
names /etc/passwd (or ../../secret, or a link out of the folder) must not put that file's
words into a model's vocabulary, which a progress export would then send away."""

import os

import pytest

from hafiza.engine import cli
from hafiza.engine.data.corpora import lesson_corpus
from hafiza.engine.exercises import ExerciseError, load_data, prepare, resolve_data_path
from hafiza.engine.refusals import DATA_PATH

WORDS = "the cat sat on the mat\nthe dog sat on the log\n" * 20
SECRET = "secretword " * 50


def _text_exercise(path: str) -> dict:
    return {"id": "lm_file", "task": "language_model",
            "dataset": {"name": "text_file", "path": path},
            "model": ["Embedding(vocab_size, 8)", "LSTM(8, return_sequences=True)",
                      "Dense(vocab_size, softmax)"],
            "hyperparameters": {"batch_size": 2, "bptt": 4, "epochs": 1}}


@pytest.fixture
def lesson(tmp_path):
    """A lesson folder with a corpus of its own, and a secret file beside it."""
    folder = tmp_path / "pack" / "lesson1"
    folder.mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "data" / "words.txt").write_text(WORDS, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def test_a_file_inside_the_lesson_folder_is_read(lesson):
    run = prepare(_text_exercise("data/words.txt"), data_root=lesson)
    assert "cat" in run.vocab.word_index and run.data_root == lesson


HOSTILE_PATHS = ["/etc/passwd", "../secret.txt", "data/../../secret.txt", "~/secret.txt",
                 "C:/Windows/win.ini", "C:\\secret.txt", "\\\\server\\share\\x.txt",
                 "data/missing.txt", "", "data\x00.txt"]


@pytest.mark.parametrize("raw", HOSTILE_PATHS)
def test_paths_leaving_the_folder_or_naming_nothing_are_refused(lesson, raw):
    with pytest.raises(ExerciseError) as caught:
        prepare(_text_exercise(raw), data_root=lesson)
    assert (caught.value.kind, caught.value.setting) == (DATA_PATH, "dataset.path")


def test_a_link_out_of_the_folder_is_refused(lesson):
    link = lesson / "data" / "escape.txt"
    try:
        os.symlink(lesson.parent.parent / "secret.txt", link)
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    with pytest.raises(ExerciseError, match="inside the lesson"):
        load_data(_text_exercise("data/escape.txt"), data_root=lesson)


def test_without_a_lesson_folder_no_path_is_read(lesson):
    absolute = str(lesson / "data" / "words.txt")
    for raw in (absolute, "data/words.txt"):
        with pytest.raises(ExerciseError) as caught:
            load_data(_text_exercise(raw))
        assert caught.value.kind == DATA_PATH


def test_a_key_in_the_exercise_cannot_make_its_paths_trusted(lesson):
    exercise = _text_exercise("/etc/passwd")
    exercise["dataset"]["trusted_paths"] = True
    with pytest.raises(ExerciseError):
        prepare(exercise, data_root=lesson)
    exercise = _text_exercise("/etc/passwd")
    exercise["trusted_paths"] = True
    with pytest.raises(ExerciseError, match="unknown exercise field"):
        prepare(exercise, data_root=lesson)


def test_a_path_the_learner_typed_is_taken_as_it_is(lesson):
    secret = lesson.parent.parent / "secret.txt"
    assert resolve_data_path(str(secret), None, trusted=True) == secret
    run = prepare(_text_exercise(str(secret)), trusted_paths=True)
    assert "secretword" in run.vocab.word_index


def test_a_lessons_corpus_folder_stays_inside_and_skips_links_out(lesson, tmp_path):
    corpus = lesson / "corpus"
    (corpus / "a").mkdir(parents=True)
    (corpus / "a" / "en.md").write_text("# Title\n\nInside words here.\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "en.md").write_text("secretword " * 20, encoding="utf-8")
    try:
        os.symlink(outside, corpus / "b")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    assert "secretword" not in lesson_corpus("en", corpus)
    exercise = {"id": "lm_corpus", "task": "language_model",
                "dataset": {"name": "lessons", "variety": "en", "lessons_dir": "../.."},
                "model": ["Embedding(vocab_size, 8)", "Dense(vocab_size, softmax)"]}
    with pytest.raises(ExerciseError) as caught:
        prepare(exercise, data_root=lesson)
    assert caught.value.setting == "dataset.lessons_dir"


# --- the command line --------------------------------------------------------------------------

def _lesson_file(folder, path: str):
    import yaml

    (folder / "lesson.yaml").write_text(yaml.safe_dump({"exercises": [_text_exercise(path)]}),
                                        encoding="utf-8")
    return folder / "lesson.yaml"


def test_the_command_line_runs_a_lesson_exercise_inside_its_folder(lesson, capsys):
    good = _lesson_file(lesson, "data/words.txt")
    assert cli.main(["summary", f"{good}:lm_file"]) == cli.EXIT_OK
    bad = _lesson_file(lesson, str(lesson.parent.parent / "secret.txt"))
    assert cli.main(["summary", f"{bad}:lm_file"]) == cli.EXIT_USAGE
    assert "inside the lesson's own folder" in capsys.readouterr().err


def test_the_command_line_trusts_a_path_typed_on_set(lesson, capsys):
    bad = _lesson_file(lesson, "/etc/passwd")
    secret = lesson.parent.parent / "secret.txt"
    assert cli.main(["summary", f"{bad}:lm_file", "--set", f"dataset.path={secret}"]) == 0
    assert "Total params" in capsys.readouterr().out
