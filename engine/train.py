"""The training loop: a generator of events, driven by a thread-safe control object.

    control = TrainControl()
    for event in fit(model, data, TrainConfig(task="binary", epochs=20), control):
        ...  # in a worker thread; the GUI thread calls control.pause()/resume()/step()/stop()

``data`` is an ``engine.data.ArrayDataset`` (or anything with x_train, y_train, x_val, y_val)
or, for ``task="language_model"``, anything with 1-D ``train_ids`` and ``val_ids``. The loop
checks the control between batches only, and keeps the per-batch work to what a hand-written
PyTorch loop does (one ``loss.item()``, no data loader), so lessons train at full speed.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from hafiza.engine.batches import ArrayEpochs, DataError, LanguageModelEpochs, as_tensor
from hafiza.engine.control import TrainControl
from hafiza.engine.events import (
    BAD_DATA,
    ERROR,
    NAN_LOSS,
    OUT_OF_MEMORY,
    BatchEnd,
    EpochEnd,
    Event,
    Failed,
    Finished,
    Paused,
    Started,
)
from hafiza.engine.models import SequentialModel
from hafiza.engine.objectives import default_loss, make_loss, make_optimizer
from hafiza.engine.tables import (
    DEFAULT_LEARNING_RATE,
    LOSS_ALIASES,
    LR_SCHEDULES,
    OPTIMIZERS,
    TASKS,
)
from hafiza.words import _


@dataclass
class TrainConfig:
    task: str = "regression"
    loss: str | None = None  # None: the usual loss for the task and output activation
    optimizer: str = "adam"
    learning_rate: float | None = None  # None: Keras' default for the optimizer
    momentum: float = 0.0  # SGD only
    batch_size: int | None = 32  # None or 0: the whole training set in one batch
    epochs: int = 10
    shuffle: bool = True  # ignored for language models: their windows start at random offsets
    clip_norm: float | None = None  # clip the gradient's global norm to this
    bptt: int = 35  # truncated backpropagation length for language models
    # Language models: an "epoch" of this many windows (each from a random offset, from a
    # zero state: engine.batches), then validation (Keras' steps_per_epoch). None: as many
    # windows as the text has.
    steps_per_epoch: int | None = None
    patience: int | None = None  # early stopping after this many epochs without improvement
    monitor: str | None = None  # None: val_loss when there is validation data, else loss
    restore_best: bool = True  # with patience: end with the best epoch's weights
    lr_schedule: str = "constant"  # "plateau": halve when the monitor stalls; "cosine"
    max_seconds: float | None = None  # stop after this much training time (cosine uses it)
    weight_decay: float = 0.0
    seed: int | None = 0
    device: str = "cpu"

    def checked(self) -> TrainConfig:
        """A copy with defaults filled in; raises ValueError on a setting that cannot work,
        said in the reader's words (hafiza.words); the setting's name stays as written."""
        config = copy.copy(self)
        if config.task not in TASKS:
            raise ValueError(_("task must be one of {tasks}, not {task}").format(
                tasks=TASKS, task=repr(config.task)))
        config.optimizer = str(config.optimizer).lower()
        if config.optimizer not in OPTIMIZERS:
            raise ValueError(_("optimizer must be one of {optimizers}, not {optimizer}").format(
                optimizers=OPTIMIZERS, optimizer=repr(config.optimizer)))
        if config.learning_rate is None:
            config.learning_rate = DEFAULT_LEARNING_RATE[config.optimizer]
        if not config.learning_rate > 0:
            raise ValueError(_("learning_rate must be positive"))
        if config.loss is not None:
            key = str(config.loss).lower()
            if key not in LOSS_ALIASES:
                # TRANSLATORS: keep the word "loss" as it is: it names the exercise's field.
                raise ValueError(_("unknown loss {loss}").format(loss=repr(config.loss)))
            config.loss = LOSS_ALIASES[key]
        if config.batch_size is not None and config.batch_size < 0:
            raise ValueError(_("batch_size must be positive (or 0 for the full batch)"))
        if config.epochs < 1 or config.bptt < 1:
            raise ValueError(_("epochs and bptt must be at least 1"))
        if config.steps_per_epoch is not None and config.steps_per_epoch < 1:
            raise ValueError(_("steps_per_epoch must be at least 1"))
        if config.lr_schedule not in LR_SCHEDULES:
            raise ValueError(_("lr_schedule must be one of {schedules}").format(
                schedules=LR_SCHEDULES))
        if config.patience is not None and config.patience < 0:
            raise ValueError(_("patience must be 0 or more"))
        return config


# --- the loop -------------------------------------------------------------------------------

def _failure(error: BaseException) -> tuple[str, str]:
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, DataError):
        return BAD_DATA, detail
    if isinstance(error, MemoryError) or "out of memory" in str(error).lower():
        return OUT_OF_MEMORY, detail
    return ERROR, detail


def _better(value: float, best: float, monitor: str) -> bool:
    """Strictly better, as Keras (min_delta 0): higher for accuracies, lower for losses and
    perplexities; a NaN never is."""
    if math.isnan(value):
        return False
    return value > best if monitor.endswith("accuracy") else value < best


class _Clock:
    """Training time budget (max_seconds), not counting pauses and validation."""

    def __init__(self, budget: float | None):
        self.budget = budget
        self.start = time.monotonic()
        self.paused_for = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.start - self.paused_for

    def out_of_time(self) -> bool:
        return self.budget is not None and self.elapsed() >= self.budget


def fit(model: SequentialModel, data: Any, config: TrainConfig,
        control: TrainControl | None = None) -> Iterator[Event]:
    """Train ``model`` on ``data``; yields Started, BatchEnd..., EpochEnd..., then Finished or
    Failed. Seed torch before building the model and set ``config.seed`` for bit-identical
    runs on the CPU."""
    try:
        yield from _fit(model, data, config.checked(), control or TrainControl())
    except Exception as error:  # noqa: BLE001 - the UI must always get an ending event
        reason, detail = _failure(error)
        yield Failed(reason, detail)


def _fit(model: SequentialModel, data: Any, config: TrainConfig,
         control: TrainControl) -> Iterator[Event]:
    device = torch.device(config.device)
    loss_name = config.loss or default_loss(config.task, model.head)
    model.to(device)
    if config.seed is not None:
        torch.manual_seed(config.seed)  # dropout draws from the global generator
    generator = torch.Generator(device="cpu")
    generator.manual_seed(0 if config.seed is None else config.seed)
    loss_fn = make_loss(loss_name, model)
    optimizer = make_optimizer(config, model)
    language_model = config.task == "language_model"
    if language_model:
        epoch_runner = LanguageModelEpochs(model, data, config, loss_fn, device)
    else:
        epoch_runner = ArrayEpochs(model, data, config, loss_name, loss_fn, device, generator)
    parameters = sum(p.numel() for p in model.parameters())
    yield Started(config.epochs, epoch_runner.n_batches, epoch_runner.n_train,
                  epoch_runner.n_val, parameters, str(device))

    monitor = config.monitor or ("val_loss" if epoch_runner.n_val else "loss")
    clock = _Clock(config.max_seconds)
    ending: dict[str, bool] = {}
    if not language_model:  # counted as training time: it is part of fitting the model
        for _step in adapting(model, epoch_runner.arrays.x_train, epoch_runner.arrays.y_train):
            if control.attention and (yield from _obey(control, clock, 1, 0)) == "stop":
                ending["stopped_by_user"] = True
                break
    total_batches = config.epochs * epoch_runner.n_batches
    base_lr = config.learning_rate
    history: list[dict[str, float]] = []
    best_value, best_epoch, best_state, waited = math.nan, 0, None, 0
    samples_seen = 0
    epochs = 0 if ending else config.epochs  # stopped while adapting: no epoch at all
    for epoch in range(1, epochs + 1):
        model.train()
        epoch_start = time.monotonic()
        loss_sum = 0.0
        counted = 0
        correct = []  # what each batch's answers need, counted once at the end of the epoch
        batches = epoch_runner.batches()
        n_batches = epoch_runner.n_batches
        batch = 0
        for xb, yb in batches:
            if control.attention and (yield from _obey(control, clock, epoch, batch)) == "stop":
                ending["stopped_by_user"] = True
                break
            if config.lr_schedule == "cosine":
                # progress by batches, or by the time budget when that runs out first
                done = max(((epoch - 1) * n_batches + batch) / total_batches,
                           clock.elapsed() / config.max_seconds if config.max_seconds else 0.0)
                for group in optimizer.param_groups:
                    group["lr"] = base_lr * 0.5 * (1 + math.cos(math.pi * min(done, 1.0)))
            optimizer.zero_grad()
            scores = epoch_runner.forward(xb)
            loss = loss_fn(scores, yb)
            loss_value = loss.item()
            batch += 1
            if not math.isfinite(loss_value):  # stop before the step spoils the weights
                yield Failed(NAN_LOSS, f"loss became {loss_value} at epoch {epoch} batch {batch}",
                             epoch, batch)
                return
            loss.backward()
            if config.clip_norm:
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
            optimizer.step()
            weight = epoch_runner.weight(yb)
            samples_seen += weight
            loss_sum += loss_value * weight
            counted += weight
            if epoch_runner.correct is not None:  # detached: no graph is kept alive
                correct.append(epoch_runner.correct.keep(scores, yb))
            yield BatchEnd(epoch, batch, n_batches, loss_value, samples_seen)
            if clock.out_of_time():
                ending["out_of_time"] = True
                break
        if counted == 0 or ending.get("stopped_by_user"):
            break  # a stop ends at once, without validating a half epoch
        metrics = {"loss": loss_sum / counted}
        if epoch_runner.correct is not None:
            right = epoch_runner.correct.total(correct)
            metrics["accuracy"] = right / epoch_runner.label_count(counted)
        if language_model:
            metrics["perplexity"] = math.exp(min(metrics["loss"], 700.0))
        validation_start = time.monotonic()
        metrics.update(epoch_runner.validate())
        clock.paused_for += time.monotonic() - validation_start  # budget = training time
        history.append(metrics)
        learning_rate = optimizer.param_groups[0]["lr"]
        yield EpochEnd(epoch, config.epochs, metrics, time.monotonic() - epoch_start,
                       learning_rate, clock.elapsed())

        value = metrics.get(monitor, math.nan)
        if best_epoch == 0 or _better(value, best_value, monitor):
            best_value, best_epoch, waited = value, epoch, 0
            if config.patience is not None and config.restore_best:
                best_state = copy.deepcopy(model.state_dict())
        else:
            waited += 1
            if config.lr_schedule == "plateau":
                for group in optimizer.param_groups:
                    group["lr"] *= 0.5
            # As Keras' EarlyStopping: stop once `patience` epochs in a row brought no
            # improvement (patience 0 stops at the first one).
            if config.patience is not None and waited >= config.patience:
                ending["stopped_early"] = True
        if ending or (control.attention and control.stopped):
            if control.stopped:
                ending["stopped_by_user"] = True
            break

    final = history[-1] if history else {}
    if best_state is not None and best_epoch != len(history):
        model.load_state_dict(best_state)
        final = history[best_epoch - 1]
    yield Finished(dict(final), best_epoch, len(history), history=history, **ending)


def _obey(control: TrainControl, clock: _Clock, epoch: int, batch: int):
    """What the GUI asked, between two steps: yields Paused and sleeps while paused; returns
    "go" or "stop". Time spent paused is not training time."""
    verdict = control.poll()
    while verdict == "wait":
        yield Paused(epoch, batch)
        paused_at = time.monotonic()
        control.wait()
        clock.paused_for += time.monotonic() - paused_at
        verdict = control.poll()
    return verdict


def adapt_model(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> None:
    """Keras-style ``adapt``: every module of the model with an ``adapt(x, y)`` method gets
    the training inputs and labels (as the checked tensors the loop trains on) once, before
    the first epoch. It is for values computed from the training data rather than learned,
    such as NBSVM's naive-Bayes ratios; the modules read the model's inputs, so they are
    first layers. ``fit`` does the same through ``adapting`` (so the command line, the app and
    the benchmarks all adapt, on the training split only); calling ``fit`` again on the same
    data adapts again to the same values. A ValueError from a module is reported as bad
    data."""
    for _step in adapting(model, x, y):
        pass


def adapting(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> Iterator[None]:
    """``adapt_model``, yielding between steps: after each module's ``adapt``, or after each
    step of a module that offers ``adapt_steps(x, y)`` (a generator) for a long adapt, so
    that ``fit`` can pause or stop in between."""
    for module in model.modules():
        adapt = getattr(module, "adapt", None)
        if module is model or not callable(adapt):
            continue
        steps = getattr(module, "adapt_steps", None)
        try:
            if callable(steps):
                yield from steps(x, y)
            else:
                adapt(x, y)
                yield
        except ValueError as error:
            raise DataError(str(error)) from None


@torch.no_grad()
def predict(model: SequentialModel, x: Any, batch_size: int = 1024) -> np.ndarray:
    """The model's outputs (after its output activation) for inputs x, as a numpy array."""
    tensor = as_tensor(x, "x")
    tensor = tensor.long() if model.takes_token_ids else tensor.float()
    device = next(model.parameters()).device
    parts = [model.predict(tensor[i:i + batch_size].to(device)).cpu()
             for i in range(0, len(tensor), batch_size)]
    return torch.cat(parts).numpy()


def test_accuracy(model: SequentialModel, x: Any, y: Any, batch_size: int = 1024) -> float:
    """Accuracy of a trained classifier on held-out data: a binary model's probability
    against 0.5, a multiclass model's most likely class."""
    outputs = predict(model, x, batch_size)
    labels = np.asarray(y).reshape(-1)
    if outputs.ndim == 1 or outputs.shape[-1] == 1:
        guesses = (outputs.reshape(-1) >= 0.5).astype(labels.dtype)
    else:
        guesses = outputs.argmax(axis=-1).reshape(-1)
    return float((guesses == labels).mean())


test_accuracy.__test__ = False  # a library function, not a pytest test
