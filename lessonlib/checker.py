"""`python main.py lessons check PATH...`: everything that can be wrong in a lesson folder.

Checks `lesson.yaml` against the JSON Schema (with lines), the id against the folder name,
prerequisites, each exercise (through `engine.exercises.validate_exercise` when the engine
is installed), every Markdown file (structure, links, images, quizzes, exercise references,
glossary terms), that every formula renders (ziamath), and which varieties are missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hafiza.lessonlib.data_paths import data_path_problems
from hafiza.lessonlib.figure_checks import DATA, FIGURES, folder_problems
from hafiza.lessonlib.glossary import FILE_NAME as GLOSSARY_FILE
from hafiza.lessonlib.glossary import course_glossary, glossary_problems
from hafiza.lessonlib.lesson_source import FolderSource, MemorySource
from hafiza.lessonlib.model import (
    VARIETY_TAGS,
    AdmonitionBlock,
    ExerciseBlock,
    FormulaBlock,
    Lesson,
    LessonError,
    Problem,
    QuizBlock,
    TextBlock,
)
from hafiza.lessonlib.parser import decode_text, parse_markdown
from hafiza.lessonlib.plain_text import lesson_yaml_problems
from hafiza.lessonlib.schema import lesson_data_from_bytes, line_of

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
            problems.append(Problem(path / "lesson.yaml", 1, "no lesson.yaml in this folder"))
        else:
            problems.append(Problem(path, 1, "no such file or folder"))
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


INTERNAL_ERROR = "the checker failed on this lesson (please report it)"


def _check_safely(source, known_lessons: Iterable[str], validate_exercises: bool
                  ) -> list[Problem]:
    """`_check`, which must never raise; should it still, its fault is one more problem, so
    a lesson it trips on is refused with a message instead of a traceback."""
    try:
        return _check(source, known_lessons, validate_exercises)
    except RecursionError:
        return [Problem(source.path("lesson.yaml"), 1, "the lesson is nested too deeply")]
    except Exception as error:
        return [Problem(source.path("lesson.yaml"), 1,
                        f"{INTERNAL_ERROR}: {type(error).__name__}: {error}")]


def _check(source, known_lessons: Iterable[str], validate_exercises: bool) -> list[Problem]:
    yaml_path = source.path("lesson.yaml")
    raw = source.read("lesson.yaml")
    if raw is None:
        return [Problem(yaml_path, 1, "lesson.yaml is missing")]
    try:
        data, node, problems = lesson_data_from_bytes(raw, yaml_path)
    except LessonError as error:
        return [error.problem()]
    folder = source.folder
    glossary = course_glossary(folder.parent) if folder is not None else {}
    lesson = Lesson(source.name, folder or Path(source.name), data, problems, glossary)
    lesson_id = data.get("id")
    if isinstance(lesson_id, str) and lesson_id != source.name:
        problems.append(Problem(yaml_path, line_of(node, ["id"]),
                                f"id {lesson_id!r} differs from the folder name "
                                f"{source.name!r}"))
    problems.extend(lesson_yaml_problems(data, node, yaml_path))
    known = set(known_lessons)
    prerequisites = data.get("prerequisites")
    for index, prerequisite in enumerate(prerequisites if isinstance(prerequisites, list)
                                         else ()):
        if isinstance(prerequisite, str) and known and prerequisite not in known:
            problems.append(Problem(yaml_path, line_of(node, ["prerequisites", index]),
                                    f"prerequisite {prerequisite!r} is not a known lesson",
                                    "warning"))
    exercises = data.get("exercises") or []
    if validate_exercises and isinstance(exercises, list) and exercises:
        problems.extend(_check_exercises(exercises, node, yaml_path))
    problems.extend(data_path_problems(source, exercises, node, yaml_path))
    problems.extend(folder_problems(source))
    for name in source.top_level():
        if name not in ALLOWED_TOP_LEVEL:
            problems.append(Problem(source.path(name), 1, "unexpected file in a lesson folder "
                                    "(expected lesson.yaml, <variety>.md, figures/, data/)",
                                    "warning"))

    used_exercises: set[str] = set()
    quiz_ids: dict[str, set[str]] = {}
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
        quiz_ids[tag] = set()
        for block in _walk(document.blocks):
            if isinstance(block, ExerciseBlock):
                used_exercises.add(block.exercise_id)
            if isinstance(block, QuizBlock):
                quiz_ids[tag].add(block.id)
            for latex, line in _formulas(block):
                message = formula_error(latex)
                if message:
                    problems.append(Problem(path, line, f"formula ${latex[:40]}$ does not "
                                                        f"render: {message}"))
    if not present:
        problems.append(Problem(yaml_path, 1, "the lesson has no text: add en.md or "
                                              "<variety>.md next to lesson.yaml"))
    else:
        missing = [tag for tag in VARIETY_TAGS if tag not in present]
        if missing:
            problems.append(Problem(yaml_path, 1, "no text in " + ", ".join(missing) +
                                    " (learners see a fallback)", "warning"))
        titles = data.get("title") if isinstance(data.get("title"), dict) else {}
        for tag in present:
            if tag not in titles:
                problems.append(Problem(yaml_path, line_of(node, ["title"]),
                                        f"{tag}.md exists but the title has no {tag!r}",
                                        "warning"))
    if len({frozenset(ids) for ids in quiz_ids.values()}) > 1:
        summary = "; ".join(f"{tag}: {', '.join(sorted(ids)) or '-'}"
                            for tag, ids in quiz_ids.items())
        problems.append(Problem(yaml_path, 1, "the varieties have different quiz ids (progress "
                                              f"is kept per quiz id): {summary}", "warning"))
    for index, exercise in enumerate(exercises if isinstance(exercises, list) else ()):
        exercise_id = exercise.get("id") if isinstance(exercise, dict) else None
        if isinstance(exercise_id, str) and present and exercise_id not in used_exercises:
            problems.append(Problem(yaml_path, line_of(node, ["exercises", index]),
                                    f"exercise {exercise_id!r} is not used by any text",
                                    "warning"))
    return problems


def _check_exercises(exercises: list, node, path: Path) -> list[Problem]:
    try:
        from hafiza.engine.exercises import ExerciseError, validate_exercise
    except ImportError:  # the engine is optional for authoring tools
        return []
    problems = []
    for index, exercise in enumerate(exercises):
        if not isinstance(exercise, dict):
            continue
        try:
            validate_exercise(exercise)
        except ExerciseError as error:
            problems.append(Problem(path, line_of(node, ["exercises", index]),
                                    f"exercise: {error}"))
        except Exception as error:  # a validator bug must not hide the other problems
            problems.append(Problem(path, line_of(node, ["exercises", index]),
                                    f"exercise could not be checked: {error!r}"))
    return problems


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, AdmonitionBlock):
            yield from _walk(block.blocks)


def _formulas(block) -> list[tuple[str, int]]:
    if isinstance(block, FormulaBlock):
        return [(block.latex, block.line)]
    if isinstance(block, (TextBlock, QuizBlock)):
        return [(latex, block.line) for latex in block.formulas]
    return []


def formula_error(latex: str) -> str:
    """Why `latex` fails to render, or "" when ziamath draws it."""
    if not latex.strip():
        return "the formula is empty"
    try:
        import ziamath

        ziamath.config.svg2 = False  # SVG 2 renders blank in Qt
        svg = ziamath.Latex(latex).svg()
    except Exception as error:  # ziamath and latex2mathml raise many types
        return f"{type(error).__name__}: {error}".rstrip(": ") or "error"
    if "<path" not in svg and "<text" not in svg:
        return "renders nothing"
    return ""


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
