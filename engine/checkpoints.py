"""Save and load trained models as plain data.

A checkpoint holds only tensors, strings, numbers, lists and dicts: the weights, the model
spec, the input shape, the vocabulary (as ``Vocabulary.to_dict()``) and the metrics. It is
read with ``torch.load(weights_only=True)``, which refuses pickled objects, so a checkpoint
shared by someone else cannot run code on the learner's machine.
"""

from __future__ import annotations

import pickle
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from hafiza.engine.files import atomic_write, sweep_partial
from hafiza.engine.layers import ModelSpecError
from hafiza.engine.models import SequentialModel, build_model

FORMAT = "hafiza-checkpoint"
VERSION = 1
# The end of a checkpoint being written (``run.pt.<pid>.partial``), renamed when complete.


class CheckpointError(ValueError):
    """A file that is not a usable Hafiza checkpoint."""


@dataclass
class Checkpoint:
    model: SequentialModel
    vocab: dict | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the exercise id


def _plain(value: Any) -> Any:
    """Tuples -> lists and numpy scalars -> Python numbers, so weights_only can read it."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    raise CheckpointError(f"cannot store a {type(value).__name__} in a checkpoint")


def save_checkpoint(path: str | Path, model: SequentialModel, vocab: dict | None = None,
                    metrics: dict[str, float] | None = None,
                    extra: dict[str, Any] | None = None) -> None:
    state = {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "spec": _plain(model.spec),
        "input_shape": _plain(model.input_shape),
        "state_dict": state,
        "vocab": _plain(vocab),
        "metrics": _plain(metrics or {}),
        "extra": _plain(extra or {}),
    }
    # A save cut short (a kill, a full disk) leaves a partial file that sweep_partial_files
    # removes, never a truncated checkpoint under the real name.
    atomic_write(Path(path), lambda file: torch.save(payload, file))


def default_models_folder() -> Path:
    """Where the app keeps trained models (``store.paths.models_dir`` names the same)."""
    from hafiza.paths import data_dir

    return data_dir() / "models"


def sweep_partial_files(folder: Path | None = None) -> int:
    """Removes the checkpoints a kill left half-written in ``folder`` (default: the app's
    models folder); returns how many. Call it at start, before anything saves."""
    return sweep_partial(Path(folder) if folder is not None else default_models_folder())


def _check_spec_fits_weights(spec: Any, input_shape: Any, state: dict) -> None:
    """A spec is refused before its model is built when it asks for more parameters than
    the file's weights hold (they could never fit) or than the machine's memory allows: a
    file from someone else must not make the app allocate terabytes."""
    from hafiza.engine.budget import BYTES_PER_PARAMETER, memory_budget, parameter_count

    if input_shape is not None and not isinstance(input_shape, (list, tuple)):
        raise CheckpointError("the checkpoint's input shape is malformed")
    try:
        wanted = parameter_count(spec, input_shape)
    except (ModelSpecError, TypeError, ValueError) as error:
        raise CheckpointError(f"the checkpoint's model spec is invalid: {error}") from None
    stored = sum(tensor.numel() for tensor in state.values())
    if wanted > stored:
        raise CheckpointError(f"the weights do not fit the model: its spec asks for {wanted:,} "
                              f"parameters, the file holds {stored:,} numbers")
    if wanted * BYTES_PER_PARAMETER > memory_budget():
        raise CheckpointError(f"the model is too large for this computer ({wanted:,} "
                              "parameters)")


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Rebuild the model from the file; raises CheckpointError for anything but a checkpoint
    this version wrote (pickled objects, other files, weights that do not fit the spec)."""
    try:
        with warnings.catch_warnings():  # a foreign pickle protocol warns before it fails
            warnings.simplefilter("ignore", UserWarning)
            payload = torch.load(Path(path), map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, AttributeError,
            ModuleNotFoundError) as error:
        reason = next((line.strip() for line in str(error).splitlines()
                       if "GLOBAL" in line or "Unsupported" in line), type(error).__name__)
        raise CheckpointError(
            f"not a safe Hafiza checkpoint (it holds more than weights and plain data): {reason}"
        ) from None
    except OSError as error:
        raise CheckpointError(f"cannot read {path}: {error}") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError("not a Hafiza checkpoint")
    if payload.get("version") != VERSION:
        raise CheckpointError(f"checkpoint version {payload.get('version')} is not supported")
    state = payload.get("state_dict")
    if not isinstance(state, dict) or not all(isinstance(t, torch.Tensor)
                                              for t in state.values()):
        raise CheckpointError("the checkpoint's weights are missing or malformed")
    input_shape = payload.get("input_shape")
    _check_spec_fits_weights(payload.get("spec"), input_shape, state)
    try:
        model = build_model(payload.get("spec"), tuple(input_shape) if input_shape else None)
    except (ModelSpecError, TypeError) as error:
        raise CheckpointError(f"the checkpoint's model spec is invalid: {error}") from None
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:  # missing keys, extra keys or wrong shapes
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CheckpointError(f"the weights do not fit the model: {first_line}") from None
    vocab = payload.get("vocab")
    metrics = payload.get("metrics") or {}
    extra = payload.get("extra") or {}
    if vocab is not None and not isinstance(vocab, dict):
        raise CheckpointError("the checkpoint's vocabulary is malformed")
    model.eval()
    return Checkpoint(model, vocab, dict(metrics), dict(extra))
