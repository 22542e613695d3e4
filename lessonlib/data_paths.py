"""The files an exercise trains on must lie inside its own lesson folder.

`dataset: {name: text_file, path: ...}` and `dataset: {name: lessons, lessons_dir: ...}`
name a file or folder. From a pack, such a name is written by a stranger: `/etc/passwd`,
`../../progress.db` or `~/.ssh/id_rsa` would put another file's words into a model that a
progress export then sends away. The engine reads only what `resolve_data_path` allows
(relative, inside the lesson folder once links and `..` are resolved, existing); the checker
says the same at check time and on import, at the line of the path.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from hafiza.lessonlib.data_files import DATA
from hafiza.lessonlib.model import Problem
from hafiza.words import _

try:  # the engine's own rule, when the engine is installed (authoring tools may lack it)
    from hafiza.engine.exercises import DATASET_PATHS, resolve_data_path
except ImportError:  # pragma: no cover - the engine ships with the app
    DATASET_PATHS = {"text_file": "path", "lessons": "lessons_dir"}
    resolve_data_path = None


def _leaves_folder(text: str) -> bool:
    pure = PurePosixPath(text)
    return (pure.is_absolute() or PureWindowsPath(text).is_absolute()
            or bool(PureWindowsPath(text).drive) or text.startswith("~")
            or "\x00" in text or ".." in pure.parts or ".." in PureWindowsPath(text).parts)


def _differs_in_case(source, inner: str) -> str | None:
    """The data file whose name is `inner` but for capitals, when `inner` itself is missing
    (found on a Windows or macOS disk, missing on a learner's Linux or in a pack)."""
    listed = source.files_under(DATA)  # as written on disk, even where the disk ignores case
    if inner in listed:
        return None
    wanted = inner.casefold()
    return next((name for name in listed if name.casefold() == wanted), None)


def path_problem(source, value: Any, setting: str) -> str | None:
    """Why the data path `value` may not be read from the lesson `source`, or None."""
    if not isinstance(value, str) or not value.strip():
        return _("{setting} must name a file inside the lesson folder (data/...)").format(
            setting=setting)
    text = value.strip()
    written = repr(text[:80])
    if _leaves_folder(text):
        return _("{setting} {path} must be a relative path inside the lesson's own folder "
                 "(data/...)").format(setting=setting, path=written)
    if "\\" in text:
        return _("{setting} {path}: write / between folder names, not \\ ({fixed}), so that "
                 "the path works on every computer").format(
            setting=setting, path=written, fixed=repr(text.replace(chr(92), "/")[:80]))
    inner = "/".join(part for part in PurePosixPath(text).parts if part != ".")
    if inner != DATA and not inner.startswith(f"{DATA}/"):
        return _("{setting} {path} is not in the lesson's data/ folder: only files in data/ "
                 "travel with the lesson; move it there and write {fixed}").format(
            setting=setting, path=written, fixed=f"'{DATA}/{PurePosixPath(inner).name}'")
    if setting == "dataset.path" and inner not in source.files_under(DATA) and (
            source.has_folder(inner) if source.folder is None
            else (source.folder / inner).is_dir()):
        return _("{setting} {path} is a folder: name the text file in it ({example})").format(
            setting=setting, path=written, example=f"{DATA}/....txt")
    wrong_case = _differs_in_case(source, inner)
    if wrong_case:
        return _("{setting} {path}: no such file, but there is {found}; capitals matter on the "
                 "learners' computers, so write the name exactly as the file's").format(
            setting=setting, path=written, found=repr(wrong_case))
    if source.folder is not None:
        if resolve_data_path is not None:
            try:
                resolve_data_path(text, source.folder, setting=setting)
            except ValueError as error:  # engine.refusals.ExerciseError
                return str(error)
            return None
        from hafiza.paths import is_inside

        path = source.folder / text
        if not is_inside(source.folder, path):
            return _("{setting} {path} must be a file inside the lesson's own folder").format(
                setting=setting, path=written)
        if path.exists():
            return None
        return _("{setting} {path}: no such file in the lesson").format(setting=setting,
                                                                          path=written)
    if source.exists(inner) or source.has_folder(inner):
        return None
    return _("{setting} {path}: no such file in the lesson").format(setting=setting,
                                                                      path=written)


def data_path_problems(source, exercises: Any, node, yaml_path) -> list[Problem]:
    """A problem for every exercise whose data set names a file it may not read."""
    from hafiza.lessonlib.schema import line_of

    problems = []
    for index, exercise in enumerate(exercises if isinstance(exercises, list) else ()):
        dataset = exercise.get("dataset") if isinstance(exercise, dict) else None
        name = dataset.get("name") if isinstance(dataset, dict) else None
        key = DATASET_PATHS.get(name) if isinstance(name, str) else None
        if key is None:
            continue
        if key not in dataset:
            if name == "text_file":
                line = line_of(node, ["exercises", index, "dataset"], key_itself=True)
                problems.append(Problem(yaml_path, line,
                                        _("dataset.path is missing: name a text file inside "
                                          "the lesson folder (data/...)")))
            continue
        message = path_problem(source, dataset[key], f"dataset.{key}")
        if message:
            problems.append(Problem(yaml_path,
                                    line_of(node, ["exercises", index, "dataset", key]),
                                    message))
    return problems
