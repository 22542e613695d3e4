"""What training minimises and counts: losses, correct-prediction counters, optimizers.

Chosen by name from the tables in ``engine.tables``; the training loop (``engine.train``)
asks for them once per run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from hafiza.engine.models import SequentialModel

IGNORE_LABEL = -100  # a tagging label that counts for nothing (padding)


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


class CorrectCounter:
    """Counts right answers. ``count(scores, targets)`` counts at once (validation);
    during training ``keep`` records what a batch needs with at most one kernel (the
    decision of a categorical model, nothing for a binary one) and ``total`` counts a
    whole epoch's records in one go: three small kernels per batch cost ~2 % of a small
    model's step (8 of 435 us for the MLP of bench/engine_loop.py)."""

    def __init__(self, decide: Callable[[torch.Tensor], torch.Tensor],
                 truth: Callable[[torch.Tensor], torch.Tensor], decide_late: bool) -> None:
        self.decide = decide  # scores -> the model's answers
        self.truth = truth  # targets -> the right answers, comparable with them
        self.decide_late = decide_late  # True: keep the scores, decide at the epoch's end

    def count(self, scores: torch.Tensor, targets: torch.Tensor) -> int:
        return int((self.decide(scores) == self.truth(targets)).sum())

    def keep(self, scores: torch.Tensor, targets: torch.Tensor) -> tuple:
        scores = scores.detach()  # no graph is kept alive
        return (scores if self.decide_late else self.decide(scores)), targets

    def total(self, kept: list[tuple]) -> int:
        if not kept:
            return 0
        answers = torch.cat([answer.reshape(-1) for answer, _ in kept])
        if self.decide_late:
            answers = self.decide(answers)
        truths = torch.cat([self.truth(target).reshape(-1) for _, target in kept])
        return int((answers == truths).sum())


def make_correct_counter(task: str, loss: str, model: SequentialModel) -> CorrectCounter | None:
    """The counter of right answers for this task and loss, or None for regression."""
    if task == "regression":
        return None

    def same(targets: torch.Tensor) -> torch.Tensor:
        return targets

    if model.head == "adaptive_softmax":
        head = model.layers[-1].head

        def adaptive(features: torch.Tensor) -> torch.Tensor:
            return head.predict(features.reshape(-1, features.shape[-1]))
        return CorrectCounter(adaptive, lambda targets: targets.reshape(-1), decide_late=False)
    if loss == "categorical_crossentropy":
        return CorrectCounter(lambda scores: scores.argmax(dim=-1), same, decide_late=False)
    # One output unit: the decision threshold is on the scores (logit 0 = probability 0.5),
    # unless an MSE regression-style output is read as a probability.
    threshold = 0.5 if loss == "mse" and model.head == "linear" else 0.0
    if loss == "mse" and model.head == "sigmoid":
        threshold = 0.0

    def decide(scores: torch.Tensor) -> torch.Tensor:
        return (scores >= threshold).to(scores.dtype)

    if loss in ("binary_crossentropy", "perceptron"):  # targets already checked to be 0/1
        return CorrectCounter(decide, same, decide_late=True)
    return CorrectCounter(decide, lambda targets: (targets >= 0.5).to(targets.dtype),
                          decide_late=True)


def make_optimizer(config: Any, model: torch.nn.Module) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    lr, decay = config.learning_rate, config.weight_decay
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=config.momentum, weight_decay=decay)
    if config.optimizer == "rmsprop":  # Keras: rho 0.9, epsilon 1e-7
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-7, weight_decay=decay)
    return torch.optim.Adam(params, lr=lr, eps=1e-7, weight_decay=decay)


