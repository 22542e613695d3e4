"""Backpropagation, step by step, on the smallest network that has a hidden layer: two inputs,
two hidden neurons, one linear output, the squared error L = (ŷ - y)^2 of the lesson
how-networks-learn. Pure Python (no torch: a lesson page shows it before the engine loads);
tests/engine/test_backprop_steps.py checks every number against torch's autograd.

`walk(network)` gives the whole computation as a list of Step records, in the order a
learner follows it: each weighted sum and activation forward, the loss, then each partial
derivative backward as the product of its chain-rule factors, then the update of every
parameter, and a last forward pass with the new parameters. Names follow the lesson:
W^l_{i,j} leads into neuron i of layer l from neuron j of layer l-1, the inputs are layer 0.
The interface words each step by its `kind` and draws its `node`; this module words nothing.

    python -m hafiza.engine.playgrounds.backprop     # the lesson's example, in the terminal
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from hafiza.engine.playgrounds.activations import activation_curve

HIDDEN_ACTIVATIONS = ("sigmoid", "relu", "linear")  # the output neuron is always linear
NEURONS = (1, 2)  # the two inputs, and the two hidden neurons, numbered as in the lesson

# What a step computes; the interface has one sentence for each (ui/playgrounds/backprop.py).
FORWARD_KINDS = ("sum", "activation", "output")
BACKWARD_KINDS = ("loss_gradient", "weight_gradient", "bias_gradient", "hidden_gradient",
                  "slope_gradient")
KINDS = (*FORWARD_KINDS, "loss", *BACKWARD_KINDS, "update", "check")


class Sym(NamedTuple):
    """One piece of notation, for the window (LaTeX) and for a terminal (plain text)."""

    latex: str
    text: str


SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPTS = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")


def quantity(letter: str, layer: int | None, *indices: int) -> Sym:
    """x_1, a^1_2, W^2_{1,2}: a letter, its layer (None for the inputs) and its indices."""
    index = ",".join(str(i) for i in indices)
    upper = "" if layer is None else f"^{{{layer}}}"
    text_upper = "" if layer is None else str(layer).translate(SUPERSCRIPTS)
    return Sym(f"{letter}{upper}_{{{index}}}", f"{letter}{text_upper}{index.translate(SUBSCRIPTS)}")


PREDICTION = Sym(r"\hat{y}", "ŷ")
TARGET = Sym("y", "y")
LOSS = Sym("L", "L")
RATE = Sym(r"\alpha", "α")


def partial(of: Sym, by: Sym) -> Sym:
    """∂of/∂by."""
    return Sym(rf"\frac{{\partial {of.latex}}}{{\partial {by.latex}}}", f"∂{of.text}/∂{by.text}")


def gradient(by: Sym) -> Sym:
    """∂L/∂by: what a step backward computes."""
    return partial(LOSS, by)


@dataclass(frozen=True)
class Network:
    """The learner's numbers. ``hidden_weights[i][j]`` is W^1_{i+1,j+1} (into hidden neuron
    i+1 from input j+1), ``output_weights[j]`` is W^2_{1,j+1}."""

    inputs: tuple[float, float] = (1.0, 0.5)
    target: float = 1.0
    hidden_weights: tuple[tuple[float, float], tuple[float, float]] = ((0.5, -0.3), (0.2, 0.4))
    hidden_biases: tuple[float, float] = (0.1, -0.1)
    output_weights: tuple[float, float] = (0.6, -0.4)
    output_bias: float = 0.2
    learning_rate: float = 0.1
    activation: str = "sigmoid"  # of the hidden layer, one of HIDDEN_ACTIVATIONS

    def __post_init__(self) -> None:
        if self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"the hidden activation is one of {', '.join(HIDDEN_ACTIVATIONS)}, "
                             f"not {self.activation!r}")

    def parameters(self) -> dict[str, float]:
        """Every parameter by its name (PARAMETERS' order)."""
        values = {}
        for i in NEURONS:
            for j in NEURONS:
                values[f"W1_{i}{j}"] = self.hidden_weights[i - 1][j - 1]
            values[f"b1_{i}"] = self.hidden_biases[i - 1]
        for j in NEURONS:
            values[f"W2_1{j}"] = self.output_weights[j - 1]
        values["b2_1"] = self.output_bias
        return values

    def with_parameters(self, values: dict[str, float]) -> Network:
        """The same network with the parameters ``values`` names changed."""
        merged = {**self.parameters(), **values}
        return replace(
            self,
            hidden_weights=tuple(tuple(merged[f"W1_{i}{j}"] for j in NEURONS)
                                 for i in NEURONS),
            hidden_biases=tuple(merged[f"b1_{i}"] for i in NEURONS),
            output_weights=tuple(merged[f"W2_1{j}"] for j in NEURONS),
            output_bias=merged["b2_1"])


class Parameter(NamedTuple):
    name: str  # "W1_12": Network.parameters' key
    symbol: Sym
    into: str  # the node it belongs to: "h1", "h2" or "out"
    source: str | None  # the node a weight reads ("x1", "h2"...); None for a bias


def _parameters() -> tuple[Parameter, ...]:
    found = []
    for i in NEURONS:
        for j in NEURONS:
            found.append(Parameter(f"W1_{i}{j}", quantity("W", 1, i, j), f"h{i}", f"x{j}"))
        found.append(Parameter(f"b1_{i}", quantity("b", 1, i), f"h{i}", None))
    for j in NEURONS:
        found.append(Parameter(f"W2_1{j}", quantity("W", 2, 1, j), "out", f"h{j}"))
    found.append(Parameter("b2_1", quantity("b", 2, 1), "out", None))
    return tuple(found)


PARAMETERS = _parameters()
PARAMETER_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
# The nodes of the drawing, left to right: the inputs, the hidden neurons, the output, the loss.
NODES = ("x1", "x2", "h1", "h2", "out", "loss")

# A number, or a piece of notation between numbers ("×", "σ(", ")²").
Token = float | str


@dataclass(frozen=True)
class Factor:
    """One factor of a chain-rule product: a partial derivative and its value. ``reused``:
    a gradient an earlier step computed, which backpropagation takes instead of computing it
    again."""

    partial: Sym
    equals: Sym  # what it is here: a^1_1 for ∂ŷ/∂W^2_{1,1}; itself when reused
    value: float
    reused: bool = False


@dataclass(frozen=True)
class Step:
    kind: str  # one of KINDS
    node: str  # what the drawing highlights: a node of NODES or a parameter's name
    symbol: Sym  # what this step computes
    rule: Sym  # how, in symbols
    numbers: tuple[Token, ...]  # the rule with the numbers put in
    value: float
    factors: tuple[Factor, ...] = ()  # for a gradient: the chain rule's factors
    before: float | None = None  # for "check": the loss before the update

    def equation(self) -> list[Sym]:
        """The step's symbols as a chain of equal sides: ∂L/∂W = ∂L/∂ŷ · ∂ŷ/∂W = ∂L/∂ŷ · a."""
        sides = [self.symbol]
        if self.factors:
            sides.append(Sym(r" \cdot ".join(f.partial.latex for f in self.factors),
                             " · ".join(f.partial.text for f in self.factors)))
        if self.rule != sides[-1]:
            sides.append(self.rule)
        return sides

    @property
    def assigns(self) -> bool:
        """An update gives its parameter a new value (":="), other steps state an equality."""
        return self.kind == "update"


@dataclass
class Walk:
    """All the steps of one forward pass, backward pass and update."""

    network: Network
    steps: list[Step] = field(default_factory=list)

    def value(self, kind: str, node: str) -> float:
        """The value of the step of ``kind`` at ``node`` (KeyError when there is none)."""
        for step in self.steps:
            if step.kind == kind and step.node == node:
                return step.value
        raise KeyError((kind, node))

    def gradients(self) -> dict[str, float]:
        """∂L/∂p for every parameter p, by name."""
        return {step.node: step.value for step in self.steps
                if step.kind in ("weight_gradient", "bias_gradient")}

    def updated(self) -> Network:
        """The network after the update."""
        return self.network.with_parameters(
            {step.node: step.value for step in self.steps if step.kind == "update"})


def _activate(name: str, z: float) -> tuple[float, float]:
    """(f(z), f'(z)) for the hidden activation ``name`` (ReLU's slope at 0 taken as 0)."""
    value, slope = activation_curve(name, [z])
    return float(value[0]), float(slope[0])


def _activation_rule(name: str, z: Sym, z_value: float) -> tuple[Sym, tuple[Token, ...]]:
    if name == "sigmoid":
        return (Sym(rf"\sigma({z.latex}) = \frac{{1}}{{1 + e^{{-{z.latex}}}}}", f"σ({z.text})"),
                ("σ(", z_value, ")"))
    if name == "relu":
        return Sym(rf"\max(0, {z.latex})", f"max(0, {z.text})"), ("max(0, ", z_value, ")")
    return z, (z_value,)


def _slope_rule(name: str, z: Sym, a: Sym) -> Sym:
    """f'(z) written out: a(1 - a) for the sigmoid, 1 or 0 for ReLU, 1 for linear."""
    if name == "sigmoid":
        return Sym(rf"{a.latex}(1 - {a.latex})", f"{a.text}(1 − {a.text})")
    if name == "relu":
        return Sym(rf"[{z.latex} > 0]", f"[{z.text} > 0]")
    return Sym("1", "1")


def _weighted_sum(weights: tuple[Sym, ...], sources: tuple[Sym, ...], bias: Sym) -> Sym:
    latex = " + ".join(f"{w.latex} {s.latex}" for w, s in zip(weights, sources, strict=True))
    text = " + ".join(f"{w.text}·{s.text}" for w, s in zip(weights, sources, strict=True))
    return Sym(f"{latex} + {bias.latex}", f"{text} + {bias.text}")


def _sum_numbers(weights: tuple[float, ...], sources: tuple[float, ...], bias: float
                 ) -> tuple[Token, ...]:
    numbers: list[Token] = []
    for weight, source in zip(weights, sources, strict=True):
        numbers += [weight, "×", source, "+"]
    return (*numbers, bias)


def _product(factors: tuple[Factor, ...]) -> float:
    value = 1.0
    for factor in factors:
        value *= factor.value
    return value


def _chain(kind: str, node: str, of: Sym, factors: tuple[Factor, ...]) -> Step:
    """A step backward: ∂L/∂of as the product of its factors."""
    rule = Sym(r" \cdot ".join(f.equals.latex for f in factors),
               " · ".join(f.equals.text for f in factors))
    numbers: list[Token] = []
    for factor in factors:
        numbers += [factor.value, "×"]
    return Step(kind, node, gradient(of), rule, tuple(numbers[:-1]), _product(factors),
                factors)


def forward(network: Network) -> dict[str, float]:
    """The forward pass's values: z1_i, a1_i, yhat and loss."""
    values: dict[str, float] = {}
    x = network.inputs
    for i in NEURONS:
        weights = network.hidden_weights[i - 1]
        z = weights[0] * x[0] + weights[1] * x[1] + network.hidden_biases[i - 1]
        values[f"z1_{i}"] = z
        values[f"a1_{i}"], values[f"slope1_{i}"] = _activate(network.activation, z)
    values["yhat"] = (network.output_weights[0] * values["a1_1"]
                      + network.output_weights[1] * values["a1_2"] + network.output_bias)
    values["loss"] = (values["yhat"] - network.target) ** 2
    return values


def walk(network: Network | None = None) -> Walk:
    """Every step of one training step of ``network`` (the default: the playground's
    example), forward, backward, update and the check."""
    network = network or Network()
    values = forward(network)
    result = Walk(network)
    steps = result.steps
    inputs = tuple(quantity("x", None, j) for j in NEURONS)
    hidden = {i: (quantity("z", 1, i), quantity("a", 1, i)) for i in NEURONS}

    # Forward: each hidden neuron's weighted sum and activation, then the output's sum.
    for i in NEURONS:
        z, a = hidden[i]
        rule = _weighted_sum(tuple(quantity("W", 1, i, j) for j in NEURONS), inputs,
                             quantity("b", 1, i))
        numbers = _sum_numbers(network.hidden_weights[i - 1], network.inputs,
                               network.hidden_biases[i - 1])
        steps.append(Step("sum", f"h{i}", z, rule, numbers, values[f"z1_{i}"]))
        rule, numbers = _activation_rule(network.activation, z, values[f"z1_{i}"])
        steps.append(Step("activation", f"h{i}", a, rule, numbers, values[f"a1_{i}"]))
    activations = tuple(hidden[i][1] for i in NEURONS)
    rule = _weighted_sum(tuple(quantity("W", 2, 1, j) for j in NEURONS), activations,
                         quantity("b", 2, 1))
    numbers = _sum_numbers(network.output_weights, (values["a1_1"], values["a1_2"]),
                           network.output_bias)
    steps.append(Step("output", "out", PREDICTION, rule, numbers, values["yhat"]))
    steps.append(Step("loss", "loss", LOSS,
                      Sym(rf"({PREDICTION.latex} - y)^2", "(ŷ − y)²"),
                      ("(", values["yhat"], "−", network.target, ")²"), values["loss"]))

    # Backward: from the loss to the prediction, to the output's parameters, to each hidden
    # neuron, through its activation, to its parameters.
    output_gradient = 2 * (values["yhat"] - network.target)
    steps.append(Step("loss_gradient", "out", gradient(PREDICTION),
                      Sym(rf"2({PREDICTION.latex} - y)", "2(ŷ − y)"),
                      ("2 × (", values["yhat"], "−", network.target, ")"), output_gradient))
    from_output = Factor(gradient(PREDICTION), gradient(PREDICTION), output_gradient, True)
    for j in NEURONS:
        weight = quantity("W", 2, 1, j)
        a = hidden[j][1]
        steps.append(_chain("weight_gradient", f"W2_1{j}", weight, (
            from_output, Factor(partial(PREDICTION, weight), a, values[f"a1_{j}"]))))
    bias = quantity("b", 2, 1)
    steps.append(_chain("bias_gradient", "b2_1", bias, (
        from_output, Factor(partial(PREDICTION, bias), Sym("1", "1"), 1.0))))
    for i in NEURONS:
        z, a = hidden[i]
        weight_out = quantity("W", 2, 1, i)
        to_a = _chain("hidden_gradient", f"h{i}", a, (
            from_output, Factor(partial(PREDICTION, a), weight_out,
                                network.output_weights[i - 1])))
        to_z = _chain("slope_gradient", f"h{i}", z, (
            Factor(gradient(a), gradient(a), to_a.value, True),
            Factor(partial(a, z), _slope_rule(network.activation, z, a),
                   values[f"slope1_{i}"])))
        steps += [to_a, to_z]
        from_z = Factor(gradient(z), gradient(z), to_z.value, True)
        for j in NEURONS:
            weight = quantity("W", 1, i, j)
            steps.append(_chain("weight_gradient", f"W1_{i}{j}", weight, (
                from_z, Factor(partial(z, weight), inputs[j - 1], network.inputs[j - 1]))))
        bias = quantity("b", 1, i)
        steps.append(_chain("bias_gradient", f"b1_{i}", bias, (
            from_z, Factor(partial(z, bias), Sym("1", "1"), 1.0))))

    # Update: every parameter takes a step against its gradient; then the forward pass again.
    gradients = result.gradients()
    old = network.parameters()
    rate = network.learning_rate
    for parameter in PARAMETERS:
        name, symbol = parameter.name, parameter.symbol
        steps.append(Step("update", name, symbol,
                          Sym(rf"{symbol.latex} - \alpha {gradient(symbol).latex}",
                              f"{symbol.text} − α·{gradient(symbol).text}"),
                          (old[name], "−", rate, "×", gradients[name]),
                          old[name] - rate * gradients[name]))
    after = forward(result.updated())
    steps.append(Step("check", "loss", LOSS, Sym(rf"({PREDICTION.latex} - y)^2", "(ŷ − y)²"),
                      ("(", after["yhat"], "−", network.target, ")²"), after["loss"],
                      before=values["loss"]))
    return result


def plain_number(value: float) -> str:
    """A number as a terminal shows it: at most four decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def plain_numbers(tokens: tuple[Token, ...]) -> str:
    """The numbers of a step for a terminal; a negative number after the first in brackets."""
    parts = []
    for position, token in enumerate(tokens):
        if isinstance(token, str):
            parts.append(token)
        else:
            text = plain_number(token)
            parts.append(f"({text})" if text.startswith("-") and position else text)
    return " ".join(parts).replace("( ", "(").replace(" )", ")")


def describe(step: Step) -> str:
    """One line for a terminal: the step's equation with its numbers and its value."""
    sign = " := " if step.assigns else " = "
    symbols = sign.join(side.text for side in step.equation())
    return f"{step.kind:>15}  {symbols} = {plain_numbers(step.numbers)} = " \
           f"{plain_number(step.value)}"


def main(out=None) -> None:
    """Every step of the example's walk, one line each (`hafiza train backprop-steps`)."""
    for step in walk().steps:
        print(describe(step), file=out or sys.stdout)


if __name__ == "__main__":
    main()
