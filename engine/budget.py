"""What a run will cost, reckoned from its settings before anything is built.

A lesson, a pack or a progress import can ask for sizes that multiply into more memory
than the computer has (LSTM(10000000), a million windows of ten thousand steps): built,
they end in a MemoryError or an allocator's abort. These estimates come from the settings
alone (no torch, no arrays), are deliberately generous to the model, and are compared with
``memory_budget()``, a share of the memory the machine has free now. The estimates:

- ``data_bytes``: a generated data set's arrays, from n_samples and its steps;
- ``spec_costs``: each layer's parameters and the numbers it outputs per sample, following
  the shapes as ``engine.models.build_model`` will (torch's sizes for the fused cells);
- ``run_bytes``: parameters (weights, gradients, two Adam moments) plus the activations
  kept for backpropagation of one batch.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from hafiza.engine.layers import MAX_SIZE, RECURRENT_TYPES, ModelSpecError, parse_spec
from hafiza.engine.refusals import MEMORY, ExerciseError
from hafiza.words import _

# Share of the memory available now that one run may plan to use: the app, the window and
# the other programs keep the rest.
MEMORY_SHARE = 0.6
# When the system does not say how much memory it has (or says very little), plan with this.
FALLBACK_MEMORY = 2 << 30
LEAST_BUDGET = 256 << 20
# Bytes per parameter while training: the weight, its gradient, Adam's two moments.
BYTES_PER_PARAMETER = 16
FLOAT_BYTES = 4
# A generated set is drawn in float64, cast to float32 and shuffled by copy: about 6 floats
# of 4 bytes per number it ends with.
DATA_COPIES = 6
# Numbers kept per output number for backpropagation: the output and its gradient; a
# recurrent cell also keeps its gates and cell state at every step.
KEPT_PER_OUTPUT = 2
RECURRENT_GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}
# Sizes of data sets no setting of theirs changes (seq003: a handful of samples).
DEFAULT_BATCH = 32
DEFAULT_BPTT = 35


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _read_number(path: str) -> int | None:
    try:
        with open(path, encoding="ascii") as file:
            text = file.read().strip()
    except (OSError, ValueError):
        return None
    return int(text) if text.isdigit() else None  # "max": no limit


def _cgroup_room() -> int | None:
    """What the process's control group (a container, a systemd slice) still allows."""
    for limit, usage in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                         ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                          "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        cap, used = _read_number(limit), _read_number(usage)
        if cap is not None and cap < 1 << 60:
            return max(0, cap - (used or 0))
    return None


def _rlimit_room() -> int | None:
    """What the address-space limit (ulimit -v) leaves above what the process maps now."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, AttributeError):
        return None
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    mapped = 0
    try:
        with open("/proc/self/status", encoding="ascii") as file:
            for line in file:
                if line.startswith("VmSize:"):
                    mapped = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return max(0, soft - mapped)


def available_memory() -> int:
    """Bytes of memory free for a new run now: the least of Linux's MemAvailable, the
    control group's room and the address-space limit's room; elsewhere the physical
    memory's half where the system tells it (macOS), else FALLBACK_MEMORY."""
    if sys.platform.startswith("linux"):
        found = [room for room in (_meminfo_available(), _cgroup_room(), _rlimit_room())
                 if room is not None]
        if found:
            return min(found)
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and page_size > 0:
            return min(pages * page_size // 2, _rlimit_room() or 1 << 62)
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        pass
    return FALLBACK_MEMORY


def memory_budget() -> int:
    """Bytes one run may plan to use."""
    available = available_memory()
    # A machine short of memory still runs the small exercises: up to LEAST_BUDGET of what
    # is free may be planned, even past the share.
    return max(min(LEAST_BUDGET, available), int(available * MEMORY_SHARE))


def show_bytes(count: float) -> str:
    """1536 -> "1.5 KB", for the messages of the command line and the logs."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if count < 1024 or unit == "TB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError


# --- data ------------------------------------------------------------------------------------

class Cost(NamedTuple):
    """What a part of a run costs and the setting that sets it."""

    bytes: int
    setting: str  # as a control names it: dataset.n_samples, model.2, batch_size
    value: Any


def data_bytes(defaults: dict[str, Any], params: dict[str, Any]) -> Cost:
    """A generated array set's memory from its settings (``defaults``: its generator's own
    defaults). Time series and sequences hold n_samples x steps numbers, the 2-D sets two
    per sample."""
    settings = {**defaults, **params}
    samples = settings.get("n_samples")
    if not isinstance(samples, (int, float)) or isinstance(samples, bool):
        return Cost(0, "dataset.n_samples", samples)
    steps = next((settings[name] for name in ("window", "seq_len") if name in settings), None)
    per_sample = steps if isinstance(steps, (int, float)) and not isinstance(steps, bool) \
        else 2
    total = int(samples * (per_sample + 1) * FLOAT_BYTES * DATA_COPIES)
    bigger = "dataset.n_samples"
    if steps is not None and per_sample > samples:
        bigger = "dataset.window" if "window" in settings else "dataset.seq_len"
    return Cost(total, bigger, settings[bigger.split(".", 1)[1]])


# --- the model -------------------------------------------------------------------------------

class LayerCost(NamedTuple):
    parameters: int
    kept_per_sample: int  # numbers kept for backpropagation, per sample of a batch


def _size(value: Any, steps: int) -> int:
    return steps if value is None else int(value)


def spec_costs(spec: Sequence[Any], input_shape: Sequence[int | None] | None,
               variables: dict[str, Any] | None, steps: int) -> list[LayerCost]:
    """Each layer's parameters and kept numbers per sample; ``steps`` stands for a length
    the input shape leaves open (token ids). Raises ModelSpecError for a spec that does not
    parse; shapes that do not fit are left for the model builder to say."""
    layers = parse_spec(spec, variables)
    shape = [_size(s, steps) for s in (input_shape or [steps])]
    costs = []
    for layer in layers:
        parameters, shape, kept = _layer_cost(layer, shape)
        costs.append(LayerCost(parameters, kept))
    return costs


def _layer_cost(layer: dict, shape: list[int]) -> tuple[int, list[int], int]:
    """(parameters, output shape, numbers kept per sample) of one parsed layer."""
    kind = layer["type"]
    features = shape[-1] if shape else 1
    time = shape[0] if len(shape) > 1 else 1
    if kind == "Embedding":
        out = [shape[0], layer["output_dim"]]
        return layer["input_dim"] * layer["output_dim"], out, math.prod(out) * KEPT_PER_OUTPUT
    if kind == "EmbeddingBag":
        rows = layer["input_dim"]
        if layer["bigrams"]:
            rows += layer["buckets"] or 4 * layer["input_dim"]
        return rows * layer["output_dim"], [layer["output_dim"]], \
            (shape[0] * 2 + layer["output_dim"]) * KEPT_PER_OUTPUT
    if kind == "NBSVM":
        features_count = layer["input_dim"]
        if layer["ngrams"] > 1:
            features_count += layer["buckets"] or min(16 * layer["input_dim"], MAX_SIZE)
        return features_count + 1, [1], shape[0] * layer["ngrams"] * 3 * KEPT_PER_OUTPUT
    if kind in RECURRENT_TYPES or kind == "Bidirectional":
        inner = layer["layer"] if kind == "Bidirectional" else layer
        directions = 2 if kind == "Bidirectional" else 1
        gates = RECURRENT_GATES[inner["type"]]
        units = inner["units"]
        biases = 2 if inner["type"] == "GRU" else 1
        parameters = directions * gates * units * (features + units + biases)
        out = [time, units * directions] if inner["return_sequences"] else [units * directions]
        kept = directions * time * units * (gates + 2) * KEPT_PER_OUTPUT
        return parameters, out, kept
    if kind in ("Dense", "TimeDistributed"):
        units = (layer["layer"] if kind == "TimeDistributed" else layer)["units"]
        out = [*shape[:-1], units]
        return (features + 1) * units, out, math.prod(out) * KEPT_PER_OUTPUT
    if kind == "AdaptiveSoftmax":
        cutoffs = layer["cutoffs"] or [max(1, layer["units"] // 5)]
        # The head alone (the tails are smaller): features x (first cluster + one per tail).
        out = [*shape[:-1], cutoffs[0] + len(cutoffs)]
        return features * (cutoffs[0] + len(cutoffs)), [*shape[:-1], layer["units"]], \
            math.prod(out) * KEPT_PER_OUTPUT
    if kind in ("GlobalMaxPool", "GlobalMeanPool", "LastStep"):
        return 0, [features], features * KEPT_PER_OUTPUT
    return 0, shape, math.prod(shape) * KEPT_PER_OUTPUT  # Dropout keeps its mask


def parameter_count(spec: Sequence[Any], input_shape: Sequence[int | None] | None,
                    variables: dict[str, Any] | None = None) -> int:
    """The parameters a spec builds, as torch counts them, never more: exact for every layer
    but AdaptiveSoftmax, whose head alone is counted (its tails depend on torch's rounding).
    A tied output layer counts the table it shares, as a state dict lists it twice."""
    return sum(cost.parameters for cost in spec_costs(spec, input_shape, variables, 1))


def run_costs(spec: Sequence[Any], input_shape: Sequence[int | None] | None,
              variables: dict[str, Any] | None, batch: int, steps: int,
              spec_texts: Sequence[Any] | None = None) -> tuple[Cost, Cost]:
    """(the parameters' memory, naming the largest layer; the activations of one batch,
    naming batch_size). ``spec_texts`` are the layers as the exercise writes them."""
    costs = spec_costs(spec, input_shape, variables, steps)
    largest = max(range(len(costs)), key=lambda i: costs[i].parameters)
    texts = spec_texts if spec_texts is not None else spec
    parameters = sum(cost.parameters for cost in costs) * BYTES_PER_PARAMETER
    kept = sum(cost.kept_per_sample for cost in costs) * batch * FLOAT_BYTES
    return (Cost(parameters, f"model.{largest}", texts[largest]),
            Cost(kept, "batch_size", batch))


# -- refusals before anything is built ---------------------------------------------------
# What weighs most in a run, each said as a whole sentence (Arabic and Persian order it
# differently): "data", "weights" (the model's, with the rest of the run), "batch".
_BEYOND_BUDGET = {
    "data": lambda: _("{setting} = {value}: the data would need about {needed} of memory; "
                      "this computer can give a run {budget}"),
    "weights": lambda: _("{setting} = {value}: the model's weights (with the rest of the run) "
                         "would need about {needed} of memory; this computer can give a run "
                         "{budget}"),
    "batch": lambda: _("{setting} = {value}: one batch (with the rest of the run) would need "
                       "about {needed} of memory; this computer can give a run {budget}"),
}


def refuse_beyond_budget(cost: Any, what: str, limit: int | None = None) -> None:
    """An ExerciseError when ``cost`` is more than a run may plan for (``limit``, or what
    this machine can give); ``what`` is the part that weighs most, a key of _BEYOND_BUDGET."""
    budget = memory_budget() if limit is None else limit
    if cost.bytes > budget:
        raise ExerciseError(
            _BEYOND_BUDGET[what]().format(setting=cost.setting, value=cost.value,
                                          needed=show_bytes(cost.bytes),
                                          budget=show_bytes(budget)),
            setting=cost.setting, value=cost.value, limit=budget, kind=MEMORY,
            needed=cost.bytes)


def check_data_memory(make: Any, params: dict) -> None:
    import inspect

    defaults = {name: p.default for name, p in inspect.signature(make).parameters.items()
                if p.default is not inspect.Parameter.empty}
    refuse_beyond_budget(data_bytes(defaults, params), "data")


def check_model_memory(ex: dict, data: Any, shape: Any, variables: dict,
                       limit: int | None = None) -> None:
    """Parameters and one batch's activations, reckoned from the spec before it is built,
    against ``limit`` (default: what this machine can give)."""
    hyper = ex["hyperparameters"]
    if ex["task"] == "language_model":
        steps = hyper.get("bptt", DEFAULT_BPTT)
        batch = hyper.get("batch_size") or 1
    else:
        steps = int(getattr(data, "info", {}).get("time_steps") or 1)
        batch = hyper.get("batch_size", DEFAULT_BATCH) or len(data.x_train)
    try:
        parameters, activations = run_costs(ex["model"], shape, variables, batch, steps)
    except ModelSpecError as error:
        raise ExerciseError(_("exercise {id}: {problem}").format(
            id=repr(ex["id"]), problem=f"model: {error}")) from None
    # Both live at once; the refusal names the part that weighs more.
    larger, what = ((parameters, "weights") if parameters.bytes >= activations.bytes
                    else (activations, "batch"))
    refuse_beyond_budget(larger._replace(bytes=parameters.bytes + activations.bytes), what,
                         limit)


# What one run of a lesson's exercise may ask of any learner's computer, whatever this one
# has: a pack whose model needs more (Dense(10000000) on two inputs: 1.3 GB for one batch)
# is refused when it is checked or imported, not when a learner presses Train. `prepare`
# then holds every run to what this machine can give (engine.budget.memory_budget).
LESSON_MEMORY_CEILING = 1 << 30


def check_lesson_ceiling(ex: dict, where: Callable[[str], str],
                         spec_variables: Sequence[str]) -> None:
    """Parameters and one batch against LESSON_MEMORY_CEILING, when the exercise states its
    input shape (otherwise the data set decides it, and `prepare` checks); ``where`` places
    a refusal in its exercise (engine.exercises.in_exercise)."""
    shape = ex.get("input_shape")
    if not shape or any(size is None for size in shape):
        return
    hyper = ex["hyperparameters"]
    steps = hyper.get("bptt", DEFAULT_BPTT) if ex["task"] == "language_model" else 1
    batch = hyper.get("batch_size") or DEFAULT_BATCH
    try:
        parameters, activations = run_costs(ex["model"], shape,
                                            {name: 2 for name in spec_variables}, batch, steps)
    except ModelSpecError as error:
        raise ExerciseError(where(f"model: {error}")) from None
    needed = parameters.bytes + activations.bytes
    if needed > LESSON_MEMORY_CEILING:
        larger = parameters if parameters.bytes >= activations.bytes else activations
        raise ExerciseError(
            where(_("{setting} = {value} would need {needed} of memory; a lesson's exercise "
                    "may ask for at most {ceiling}").format(
                        setting=larger.setting, value=larger.value, needed=show_bytes(needed),
                        ceiling=show_bytes(LESSON_MEMORY_CEILING))),
            setting=larger.setting, value=larger.value, limit=LESSON_MEMORY_CEILING,
            kind=MEMORY, needed=needed)
