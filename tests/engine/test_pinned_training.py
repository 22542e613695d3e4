"""Early stopping, restore_best, the plateau schedule and weight decay, pinned to exact epochs
and values: a loop that runs one epoch too many, keeps the wrong epoch, or ignores a setting
fails here.

The runs are small, seeded and on the CPU, so their curves are the same on every run. Two
data sets drive them: `_blobs()` learns normally (its validation accuracy climbs), and
`_blobs(flip_val=True)` validates on the opposite labels, so the better the model fits the
training set the worse its validation loss: after epoch 1 the monitored value never improves.
"""

import copy
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from hafiza.engine.events import EpochEnd, Finished
from hafiza.engine.models import build_model
from hafiza.engine.train import TrainConfig, fit

torch.set_num_threads(1)
SGD = {"task": "binary", "batch_size": 8, "optimizer": "sgd", "learning_rate": 0.1}


def _blobs(flip_val=False, n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    split = n * 3 // 4
    y_val = 1 - y[split:] if flip_val else y[split:]
    return SimpleNamespace(x_train=x[:split], y_train=y[:split], x_val=x[split:], y_val=y_val)


def _mlp():
    torch.manual_seed(0)
    return build_model(["Dense(8, tanh)", "Dense(1, sigmoid)"], (2,))


def _train(model, data, **settings):
    """Runs fit; returns the Finished event and the weights as they were after each epoch."""
    weights_after = {}
    for event in fit(model, data, TrainConfig(**{**SGD, **settings})):
        if isinstance(event, EpochEnd):  # fit waits here: the weights are this epoch's
            weights_after[event.epoch] = copy.deepcopy(model.state_dict())
        end = event
    assert isinstance(end, Finished), end
    return end, weights_after


def _same_weights(model, state):
    return all(torch.equal(value, state[name]) for name, value in model.state_dict().items())


def _val_accuracy(model, data):
    with torch.no_grad():
        guesses = (model(torch.from_numpy(data.x_val)) >= 0).squeeze(1).numpy()
    return float((guesses == data.y_val).mean())


def test_the_flipped_validation_never_improves_after_epoch_one():
    """The premise of the tests below, checked rather than assumed."""
    end, _ = _train(_mlp(), _blobs(flip_val=True), epochs=8)
    losses = [epoch["val_loss"] for epoch in end.history]
    assert all(later > earlier for earlier, later in zip(losses, losses[1:], strict=False))


@pytest.mark.parametrize("patience, epochs_run", [(0, 2), (1, 2), (2, 3), (3, 4)])
def test_patience_counts_epochs_without_improvement_as_keras_does(patience, epochs_run):
    # Epoch 1 is the best; Keras stops once `patience` epochs in a row brought nothing
    # (patience 0: at the first such epoch).
    end, _ = _train(_mlp(), _blobs(flip_val=True), epochs=50, patience=patience)
    assert end.stopped_early and end.epochs_run == epochs_run and end.best_epoch == 1


def test_early_stopping_ends_patience_epochs_after_the_best_and_restores_its_weights():
    model, data = _mlp(), _blobs(flip_val=True)
    end, weights_after = _train(model, data, epochs=50, patience=2)
    assert (end.epochs_run, end.best_epoch, end.stopped_early) == (3, 1, True)
    assert sorted(weights_after) == [1, 2, 3]
    assert not _same_weights(model, weights_after[3])  # the last epoch did change them...
    assert _same_weights(model, weights_after[1])  # ...and epoch 1's are back
    assert end.metrics == end.history[0]


def test_val_accuracy_is_monitored_higher_is_better():
    # Validation accuracy by epoch: 0.25, 0.75, 0.9375, 0.9375, 0.9375, 0.9375, 1.0, ...
    model, data = _mlp(), _blobs()
    end, _ = _train(model, data, epochs=12, patience=2, monitor="val_accuracy")
    accuracies = [epoch["val_accuracy"] for epoch in end.history]
    assert accuracies == [0.25, 0.75, 0.9375, 0.9375, 0.9375]
    # the first epoch with the highest accuracy is kept, not the worst one
    assert (end.best_epoch, end.epochs_run, end.stopped_early) == (3, 5, True)
    assert end.metrics["val_accuracy"] == 0.9375
    assert _val_accuracy(model, data) == 0.9375  # the restored weights score it again


def test_val_loss_is_monitored_lower_is_better():
    model, data = _mlp(), _blobs()
    end, _ = _train(model, data, epochs=12, patience=2, monitor="val_loss")
    losses = [epoch["val_loss"] for epoch in end.history]
    assert losses == sorted(losses, reverse=True)  # still falling: never stopped early
    assert (end.best_epoch, end.epochs_run, end.stopped_early) == (12, 12, False)


def test_without_restore_best_the_last_epochs_weights_are_kept():
    model, data = _mlp(), _blobs(flip_val=True)
    end, weights_after = _train(model, data, epochs=50, patience=2, restore_best=False)
    assert (end.epochs_run, end.best_epoch, end.stopped_early) == (3, 1, True)
    assert _same_weights(model, weights_after[3])
    assert not _same_weights(model, weights_after[1])
    assert end.metrics == end.history[-1] != end.history[0]


def test_plateau_schedule_halves_the_learning_rate_after_each_epoch_without_improvement():
    learning_rates = [event.learning_rate for event in fit(
        _mlp(), _blobs(flip_val=True), TrainConfig(**SGD, epochs=5, lr_schedule="plateau"))
        if isinstance(event, EpochEnd)]
    # An epoch reports the rate it trained with; epoch 1 is the best, each later one is not.
    assert learning_rates == pytest.approx([0.1, 0.1, 0.05, 0.025, 0.0125], rel=1e-12)


def test_plateau_schedule_keeps_the_learning_rate_while_the_monitor_improves():
    end_rates = [event.learning_rate for event in fit(
        _mlp(), _blobs(), TrainConfig(**SGD, epochs=5, lr_schedule="plateau"))
        if isinstance(event, EpochEnd)]
    assert end_rates == [0.1] * 5


def test_constant_schedule_never_changes_the_learning_rate():
    rates = [event.learning_rate for event in fit(
        _mlp(), _blobs(flip_val=True), TrainConfig(**SGD, epochs=4))
        if isinstance(event, EpochEnd)]
    assert rates == [0.1] * 4


def _weight_norm(model):
    return float(torch.sqrt(sum((p.detach() ** 2).sum() for p in model.parameters())))


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_weight_decay_shrinks_the_weights(optimizer):
    plain, decayed = _mlp(), _mlp()
    start = _weight_norm(plain)
    _train(plain, _blobs(), epochs=20, optimizer=optimizer)
    _train(decayed, _blobs(), epochs=20, optimizer=optimizer, weight_decay=0.2)
    assert _weight_norm(decayed) < 0.8 * _weight_norm(plain)
    assert _weight_norm(plain) > start  # fitting alone grows them: decay is what shrank them


def test_weight_decay_alone_scales_the_weights_by_one_minus_lr_times_decay():
    # Zero inputs and zero targets: with its zero bias the model is exact, the data gives no
    # gradient, and one SGD step is exactly w <- w - lr * decay * w.
    data = SimpleNamespace(x_train=np.zeros((4, 2), np.float32),
                           y_train=np.zeros((4, 1), np.float32), x_val=None, y_val=None)
    torch.manual_seed(0)
    model = build_model(["Dense(1)"], (2,))
    before = copy.deepcopy(model.state_dict())
    end, _ = _train(model, data, task="regression", epochs=1, batch_size=None,
                    weight_decay=0.5)
    assert end.metrics["loss"] == 0.0
    for name, value in model.state_dict().items():
        assert torch.allclose(value, before[name] * (1 - 0.1 * 0.5), rtol=0, atol=1e-7), name
    assert not _same_weights(model, before)
