"""`python main.py lessons check PATH...`: everything that can be wrong in a lesson folder.

Checks `lesson.yaml` against the JSON Schema (with lines), the id against the folder name,
prerequisites, each exercise (through `engine.exercises.validate_exercise` when the engine
is installed), every Markdown file (structure, links, images, quizzes, exercise references,
glossary terms), that every formula renders (ziamath), and which varieties are missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hafiza.lessonlib import variety_compare
from hafiza.lessonlib.answer_positions import clustered_answers
from hafiza.lessonlib.data_paths import data_path_problems
from hafiza.lessonlib.exercise_checks import exercise_problems_in
from hafiza.lessonlib.figure_checks import DATA, FIGURES, folder_problems
from hafiza.lessonlib.formula_checks import (
    SourceLines,
    block_formula_problems,
    stray_dollar_problems,
)
from hafiza.lessonlib.glossary import FILE_NAME as GLOSSARY_FILE
from hafiza.lessonlib.glossary import course_glossary, glossary_problems
from hafiza.lessonlib.lesson_source import FolderSource, MemorySource
from hafiza.lessonlib.model import (
    VARIETY_TAGS,
    AdmonitionBlock,
    ExerciseBlock,
    Lesson,
    LessonError,
    Problem,
)
from hafiza.lessonlib.parser import decode_text, parse_markdown
from hafiza.lessonlib.plain_text import lesson_yaml_problems
from hafiza.lessonlib.schema import lesson_data_from_bytes, line_of
from hafiza.lessonlib.skeleton import ID_PATTERN
from hafiza.words import N_, _

ALLOWED_TOP_LEVEL = {"lesson.yaml", FIGURES, DATA, *(f"{tag}.md" for tag in VARIETY_TAGS)}


def lesson_folders(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Lesson folders named by `paths`: a lesson folder, a file in one, or a folder of
    lessons (such as `lessons/`)."""
    folders: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_file():
            path = path.parent
        if (path / "lesson.yaml").is_file():
            folders.append(path)
        elif path.is_dir() and any(path.glob("*/lesson.yaml")):
            folders.extend(sorted(p.parent for p in path.glob("*/lesson.yaml")))
        elif path.is_dir():
            problems.append(Problem(path / "lesson.yaml", 1, _("no lesson.yaml in this folder")))
        else:
            problems.append(Problem(path, 1, _("no such file or folder")))
    return folders, problems


def check_paths(paths: Iterable[Path], known_lessons: Iterable[str] = (),
                validate_exercises: bool = True) -> list[Problem]:
    folders, problems = lesson_folders(paths)
    known = set(known_lessons)
    for folder in folders:
        for sibling in folder.parent.glob("*/lesson.yaml"):
            known.add(sibling.parent.name)
    for parent in sorted({folder.parent for folder in folders}):
        if (parent / GLOSSARY_FILE).is_file():
            problems.extend(glossary_problems(parent / GLOSSARY_FILE))
    for folder in folders:
        problems.extend(check_lesson(folder, known, validate_exercises))
    return problems


def check_lesson(folder: Path, known_lessons: Iterable[str] = (),
                 validate_exercises: bool = True) -> list[Problem]:
    """Every problem of the lesson in `folder`."""
    return _check_safely(FolderSource(folder), known_lessons, validate_exercises)


def check_lesson_files(lesson_id: str, files: dict[str, bytes],
                       validate_exercises: bool = True) -> list[Problem]:
    """Every problem of a lesson held in memory, without writing anything."""
    return _check_safely(MemorySource(lesson_id, files), (), validate_exercises)


INTERNAL_ERROR = N_("the checker failed on this lesson (please report it)")


def _check_safely(source, known_lessons: Iterable[str], validate_exercises: bool
                  ) -> list[Problem]:
    """`_check`, which must never raise; should it still, its fault is one more problem, so
    a lesson it trips on is refused with a message instead of a traceback."""
    try:
        return _check(source, known_lessons, validate_exercises)
    except RecursionError:
        return [Problem(source.path("lesson.yaml"), 1, _("the lesson is nested too deeply"))]
    except Exception as error:
        return [Problem(source.path("lesson.yaml"), 1,
                        f"{_(INTERNAL_ERROR)}: {type(error).__name__}: {error}")]


def _check(source, known_lessons: Iterable[str], validate_exercises: bool) -> list[Problem]:
    yaml_path = source.path("lesson.yaml")
    raw = source.read("lesson.yaml")
    if raw is None:
        return [Problem(yaml_path, 1, _("lesson.yaml is missing"))]
    try:
        data, node, problems = lesson_data_from_bytes(raw, yaml_path)
    except LessonError as error:
        return [error.problem()]
    folder = source.folder
    glossary = course_glossary(folder.parent) if folder is not None else {}
    lesson = Lesson(source.name, folder or Path(source.name), data, problems, glossary)
    lesson_id = data.get("id")
    if isinstance(lesson_id, str) and lesson_id != source.name \
            and ID_PATTERN.match(lesson_id):  # a malformed id is said once, by the schema
        problems.append(Problem(yaml_path, line_of(node, ["id"]),
                                _("id {id!r} differs from the folder name {folder!r}"
                                  ).format(id=lesson_id, folder=source.name)))
    problems.extend(lesson_yaml_problems(data, node, yaml_path))
    known = set(known_lessons)
    prerequisites = data.get("prerequisites")
    for index, prerequisite in enumerate(prerequisites if isinstance(prerequisites, list)
                                         else ()):
        if isinstance(prerequisite, str) and known and prerequisite not in known \
                and ID_PATTERN.match(prerequisite):  # a malformed id: the schema says it
            problems.append(Problem(yaml_path, line_of(node, ["prerequisites", index]),
                                    _("prerequisite {id!r} is not a known lesson").format(
                                        id=prerequisite),
                                    "warning"))
    exercises = data.get("exercises") or []
    if validate_exercises and isinstance(exercises, list) and exercises:
        problems.extend(exercise_problems_in(source, exercises, node, yaml_path, problems))
    problems.extend(data_path_problems(source, exercises, node, yaml_path))
    problems.extend(folder_problems(source))
    for name in source.top_level():
        if name not in ALLOWED_TOP_LEVEL:
            problems.append(Problem(source.path(name), 1, _(
                "unexpected file in a lesson folder (expected lesson.yaml, <variety>.md, "
                "figures/, data/): `lessons export` refuses it; move it into data/ if an "
                "exercise reads it, or out of the lesson folder"),
                                    "warning"))

    used_exercises: set[str] = set()
    texts: list[variety_compare.Text] = []
    present = [tag for tag in VARIETY_TAGS if source.exists(f"{tag}.md")]
    for tag in present:
        path = source.path(f"{tag}.md")
        try:
            text = decode_text(source.read(f"{tag}.md") or b"", path)
            document = parse_markdown(text, path, folder, lesson, tag,
                                      image_exists=None if folder else source.exists)
        except LessonError as error:
            problems.append(error.problem())
            continue
        problems.extend(document.problems)
        source_lines = SourceLines(text)
        problems.extend(stray_dollar_problems(text, path))
        texts.append(variety_compare.read_text(tag, path, document))
        for block in _walk(document.blocks):
            if isinstance(block, ExerciseBlock):
                used_exercises.add(block.exercise_id)
            problems.extend(block_formula_problems(block, source_lines, path))
    if not present:
        problems.append(Problem(yaml_path, 1, _("the lesson has no text: add en.md or "
                                                "<variety>.md next to lesson.yaml")))
    else:
        missing = [tag for tag in VARIETY_TAGS if tag not in present]
        if missing:
            problems.append(Problem(yaml_path, 1, _(
                "no text in {varieties} (learners see a fallback)").format(
                    varieties=", ".join(missing)), "warning"))
        titles = data.get("title") if isinstance(data.get("title"), dict) else {}
        # a missing or malformed title is said once, by the schema
        for tag in present if isinstance(data.get("title"), dict) else ():
            if tag not in titles:
                problems.append(Problem(yaml_path, line_of(node, ["title"]),
                                        _("{file} exists but the title has no {tag!r}"
                                          ).format(file=f"{tag}.md", tag=tag),
                                        "warning"))
    # what each variety lacks against the others, and quizzes that differ: always compared
    # (cheap, and a learner who switches language meets every divergence)
    problems.extend(variety_compare.compare(
        texts, data.get("glossary"),
        lambda term: line_of(node, ["glossary", term], key_itself=True), yaml_path))
    problems.extend(clustered_answers(texts))
    for index, exercise in enumerate(exercises if isinstance(exercises, list) else ()):
        exercise_id = exercise.get("id") if isinstance(exercise, dict) else None
        if isinstance(exercise_id, str) and present and exercise_id not in used_exercises:
            problems.append(Problem(yaml_path, line_of(node, ["exercises", index]),
                                    _("exercise {id!r} is not used by any text").format(
                                        id=exercise_id),
                                    "warning"))
    return problems


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, AdmonitionBlock):
            yield from _walk(block.blocks)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
