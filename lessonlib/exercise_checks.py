"""The exercises of a lesson: every problem `train` would meet, at the line of its field.

Two passes, both the engine's own: `engine.exercise_problems` reads every field (unknown data
sets, settings, hyperparameters, metrics, controls, layers...) and says all that is wrong at
once; then each exercise without a problem is tried on one batch (`engine.dry_run`: a tiny
data set, the model, one forward and backward pass), which finds what only the data can
show, such as a layer that does not fit its shape. So a lesson that passes the checker
trains on the learner's machine.

Not repeated here: what the JSON Schema already said about a field (lessonlib.schema), and
data paths (lessonlib.data_paths); an exercise with a bad path is not tried.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hafiza.lessonlib.data_paths import DATASET_PATHS, path_problem
from hafiza.lessonlib.model import Problem
from hafiza.lessonlib.schema import line_of
from hafiza.words import N_, _

NO_TORCH = N_("PyTorch is not installed here: the exercises were checked field by field but "
              "not tried on a batch of data")


def exercise_problems_in(source, exercises: list, node, yaml_path: Path,
                         reported: list[Problem]) -> list[Problem]:
    """Every problem of the lesson's `exercises` (the list in lesson.yaml, whose YAML `node`
    gives the lines); `reported` holds what the checker said already, not to say it twice."""
    try:
        from hafiza.engine.exercise_problems import exercise_problems
    except ImportError:  # the engine is optional for authoring tools
        return []
    problems: list[Problem] = []
    first_line_of_id: dict[str, int] = {}
    tried_ok = True
    for index, exercise in enumerate(exercises):
        path = ["exercises", index]
        exercise_id = exercise.get("id") if isinstance(exercise, dict) else None
        where = _exercise_said(exercise_id)
        if isinstance(exercise_id, str):
            line = line_of(node, [*path, "id"])
            if exercise_id in first_line_of_id:
                problems.append(Problem(yaml_path, line, where(_(
                    "the id is used twice (first on line {line}): progress is kept per "
                    "exercise id, give each its own").format(
                        line=first_line_of_id[exercise_id]))))
            first_line_of_id.setdefault(exercise_id, line)
        try:
            found = exercise_problems(exercise)
        except Exception as error:  # a validator bug must not hide the other problems
            problems.append(Problem(yaml_path, line_of(node, path), where(_(
                "could not be checked ({error}); please report it").format(error=repr(error)))))
            continue
        for problem in found:
            line = line_of(node, [*path, *problem.field])
            if not _said_already(reported, yaml_path, line, index):
                problems.append(Problem(yaml_path, line, where(problem.message),
                                        problem.severity))
        if found or not tried_ok or not _may_try(source, exercise):
            continue
        try:
            tried = _tried(exercise, source.folder)
        except ImportError:
            problems.append(Problem(yaml_path, line_of(node, path), _(NO_TORCH), "warning"))
            tried_ok = False
            continue
        except Exception as error:  # noqa: BLE001 - said as a problem, never a crash
            tried = [(path, _("could not be tried on a batch ({error}); please report it").format(
                error=f"{type(error).__name__}: {error}"), "error")]
        for field, message, severity in tried:
            problems.append(Problem(yaml_path, line_of(node, [*path, *field]),
                                    where(message), severity))
    return problems


def _exercise_said(exercise_id: Any):
    """Puts the exercise's name before a message about it: "exercise 'x': ..."."""
    if isinstance(exercise_id, str):
        return lambda message: _("exercise {id}: {problem}").format(id=repr(exercise_id),
                                                                    problem=message)
    return lambda message: _("exercise: {problem}").format(problem=message)


def _tried(exercise: dict, folder: Path | None) -> list[tuple[tuple, str, str]]:
    from hafiza.engine.dry_run import dry_run

    return [(problem.field, problem.message, problem.severity)
            for problem in dry_run(exercise, folder)]


def _said_already(reported: list[Problem], yaml_path: Path, line: int, index: int) -> bool:
    """Whether the JSON Schema reported a problem of this exercise on this line already."""
    prefix = f"exercises/{index}"
    return any(str(p.path) == str(yaml_path) and p.line == line
               and (p.message == prefix or p.message.startswith((prefix + "/", prefix + ":")))
               for p in reported)


def _may_try(source, exercise: Any) -> bool:
    """An exercise is tried on a batch unless the file it reads is refused (data_paths says
    why) or lies in a pack that is not unpacked yet."""
    if "playground" in exercise:
        return False
    dataset = exercise.get("dataset")
    key = DATASET_PATHS.get(dataset.get("name"))
    if key is None:
        return True
    if key not in dataset:
        return dataset["name"] != "text_file"  # lessons: the built-in lessons' text
    return source.folder is not None and path_problem(source, dataset[key],
                                                      f"dataset.{key}") is None
