"""Every problem of an exercise at once, each with the field it is about.

``validate_exercise`` (engine.exercises) stops at the first problem, which is what ``train``
needs; an instructor checking a lesson wants all of them, each at its own line. So this
module walks every field and collects ``ExerciseProblem(field, message)``, where ``field`` is
the path inside the exercise (``("hyperparameters", "learning_rat")``, ``("model", 1)``) that
the lesson checker turns into a line of lesson.yaml. When it finds nothing it still runs
``validate_exercise`` itself, so nothing ``train`` refuses can pass the checker.

No torch: the data sets are looked up by name and signature, never built (engine.dry_run
builds them).
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from typing import Any, NamedTuple

from hafiza.engine.exercises import (
    EXERCISE_KEYS,
    GOAL_OPS,
    HYPERPARAMETERS,
    SPEC_VARIABLES,
    TEXT_PARAMS,
    ExerciseError,
    checked_dataset_setting,
    validate_exercise,
)
from hafiza.engine.layers import (
    RECURRENT_TYPES,
    UNKNOWN_TYPE,
    ModelSpecError,
    parse_layer,
    parse_spec,
)
from hafiza.engine.tables import (
    LOSS_ALIASES,
    PLAYGROUNDS,
    TASK_METRICS,
    TASKS,
    TEXT_DATASETS,
)
from hafiza.words import _

Field = tuple[Any, ...]


class ExerciseProblem(NamedTuple):
    field: Field  # where in the exercise: () is the exercise itself
    message: str
    severity: str = "error"


# The settings each text corpus reads; the other TEXT_PARAMS are common to all three.
_TEXT_OWN = {"text_file": ("path",), "lessons": ("lessons_dir", "variety"), "hafez": ()}
_COMMON_TEXT = tuple(p for p in TEXT_PARAMS if p not in ("path", "lessons_dir", "variety"))
PLAYGROUND_KEYS = ("id", "title", "playground")


def near(word: Any, known: Any) -> str:
    """' (did you mean learning_rate?)' for a word close to one of ``known``, else ''."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return _(" (did you mean {word}?)").format(word=match[0]) if match else ""


def array_datasets() -> dict[str, Any]:
    from hafiza.engine.data import DATASETS

    return DATASETS


def dataset_parameters(name: str) -> tuple[str, ...]:
    """The settings the data set ``name`` takes (its generator's arguments)."""
    if name in TEXT_DATASETS:
        return _TEXT_OWN[name] + _COMMON_TEXT
    return tuple(inspect.signature(array_datasets()[name]).parameters)


def exercise_problems(exercise: Any) -> list[ExerciseProblem]:
    """Every problem of ``exercise`` (a dict from lesson.yaml), or [] when it may train."""
    if not isinstance(exercise, Mapping):
        return [ExerciseProblem((), _("an exercise is a mapping of fields (id, task, ...)"))]
    if "playground" in exercise:
        return _playground_problems(exercise)
    found: list[ExerciseProblem] = []
    add = found.append
    for key in exercise:
        if key not in EXERCISE_KEYS:
            add(ExerciseProblem((key,), _("unknown exercise field {field}{hint}; an exercise has "
                                          "{fields}").format(
                field=repr(key), hint=near(key, EXERCISE_KEYS), fields=", ".join(EXERCISE_KEYS))))
    for key in ("id", "task", "dataset", "model"):
        if key not in exercise:
            add(ExerciseProblem((), _("the exercise needs {field}").format(field=repr(key))))
    if "id" in exercise and (not isinstance(exercise["id"], str) or not exercise["id"].strip()):
        add(ExerciseProblem(("id",), _("id must be a non-empty text")))
    task = exercise.get("task")
    if "task" in exercise:
        found += _task_problems(task)
    if "dataset" in exercise:
        found += _dataset_problems(exercise["dataset"], task)
    if "model" in exercise:
        found += _model_problems(exercise["model"], task)
    shape = exercise.get("input_shape")
    if shape is not None and (not isinstance(shape, list) or not shape or not all(
            size is None or (isinstance(size, int) and not isinstance(size, bool) and size > 0)
            for size in shape)):
        add(ExerciseProblem(("input_shape",), _("input_shape is a list of positive sizes, "
                                                "such as [20, 1] (time steps, features)")))
    loss = exercise.get("loss")
    if loss is not None and str(loss).lower() not in LOSS_ALIASES:
        add(ExerciseProblem(("loss",), _("unknown loss {loss}{hint}; use one of {losses}").format(
            loss=repr(loss), hint=near(str(loss), LOSS_ALIASES),
            losses=", ".join(sorted(LOSS_ALIASES)))))
    found += _hyperparameter_problems(exercise.get("hyperparameters"), task)
    found += _control_problems(exercise)
    found += _goal_problems(exercise.get("goal"), task)
    if not isinstance(exercise.get("predict", False), bool):
        add(ExerciseProblem(("predict",), _("predict is true or false")))
    if found:
        return found
    return _engine_verdict(exercise)


def _engine_verdict(exercise: Mapping) -> list[ExerciseProblem]:
    """What train's own validator says, so the checker is
    never weaker than ``train``."""
    try:
        validate_exercise(exercise)  # its memory ceiling above all (engine.budget)
    except ExerciseError as error:
        return [ExerciseProblem(setting_field(error.setting), str(error))]
    return []


def setting_field(setting: str | None) -> Field:
    """A control's name (``model.1``, ``dataset.noise``, ``epochs``) as a field path."""
    if not setting:
        return ()
    head, _, rest = setting.partition(".")
    if head == "model" and rest.isdigit():
        return ("model", int(rest))
    if head == "dataset" and rest:
        return ("dataset", rest)
    return ("hyperparameters", setting) if setting in HYPERPARAMETERS else ()


def _playground_problems(exercise: Mapping) -> list[ExerciseProblem]:
    found = [ExerciseProblem((key,), _("a playground exercise has only id, title and "
                                       "playground, not {field}").format(field=repr(key)))
             for key in exercise if key not in PLAYGROUND_KEYS]
    if not isinstance(exercise.get("id"), str) or not exercise["id"].strip():
        found.append(ExerciseProblem(("id",) if "id" in exercise else (),
                                     _("a playground exercise needs an id (a non-empty text)")))
    name = exercise["playground"]
    if name not in PLAYGROUNDS:
        found.append(ExerciseProblem(("playground",), _(
            "unknown playground {name}{hint}; the playgrounds are {playgrounds}").format(
                name=repr(name), hint=near(name, PLAYGROUNDS),
                playgrounds=", ".join(PLAYGROUNDS))))
    return found


def _task_problems(task: Any) -> list[ExerciseProblem]:
    if task not in TASKS:
        return [ExerciseProblem(("task",), _("unknown task {task}{hint}; the tasks are {tasks}")
                                .format(task=repr(task), hint=near(task, TASKS),
                                        tasks=", ".join(TASKS)))]
    return []


def _dataset_problems(dataset: Any, task: Any) -> list[ExerciseProblem]:
    if not isinstance(dataset, Mapping) or not isinstance(dataset.get("name"), str):
        return [ExerciseProblem(("dataset",), _('dataset is a mapping with a "name", such as '
                                                "{example}").format(
            example="{name: sine, window: 20}"))]
    name = dataset["name"]
    known = (*array_datasets(), *TEXT_DATASETS)
    if name not in known:
        return [ExerciseProblem(("dataset", "name"), _(
            "unknown data set {name}{hint}; the data sets are {datasets}").format(
                name=repr(name), hint=near(name, known), datasets=", ".join(known)))]
    found = []
    if task in TASKS and (task == "language_model") != (name in TEXT_DATASETS):
        fitting = TEXT_DATASETS if task == "language_model" else tuple(array_datasets())
        found.append(ExerciseProblem(("dataset", "name"), _(
            "data set {name} does not fit task {task}: a language model trains on one of "
            "{text_datasets} and only a language model does; for {task} use one of {fitting}"
        ).format(name=repr(name), task=task, text_datasets=", ".join(TEXT_DATASETS),
                 fitting=", ".join(fitting))))
    parameters = dataset_parameters(name)
    for key, value in dataset.items():
        if key == "name":
            continue
        if key not in parameters:
            if parameters:
                message = _("data set {name} has no setting {setting}{hint}; it takes "
                            "{settings}")
            else:
                message = _("data set {name} has no setting {setting}{hint}; it takes no "
                            "settings")
            found.append(ExerciseProblem(("dataset", key), message.format(
                name=repr(name), setting=repr(key), hint=near(key, parameters),
                settings=", ".join(parameters))))
            continue
        try:
            checked_dataset_setting(key, value)
        except ExerciseError as error:
            found.append(ExerciseProblem(("dataset", key), f"dataset.{key}: {error}"))
    return found


def _model_problems(model: Any, task: Any) -> list[ExerciseProblem]:
    if not isinstance(model, list) or not model:
        return [ExerciseProblem(("model",), _('model is a list of layers, such as '
                                              '["LSTM(16)", "Dense(1, linear)"]'))]
    variables = {name: 2 for name in SPEC_VARIABLES}
    found, layers = [], []
    for index, item in enumerate(model):
        try:
            layers.append(parse_layer(item, variables))
        except ModelSpecError as error:
            hint = ""
            if isinstance(item, str) and error.kind == UNKNOWN_TYPE:
                from hafiza.engine.layers import LAYER_TYPES

                hint = near(item.partition("(")[0].strip(), LAYER_TYPES)
            found.append(ExerciseProblem(("model", index), _("layer {number} ({layer}): {problem}")
                                         .format(number=index + 1, layer=repr(item),
                                                 problem=f"{error}{hint}")))
    if found:
        return found
    try:
        parse_spec(model, variables)
    except ModelSpecError as error:
        return [ExerciseProblem(("model",), f"model: {error}")]
    if task == "language_model":
        found += _language_model_problems(model, layers)
    return found


def _language_model_problems(model: list, layers: list[dict]) -> list[ExerciseProblem]:
    """A language model predicts a word after every word: its recurrent layers must hand
    on every time step (return_sequences=True), else training fails inside PyTorch."""
    found = []
    for index, layer in enumerate(layers):
        if layer["type"] == "Bidirectional":
            # Its backward half reads the words after each position, the very word the model
            # is asked to predict: it learns to copy it, and its perplexity is a cheat (an
            # instructor's bidirectional model beat counting, 2.3 against 7.5, this way).
            found.append(ExerciseProblem(("model", index), _(
                "layer {number} ({layer}): a language model predicts each word from the words "
                "before it, but a Bidirectional layer also reads the words after it, the answer "
                "included, so its score means nothing: use a one-way LSTM or GRU (Bidirectional "
                "is for tagging and classification)").format(number=index + 1,
                                                             layer=repr(model[index]))))
            continue
        inner = layer
        if inner["type"] in RECURRENT_TYPES and not inner["return_sequences"]:
            found.append(ExerciseProblem(("model", index), _(
                "layer {number} ({layer}): a language model predicts the next word after every "
                "word, so its recurrent layers need return_sequences=True, e.g. {example}"
            ).format(number=index + 1, layer=repr(model[index]),
                     example=f"{inner['type']}({inner['units']}, return_sequences=True)")))
    return found


def _hyperparameter_problems(hyper: Any, task: Any) -> list[ExerciseProblem]:
    if hyper is None:
        return []
    if not isinstance(hyper, Mapping):
        return [ExerciseProblem(("hyperparameters",), _(
            "hyperparameters is a mapping, such as {example}").format(
                example="{learning_rate: 0.01, epochs: 30}"))]
    found = []
    for key, value in hyper.items():
        field = ("hyperparameters", key)
        if key not in HYPERPARAMETERS:
            found.append(ExerciseProblem(field, _(
                "unknown hyperparameter {name}{hint}; the hyperparameters are {names}").format(
                    name=repr(key), hint=near(key, HYPERPARAMETERS),
                    names=", ".join(HYPERPARAMETERS))))
            continue
        try:
            HYPERPARAMETERS[key](value)
        except ExerciseError as error:
            found.append(ExerciseProblem(field, f"{key}: {error}"))
            continue
        metrics = TASK_METRICS.get(task)
        if key == "monitor" and metrics and value not in metrics:
            found.append(ExerciseProblem(field, _(
                "monitor {metric}{hint} is not a metric of task {task}; it has {metrics}").format(
                    metric=repr(value), hint=near(value, metrics), task=task,
                    metrics=", ".join(metrics))))
    return found


def _control_problems(exercise: Mapping) -> list[ExerciseProblem]:
    controls = exercise.get("controls")
    if controls is None:
        return []
    if not isinstance(controls, list):
        return [ExerciseProblem(("controls",), _("controls is a list of setting names, such as "
                                                 "[learning_rate, epochs, model.0]"))]
    model = exercise.get("model") if isinstance(exercise.get("model"), list) else []
    dataset = exercise.get("dataset") if isinstance(exercise.get("dataset"), Mapping) else {}
    name = dataset.get("name")
    parameters = dataset_parameters(name) if name in (*array_datasets(), *TEXT_DATASETS) \
        else None
    found = []
    for index, control in enumerate(controls):
        why = _control_fault(control, len(model), parameters)
        if why:
            found.append(ExerciseProblem(("controls", index), why))
    return found


def _control_fault(control: Any, layers: int, parameters: tuple[str, ...] | None) -> str:
    """Why ``control`` names no setting of the exercise ("control 'x' ..."), or ''."""
    shown = repr(control)
    if not isinstance(control, str):
        return _("control {control} is not a setting name").format(control=shown)
    name = control.removeprefix("hyperparameters.")
    if name in HYPERPARAMETERS or name == "loss":
        return ""
    head, _dot, rest = name.partition(".")
    if head == "model":
        if rest.isdigit() and int(rest) < layers:
            return ""
        if layers == 1:
            return _("control {control} names no layer: the model has one layer, model.0"
                     ).format(control=shown)
        return _("control {control} names no layer: the model has layers model.0 to {last}"
                 ).format(control=shown, last=f"model.{max(layers - 1, 0)}")
    if head == "dataset" and rest and rest != "name":
        if parameters is None or rest in parameters:
            return ""
        if not parameters:
            return _("control {control} names no setting of the data set{hint}; it takes no "
                     "settings").format(control=shown, hint=near(rest, parameters))
        return _("control {control} names no setting of the data set{hint}; it takes "
                 "{settings}").format(control=shown, hint=near(rest, parameters),
                                      settings=", ".join(parameters))
    names = [*HYPERPARAMETERS, "loss"]
    return _("control {control} names no setting{hint}: use a hyperparameter "
             "({hyperparameters}), loss, dataset.<setting> or model.<layer number>").format(
        control=shown, hint=near(name, names), hyperparameters=", ".join(HYPERPARAMETERS))


def _goal_problems(goal: Any, task: Any) -> list[ExerciseProblem]:
    if goal is None:
        return []
    if (not isinstance(goal, Mapping) or not isinstance(goal.get("metric"), str)
            or goal.get("op") not in GOAL_OPS or isinstance(goal.get("value"), bool)
            or not isinstance(goal.get("value"), (int, float))):
        return [ExerciseProblem(("goal",), _(
            "goal is {{metric: name, op: one of {ops}, value: number}}").format(
                ops=" ".join(GOAL_OPS)))]
    metrics = TASK_METRICS.get(task)
    if metrics and goal["metric"] not in metrics:
        return [ExerciseProblem(("goal", "metric"), _(
            "goal metric {metric}{hint} is not a metric of task {task}; it has {metrics}").format(
                metric=repr(goal["metric"]), hint=near(goal["metric"], metrics), task=task,
                metrics=", ".join(metrics)))]
    return []
