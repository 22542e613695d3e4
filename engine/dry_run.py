"""Try an exercise on one batch, as ``train`` would start it, in a fraction of a second.

An exercise can pass every field's check and still fail at its first batch: a layer that
does not fit the shape of the data, labels the output layer cannot hold, a goal metric that
the data set never reports (no validation data). ``dry_run`` finds those before a learner
does: it builds the data set at a tiny size (at most ``TINY_SAMPLES`` samples; a language
model reads its text as ``train`` does, as the corpora are small), builds the model as
``prepare`` does, and runs one forward and one backward pass on one batch, then one
validation (no optimizer step: the first Adam costs a second to import, and the optimizer's
settings are checked with the TrainConfig). Each problem comes back with the field it is
about, as in engine.exercise_problems.

Nothing is downloaded. A data set the learner imports (IMDB) is not read: its reviews are
made up, in the same shapes, by the importer's own encoder, and a warning says so when the
reviews are not on this machine.

Torch is imported only when a dry run starts.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hafiza.engine.exercise_problems import ExerciseProblem, Field, setting_field
from hafiza.engine.exercises import ExerciseError, load_data, validate_exercise
from hafiza.engine.layers import ModelSpecError
from hafiza.words import N_, _

TINY_SAMPLES = 64  # enough for every class of every data set and a validation split
TINY_BATCH = 8
_IMDB_REVIEWS = 16  # made-up reviews, when the real ones are not read
NOT_IMPORTED = N_("the IMDB reviews are not imported on this computer, so the check ran the "
                  "model on made-up reviews of the same shape; each learner imports them once "
                  "(File → Import IMDB) before this exercise trains")


class _Refused(Exception):
    """A problem found on the way; carries the field and the message."""

    def __init__(self, field: Field, message: str, severity: str = "error") -> None:
        super().__init__(message)
        self.problem = ExerciseProblem(field, message, severity)


def dry_run(exercise: Mapping, data_root: Path | None = None) -> list[ExerciseProblem]:
    """The problems of one training step of ``exercise`` (already free of
    engine.exercise_problems' problems); [] when ``train`` will get through its first batch.
    ``data_root`` is the lesson folder its files are read from."""
    ex = validate_exercise(exercise)
    if "playground" in ex:
        return []
    notes: list[ExerciseProblem] = []
    try:
        data, vocab = _tiny_data(ex, data_root, notes)
        _one_step(ex, data, vocab)
    except _Refused as refusal:
        return [*notes, refusal.problem]
    return notes


def _tiny_data(ex: dict, data_root: Path | None, notes: list) -> tuple[Any, Any]:
    name = ex["dataset"]["name"]
    if ex["task"] == "language_model":
        try:
            return load_data(ex, data_root)
        except ExerciseError as error:
            raise _Refused(setting_field(error.setting) or ("dataset",),
                           _("the data set cannot be read: {error}").format(error=error)) from None
    from hafiza.engine.data import DATASETS, DatasetError, is_imported, needs_import

    params = {key: value for key, value in ex["dataset"].items() if key != "name"}
    try:
        if needs_import(name):
            data = _made_up_reviews(params)
            if not is_imported(name):
                notes.append(ExerciseProblem(("dataset", "name"), _(NOT_IMPORTED), "warning"))
        else:
            data = _generated(DATASETS[name], params)
    except DatasetError as error:
        raise _Refused(("dataset",), _("data set {name} cannot be built with these settings: "
                                       "{error}").format(name=repr(name), error=error)) from None
    if data.task != ex["task"]:
        raise _Refused(("task",), _("data set {name} is a {task} task but the exercise says "
                                    "task: {written}; change the task to {task} or pick a data "
                                    "set made for it").format(name=repr(name), task=data.task,
                                                              written=ex["task"]))
    return data, None


def _generated(make: Any, params: dict) -> Any:
    """The data set at a tiny size when it has a size; with the lesson's own size when the
    tiny one is refused (a set may need more samples per class)."""
    from hafiza.engine.data import DatasetError

    default = inspect.signature(make).parameters.get("n_samples")
    if default is None:
        return make(**params)
    size = params.get("n_samples", default.default)
    try:
        return make(**{**params, "n_samples": min(size, TINY_SAMPLES)})
    except DatasetError:
        return make(**params)


def _made_up_reviews(params: dict) -> Any:
    """IMDB's arrays in IMDB's shapes, from random word ranks through the importer's own
    encoder (make_imdb's settings, checked as it checks them)."""
    import numpy as np

    from hafiza.engine.data import ArrayDataset
    from hafiza.engine.data.base import check_fraction, check_setting
    from hafiza.engine.data.imdb.dataset import encode

    settings = {key: params[key] for key in ("num_words", "maxlen", "padding", "truncating",
                                             "index_from") if key in params}
    for key in ("num_words", "maxlen", "index_from"):
        if key in settings:
            settings[key] = check_setting(key, settings[key])
    check_fraction("val_fraction", params.get("val_fraction", 0.2))
    rng = np.random.default_rng(0)
    lengths = rng.integers(5, 300, size=_IMDB_REVIEWS)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    ranks = rng.integers(1, 20_000, size=int(offsets[-1]))
    x = encode(ranks, offsets, **settings)
    y = np.arange(_IMDB_REVIEWS, dtype=np.int64) % 2
    half = _IMDB_REVIEWS // 2
    info = {"time_steps": x.shape[1], "num_words": settings.get("num_words", 10_000)}
    return ArrayDataset("imdb", "binary", x[:half], y[:half], x[half:], y[half:], 2, info)


def _one_step(ex: dict, data: Any, vocab: Any) -> None:
    """Build the model and config as ``prepare`` does; one batch forward and backward.

    On one thread: on a busy machine (the checker beside other work) torch's threads fight
    over the cores and a tiny batch took ten times longer; the caller's count is restored."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _step_on_one_batch(ex, data, vocab)
    finally:
        torch.set_num_threads(threads)


def _step_on_one_batch(ex: dict, data: Any, vocab: Any) -> None:
    import torch

    from hafiza.engine.batches import ArrayEpochs, DataError, LanguageModelEpochs
    from hafiza.engine.budget import LESSON_MEMORY_CEILING, check_model_memory, show_bytes
    from hafiza.engine.models import build_model
    from hafiza.engine.objectives import default_loss, make_loss
    from hafiza.engine.train import TrainConfig, adapting

    variables = {"n_classes": getattr(data, "n_classes", 0) or 1}
    if vocab is not None:
        variables["vocab_size"] = len(vocab)
    elif "num_words" in getattr(data, "info", {}):
        variables["vocab_size"] = int(data.info["num_words"])
    hyper = dict(ex["hyperparameters"])
    language_model = ex["task"] == "language_model"
    if not language_model:
        hyper["batch_size"] = min(hyper.get("batch_size") or TINY_BATCH, TINY_BATCH)
    hyper.update(epochs=1, steps_per_epoch=1, patience=None, max_seconds=None)
    torch.manual_seed(0)
    shape = tuple(ex["input_shape"]) if ex.get("input_shape") else None
    try:
        # Reckoned before anything is built: a lesson (a pack from anyone) may not make the
        # checker, or any learner, allocate past a lesson's ceiling (LSTM(100000): 160 GB).
        check_model_memory(ex, data, shape, variables, LESSON_MEMORY_CEILING)
    except ExerciseError as error:
        setting = str(getattr(error, "setting", "") or "")
        field = ("model", int(setting.split(".")[1])) if setting.startswith("model.") and \
            setting.split(".")[1].isdigit() else ("model",)
        raise _Refused(field, _("{setting} = {value} would need {needed} of memory; a "
                                "lesson's exercise may ask for at most {ceiling}").format(
            setting=setting, value=error.value, needed=show_bytes(error.needed),
            ceiling=show_bytes(LESSON_MEMORY_CEILING))) from None
    except ModelSpecError:
        pass  # build_model says it, at its layer
    try:
        model = build_model(ex["model"], shape, variables)
    except ModelSpecError as error:
        raise _Refused(_model_field(error, ex),
                       _("the layers do not fit together: {error}").format(error=error)) from None
    try:
        config = TrainConfig(task=ex["task"], loss=ex.get("loss"), device="cpu",
                             **hyper).checked()
    except ValueError as error:
        raise _Refused(("loss",) if "loss" in str(error) else ("hyperparameters",),
                       str(error)) from None
    loss_name = config.loss or default_loss(config.task, model.head)
    try:
        loss_fn = make_loss(loss_name, model)
        if language_model:
            runner = LanguageModelEpochs(model, data, config, loss_fn, torch.device("cpu"))
        else:
            runner = ArrayEpochs(model, data, config, loss_name, loss_fn, torch.device("cpu"),
                                 torch.Generator().manual_seed(0))
            for _batch in adapting(model, runner.arrays.x_train, runner.arrays.y_train):
                pass
        model.train()
        xb, yb = next(iter(runner.batches()))
        loss_fn(runner.forward(xb), yb).backward()
        metrics = {"loss", *runner.validate()}
    except DataError as error:
        raise _Refused(*_data_fault(error, ex)) from None
    except (RuntimeError, ValueError, IndexError, TypeError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise _Refused(("model",), _("one training step failed ({error}); check that the layers "
                                     "fit the data and the loss fits the last layer").format(
            error=f"{type(error).__name__}: {first_line[:200]}")) from None
    if runner.correct is not None:
        metrics.add("accuracy")
    if language_model:
        metrics.add("perplexity")
    goal = ex.get("goal")
    if goal and goal["metric"] not in metrics:
        raise _Refused(("goal", "metric"), _(
            "goal metric {metric} is never reported for this exercise (it reports {metrics}); "
            "does the data set keep validation data (val_fraction above 0)?").format(
                metric=repr(goal["metric"]), metrics=", ".join(sorted(metrics))))


def _model_field(error: ModelSpecError, ex: dict) -> Field:
    """The layer a model-building error names (``layer 2 (LSTM): ...``: its ``layer``), else
    the shape. (The message is in the reader's words; the names in it, tied=True and
    input_shape, are written as they are in every language.)"""
    message = str(error)
    if error.layer is not None and error.layer <= len(ex["model"]):
        return ("model", error.layer - 1)
    tied = [index for index, layer in enumerate(ex["model"]) if "tied" in str(layer)]
    if "tied=True" in message and tied:  # the model builder ties after naming the layer
        return ("model", tied[0])
    return ("input_shape",) if "input_shape" in message else ("model",)


def _data_fault(error: Any, ex: dict) -> tuple[Field, str]:
    """Where a mismatch between the data and the model belongs (the DataError's ``part``),
    said in words."""
    from hafiza.engine.batches import INPUT, LOSS_LABELS, TOO_SHORT

    message, part = str(error), getattr(error, "part", None)
    last = ("model", len(ex["model"]) - 1)
    if part == INPUT:
        field = ("input_shape",) if ex.get("input_shape") else ("model", 0)
        return field, _("the data does not fit the model's input: {error}").format(error=message)
    if part == LOSS_LABELS:
        return ("loss",), _("the loss does not fit the labels: {error}").format(error=message)
    if part == TOO_SHORT:
        field = ("dataset", "path") if "path" in ex["dataset"] else ("dataset",)
        return field, _("the text is too short to train on: {error}").format(error=message)
    return last, _("the model's output does not fit the labels: {error}").format(error=message)

