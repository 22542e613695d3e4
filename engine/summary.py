"""A Keras-style ``model.summary()``: layer, output shape and parameter count per layer.

Counts match Keras for the same layers (see the bias note in ``engine.models``). A weight
shared by two layers (tied embeddings) is counted once, in the first layer that has it. A
layer's buffers named in its ``non_trainable_buffers`` (NBSVM's naive-Bayes ratios) count as
non-trainable parameters, as Keras counts a layer's non-trainable weights.
"""

from __future__ import annotations

from dataclasses import dataclass

from hafiza.engine.models import SequentialModel


@dataclass(frozen=True)
class SummaryRow:
    name: str
    layer_type: str
    output_shape: tuple  # with None for the batch and unknown lengths, as Keras prints it
    params: int


@dataclass(frozen=True)
class ModelSummary:
    rows: list[SummaryRow]
    total: int
    trainable: int
    non_trainable: int


def summarize(model: SequentialModel) -> ModelSummary:
    seen: set[int] = set()
    rows = []
    trainable = non_trainable = 0
    for name, spec, shape, layer in zip(model.layer_names, model.spec, model.output_shapes,
                                        model.layers, strict=True):
        count = 0
        for parameter in layer.parameters():
            if id(parameter) in seen:
                continue
            seen.add(id(parameter))
            count += parameter.numel()
            if parameter.requires_grad:
                trainable += parameter.numel()
            else:
                non_trainable += parameter.numel()
        for module in layer.modules():  # weights computed from the data, not learned
            for buffer_name in getattr(module, "non_trainable_buffers", ()):
                size = getattr(module, buffer_name).numel()
                count += size
                non_trainable += size
        rows.append(SummaryRow(name, _type_label(spec), (None, *shape), count))
    return ModelSummary(rows, trainable + non_trainable, trainable, non_trainable)


def _type_label(spec: dict) -> str:
    if spec["type"] in ("Bidirectional", "TimeDistributed"):
        return f"{spec['type']}({spec['layer']['type']})"
    return spec["type"]


def _bytes(count: int) -> str:
    size = count * 4.0  # float32
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    raise AssertionError


def format_summary(summary: ModelSummary) -> str:
    """The table as plain text, for the command line and the log view."""
    header = ("Layer (type)", "Output Shape", "Param #")
    lines = [(f"{row.name} ({row.layer_type})",
              "(" + ", ".join("None" if s is None else str(s) for s in row.output_shape)
              + ("," if len(row.output_shape) == 1 else "") + ")",
              f"{row.params:,}") for row in summary.rows]
    widths = [max(len(header[i]), *(len(line[i]) for line in lines)) + 2 for i in range(3)]
    rule = "-" * sum(widths)

    def fmt(cells: tuple[str, str, str]) -> str:
        return cells[0].ljust(widths[0]) + cells[1].ljust(widths[1]) + cells[2].rjust(widths[2])

    out = [rule, fmt(header), "=" * sum(widths)]
    out += [fmt(line) for line in lines]
    out += [rule,
            f"Total params: {summary.total:,} ({_bytes(summary.total)})",
            f"Trainable params: {summary.trainable:,} ({_bytes(summary.trainable)})",
            f"Non-trainable params: {summary.non_trainable:,} ({_bytes(summary.non_trainable)})",
            rule]
    return "\n".join(out)
