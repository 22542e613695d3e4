"""How data reaches the model during training: arrays checked and moved to the device once,
then one epoch's batches (shuffled arrays, or a language model's BPTT windows).

Kept out of the loop (``engine.train``) so the per-batch path is short to read and to
profile. The data crosses to the device once per run; a shuffled batch is an index into it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from hafiza.engine.data.lm import batchify, bptt_windows, random_windows, windows_per_epoch
from hafiza.engine.models import SequentialModel
from hafiza.engine.objectives import IGNORE_LABEL, make_correct_counter
from hafiza.words import _

# Which part of the data a DataError is about (its ``part``), for code that places it.
INPUT = "input"  # the inputs (x_train, x_val) against the model's first layer
LOSS_LABELS = "loss_labels"  # labels the loss cannot take (class numbers, 0 or 1)
TOO_SHORT = "too_short"  # a text too short for a batch
# Training arrays up to this size are shuffled as a whole copy once per epoch (ArrayEpochs);
# larger ones (IMDB with long reviews) are gathered batch by batch, not held twice.
SHUFFLED_COPY_BYTES = 256 * 1024 * 1024
# None: the labels against the model's output


class DataError(ValueError):
    """The data does not fit the task or the model (reported as Failed("bad_data")); the
    message is in the reader's words, ``part`` says which part of the data (INPUT, ...)."""

    def __init__(self, message: str, *, part: str | None = None) -> None:
        super().__init__(message)
        self.part = part


@dataclass
class _Arrays:
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor | None
    y_val: torch.Tensor | None


def _nbytes(tensor: torch.Tensor) -> int:
    return tensor.numel() * tensor.element_size()


def as_tensor(array: Any, what: str) -> torch.Tensor:
    if isinstance(array, torch.Tensor):
        return array
    try:
        return torch.from_numpy(np.ascontiguousarray(array))
    except (TypeError, ValueError) as error:
        raise DataError(_("{array} is not a numeric array: {error}").format(
            array=what, error=error), part=INPUT if what.startswith("x_") else None) from None


def prepare_arrays(data: Any, model: SequentialModel, task: str, loss: str,
                   device: torch.device) -> _Arrays:
    """Check the arrays against the model and the loss, and put them on the device once."""
    x_val_raw = getattr(data, "x_val", None)
    has_val = x_val_raw is not None and len(x_val_raw) > 0
    out_shape = model.output_shapes[-1]
    tensors = []
    for split in ("train", "val") if has_val else ("train",):
        inputs, labels = f"x_{split}", f"y_{split}"
        x = as_tensor(getattr(data, inputs), inputs)
        y = as_tensor(getattr(data, labels), labels)
        if len(x) == 0 or len(x) != len(y):
            raise DataError(_("{x} has {x_count} samples and {y} has {y_count}").format(
                x=inputs, x_count=len(x), y=labels, y_count=len(y)), part=INPUT)
        expected = model.input_shape
        if x.dim() - 1 != len(expected) or any(
                want is not None and want != got for want, got in zip(expected, x.shape[1:],
                                                                       strict=False)):
            raise DataError(_("{x} samples are shaped {shape}, the model expects {expected}")
                            .format(x=inputs, shape=tuple(x.shape[1:]), expected=expected),
                            part=INPUT)
        if model.takes_token_ids:
            if x.is_floating_point() or x.min() < 0:
                raise DataError(_("{x} must hold token ids (whole numbers >= 0)").format(
                    x=inputs), part=INPUT)
            vocab = model.layers[0].weight.shape[0] if hasattr(model.layers[0], "weight") \
                else model.layers[0].input_dim
            if x.max() >= vocab:
                raise DataError(_("{x} has token id {id} >= vocabulary {vocabulary}").format(
                    x=inputs, id=int(x.max()), vocabulary=vocab), part=INPUT)
            x = x.long()
        else:
            x = x.float()
            if not torch.isfinite(x).all():
                raise DataError(_("{array} contains NaN or infinity").format(array=inputs),
                                part=INPUT)
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
            raise DataError(_("{y} must hold class numbers for categorical cross-entropy")
                            .format(y=f"y_{split}"), part=LOSS_LABELS)
        y = y.long()
        if y.dim() == len(out_shape) + 1 and y.shape[-1] == 1:  # (N, 1) labels
            y = y.squeeze(-1)
        if y.dim() != len(out_shape):
            raise DataError(_("{y} is shaped {shape}; the model outputs {output} per sample")
                            .format(y=f"y_{split}", shape=tuple(y.shape), output=out_shape))
        real = y[y != IGNORE_LABEL]
        if len(real) and (real.min() < 0 or real.max() >= units):
            raise DataError(_("{y} has class {label}, the model has {units}").format(
                y=f"y_{split}", label=int(real.max()), units=units))
        return y
    y = y.float()
    if y.dim() == 1:
        y = y.unsqueeze(-1)
    if tuple(y.shape[1:]) != tuple(out_shape):
        raise DataError(_("{y} samples are shaped {shape}, the model outputs {output}").format(
            y=f"y_{split}", shape=tuple(y.shape[1:]), output=out_shape))
    if not torch.isfinite(y).all():
        raise DataError(_("{array} contains NaN or infinity").format(array=f"y_{split}"))
    if loss in ("binary_crossentropy", "perceptron") and ((y != 0) & (y != 1)).any():
        raise DataError(_("{y} must be 0 or 1 for {loss}").format(y=f"y_{split}", loss=loss),
                        part=LOSS_LABELS)
    return y




class ArrayEpochs:
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
            if _nbytes(x) + _nbytes(y) <= SHUFFLED_COPY_BYTES:
                # One gather per epoch, then slices (views): the same batches as gathering
                # each batch, without two indexing calls per batch (measured: 4% of a small
                # MLP's epoch, bench/engine_loop.py).
                x, y = x[order], y[order]
            else:
                for start in range(0, self.n_train, size):
                    index = order[start:start + size]
                    yield x[index], y[index]
                return
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
                correct += self.correct.count(scores, target)
        metrics = {"val_loss": loss_sum / len(x)}
        if self.correct is not None:
            labels = int((y != IGNORE_LABEL).sum()) if self.tagging else y[0].numel() * len(y)
            metrics["val_accuracy"] = correct / labels
        return metrics


class LanguageModelEpochs:
    """Windows of ``bptt`` tokens at random offsets, each from a zero hidden state, so the
    model learns to predict after a short prompt as the playground asks it to (the reasons:
    engine.data.lm's docstring); validation reads the text in order, carrying the state."""

    def __init__(self, model, data, config, loss_fn, device):
        self.model = model
        self.loss_fn = loss_fn
        self.bptt = config.bptt
        train = as_tensor(data.train_ids, "train_ids").long().reshape(-1)
        val = getattr(data, "val_ids", None)
        val = as_tensor(val, "val_ids").long().reshape(-1) if val is not None else None
        vocab = model.output_shapes[-1][-1]
        for name, ids in (("train_ids", train), ("val_ids", val)):
            if ids is not None and len(ids) and (ids.min() < 0 or ids.max() >= vocab):
                raise DataError(_("{ids} holds ids outside the model's vocabulary "
                                  "({vocabulary})").format(ids=name, vocabulary=vocab))
        self.batch_size = config.batch_size or 1
        if len(train) < 2 * self.batch_size:
            raise DataError(_("{count} training tokens are too few for batch {batch}").format(
                count=len(train), batch=self.batch_size), part=TOO_SHORT)
        self.train = train.to(device)
        self.val = None
        if val is not None and len(val) > 1:
            val_batch = max(1, min(self.batch_size, (len(val) - 1) // 2))
            self.val = torch.from_numpy(batchify(val.numpy(), val_batch)).to(device)
        self.n_train = self.train.numel()
        self.n_val = 0 if self.val is None else self.val.numel()
        self.n_batches = config.steps_per_epoch or windows_per_epoch(
            self.n_train, self.batch_size, self.bptt)
        # The offsets come from the run's seed: the same settings train the same model.
        self.generator = torch.Generator(device="cpu")
        self.generator.manual_seed(0 if config.seed is None else config.seed)
        self.val_correct = make_correct_counter("language_model", "categorical_crossentropy",
                                                model)
        # Training accuracy with an adaptive softmax would need its full softmax every batch.
        self.correct = None if model.head == "adaptive_softmax" else self.val_correct

    def windows(self, data: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        return bptt_windows(data, self.bptt)  # slices of the tensor: no copies

    def batches(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        yield from random_windows(self.train, self.batch_size, self.bptt, self.n_batches,
                                  self.generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scores, _state = self.model.forward_stateful(x)  # a zero state for every window
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
            correct += self.val_correct.count(scores, y)
            count += y.numel()
        loss = loss_sum / count
        return {"val_loss": loss, "val_accuracy": correct / count,
                "val_perplexity": math.exp(min(loss, 700.0))}


