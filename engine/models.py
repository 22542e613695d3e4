"""Torch modules built from a parsed model spec (see :mod:`engine.layers`).

``build_model(spec, input_shape)`` returns a :class:`SequentialModel`. Its ``forward`` returns
*scores*: everything except the activation of the output layer when that activation is
sigmoid, softmax or step, because the losses work on logits for numerical stability;
``predict`` applies it. Recurrent layers use the fused ``nn.RNN``/``nn.LSTM``/``nn.GRU`` kernels
(fast, and they release the GIL) with Keras' initialisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from hafiza.engine.activations import activation_function
from hafiza.engine.bag_layers import EmbeddingBagLayer, NBSVMLayer, ngram_features  # noqa: F401
from hafiza.engine.layers import RECURRENT_TYPES, ModelSpecError, parse_spec
from hafiza.words import _

__all__ = ["SequentialModel", "build_model", "HEAD_ACTIVATIONS", "activation_function"]

# Output activations folded into the loss (the model's forward returns their input).
HEAD_ACTIVATIONS = ("sigmoid", "softmax", "step")
# Shapes leave out the batch; None is a length not known until data arrives.
Shape = tuple[int | None, ...]


class DenseLayer(nn.Module):
    """Keras Dense: works on the last axis, so it is also TimeDistributed on sequences."""

    def __init__(self, in_features: int, units: int, activation: str):
        super().__init__()
        self.linear = nn.Linear(in_features, units)
        self.activation = activation
        self.apply_activation = True  # False for the output layer: see HEAD_ACTIVATIONS
        self._fn = activation_function(activation)
        nn.init.xavier_uniform_(self.linear.weight)  # Keras glorot_uniform
        nn.init.zeros_(self.linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.linear(x)
        return self._fn(x) if self.apply_activation else x


class RecurrentLayer(nn.Module):
    """One SimpleRNN/LSTM/GRU layer (optionally bidirectional) over batch-first sequences.

    Returns every step's output with ``return_sequences``, else the last hidden state (both
    directions' final states when bidirectional, as Keras does).
    """

    def __init__(self, kind: str, in_features: int, units: int, return_sequences: bool,
                 bidirectional: bool, activation: str = "tanh"):
        super().__init__()
        self.kind = kind
        self.units = units
        self.return_sequences = return_sequences
        self.bidirectional = bidirectional
        if kind == "LSTM":
            self.rnn = nn.LSTM(in_features, units, batch_first=True, bidirectional=bidirectional)
        elif kind == "GRU":
            self.rnn = nn.GRU(in_features, units, batch_first=True, bidirectional=bidirectional)
        else:
            self.rnn = nn.RNN(in_features, units, nonlinearity=activation, batch_first=True,
                              bidirectional=bidirectional)
        self._keras_init()

    def _keras_init(self) -> None:
        # Keras: glorot_uniform on the whole input kernel, orthogonal recurrent kernel, zero
        # bias, forget-gate bias 1 for LSTM. Measured: IMDB LSTM 67% -> 86% after one epoch.
        gates = {"LSTM": 4, "GRU": 3}.get(self.kind, 1)
        u = self.units
        for suffix in ([""] + (["_reverse"] if self.bidirectional else [])):
            nn.init.xavier_uniform_(getattr(self.rnn, f"weight_ih_l0{suffix}"))
            nn.init.orthogonal_(getattr(self.rnn, f"weight_hh_l0{suffix}"))
            bias_ih = getattr(self.rnn, f"bias_ih_l0{suffix}")
            nn.init.zeros_(bias_ih)
            if self.kind == "LSTM":
                with torch.no_grad():
                    bias_ih[u:2 * u] = 1.0  # PyTorch gate order: input, forget, cell, output
            if self.kind == "GRU":
                # PyTorch's GRU is Keras' reset_after=True GRU, which also has two biases.
                nn.init.zeros_(getattr(self.rnn, f"bias_hh_l0{suffix}"))
                continue
            # LSTM and SimpleRNN add b_ih + b_hh, one redundant bias vector. Keras has one, so
            # the recurrent bias becomes a constant zero buffer: parameter counts match Keras
            # (LSTM(10) on 1 feature: 4*10*(1+10+1) = 480) and the fused kernel still runs.
            name = f"bias_hh_l0{suffix}"
            del self.rnn._parameters[name]
            self.rnn.register_buffer(name, torch.zeros(gates * u))
        self.rnn._init_flat_weights()

    @property
    def out_features(self) -> int:
        return self.units * (2 if self.bidirectional else 1)

    def forward(self, x: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        outputs, new_state = self.rnn(x, state)
        if self.return_sequences:
            return outputs, new_state
        h_n = new_state[0] if self.kind == "LSTM" else new_state
        last = torch.cat([h_n[0], h_n[1]], dim=-1) if self.bidirectional else h_n[0]
        return last, new_state


class Embedding(nn.Embedding):
    def __init__(self, input_dim: int, output_dim: int):
        super().__init__(input_dim, output_dim)
        nn.init.uniform_(self.weight, -0.05, 0.05)  # Keras Embedding default

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return super().forward(ids.long())


# Layers that read token ids: first in a model, input (time steps,).
TOKEN_ID_LAYERS = ("Embedding", "EmbeddingBag", "NBSVM")
POOLING_MODES = {"GlobalMaxPool": "max", "GlobalMeanPool": "mean", "LastStep": "last"}


class GlobalPool(nn.Module):
    def __init__(self, mode: str):
        super().__init__()
        self.mode = mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mode == "last":  # the last time step: what return_sequences=False keeps
            return x[:, -1]
        return x.amax(dim=1) if self.mode == "max" else x.mean(dim=1)


class AdaptiveSoftmaxLayer(nn.Module):
    """Keeps the features: the loss and the probabilities come from ``head`` (see
    SequentialModel.log_probabilities), so the full vocabulary softmax is never computed in
    training. Word ids must be sorted by frequency (engine.text.Vocabulary does that)."""

    def __init__(self, in_features: int, units: int, cutoffs: list[int] | None):
        super().__init__()
        if cutoffs is None:  # about the 20% most frequent words in the first softmax
            cutoffs = [c for c in (units // 5, units // 2) if 0 < c < units]
        if not cutoffs or cutoffs[-1] >= units:
            raise ModelSpecError(_("AdaptiveSoftmax cutoffs must lie below units ({units})")
                                 .format(units=units))
        # Each rarer cluster gets features / div_value**i dimensions; keep them at least 1.
        div_value = 4.0
        while div_value > 1 and in_features // div_value ** len(cutoffs) < 1:
            div_value /= 2
        self.head = nn.AdaptiveLogSoftmaxWithLoss(in_features, units, cutoffs,
                                                  div_value=div_value)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class SequentialModel(nn.Module):
    """Layers applied in order; knows its spec, shapes and output activation."""

    def __init__(self, layers: list[nn.Module], spec: list[dict], names: list[str],
                 input_shape: Shape, shapes: list[Shape]):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.spec = spec
        self.layer_names = names
        self.input_shape = input_shape
        self.output_shapes = shapes
        self._recurrent = [isinstance(layer, RecurrentLayer) for layer in layers]
        last = layers[-1]
        self.head = "linear"
        if isinstance(last, (DenseLayer, NBSVMLayer)) and last.activation in HEAD_ACTIVATIONS:
            self.head = last.activation
            last.apply_activation = False
        if isinstance(last, AdaptiveSoftmaxLayer):
            self.head = "adaptive_softmax"  # forward returns features, not scores

    @property
    def takes_token_ids(self) -> bool:
        return isinstance(self.layers[0], (Embedding, EmbeddingBagLayer, NBSVMLayer))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scores: the output before the head activation (logits for sigmoid/softmax)."""
        for layer, recurrent in zip(self.layers, self._recurrent, strict=True):
            x = layer(x)[0] if recurrent else layer(x)
        return x

    def forward_stateful(self, x: torch.Tensor, state: list | None = None) -> tuple[Any, list]:
        """Like forward, carrying each recurrent layer's state (truncated BPTT, generation)."""
        state = list(state) if state is not None else [None] * len(self.layers)
        for index, (layer, recurrent) in enumerate(zip(self.layers, self._recurrent,
                                                       strict=True)):
            if recurrent:
                x, state[index] = layer(x, state[index])
            else:
                x = layer(x)
        return x, state

    def activate(self, scores: torch.Tensor) -> torch.Tensor:
        """Apply the output activation to scores (what the learner's model outputs)."""
        if self.head == "adaptive_softmax":
            return self.log_probabilities(scores).exp()
        return activation_function(self.head)(scores)

    def log_probabilities(self, scores: torch.Tensor) -> torch.Tensor:
        """log P(class) over the last axis, for softmax-like outputs."""
        if self.head != "adaptive_softmax":
            return torch.log_softmax(scores, dim=-1)
        flat = scores.reshape(-1, scores.shape[-1])
        return self.layers[-1].head.log_prob(flat).reshape(*scores.shape[:-1], -1)

    @torch.no_grad()
    def predict(self, x: torch.Tensor) -> torch.Tensor:
        was_training = self.training
        self.eval()
        try:
            return self.activate(self(x))
        finally:
            self.train(was_training)


def detach_state(state: list) -> list:
    """Cut the graph between truncated-BPTT windows, keep the values."""
    out = []
    for item in state:
        if item is None:
            out.append(None)
        elif isinstance(item, tuple):
            out.append(tuple(t.detach() for t in item))
        else:
            out.append(item.detach())
    return out


def _normalise_input_shape(input_shape: Any, first: dict) -> Shape:
    if input_shape is None:
        if first["type"] in TOKEN_ID_LAYERS:
            return (None,)  # token ids of any length
        raise ModelSpecError(_("input_shape is needed unless the first layer reads token ids "
                               "({layers})").format(layers="Embedding, EmbeddingBag, NBSVM"))
    if isinstance(input_shape, int) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if not isinstance(input_shape, (list, tuple)) or not input_shape:
        raise ModelSpecError(_("input_shape is a list like {example} (time steps, features)")
                             .format(example="[1, 1]"))
    for size in input_shape:
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            raise ModelSpecError(_("input_shape sizes are positive whole numbers or None"))
    return tuple(input_shape)


def build_model(spec: Sequence[Any], input_shape: Any = None,
                variables: dict[str, Any] | None = None) -> SequentialModel:
    """Spec (layer strings/dicts) + input shape without the batch -> a torch module.

    Raises ModelSpecError when the layers do not fit together (e.g. an LSTM after a Dense on
    flat features). Seed torch before calling for reproducible weights.
    """
    parsed = parse_spec(spec, variables)
    shape = input_shape = _normalise_input_shape(input_shape, parsed[0])
    layers, names, shapes, counts = [], [], [], {}
    embedding = None
    for position, layer_spec in enumerate(parsed, start=1):
        try:
            module, shape = _build_layer(layer_spec, shape, position == 1)
        except ModelSpecError as error:
            raise error.at_layer(position, layer_spec["type"]) from None
        if isinstance(module, Embedding) and embedding is None:
            embedding = module
        if layer_spec.get("tied"):
            _tie(module, embedding)
        base = _snake(layer_spec)
        names.append(base if base not in counts else f"{base}_{counts[base]}")
        counts[base] = counts.get(base, 0) + 1
        layers.append(module)
        shapes.append(shape)
    return SequentialModel(layers, parsed, names, input_shape, shapes)


def _tie(dense: nn.Module, embedding: Embedding | None) -> None:
    # Weight tying (Press & Wolf 2017): the output layer reuses the embedding table.
    if embedding is None:
        raise ModelSpecError(_("tied=True needs an Embedding earlier in the model"))
    linear = dense.linear
    if linear.weight.shape != embedding.weight.shape:
        raise ModelSpecError(_(
            "tied=True needs units = vocabulary ({vocabulary}) and an input of the embedding "
            "size ({size}); got {shape}").format(vocabulary=embedding.num_embeddings,
                                                 size=embedding.embedding_dim,
                                                 shape=tuple(linear.weight.shape)))
    linear.weight = embedding.weight


def _snake(layer_spec: dict) -> str:
    # Keras' default layer names: lstm, lstm_1, simple_rnn, time_distributed, ...
    name = layer_spec["type"]
    return {"SimpleRNN": "simple_rnn", "EmbeddingBag": "embedding_bag",
            "GlobalMaxPool": "global_max_pool", "GlobalMeanPool": "global_mean_pool",
            "LastStep": "last_step",
            "TimeDistributed": "time_distributed", "AdaptiveSoftmax": "adaptive_softmax",
            }.get(name, name.lower())


def _build_layer(spec: dict, shape: Shape, first: bool) -> tuple[nn.Module, Shape]:
    kind = spec["type"]
    if kind in TOKEN_ID_LAYERS:
        if not first:
            raise ModelSpecError(_("NBSVM must be the first layer (it reads token ids)")
                                 if kind == "NBSVM" else
                                 _("an embedding must be the first layer (it reads token ids)"))
        if len(shape) != 1:
            raise ModelSpecError(_("{layer} reads token ids: input_shape is {shape}").format(
                layer="NBSVM", shape="(time steps,)") if kind == "NBSVM" else
                _("an embedding reads token ids: input_shape is {shape}").format(
                    shape="(time steps,)"))
        if kind == "NBSVM":
            module = NBSVMLayer(spec["input_dim"], spec["ngrams"], spec["buckets"],
                                spec["min_count"], spec["activation"])
            return module, (1,)
        if kind == "Embedding":
            return Embedding(spec["input_dim"], spec["output_dim"]), (shape[0], spec["output_dim"])
        module = EmbeddingBagLayer(spec["input_dim"], spec["output_dim"], spec["bigrams"],
                                   spec["buckets"])
        return module, (spec["output_dim"],)
    features = shape[-1]
    if features is None:
        raise ModelSpecError(_("the number of features (last input size) must be known"))
    if kind in RECURRENT_TYPES or kind == "Bidirectional":
        inner = spec["layer"] if kind == "Bidirectional" else spec
        if len(shape) != 2:
            raise ModelSpecError(_(
                "a recurrent layer reads sequences shaped (time steps, features); it got "
                "{shape} (add return_sequences=True to the layer before?)").format(
                    shape=_show(shape)))
        module = RecurrentLayer(inner["type"], features, inner["units"],
                                inner["return_sequences"], kind == "Bidirectional",
                                inner.get("activation", "tanh"))
        out = module.out_features
        return module, ((shape[0], out) if inner["return_sequences"] else (out,))
    if kind in ("Dense", "TimeDistributed"):
        inner = spec["layer"] if kind == "TimeDistributed" else spec
        if kind == "TimeDistributed" and len(shape) != 2:
            raise ModelSpecError(_("TimeDistributed needs a sequence input, got {shape}")
                                 .format(shape=_show(shape)))
        module = DenseLayer(features, inner["units"], inner["activation"])
        return module, shape[:-1] + (inner["units"],)
    if kind == "Dropout":
        return nn.Dropout(spec["rate"]), shape
    if kind == "AdaptiveSoftmax":
        return AdaptiveSoftmaxLayer(features, spec["units"], spec["cutoffs"]), \
            shape[:-1] + (spec["units"],)
    if kind in POOLING_MODES:
        if len(shape) != 2:
            raise ModelSpecError(_("pooling over time needs a sequence input, got {shape}")
                                 .format(shape=_show(shape)))
        return GlobalPool(POOLING_MODES[kind]), (features,)
    raise ModelSpecError(_("cannot build {layer}").format(layer=kind))


def _show(shape: Shape) -> str:
    return "(" + ", ".join(["None"] + ["None" if s is None else str(s) for s in shape]) + ")"

