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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from hafiza.engine.control import TrainControl
from hafiza.engine.data.lm import batchify, bptt_windows
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
from hafiza.engine.models import SequentialModel, detach_state
from hafiza.engine.tables import (
    DEFAULT_LEARNING_RATE,
    LOSS_ALIASES,
    LR_SCHEDULES,
    OPTIMIZERS,
    TASKS,
)

# Keras' default learning rates, so a lesson that names only the optimizer behaves as in Keras.
IGNORE_LABEL = -100  # a tagging label that counts for nothing (padding)


class DataError(ValueError):
    """The data does not fit the task or the model (reported as Failed("bad_data"))."""


@dataclass
class TrainConfig:
    task: str = "regression"
    loss: str | None = None  # None: the usual loss for the task and output activation
    optimizer: str = "adam"
    learning_rate: float | None = None  # None: Keras' default for the optimizer
    momentum: float = 0.0  # SGD only
    batch_size: int | None = 32  # None or 0: the whole training set in one batch
    epochs: int = 10
    shuffle: bool = True  # ignored for language models, whose windows must stay in order
    clip_norm: float | None = None  # clip the gradient's global norm to this
    bptt: int = 35  # truncated backpropagation length for language models
    # Language models: an "epoch" of this many windows, then validation; the next epoch
    # continues the text where this one stopped (Keras' steps_per_epoch). None: whole text.
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
        """A copy with defaults filled in; raises ValueError on a setting that cannot work."""
        config = copy.copy(self)
        if config.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, not {config.task!r}")
        config.optimizer = str(config.optimizer).lower()
        if config.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, not {config.optimizer!r}")
        if config.learning_rate is None:
            config.learning_rate = DEFAULT_LEARNING_RATE[config.optimizer]
        if not config.learning_rate > 0:
            raise ValueError("learning_rate must be positive")
        if config.loss is not None:
            key = str(config.loss).lower()
            if key not in LOSS_ALIASES:
                raise ValueError(f"unknown loss {config.loss!r}")
            config.loss = LOSS_ALIASES[key]
        if config.batch_size is not None and config.batch_size < 0:
            raise ValueError("batch_size must be positive (or 0 for the full batch)")
        if config.epochs < 1 or config.bptt < 1:
            raise ValueError("epochs and bptt must be at least 1")
        if config.steps_per_epoch is not None and config.steps_per_epoch < 1:
            raise ValueError("steps_per_epoch must be at least 1")
        if config.lr_schedule not in LR_SCHEDULES:
            raise ValueError(f"lr_schedule must be one of {LR_SCHEDULES}")
        if config.patience is not None and config.patience < 0:
            raise ValueError("patience must be 0 or more")
        return config

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


# --- losses and metrics -------------------------------------------------------------------

def default_loss(task: str, head: str) -> str:
    if task == "regression":
        return "mse"
    if task == "binary":
        return "perceptron" if head == "step" else "binary_crossentropy"
    return "categorical_crossentropy"


def make_loss(name: str, model: SequentialModel) -> Callable[[torch.Tensor, torch.Tensor], Any]:
    """loss(scores, targets) on the model's scores (logits for sigmoid/softmax outputs)."""
    if model.head == "adaptive_softmax":
        if name != "categorical_crossentropy":
            raise ValueError("AdaptiveSoftmax trains with categorical cross-entropy")
        head = model.layers[-1].head

        def adaptive(features: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return head(features.reshape(-1, features.shape[-1]), targets.reshape(-1)).loss
        return adaptive
    if name == "binary_crossentropy":
        return F.binary_cross_entropy_with_logits
    if name == "categorical_crossentropy":
        def categorical(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return F.cross_entropy(scores.reshape(-1, scores.shape[-1]), targets.reshape(-1),
                                   ignore_index=IGNORE_LABEL)
        return categorical
    if name == "perceptron":
        # Rosenblatt's criterion: mean(max(0, -t * z)) with t = +-1; its gradient step is
        # exactly the perceptron learning rule w += lr * t * x on misclassified samples.
        def perceptron(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return torch.relu(-(2 * targets - 1) * scores).mean()
        return perceptron
    if model.head == "linear":
        return F.mse_loss

    def mse(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(model.activate(scores), targets)
    return mse


def make_correct_counter(task: str, loss: str, model: SequentialModel):
    """correct(scores, targets) -> tensor count of right answers, or None for regression."""
    if task == "regression":
        return None
    if model.head == "adaptive_softmax":
        head = model.layers[-1].head

        def adaptive(features: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            guesses = head.predict(features.reshape(-1, features.shape[-1]))
            return (guesses == targets.reshape(-1)).sum()
        return adaptive
    if loss == "categorical_crossentropy":
        def categorical(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return (scores.argmax(dim=-1) == targets).sum()
        return categorical
    # One output unit: the decision threshold is on the scores (logit 0 = probability 0.5),
    # unless an MSE regression-style output is read as a probability.
    threshold = 0.5 if loss == "mse" and model.head == "linear" else 0.0
    if loss == "mse" and model.head == "sigmoid":
        threshold = 0.0

    if loss in ("binary_crossentropy", "perceptron"):  # targets already checked to be 0/1
        def binary(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return (scores >= threshold).eq(targets).sum()
        return binary

    def binary_mse(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return ((scores >= threshold) == (targets >= 0.5)).sum()
    return binary_mse


def make_optimizer(config: TrainConfig, model: torch.nn.Module) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    lr, decay = config.learning_rate, config.weight_decay
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=config.momentum, weight_decay=decay)
    if config.optimizer == "rmsprop":  # Keras: rho 0.9, epsilon 1e-7
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-7, weight_decay=decay)
    return torch.optim.Adam(params, lr=lr, eps=1e-7, weight_decay=decay)


# --- data -----------------------------------------------------------------------------------

@dataclass
class _Arrays:
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor | None
    y_val: torch.Tensor | None


def _as_tensor(array: Any, what: str) -> torch.Tensor:
    if isinstance(array, torch.Tensor):
        return array
    try:
        return torch.from_numpy(np.ascontiguousarray(array))
    except (TypeError, ValueError) as error:
        raise DataError(f"{what} is not a numeric array: {error}") from None


def prepare_arrays(data: Any, model: SequentialModel, task: str, loss: str,
                   device: torch.device) -> _Arrays:
    """Check the arrays against the model and the loss, and put them on the device once."""
    x_val_raw = getattr(data, "x_val", None)
    has_val = x_val_raw is not None and len(x_val_raw) > 0
    out_shape = model.output_shapes[-1]
    tensors = []
    for split in ("train", "val") if has_val else ("train",):
        x = _as_tensor(getattr(data, f"x_{split}"), f"x_{split}")
        y = _as_tensor(getattr(data, f"y_{split}"), f"y_{split}")
        if len(x) == 0 or len(x) != len(y):
            raise DataError(f"x_{split} has {len(x)} samples and y_{split} has {len(y)}")
        expected = model.input_shape
        if x.dim() - 1 != len(expected) or any(
                want is not None and want != got for want, got in zip(expected, x.shape[1:],
                                                                       strict=False)):
            raise DataError(f"x_{split} samples are shaped {tuple(x.shape[1:])}, the model "
                            f"expects {expected}")
        if model.takes_token_ids:
            if x.is_floating_point() or x.min() < 0:
                raise DataError(f"x_{split} must hold token ids (whole numbers >= 0)")
            vocab = model.layers[0].weight.shape[0] if hasattr(model.layers[0], "weight") \
                else model.layers[0].input_dim
            if x.max() >= vocab:
                raise DataError(f"x_{split} has token id {int(x.max())} >= vocabulary {vocab}")
            x = x.long()
        else:
            x = x.float()
            if not torch.isfinite(x).all():
                raise DataError(f"x_{split} contains NaN or infinity")
        y = _prepare_targets(y, split, loss, out_shape, task)
        tensors += [x.to(device), y.to(device)]
    if not has_val:
        tensors += [None, None]
    return _Arrays(*tensors)


def _prepare_targets(y: torch.Tensor, split: str, loss: str, out_shape: tuple,
                     task: str) -> torch.Tensor:
    units = out_shape[-1]
    if loss == "categorical_crossentropy":
        if y.is_floating_point() and not torch.equal(y, y.round()):
            raise DataError(f"y_{split} must hold class numbers for categorical cross-entropy")
        y = y.long()
        if y.dim() == len(out_shape) + 1 and y.shape[-1] == 1:  # (N, 1) labels
            y = y.squeeze(-1)
        if y.dim() != len(out_shape):
            raise DataError(f"y_{split} is shaped {tuple(y.shape)}; the model outputs "
                            f"{out_shape} per sample")
        real = y[y != IGNORE_LABEL]
        if len(real) and (real.min() < 0 or real.max() >= units):
            raise DataError(f"y_{split} has class {int(real.max())}, the model has {units}")
        return y
    y = y.float()
    if y.dim() == 1:
        y = y.unsqueeze(-1)
    if tuple(y.shape[1:]) != tuple(out_shape):
        raise DataError(f"y_{split} samples are shaped {tuple(y.shape[1:])}, the model "
                        f"outputs {out_shape}")
    if not torch.isfinite(y).all():
        raise DataError(f"y_{split} contains NaN or infinity")
    if loss in ("binary_crossentropy", "perceptron") and ((y != 0) & (y != 1)).any():
        raise DataError(f"y_{split} must be 0 or 1 for {loss}")
    return y


# --- the loop -------------------------------------------------------------------------------

def _failure(error: BaseException) -> tuple[str, str]:
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, DataError):
        return BAD_DATA, detail
    if isinstance(error, MemoryError) or "out of memory" in str(error).lower():
        return OUT_OF_MEMORY, detail
    return ERROR, detail


def _better(value: float, best: float, monitor: str) -> bool:
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
        epoch_runner = _LanguageModelEpochs(model, data, config, loss_fn, device)
    else:
        epoch_runner = _ArrayEpochs(model, data, config, loss_name, loss_fn, device, generator)
    parameters = sum(p.numel() for p in model.parameters())
    yield Started(config.epochs, epoch_runner.n_batches, epoch_runner.n_train,
                  epoch_runner.n_val, parameters, str(device))

    monitor = config.monitor or ("val_loss" if epoch_runner.n_val else "loss")
    clock = _Clock(config.max_seconds)
    ending: dict[str, bool] = {}
    if not language_model:  # counted as training time: it is part of fitting the model
        for _ in adapting(model, epoch_runner.arrays.x_train, epoch_runner.arrays.y_train):
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
        correct = []  # per-batch counts, summed once at the end of the epoch
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
            if epoch_runner.correct is not None:  # bool results: no graph is recorded
                correct.append(epoch_runner.correct(scores, yb))
            yield BatchEnd(epoch, batch, n_batches, loss_value, samples_seen)
            if clock.out_of_time():
                ending["out_of_time"] = True
                break
        if counted == 0 or ending.get("stopped_by_user"):
            break  # a stop ends at once, without validating a half epoch
        metrics = {"loss": loss_sum / counted}
        if epoch_runner.correct is not None:
            right = int(torch.stack(correct).sum()) if correct else 0
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
            if config.patience is not None and waited > config.patience:
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
    for _ in adapting(model, x, y):
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


class _ArrayEpochs:
    """Mini-batches of in-memory arrays (features or token ids) and their validation."""

    def __init__(self, model, data, config, loss_name, loss_fn, device, generator):
        self.model = model
        self.arrays = prepare_arrays(data, model, config.task, loss_name, device)
        self.loss_fn = loss_fn
        self.correct = make_correct_counter(config.task, loss_name, model)
        self.shuffle = config.shuffle
        self.generator = generator
        self.n_train = len(self.arrays.x_train)
        self.n_val = 0 if self.arrays.x_val is None else len(self.arrays.x_val)
        self.batch_size = min(config.batch_size or self.n_train, self.n_train)
        self.n_batches = math.ceil(self.n_train / self.batch_size)
        self.forward = model  # hot path: one attribute lookup, no wrapper call
        self.tagging = config.task == "tagging"

    def batches(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        x, y, size = self.arrays.x_train, self.arrays.y_train, self.batch_size
        if self.n_batches == 1:
            yield x, y
            return
        if self.shuffle:
            order = torch.randperm(self.n_train, generator=self.generator).to(x.device)
            for start in range(0, self.n_train, size):
                index = order[start:start + size]
                yield x[index], y[index]
        else:
            for start in range(0, self.n_train, size):
                yield x[start:start + size], y[start:start + size]

    def weight(self, yb: torch.Tensor) -> int:
        # Tagging losses average over real (not padding) labels, so weigh batches by them.
        return int((yb != IGNORE_LABEL).sum()) if self.tagging else len(yb)

    def label_count(self, counted: int) -> int:
        if self.tagging:
            return counted
        return counted * int(np.prod(self.arrays.y_train.shape[1:]) or 1)

    @torch.no_grad()
    def validate(self) -> dict[str, float]:
        if not self.n_val:
            return {}
        self.model.eval()
        x, y = self.arrays.x_val, self.arrays.y_val
        loss_sum, correct = 0.0, 0
        for start in range(0, len(x), 1024):
            scores = self.model(x[start:start + 1024])
            target = y[start:start + 1024]
            loss_sum += self.loss_fn(scores, target).item() * len(target)
            if self.correct is not None:
                correct += int(self.correct(scores, target))
        metrics = {"val_loss": loss_sum / len(x)}
        if self.correct is not None:
            labels = int((y != IGNORE_LABEL).sum()) if self.tagging else y[0].numel() * len(y)
            metrics["val_accuracy"] = correct / labels
        return metrics


class _LanguageModelEpochs:
    """Truncated BPTT over parallel token streams, carrying the hidden state across windows."""

    def __init__(self, model, data, config, loss_fn, device):
        self.model = model
        self.loss_fn = loss_fn
        self.bptt = config.bptt
        train = _as_tensor(data.train_ids, "train_ids").long().reshape(-1)
        val = getattr(data, "val_ids", None)
        val = _as_tensor(val, "val_ids").long().reshape(-1) if val is not None else None
        vocab = model.output_shapes[-1][-1]
        for name, ids in (("train_ids", train), ("val_ids", val)):
            if ids is not None and len(ids) and (ids.min() < 0 or ids.max() >= vocab):
                raise DataError(f"{name} holds ids outside the model's vocabulary ({vocab})")
        batch_size = config.batch_size or 1
        if len(train) < 2 * batch_size:
            raise DataError(f"{len(train)} training tokens are too few for batch {batch_size}")
        self.train = torch.from_numpy(batchify(train.numpy(), batch_size)).to(device)
        self.val = None
        if val is not None and len(val) > 1:
            val_batch = max(1, min(batch_size, (len(val) - 1) // 2))
            self.val = torch.from_numpy(batchify(val.numpy(), val_batch)).to(device)
        self.n_train = self.train.numel()
        self.n_val = 0 if self.val is None else self.val.numel()
        self.n_batches = math.ceil((self.train.shape[1] - 1) / self.bptt)
        self.steps_per_epoch = config.steps_per_epoch
        if self.steps_per_epoch:
            self.n_batches = self.steps_per_epoch
        self.val_correct = make_correct_counter("language_model", "categorical_crossentropy",
                                                model)
        # Training accuracy with an adaptive softmax would need its full softmax every batch.
        self.correct = None if model.head == "adaptive_softmax" else self.val_correct
        self.state = None
        self._stream = None

    def windows(self, data: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        return bptt_windows(data, self.bptt)  # slices of the tensor: no copies

    def batches(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        if not self.steps_per_epoch:
            self.state = None  # each pass over the text starts the streams afresh
            yield from self.windows(self.train)
            return
        for _ in range(self.steps_per_epoch):
            window = next(self._stream, None) if self._stream is not None else None
            if window is None:  # the text is used up: start it again
                self._stream, self.state = iter(self.windows(self.train)), None
                window = next(self._stream)
            yield window

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scores, state = self.model.forward_stateful(x, self.state)
        self.state = detach_state(state)
        return scores

    def weight(self, yb: torch.Tensor) -> int:
        return yb.numel()

    def label_count(self, tokens: int) -> int:
        return tokens

    @torch.no_grad()
    def validate(self) -> dict[str, float]:
        if self.val is None:
            return {}
        self.model.eval()
        state, loss_sum, correct, count = None, 0.0, 0, 0
        for x, y in self.windows(self.val):
            scores, state = self.model.forward_stateful(x, state)
            loss_sum += self.loss_fn(scores, y).item() * y.numel()
            correct += int(self.val_correct(scores, y))
            count += y.numel()
        loss = loss_sum / count
        return {"val_loss": loss, "val_accuracy": correct / count,
                "val_perplexity": math.exp(min(loss, 700.0))}


@torch.no_grad()
def predict(model: SequentialModel, x: Any, batch_size: int = 1024) -> np.ndarray:
    """The model's outputs (after its output activation) for inputs x, as a numpy array."""
    tensor = _as_tensor(x, "x")
    tensor = tensor.long() if model.takes_token_ids else tensor.float()
    device = next(model.parameters()).device
    parts = [model.predict(tensor[i:i + batch_size].to(device)).cpu()
             for i in range(0, len(tensor), batch_size)]
    return torch.cat(parts).numpy()
