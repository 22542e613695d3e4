"""Exercises as plain data, as a lesson's ``lesson.yaml`` holds them, and how to run one.

    exercise = get_exercise("seq003")                    # or a dict from a lesson file
    exercise = apply_overrides(exercise, {"epochs": "50"})  # strings from a form or --set
    run = prepare(exercise)                              # data + model + TrainConfig
    for event in run.fit(control): ...

An exercise dict::

    {"id": "mlp_xor", "task": "binary",
     "dataset": {"name": "xor", "noise": 0.1},
     "model": ["Dense(8, tanh)", "Dense(1, sigmoid)"], "input_shape": [2],
     "loss": "binary_crossentropy",
     "hyperparameters": {"optimizer": "adam", "learning_rate": 0.05, "epochs": 100},
     "controls": ["learning_rate", "epochs", "model.0"],
     "goal": {"metric": "val_accuracy", "op": ">=", "value": 0.95}}

Lesson files are untrusted: every field is checked and nothing in them is evaluated.
"""

from __future__ import annotations

import ast
import copy
import math
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from hafiza.engine.budget import check_data_memory, check_lesson_ceiling, check_model_memory
from hafiza.engine.builtin_exercises import BUILTIN_EXERCISES
from hafiza.engine.layers import ModelSpecError, parse_layer, parse_spec
from hafiza.engine.refusals import (  # noqa: F401 - ExerciseError is this module's error too
    NOTHING_KEPT,
    ExerciseError,
    coerce_number,
    resolve_data_path,
)
from hafiza.engine.tables import (
    DATASET_LIMITS,
    LOSS_ALIASES,
    LR_SCHEDULES,
    OPTIMIZERS,
    PER_VARIETY_DATASETS,
    PLAYGROUNDS,
    SETTING_LIMITS,
    TASKS,
    TEXT_DATASETS,
    TEXT_UNITS,
    Limit,
)

# The names lessons may use, from the engine's tables; engine.train checks its TrainConfig
# against the same rows. (engine.tables imports no torch, so checking a lesson does not.)
from hafiza.engine.text import MIN_COUNT
from hafiza.varieties import TAGS as VARIETIES
from hafiza.words import _

# --- fields and their types ---------------------------------------------------------------

def _number(limit: Limit):
    return partial(coerce_number, limit)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "off", "0"):
        return False
    raise ExerciseError(_("{value} is not true or false").format(value=repr(value)))


def _choice(options: tuple[str, ...]):
    def coerce(value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in options:
            raise ExerciseError(_("{value} is not one of {options}").format(
                value=repr(value), options=", ".join(options)))
        return value.strip().lower()
    return coerce


def _monitor(value: Any) -> str:
    if not isinstance(value, str) or not value.replace("_", "").isalpha():
        raise ExerciseError(_("{value} is not a metric name such as val_loss").format(
            value=repr(value)))
    return value


HYPERPARAMETERS = {
    **{name: _number(limit) for name, limit in SETTING_LIMITS.items()},
    "optimizer": _choice(OPTIMIZERS),
    "shuffle": _boolean,
    "monitor": _monitor,
    "restore_best": _boolean,
    "lr_schedule": _choice(LR_SCHEDULES),
}
EXERCISE_KEYS = ("id", "title", "task", "dataset", "model", "input_shape", "loss",
                 "hyperparameters", "controls", "goal", "predict")
GOAL_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
TEXT_PARAMS = ("num_words", "min_count", "val_fraction", "variety", "lessons_dir", "path",
               "punctuation", "unit")
# What load_data reads for a text setting the exercise leaves out (docs/exercises.md too).
TEXT_DEFAULTS = {"num_words": 10_000, "min_count": MIN_COUNT, "val_fraction": 0.1,
                 "punctuation": True, "unit": TEXT_UNITS[0]}
# Placeholders a model spec may use, filled in from the data (e.g. Embedding(vocab_size, 32)).
SPEC_VARIABLES = ("vocab_size", "n_classes")


# --- validation ---------------------------------------------------------------------------

def in_exercise(exercise_id: Any) -> Callable[[str], str]:
    """Places a problem in its exercise: ``exercise 'x': problem``, in the reader's words."""
    def frame(problem: str) -> str:
        return _("exercise {id}: {problem}").format(id=repr(exercise_id), problem=problem)
    return frame


def validate_playground(exercise: Mapping) -> dict[str, Any]:
    """An exercise that opens a playground instead of training: {id, playground[, title]}."""
    ex = copy.deepcopy(dict(exercise))
    unknown = sorted(set(ex) - {"id", "title", "playground"})
    if unknown:
        raise ExerciseError(_("a playground exercise has only id, title and playground, not "
                              "{fields}").format(fields=", ".join(unknown)))
    if not isinstance(ex.get("id"), str) or not ex["id"].strip():
        raise ExerciseError(_("id must be a non-empty text"))
    if ex["playground"] not in PLAYGROUNDS:
        raise ExerciseError(in_exercise(ex["id"])(_("playground must be one of {playgrounds}")
                                                  .format(playgrounds=", ".join(PLAYGROUNDS))))
    return ex


def validate_exercise(exercise: Any) -> dict[str, Any]:
    """A checked deep copy with hyperparameters coerced; raises ExerciseError.

    Checks the model spec's layers but not yet their fit to the data (that needs torch and
    the data set: see ``prepare``)."""
    if not isinstance(exercise, Mapping):
        raise ExerciseError(_("an exercise is a mapping of fields"))
    if "playground" in exercise:
        return validate_playground(exercise)
    ex = copy.deepcopy(dict(exercise))
    unknown = sorted(set(ex) - set(EXERCISE_KEYS))
    if unknown:
        raise ExerciseError(_("unknown exercise field(s) {fields}; known: {known}").format(
            fields=", ".join(unknown), known=", ".join(EXERCISE_KEYS)))
    for key in ("id", "task", "dataset", "model"):
        if key not in ex:
            raise ExerciseError(_("the exercise needs {field}").format(field=repr(key)))
    if not isinstance(ex["id"], str) or not ex["id"].strip():
        raise ExerciseError(_("id must be a non-empty text"))
    where = in_exercise(ex["id"])
    if ex["task"] not in TASKS:
        raise ExerciseError(where(_("task must be one of {tasks}").format(
            tasks=", ".join(TASKS))))
    dataset = ex["dataset"]
    if not isinstance(dataset, Mapping) or not isinstance(dataset.get("name"), str):
        raise ExerciseError(where(_('dataset is a mapping with a "name"')))
    if (ex["task"] == "language_model") != (dataset["name"] in TEXT_DATASETS):
        raise ExerciseError(where(_("a language model trains on one of {datasets} and only a "
                                    "language model does").format(
                                        datasets=", ".join(TEXT_DATASETS))))
    try:
        parse_spec(ex["model"], {name: 2 for name in SPEC_VARIABLES})
    except ModelSpecError as error:
        raise ExerciseError(where(f"model: {error}")) from None
    shape = ex.get("input_shape")
    if shape is not None and (not isinstance(shape, list) or not shape or not all(
            size is None or (isinstance(size, int) and not isinstance(size, bool) and size > 0)
            for size in shape)):
        raise ExerciseError(where(_("input_shape is a list of positive sizes (or null)")))
    if ex.get("loss") is not None and str(ex["loss"]).lower() not in LOSS_ALIASES:
        raise ExerciseError(where(_("loss must be one of {losses}").format(
            losses=", ".join(sorted(LOSS_ALIASES)))))
    hyper = ex.get("hyperparameters") or {}
    if not isinstance(hyper, Mapping):
        raise ExerciseError(where(_("hyperparameters is a mapping")))
    ex["hyperparameters"] = {}
    for key, value in hyper.items():
        if key not in HYPERPARAMETERS:
            raise ExerciseError(where(_("unknown hyperparameter {name}; known: {names}").format(
                name=repr(key), names=", ".join(HYPERPARAMETERS))))
        try:
            ex["hyperparameters"][key] = HYPERPARAMETERS[key](value)
        except ExerciseError as error:
            raise error.about(key, where) from None
    ex["dataset"] = _checked_dataset(dict(dataset), where)
    controls = ex.setdefault("controls", [])
    if not isinstance(controls, list):
        raise ExerciseError(where(_("controls is a list of setting names")))
    for name in controls:
        if not isinstance(name, str) or not _known_key(name, ex):
            raise ExerciseError(where(_("control {control} is not a setting of this exercise")
                                      .format(control=repr(name))))
    goal = ex.get("goal")
    if goal is not None:
        if (not isinstance(goal, Mapping) or not isinstance(goal.get("metric"), str)
                or goal.get("op") not in GOAL_OPS
                or isinstance(goal.get("value"), bool)
                or not isinstance(goal.get("value"), (int, float))):
            raise ExerciseError(where(_('goal is {{"metric": name, "op": one of {ops}, '
                                        '"value": number}}').format(ops=" ".join(GOAL_OPS))))
    if not isinstance(ex.get("predict", False), bool):
        raise ExerciseError(where(_("predict is true or false")))
    check_lesson_ceiling(ex, where, SPEC_VARIABLES)
    return ex


# A data set's settings that are not numbers, each with its check.
DATASET_CHOICES = {"padding": ("pre", "post"), "truncating": ("pre", "post"),
                   "variety": VARIETIES, "unit": TEXT_UNITS}
DATASET_PATHS = {"text_file": "path", "lessons": "lessons_dir"}  # the setting naming a file


def _checked_dataset(dataset: dict, where: Callable[[str], str]) -> dict:
    """The data set's settings checked against their rows of DATASET_LIMITS (and the
    choices above) before anything is built; numbers typed as text become numbers."""
    for key, value in dataset.items():
        try:
            dataset[key] = checked_dataset_setting(key, value)
        except ExerciseError as error:
            raise error.about(f"dataset.{key}", where) from None
    return dataset


def checked_dataset_setting(key: str, value: Any) -> Any:
    """One setting of a data set, coerced (numbers typed as text become numbers), or an
    ExerciseError; the lesson checker calls it per setting to report every bad one."""
    if key in DATASET_LIMITS:
        return coerce_number(DATASET_LIMITS[key], value)
    if key in DATASET_CHOICES:
        return _choice(DATASET_CHOICES[key])(value)
    if key == "punctuation":
        return _boolean(value)
    if key in DATASET_PATHS.values() and not isinstance(value, str):
        raise ExerciseError(_("{value} is not a file name").format(value=repr(value)),
                            value=value)
    return value


def _trainable(ex: dict) -> dict:
    if "playground" in ex:
        raise ExerciseError(_("exercise {id} opens a playground; it has nothing to train")
                            .format(id=repr(ex["id"])))
    return ex


def _known_key(key: str, ex: dict) -> bool:
    """Keys an override may set: hyperparameters, loss, dataset.<param>, model.<index>."""
    key = key.removeprefix("hyperparameters.")
    if key in HYPERPARAMETERS or key == "loss":
        return True
    head, _dot, rest = key.partition(".")
    if head == "dataset" and rest and rest != "name":
        return rest.isidentifier()
    if head == "model" and rest.isdigit():
        return int(rest) < len(ex["model"])
    return False


# --- overrides ----------------------------------------------------------------------------

def parse_assignments(items: list[str]) -> dict[str, str]:
    """["epochs=50", "learning_rate=0.01"] -> {"epochs": "50", ...} (as typed on --set)."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ExerciseError(_("{item} is not key=value").format(item=repr(item)))
        out[key.strip()] = value.strip()
    return out


def _dataset_value(text: Any) -> Any:
    # A typed-in dataset parameter: a number, true/false, or else the text itself.
    if not isinstance(text, str):
        return text
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, (int, float, str)) else text


def apply_overrides(exercise: Mapping, overrides: Mapping[str, Any],
                    allowed: list[str] | None = None) -> dict[str, Any]:
    """A validated copy with new values (typed values or strings to coerce).

    ``allowed`` limits the keys (the UI passes the exercise's ``controls``); the command line
    allows every known key."""
    ex = _trainable(validate_exercise(exercise))
    for key, value in overrides.items():
        if allowed is not None and key not in allowed:
            raise ExerciseError(_("{setting} cannot be changed in this exercise").format(
                setting=repr(key)))
        if not _known_key(key, ex):
            raise ExerciseError(_(
                "unknown setting {setting}; use one of {names}, loss, dataset.<parameter> or "
                "model.<layer number>").format(setting=repr(key),
                                               names=", ".join(HYPERPARAMETERS)))
        name = key.removeprefix("hyperparameters.")
        if name in HYPERPARAMETERS:
            try:
                ex["hyperparameters"][name] = HYPERPARAMETERS[name](value)
            except ExerciseError as error:
                raise error.about(name) from None
        elif name == "loss":
            ex["loss"] = value
        elif name == "dataset.text_file" and ex["task"] == "language_model":
            # The learner's own text in place of the exercise's (--set dataset.text_file=).
            from hafiza.engine.data.text_files import with_text_file

            ex = with_text_file(ex, str(value))
        elif name.startswith("dataset."):
            ex["dataset"][name.split(".", 1)[1]] = _dataset_value(value)
        else:
            index = int(name.split(".", 1)[1])
            try:
                parse_layer(value, {v: 2 for v in SPEC_VARIABLES})
            except ModelSpecError as error:
                raise ExerciseError(f"{key}: {error}") from None
            ex["model"][index] = value
    return validate_exercise(ex)


# --- goal -----------------------------------------------------------------------------------

def goal_met(goal: Mapping | None, metrics: Mapping[str, float]) -> bool:
    """True when metrics[goal.metric] <op> goal.value; a missing or NaN metric is not met."""
    if not goal:
        return False
    value = metrics.get(goal["metric"])
    if value is None or not math.isfinite(value):
        return False
    return GOAL_OPS[goal["op"]](value, goal["value"])


# --- building and running ------------------------------------------------------------------

@dataclass
class PreparedRun:
    exercise: dict
    data: Any  # ArrayDataset or LanguageModelData
    model: Any  # engine.models.SequentialModel
    config: Any  # engine.train.TrainConfig
    vocab: Any = None  # engine.text.Vocabulary for language models
    data_root: Path | None = None  # the lesson folder its files were read from

    def fit(self, control: Any = None) -> Iterator[Any]:
        """The training events; a run that finished on data with a held-out test set ends
        with one more, ``Tested``, one on a language model's text with ``Baseline``, and a
        tagger of the tagged sentences with ``EntitiesFound`` (the app and the command line
        report them)."""
        from hafiza.engine.events import Baseline, EntitiesFound, Finished, Tested
        from hafiza.engine.train import fit, test_accuracy

        event = None
        for event in fit(self.model, self.data, self.config, control):
            yield event
        if not isinstance(event, Finished):
            return
        if getattr(self.data, "has_test_set", False):
            x, y = self.data.test_set
            yield Tested(test_accuracy(self.model, x, y), len(y))
        if len(getattr(self.data, "val_ids", ())) > 1 and hasattr(self.data, "train_ids"):
            from hafiza.engine.ngram import fit_baseline

            yield Baseline(fit_baseline(self.data).perplexity(self.data.val_ids))
        if "tags" in getattr(self.data, "info", {}) and len(self.data.y_val):
            from hafiza.engine.tagging import score_tagger

            scores = score_tagger(self.model, self.data)
            yield EntitiesFound(scores.model.f1, scores.baseline.f1, scores.sentences)


def in_variety(exercise: Mapping, variety: str) -> dict:
    """The exercise reading its text in ``variety`` when its data set is written in every
    variety (the lesson texts); any other exercise as it is."""
    dataset = exercise.get("dataset")
    if isinstance(dataset, Mapping) and dataset.get("name") in PER_VARIETY_DATASETS:
        return {**exercise, "dataset": {**dataset, "variety": variety}}
    return dict(exercise)


def load_data(exercise: Mapping, data_root: Path | None = None,
              trusted_paths: bool = False) -> tuple[Any, Any]:
    """(data, vocabulary or None) for the exercise's dataset.

    A file the data set names is read only inside ``data_root``, the exercise's lesson
    folder (``resolve_data_path``); ``trusted_paths`` takes it as it is, for a path the
    learner typed on the command line. A generated set is first reckoned against the
    machine's memory. (The settings are checked here too: a stored run's settings reach
    this without validate_exercise.)"""
    params = _checked_dataset(dict(exercise["dataset"]), lambda problem: f"dataset: {problem}")
    name = params.pop("name")
    if exercise["task"] != "language_model":
        from hafiza.engine.data import DATASETS, DatasetError, get_dataset

        if name in DATASETS:
            check_data_memory(DATASETS[name], params)
        try:
            data = get_dataset(name, **params)
        except DatasetError as error:
            raise ExerciseError(f"dataset: {error}") from None
        if data.task != exercise["task"]:
            raise ExerciseError(_("dataset {name} is a {task} task, the exercise says "
                                  "{written}").format(name=repr(name), task=data.task,
                                                      written=exercise["task"]))
        return data, None
    from hafiza.engine.data import corpora
    from hafiza.engine.data.lm import LanguageModelData, NothingKept

    unknown = sorted(set(params) - set(TEXT_PARAMS))
    if unknown:
        raise ExerciseError(_("dataset {name} has no parameter {names}").format(
            name=repr(name), names=", ".join(unknown)))
    files = {key: resolve_data_path(params[key], data_root, trusted=trusted_paths,
                                    setting=f"dataset.{key}")
             for key in (DATASET_PATHS.get(name),) if key in params}
    try:
        if name == "hafez":
            text = corpora.hafez_corpus()
        elif name == "lessons":
            kwargs = {"lessons_dir": files["lessons_dir"]} if "lessons_dir" in files else {}
            text = corpora.lesson_corpus(params.get("variety", "ary"), **kwargs)
        else:
            if "path" not in files:
                raise ExerciseError(_('dataset "text_file" needs a "path"'))
            # A book from Project Gutenberg (War and Peace, as seed 000 trains on) without
            # its licence and with its wrapped lines joined.
            text = corpora.gutenberg_book(corpora.read_text_file(files["path"]))
        # Punctuation marks are tokens by default, so a continuation comes with its commas
        # and full stops (and, measured on War and Peace, perplexity drops by a fifth).
        settings = {**TEXT_DEFAULTS, **params}
        data = LanguageModelData.from_text(text, num_words=settings["num_words"],
                                           min_count=settings["min_count"],
                                           val_fraction=settings["val_fraction"],
                                           punctuation=bool(settings["punctuation"]),
                                           unit=settings["unit"])
    except NothingKept as error:  # the one setting the learner can change: min_count
        raise ExerciseError(_("dataset {name}: {error}").format(name=repr(name), error=error),
                            setting="dataset.min_count", value=error.min_count,
                            limit=error.most, kind=NOTHING_KEPT) from None
    except (corpora.CorpusError, OSError) as error:
        raise ExerciseError(_("dataset {name}: {error}").format(name=repr(name),
                                                               error=error)) from None
    return data, data.vocab


def prepare(exercise: Mapping, device: str = "cpu", data_root: Path | None = None,
            trusted_paths: bool = False) -> PreparedRun:
    """Validate, load the data, build the model (seeded) and the training config.

    ``data_root`` is the lesson folder whose files the exercise may read (see load_data);
    every size is checked against its limit and the machine's memory before it is built."""
    import torch

    from hafiza.engine.models import build_model
    from hafiza.engine.train import TrainConfig

    ex = _trainable(validate_exercise(exercise))
    data, vocab = load_data(ex, data_root, trusted_paths)
    variables = {"n_classes": getattr(data, "n_classes", 0) or 1}
    if vocab is not None:
        variables["vocab_size"] = len(vocab)
    elif "num_words" in getattr(data, "info", {}):  # word ids of a text classifier (IMDB)
        variables["vocab_size"] = int(data.info["num_words"])
    hyper = dict(ex["hyperparameters"])
    seed = hyper.get("seed", 0)
    if seed is not None:
        torch.manual_seed(seed)
    shape = tuple(ex["input_shape"]) if ex.get("input_shape") else None
    check_model_memory(ex, data, shape, variables)
    try:
        model = build_model(ex["model"], shape, variables)
    except ModelSpecError as error:
        raise ExerciseError(in_exercise(ex["id"])(f"model: {error}")) from None
    config = TrainConfig(task=ex["task"], loss=ex.get("loss"), device=device, **hyper)
    try:
        config.checked()
    except ValueError as error:
        raise ExerciseError(in_exercise(ex["id"])(str(error))) from None
    return PreparedRun(ex, data, model, config, vocab, data_root)


def get_exercise(name: str) -> dict[str, Any]:
    """A validated copy of the built-in exercise ``name``."""
    if name not in BUILTIN_EXERCISES:
        raise ExerciseError(_("unknown exercise {name}; built in: {names}").format(
            name=repr(name), names=", ".join(BUILTIN_EXERCISES)))
    return validate_exercise(BUILTIN_EXERCISES[name])
