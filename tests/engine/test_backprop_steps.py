"""The backpropagation playground's steps: every forward value, gradient and update the
engine writes out by hand is the one torch's autograd computes, and every gradient is the
product of the chain-rule factors it shows."""

import math

import pytest
import torch

from hafiza.engine.playgrounds.backprop import (
    HIDDEN_ACTIVATIONS,
    KINDS,
    NODES,
    PARAMETER_BY_NAME,
    PARAMETERS,
    Network,
    describe,
    forward,
    plain_numbers,
    walk,
)

NETWORKS = [
    Network(),  # the playground's example: sigmoid hidden layer
    Network(inputs=(2.0, -1.0), target=-0.5, hidden_weights=((0.3, 0.8), (-0.7, 0.1)),
            hidden_biases=(0.0, 0.5), output_weights=(1.5, -2.0), output_bias=-0.1,
            learning_rate=0.05, activation="relu"),
    Network(inputs=(-1.0, 3.0), target=2.0, learning_rate=0.5, activation="linear"),
]


def autograd(network: Network) -> tuple[dict[str, float], dict[str, float], float]:
    """(gradient of the loss per parameter, the parameters after one SGD step, the loss)."""
    parameters = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
                  for name, value in network.parameters().items()}
    x = torch.tensor(network.inputs, dtype=torch.float64)
    hidden_weights = torch.stack([torch.stack([parameters[f"W1_{i}{j}"] for j in (1, 2)])
                                  for i in (1, 2)])
    hidden_biases = torch.stack([parameters["b1_1"], parameters["b1_2"]])
    activation = {"sigmoid": torch.sigmoid, "relu": torch.relu,
                  "linear": lambda z: z}[network.activation]
    hidden = activation(hidden_weights @ x + hidden_biases)
    output_weights = torch.stack([parameters["W2_11"], parameters["W2_12"]])
    prediction = output_weights @ hidden + parameters["b2_1"]
    loss = (prediction - network.target) ** 2
    loss.backward()
    optimizer = torch.optim.SGD(parameters.values(), lr=network.learning_rate)
    gradients = {name: p.grad.item() for name, p in parameters.items()}
    optimizer.step()
    return gradients, {name: p.item() for name, p in parameters.items()}, loss.item()


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: n.activation)
def test_gradients_and_updates_match_autograd(network):
    steps = walk(network)
    gradients, updated, loss = autograd(network)
    assert steps.value("loss", "loss") == pytest.approx(loss, rel=1e-12)
    assert steps.gradients() == pytest.approx(gradients, rel=1e-12, abs=1e-15)
    assert steps.updated().parameters() == pytest.approx(updated, rel=1e-12, abs=1e-15)
    # the last step is a forward pass with the new parameters
    check = steps.steps[-1]
    assert check.kind == "check" and check.before == pytest.approx(loss)
    assert check.value == pytest.approx(autograd(steps.updated())[2], rel=1e-12)


def test_the_example_by_hand():
    """x = (1, 0.5), sigmoid hidden layer: z¹₁ = 0.5·1 − 0.3·0.5 + 0.1 = 0.45."""
    steps = walk()
    assert steps.value("sum", "h1") == pytest.approx(0.45)
    assert steps.value("activation", "h1") == pytest.approx(1 / (1 + math.exp(-0.45)))
    assert steps.value("sum", "h2") == pytest.approx(0.3)
    prediction = steps.value("output", "out")
    assert steps.value("loss_gradient", "out") == pytest.approx(2 * (prediction - 1.0))
    # one learning step lowers the loss: 0.4401 -> 0.1834
    assert round(steps.steps[-1].before, 4) == 0.4401
    assert round(steps.steps[-1].value, 4) == 0.1834


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: n.activation)
def test_each_gradient_is_the_product_of_its_factors(network):
    steps = walk(network).steps
    computed = {}
    for step in steps:
        if step.factors:
            assert math.prod(f.value for f in step.factors) == pytest.approx(step.value)
            for factor in step.factors:
                if factor.reused:  # taken from an earlier step, never computed ahead of it
                    assert computed[factor.partial] == pytest.approx(factor.value)
            # the numbers shown are the factors' values, joined by ×
            assert step.numbers[::2] == tuple(f.value for f in step.factors)
        computed[step.symbol] = step.value


def test_the_order_forward_loss_backward_update_check():
    steps = walk().steps
    kinds = [step.kind for step in steps]
    assert set(kinds) <= set(KINDS)
    phases = ["forward" if k in ("sum", "activation", "output") else k if k in
              ("loss", "update", "check") else "backward" for k in kinds]
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == \
        ["forward", "loss", "backward", "update", "check"]
    assert kinds.count("update") == len(PARAMETERS) == 9
    # the backward pass meets the output's parameters before the hidden layer's
    backward = [s.node for s in steps if s.kind.endswith("_gradient")]
    assert backward.index("W2_11") < backward.index("h1") < backward.index("W1_11")
    for step in steps:
        assert step.node in NODES or step.node in PARAMETER_BY_NAME


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_the_slope_of_each_activation(activation):
    network = Network(hidden_biases=(-2.0, 0.5), activation=activation)  # z¹₁ < 0 < z¹₂
    values = forward(network)
    slopes = {"sigmoid": [values["a1_1"] * (1 - values["a1_1"]),
                          values["a1_2"] * (1 - values["a1_2"])],
              "relu": [0.0, 1.0], "linear": [1.0, 1.0]}[activation]
    assert [values["slope1_1"], values["slope1_2"]] == pytest.approx(slopes)


def test_an_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="sigmoid, relu, linear"):
        Network(activation="tanh")


def test_the_terminal_lines():
    steps = walk().steps
    assert describe(steps[0]) == \
        "            sum  z¹₁ = W¹₁,₁·x₁ + W¹₁,₂·x₂ + b¹₁ = 0.5 × 1 + (-0.3) × 0.5 + 0.1 = 0.45"
    assert describe(steps[7]).endswith("∂L/∂W²₁,₁ = ∂L/∂ŷ · ∂ŷ/∂W²₁,₁ = ∂L/∂ŷ · a¹₁ "
                                       "= -1.3268 × 0.6106 = -0.8102")
    # a negative number inside the expression keeps its sign in brackets
    assert plain_numbers(("(", -0.5, "−", 1.0, ")²")) == "((-0.5) − 1)²"
    assert ":=" in describe(next(s for s in steps if s.kind == "update"))
