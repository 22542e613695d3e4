"""Gradient descent on a linear regression y = w*x + b with a small generated data set: the
learning rate and the batch type (full batch, mini-batch, SGD) decide whether the steps over
the loss surface of (w, b) converge, oscillate or diverge. Numpy only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRUE_W, TRUE_B = 2.0, 1.0  # the line the data is drawn around
START = (-2.0, -3.0)  # (w, b) before the first step
BATCH_SIZES = {"full": 0, "mini": 8, "sgd": 1}  # 0: every point
# What a walk did, judged by `judge`; the interface words each one.
VERDICTS = ("diverges", "oscillates", "converges", "slow", "noisy")


def make_data(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points with x uniform in [-1, 1] and y = TRUE_W*x + TRUE_B + noise (sd 0.3)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n)
    y = TRUE_W * x + TRUE_B + rng.normal(0.0, 0.3, n)
    return x, y


def mse(x: np.ndarray, y: np.ndarray, w, b):
    """Mean squared error of w*x + b; w and b may be arrays of the same shape (a grid)."""
    w = np.asarray(w, dtype=np.float64)[..., None]
    b = np.asarray(b, dtype=np.float64)[..., None]
    return np.mean((w * x + b - y) ** 2, axis=-1)


def least_squares_loss(x: np.ndarray, y: np.ndarray) -> float:
    """The lowest loss any line reaches on the data (the bottom of the valley)."""
    design = np.stack([x, np.ones_like(x)], axis=1)
    (w_best, b_best), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(mse(x, y, w_best, b_best))


@dataclass
class Descent:
    path: np.ndarray  # (steps + 1, 2): (w, b) before the first step and after each step
    losses: np.ndarray  # full-data loss at each point of the path
    best: float  # the lowest possible loss (least squares)
    verdict: str  # one of VERDICTS


def descend(x: np.ndarray, y: np.ndarray, learning_rate: float, batch_size: int = 0,
            steps: int = 60, start: tuple[float, float] = START, seed: int = 0) -> Descent:
    """Gradient descent on the MSE; batch_size 0 is the full batch, 1 is SGD. Shuffled each
    pass over the data. Stops early once the parameters blow up."""
    rng = np.random.default_rng(seed)
    n = len(x)
    size = n if batch_size <= 0 else min(batch_size, n)
    w, b = start
    path = [(w, b)]
    order = np.arange(n)
    position = n
    for _step in range(steps):
        if position + size > n:
            order = rng.permutation(n) if size < n else np.arange(n)
            position = 0
        batch = order[position:position + size]
        position += size
        error = w * x[batch] + b - y[batch]
        w, b = w - learning_rate * 2 * np.mean(error * x[batch]), \
            b - learning_rate * 2 * np.mean(error)
        path.append((w, b))
        if not (np.isfinite(w) and np.isfinite(b)) or max(abs(w), abs(b)) > 1e8:
            break
    path = np.asarray(path, dtype=np.float64)
    losses = mse(x, y, path[:, 0], path[:, 1])
    best = least_squares_loss(x, y)
    return Descent(path, losses, best, judge(path, losses, best, size < n))


def judge(path: np.ndarray, losses: np.ndarray, best: float, stochastic: bool) -> str:
    """Which of VERDICTS a walk earned. Measured in excess loss over the best line: more at
    the end than at the start diverges; still above 5% of the start's (plus 0.02) is slow; a
    stochastic walk that ends above 0.02 is noisy; a full-batch walk whose first 20 steps
    mostly turn back (each move against the last) oscillates; the rest converge."""
    excess = losses - best
    if not np.all(np.isfinite(losses)) or excess[-1] > excess[0]:
        return "diverges"
    if excess[-1] > 0.05 * excess[0] + 0.02:
        return "slow"
    if stochastic:
        return "noisy" if excess[-1] > 0.02 else "converges"
    moves = np.diff(path[: min(len(path), 21)], axis=0)
    turns = np.sum(moves[1:] * moves[:-1], axis=1) < 0
    return "oscillates" if turns.size and turns.mean() > 0.5 else "converges"


class GradientDescentLab:
    """One generated data set and the walks over its loss surface."""

    def __init__(self, n: int = 40, seed: int = 0) -> None:
        self.x, self.y = make_data(n, seed)
        self.best = least_squares_loss(self.x, self.y)

    def loss_surface(self, w_range: tuple[float, float], b_range: tuple[float, float],
                     points: int = 121) -> np.ndarray:
        """The loss on a points x points grid: axis 0 runs along w, axis 1 along b."""
        grid_w, grid_b = np.meshgrid(np.linspace(*w_range, points),
                                     np.linspace(*b_range, points), indexing="ij")
        return mse(self.x, self.y, grid_w, grid_b)

    def descend(self, learning_rate: float, batch: str = "full", steps: int = 60,
                seed: int = 0) -> Descent:
        """A walk of ``steps`` steps with a batch type of BATCH_SIZES."""
        return descend(self.x, self.y, learning_rate, BATCH_SIZES[batch], steps, seed=seed)
