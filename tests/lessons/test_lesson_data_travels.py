"""An instructor's own data travels with the lesson (issue 20, item 2).

A battery of the mistakes an instructor makes with `data/` and with the paths exercises read,
each caught by the checker at the right file and line, in words; then the journey itself:
export (which refuses to leave a file behind), import into a fresh home, one epoch of
training from the imported lesson; and a built-in lesson whose course glossary travels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from hafiza.lessonlib import checker, cli, data_files, packs
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR

POEMS = "\n".join(f"the wind sings over the hills and the river answers number {i}."
                  for i in range(300)) + "\n"
LESSON_YAML = """\
id: poems
order: 90
version: "1.2"
title:
  en: "A language model on my own poems"
exercises:
  - id: poems-lm
    title: {en: "Next word on my poems"}
    task: language_model
    dataset:
      name: text_file
      path: data/poems.txt
      num_words: 200
    model:
      - Embedding(vocab_size, 8)
      - LSTM(8, return_sequences=True)
      - Dense(vocab_size, softmax)
    loss: categorical_crossentropy
    hyperparameters: {optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 16, bptt: 8}
"""
PATH_LINE = 12  # the line of `path: data/poems.txt` above
DATASET_LINE = 10
EN_MD = "# Poems\n\nTrain on my poems.\n\n```exercise\nid: poems-lm\n```\n"


def good_lesson(root: Path) -> Path:
    folder = root / "poems"
    (folder / "data").mkdir(parents=True)
    (folder / "lesson.yaml").write_text(LESSON_YAML, encoding="utf-8")
    (folder / "en.md").write_text(EN_MD, encoding="utf-8")
    (folder / "data" / "poems.txt").write_text(POEMS, encoding="utf-8")
    return folder


def set_path(value: str) -> Callable:
    def change(folder: Path, _monkeypatch) -> None:
        text = (folder / "lesson.yaml").read_text(encoding="utf-8")
        (folder / "lesson.yaml").write_text(
            text.replace("path: data/poems.txt", f"path: {value}"), encoding="utf-8")
    return change


def write(inner: str, data: bytes) -> Callable:
    def change(folder: Path, _monkeypatch) -> None:
        (folder / inner).parent.mkdir(parents=True, exist_ok=True)
        (folder / inner).write_bytes(data)
    return change


def both(*changes: Callable) -> Callable:
    def change(folder: Path, monkeypatch) -> None:
        for one in changes:
            one(folder, monkeypatch)
    return change


def drop_path_line(folder: Path, _monkeypatch) -> None:
    text = (folder / "lesson.yaml").read_text(encoding="utf-8")
    (folder / "lesson.yaml").write_text(text.replace("      path: data/poems.txt\n", ""),
                                        encoding="utf-8")


def link_in_data(folder: Path, _monkeypatch) -> None:
    (folder / "data" / "secrets.txt").symlink_to("/etc/hostname")


def move_poems(to: str) -> Callable:
    def change(folder: Path, _monkeypatch) -> None:
        (folder / to).parent.mkdir(parents=True, exist_ok=True)
        (folder / "data" / "poems.txt").rename(folder / to)
    return change


def lower_lesson_cap(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(data_files, "MAX_LESSON_DATA_BYTES", 30_000)
    (folder / "data" / "more.txt").write_text(POEMS, encoding="utf-8")


def big_file(folder: Path, _monkeypatch) -> None:
    with open(folder / "data" / "huge.txt", "wb") as file:
        file.truncate(data_files.MAX_DATA_BYTES + 1)  # sparse: no 8 MB is written


@dataclass(frozen=True)
class Mistake:
    name: str
    change: Callable
    file: str  # relative to the lesson folder
    line: int
    word: str  # the message must contain it
    severity: str = "error"


MISTAKES = [
    Mistake("a spreadsheet in data/", write("data/scores.xlsx", b"PK\x03\x04"),
            "data/scores.xlsx", 1, "only text files"),
    Mistake("a file without an extension in data/", write("data/README", b"notes"),
            "data/README", 1, "only text files"),
    Mistake("a binary file named .txt", write("data/poems2.txt", b"\x00\x01\x02 zip"),
            "data/poems2.txt", 1, "not text"),
    Mistake("an empty data file", write("data/empty.csv", b""), "data/empty.csv", 1, "empty"),
    Mistake("a blank data file", write("data/blank.tsv", b"  \n\n"), "data/blank.tsv", 1,
            "empty"),
    Mistake("broken JSON, at its line", write("data/words.json", b'{\n  "a": 1,\n  "b": }\n'),
            "data/words.json", 3, "JSON"),
    Mistake("a data file over the per-file cap", big_file, "data/huge.txt", 1, "at most 8 MB"),
    Mistake("data/ over the per-lesson cap", lower_lesson_cap, "data", 1, "add up to"),
    Mistake("a link in data/", link_in_data, "data/secrets.txt", 1, "link"),
    Mistake("an absolute path", set_path("/etc/passwd"), "lesson.yaml", PATH_LINE,
            "relative path"),
    Mistake("a path climbing out with ..", set_path("../poems.txt"), "lesson.yaml", PATH_LINE,
            "relative path"),
    Mistake("a path in the home folder", set_path("'~/poems.txt'"), "lesson.yaml", PATH_LINE,
            "relative path"),
    Mistake("a Windows drive path", set_path("'C:\\Users\\me\\poems.txt'"), "lesson.yaml",
            PATH_LINE, "relative path"),
    Mistake("Windows backslashes", set_path("'data\\poems.txt'"), "lesson.yaml", PATH_LINE,
            "write /"),
    Mistake("the file beside lesson.yaml, not in data/",
            both(move_poems("poems.txt"), set_path("poems.txt")), "lesson.yaml", PATH_LINE,
            "not in the lesson's data/ folder"),
    Mistake("the file in figures/", both(move_poems("figures/poems.txt"),
                                         set_path("figures/poems.txt")),
            "lesson.yaml", PATH_LINE, "not in the lesson's data/ folder"),
    Mistake("the name in other capitals", set_path("data/Poems.txt"), "lesson.yaml", PATH_LINE,
            "capitals"),
    Mistake("a missing data file", set_path("data/poem.txt"), "lesson.yaml", PATH_LINE,
            "no such file"),
    Mistake("a folder where a file is wanted", set_path("data"), "lesson.yaml", PATH_LINE,
            "is a folder"),
    Mistake("an empty path", set_path("''"), "lesson.yaml", PATH_LINE, "must name a file"),
    Mistake("a text_file without a path", drop_path_line, "lesson.yaml", DATASET_LINE,
            "dataset.path is missing"),
    # A warning by design (checker.py's rule for the lesson folder's top level): the file
    # does not break the lesson; `lessons export` refuses it (see the export test below).
    Mistake("a stray file beside lesson.yaml", write("notes.docx", b"PK"), "notes.docx", 1,
            "unexpected file", "warning"),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda mistake: mistake.name)
def test_each_data_mistake_is_caught_at_its_file_and_line(tmp_path, monkeypatch, mistake):
    folder = good_lesson(tmp_path)
    assert checker.errors(checker.check_lesson(folder, validate_exercises=False)) == []
    mistake.change(folder, monkeypatch)
    found = [(Path(problem.path).relative_to(folder).as_posix(), problem.line,
              problem.severity) for problem in checker.check_lesson(folder,
                                                                    validate_exercises=False)
             if mistake.word in problem.message]
    assert found == [(mistake.file, mistake.line, mistake.severity)]


def test_the_same_rules_hold_for_a_pack_in_memory():
    """The import runs the checker on the pack's files: what check says, import enforces."""
    files = {"lesson.yaml": LESSON_YAML.encode(), "en.md": EN_MD.encode(),
             "data/poems.txt": POEMS.encode(), "data/scores.xlsx": b"PK",
             "data/words.json": b"{]"}
    found = sorted((problem.path, problem.line, problem.message[:27]) for problem in
                   checker.errors(checker.check_lesson_files("poems", files, False)))
    assert found == [("poems/data/scores.xlsx", 1, "data/ holds only text files"),
                     ("poems/data/words.json", 1, "the file is not valid JSON:")]
    del files["data/poems.txt"]
    assert [(p.line, "no such file" in p.message) for p in
            checker.errors(checker.check_lesson_files("poems", files, False))
            if p.path.endswith(".yaml")] \
        == [(PATH_LINE, True)]


def test_every_text_format_is_accepted_and_the_caps_fit_a_pack(tmp_path):
    folder = good_lesson(tmp_path)
    for name, text in (("a.csv", "x,y\n1,2\n"), ("b.tsv", "x\ty\n"), ("c.json", '{"a": [1]}'),
                       ("d.md", "# words\n"), ("sub/e.txt", "more words\n")):
        write(f"data/{name}", text.encode())(folder, None)
    write("data/cp1256.txt", "مرحبا بالعالم".encode("cp1256"))(folder, None)
    assert checker.check_lesson(folder, validate_exercises=False) == [
        problem for problem in checker.check_lesson(folder, validate_exercises=False)
        if "no text in" in problem.message]  # only the missing varieties' warning
    assert data_files.MAX_DATA_BYTES == packs.MAX_FILE_BYTES
    assert data_files.MAX_LESSON_DATA_BYTES < packs.MAX_TOTAL_BYTES


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_refuses_to_leave_a_file_behind_and_names_hidden_ones(tmp_path, capsys):
    folder = good_lesson(tmp_path)
    (folder / "notes.docx").write_bytes(b"PK")
    (folder / ".DS_Store").write_bytes(b"\0")
    pack = tmp_path / "poems.hafiza"
    code, _, err = run_cli(capsys, "export", str(folder), "-o", str(pack))
    assert code == 1 and not pack.exists()
    assert "would not travel in the pack: notes.docx" in err
    (folder / "notes.docx").unlink()
    code, out, _ = run_cli(capsys, "export", str(folder), "-o", str(pack))
    assert code == 0 and "poems: left out hidden file .DS_Store" in out
    plan = packs.read_pack(pack, tmp_path / "library")
    assert sorted(plan.lessons[0].files) == ["data/poems.txt", "en.md", "lesson.yaml"]


def test_a_lesson_with_its_own_data_trains_after_import_into_a_fresh_home(
        tmp_path, capsys, monkeypatch, hafiza_home):
    from hafiza.engine import cli as engine_cli
    from hafiza.lessonlib.paths import library_dir

    folder = good_lesson(tmp_path / "author")
    pack = tmp_path / "poems.hafiza"
    assert run_cli(capsys, "export", str(folder), "-o", str(pack))[0] == 0
    code, out, _ = run_cli(capsys, "import", str(pack), "--yes")
    assert code == 0 and "add: poems" in out
    installed = library_dir() / "poems"
    assert installed.is_relative_to(hafiza_home)
    assert (installed / "data" / "poems.txt").read_text(encoding="utf-8") == POEMS
    monkeypatch.chdir(tmp_path)  # not the lesson folder: the path resolves inside the lesson
    code = engine_cli.main(["train", f"{installed / 'lesson.yaml'}:poems-lm", "--quiet"])
    assert code == engine_cli.EXIT_OK
    assert "Finished after 1 epochs" in capsys.readouterr().out


def test_a_built_in_lesson_travels_with_the_course_glossary_terms_it_uses(tmp_path, capsys):
    pack = tmp_path / "lm.hafiza"
    code, out, _ = run_cli(capsys, "export", str(BUILTIN_LESSONS_DIR / "language-models"),
                           "-o", str(pack))
    assert code == 0 and "course glossary term(s) written into its lesson.yaml" in out
    plan = packs.read_pack(pack, tmp_path / "library")  # the import's full check passes
    lesson = plan.lessons[0]
    assert lesson.shadows_builtin
    packs.install(plan)
    installed = tmp_path / "library" / "language-models"
    assert checker.errors(checker.check_lesson(installed, validate_exercises=False)) == []
    from hafiza.lessonlib.glossary import entry_text
    from hafiza.lessonlib.lesson_bundle import terms_used
    from hafiza.lessonlib.loader import load_lesson, read_document

    loaded = load_lesson(installed)  # the library holds no course glossary
    texts = [path.read_text(encoding="utf-8") for path in installed.glob("*.md")]
    assert len(terms_used(texts)) > 10 and terms_used(texts) <= set(loaded.glossary)
    assert loaded.glossary["perplexity"]["fa"] == entry_text(_course_entry("perplexity", "fa"))
    for tag in ("ary", "fa", "en"):
        document = read_document(loaded, tag)
        assert document.blocks and checker.errors(document.problems) == []


def _course_entry(term: str, tag: str):
    import yaml

    data = yaml.safe_load((BUILTIN_LESSONS_DIR / "glossary.yaml").read_text(encoding="utf-8"))
    return data[term][tag]


def test_a_lesson_without_course_terms_is_packed_byte_for_byte(tmp_path, capsys):
    folder = good_lesson(tmp_path)
    pack = tmp_path / "poems.hafiza"
    assert run_cli(capsys, "export", str(folder), "-o", str(pack))[0] == 0
    plan = packs.read_pack(pack, tmp_path / "library")
    assert plan.lessons[0].files["lesson.yaml"] == LESSON_YAML.encode()
