"""The declarative model spec: layer strings or dicts -> validated plain dicts.

A lesson writes its model like a Keras Sequential list::

    ["Embedding(10000, 32)", "LSTM(64, return_sequences=True)", "GlobalMaxPool",
     "Dense(1, sigmoid)"]

or as dicts (``{"type": "LSTM", "units": 64}``). Lesson files are untrusted, so strings are
read with :mod:`ast` and only literals, bare names and nested layer calls are accepted; nothing
is ever evaluated. This module does not import torch, so the lesson checker can use it.
Its messages are in the reader's words (hafiza.words); code reads the error's attributes.
"""

from __future__ import annotations

import ast
from typing import Any

from hafiza.words import _

__all__ = ["ModelSpecError", "ACTIVATIONS", "LAYER_TYPES", "POOLING_TYPES", "RECURRENT_TYPES",
           "parse_layer", "parse_spec"]


# What a ModelSpecError is about, for code that acts on it (the checker's hints).
UNKNOWN_TYPE = "unknown_type"  # the layer's type is not one of LAYER_TYPES


class ModelSpecError(ValueError):
    """A model spec that cannot be built; the message names the layer and the problem.

    ``layer`` is the position (from 1) of the layer the message names, when it names one;
    ``kind`` is UNKNOWN_TYPE for a type that does not exist, else None."""

    def __init__(self, message: str, *, layer: int | None = None,
                 kind: str | None = None) -> None:
        super().__init__(message)
        self.layer = layer
        self.kind = kind

    def at_layer(self, position: int, name: str) -> ModelSpecError:
        """The same error, said of layer ``position`` written as ``name``."""
        return ModelSpecError(_("layer {number} ({layer}): {problem}").format(
            number=position, layer=name, problem=self), layer=position, kind=self.kind)


# Canonical activation names and the spellings lessons may use for them.
ACTIVATIONS = ("step", "relu", "sigmoid", "tanh", "linear", "softmax")
_ACTIVATION_ALIASES = {
    "binary_step": "step", "heaviside": "step", "sign": "step",
    "identity": "linear", "none": "linear", "logistic": "sigmoid",
}

_REQUIRED = object()
# type -> ordered (parameter, kind, default); positional arguments follow this order.
LAYER_TYPES: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "Dense": (("units", "count", _REQUIRED), ("activation", "activation", "linear"),
              ("tied", "bool", False)),
    "SimpleRNN": (("units", "count", _REQUIRED), ("return_sequences", "bool", False),
                  ("activation", "rnn_activation", "tanh")),
    "LSTM": (("units", "count", _REQUIRED), ("return_sequences", "bool", False)),
    "GRU": (("units", "count", _REQUIRED), ("return_sequences", "bool", False)),
    "Bidirectional": (("layer", "recurrent_layer", _REQUIRED),),
    "TimeDistributed": (("layer", "dense_layer", _REQUIRED),),
    "Embedding": (("input_dim", "count", _REQUIRED), ("output_dim", "count", _REQUIRED)),
    "EmbeddingBag": (("input_dim", "count", _REQUIRED), ("output_dim", "count", _REQUIRED),
                     ("bigrams", "bool", False), ("buckets", "count_or_none", None)),
    # NBSVM (Wang & Manning 2012): a whole linear classifier over word and hashed n-gram
    # presence features scaled by naive-Bayes log-count ratios (see engine.models.NBSVMLayer).
    "NBSVM": (("input_dim", "count", _REQUIRED), ("ngrams", "ngrams", 2),
              ("buckets", "count_or_none", None), ("min_count", "count", 1),
              ("activation", "activation", "sigmoid")),
    "Dropout": (("rate", "fraction", _REQUIRED),),
    "GlobalMaxPool": (),
    "GlobalMeanPool": (),
    "LastStep": (),  # the last time step of a sequence (pooling's counterpart)
    # A Rosenblatt perceptron: one unit with a binary step output.
    "Perceptron": (("units", "count", 1),),
    # Softmax over a large vocabulary in frequency clusters (Grave et al. 2017): frequent
    # words cost a small softmax, rare ones a second, cheaper one. Output layer only.
    "AdaptiveSoftmax": (("units", "count", _REQUIRED), ("cutoffs", "cutoffs", None)),
}
# The recurrent cells, in the order a learner meets them; one may stand in for another.
RECURRENT_TYPES = ("SimpleRNN", "LSTM", "GRU")
# The ways a sequence of vectors becomes one vector; one may stand in for another.
POOLING_TYPES = ("LastStep", "GlobalMeanPool", "GlobalMaxPool")
_TYPE_ALIASES = {
    "rnn": "SimpleRNN", "globalmaxpooling1d": "GlobalMaxPool",
    "globalaveragepooling1d": "GlobalMeanPool", "globalavgpool": "GlobalMeanPool",
    "globalaveragepool": "GlobalMeanPool", "linear": "Dense",
}
_CANONICAL = {name.lower(): name for name in LAYER_TYPES} | _TYPE_ALIASES
# Largest size a lesson may ask for: stops a typo from allocating gigabytes.
MAX_SIZE = 10_000_000


def parse_spec(spec: Any, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Validate a whole model spec (a list of layer strings or dicts) into plain dicts.

    ``variables`` gives values for bare names such as ``vocab_size`` in ``Embedding(vocab_size,
    32)``; other bare names (``sigmoid``) stay strings.
    """
    if isinstance(spec, (str, dict)) or not isinstance(spec, (list, tuple)):
        raise ModelSpecError(_("a model spec is a list of layers"))
    if not spec:
        raise ModelSpecError(_("a model needs at least one layer"))
    layers = []
    for position, item in enumerate(spec, start=1):
        try:
            layers.append(parse_layer(item, variables))
        except ModelSpecError as error:
            raise error.at_layer(position, repr(item)) from None
    return layers


def parse_layer(item: Any, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """One layer (string or dict) -> ``{"type": canonical name, **all parameters}``."""
    variables = variables or {}
    if isinstance(item, str):
        type_name, args, kwargs = _read_string(item, variables)
    elif isinstance(item, dict):
        if "type" not in item:
            raise ModelSpecError(_('a layer dict needs a "type" key'))
        type_name = item["type"]
        args = []
        kwargs = {key: _resolve(value, variables) for key, value in item.items() if key != "type"}
    else:
        raise ModelSpecError(_("a layer is a string or a dict, not {kind}").format(
            kind=type(item).__name__))
    return _bind(type_name, args, kwargs, variables)


def _resolve(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str) and value in variables:
        return variables[value]
    return value


def _read_string(text: str, variables: dict[str, Any]) -> tuple[str, list, dict]:
    if len(text) > 500:
        raise ModelSpecError(_("layer text is too long"))
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise ModelSpecError(_("cannot read this layer; write it like {example}").format(
            example="Dense(1, sigmoid)")) from None
    if isinstance(tree, ast.Name):
        return tree.id, [], {}
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        raise ModelSpecError(_("a layer is written as Name or Name(arguments)"))
    args = [_literal(node, variables) for node in tree.args]
    kwargs = {}
    for keyword in tree.keywords:
        if keyword.arg is None:
            raise ModelSpecError(_("**arguments are not allowed"))
        kwargs[keyword.arg] = _literal(keyword.value, variables)
    return tree.func.id, args, kwargs


def _literal(node: ast.AST, variables: dict[str, Any]) -> Any:
    """A literal, a bare name (a variable or a word such as ``sigmoid``) or a nested layer."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return node.value
    if isinstance(node, ast.Constant) and node.value is None:
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _literal(node.operand, variables)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
    if isinstance(node, ast.Name):
        return variables.get(node.id, node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return ast.unparse(node)  # a nested layer, parsed again by _bind
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_literal(element, variables) for element in node.elts]
    raise ModelSpecError(_("unsupported value {value}").format(value=repr(ast.unparse(node))))


def _bind(type_name: Any, args: list, kwargs: dict, variables: dict) -> dict[str, Any]:
    if not isinstance(type_name, str) or type_name.lower() not in _CANONICAL:
        known = ", ".join(LAYER_TYPES)
        raise ModelSpecError(_("unknown layer type {type}; known: {known}").format(
            type=repr(type_name), known=known), kind=UNKNOWN_TYPE)
    canonical = _CANONICAL[type_name.lower()]
    signature = LAYER_TYPES[canonical]
    names = [name for name, _kind, _default in signature]
    if len(args) > len(names):
        raise ModelSpecError(_("{layer} takes at most {count} positional arguments").format(
            layer=canonical, count=len(names)))
    values = dict(zip(names, args, strict=False))
    for key, value in kwargs.items():
        if key not in names:
            message = _("{layer} has no argument {argument} (it takes {allowed})") if names \
                else _("{layer} has no argument {argument} (it takes no arguments)")
            raise ModelSpecError(message.format(layer=canonical, argument=repr(key),
                                                allowed=", ".join(names)))
        if key in values:
            raise ModelSpecError(_("{layer} got {argument} twice").format(
                layer=canonical, argument=repr(key)))
        values[key] = value
    layer: dict[str, Any] = {"type": canonical}
    for name, kind, default in signature:
        if name not in values:
            if default is _REQUIRED:
                raise ModelSpecError(_("{layer} needs {argument}").format(
                    layer=canonical, argument=repr(name)))
            layer[name] = default
        else:
            layer[name] = _check(canonical, name, kind, values[name], variables)
    if canonical == "Perceptron":  # spelled out so the model builder has one Dense to build
        return {"type": "Dense", "units": layer["units"], "activation": "step", "tied": False}
    return layer


def _check(layer: str, name: str, kind: str, value: Any, variables: dict) -> Any:
    if kind in ("count", "count_or_none"):
        if value is None and kind == "count_or_none":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
            raise ModelSpecError(_("{layer} {name} must be a whole number from 1 to {maximum}")
                                 .format(layer=layer, name=name, maximum=MAX_SIZE))
        return value
    if kind == "ngrams":
        if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3):
            raise ModelSpecError(_("{layer} {name} must be 1 (words), 2 (and word pairs) or 3 "
                                   "(and triples)").format(layer=layer, name=name))
        return value
    if kind == "fraction":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
            raise ModelSpecError(_("{layer} {name} must be a number from 0 up to (not "
                                   "including) 1").format(layer=layer, name=name))
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ModelSpecError(_("{layer} {name} must be True or False").format(
                layer=layer, name=name))
        return value
    if kind in ("activation", "rnn_activation"):
        key = "linear" if value is None else str(value).lower()
        key = _ACTIVATION_ALIASES.get(key, key)
        allowed = ACTIVATIONS if kind == "activation" else ("tanh", "relu")
        if key not in allowed:
            raise ModelSpecError(_("{layer} {name} must be one of {allowed}").format(
                layer=layer, name=name, allowed=", ".join(allowed)))
        return key
    if kind == "cutoffs":
        if value is None:
            return None
        if (not isinstance(value, list) or not value
                or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
                or value != sorted(set(value)) or value[0] < 1):
            raise ModelSpecError(_("{layer} {name} is an increasing list of word counts like "
                                   "{example}").format(layer=layer, name=name,
                                                       example="[2000]"))
        return value
    if kind in ("recurrent_layer", "dense_layer"):
        inner = parse_layer(value, variables)
        wanted = RECURRENT_TYPES if kind == "recurrent_layer" else ("Dense",)
        if inner["type"] not in wanted:
            raise ModelSpecError(_("{layer} wraps one of {wanted}").format(
                layer=layer, wanted=", ".join(wanted)))
        return inner
    raise AssertionError(kind)
