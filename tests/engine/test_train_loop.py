"""The training generator: events, batching, reproducibility, control from another thread,
failures and early stopping. Small in-memory tensors only."""

import math
import queue
import threading
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from hafiza.engine.events import BatchEnd, EpochEnd, Failed, Finished, Paused, Started
from hafiza.engine.models import build_model
from hafiza.engine.train import TrainConfig, TrainControl, fit

torch.set_num_threads(1)
TIMEOUT = 20  # seconds; a broken control must fail the test, not hang the suite


def _blobs(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    return SimpleNamespace(x_train=x[: n * 3 // 4], y_train=y[: n * 3 // 4],
                           x_val=x[n * 3 // 4:], y_val=y[n * 3 // 4:])


def _mlp(seed=0):
    torch.manual_seed(seed)
    return build_model(["Dense(8, tanh)", "Dense(1, sigmoid)"], (2,))


def _run(model, data, **config):
    return list(fit(model, data, TrainConfig(**config)))


def test_event_sequence_and_batch_counts():
    events = _run(_mlp(), _blobs(), task="binary", epochs=3, batch_size=10)
    assert isinstance(events[0], Started) and isinstance(events[-1], Finished)
    assert events[0].batches_per_epoch == 5 and events[0].train_samples == 48
    batches = [e for e in events if isinstance(e, BatchEnd)]
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert len(batches) == 15 and [e.epoch for e in epochs] == [1, 2, 3]
    assert batches[-1].samples_seen == 3 * 48 and batches[4].batch == batches[4].n_batches == 5
    assert set(epochs[0].metrics) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert events[-1].best_epoch >= 1 and len(events[-1].history) == 3
    assert epochs[0].learning_rate == pytest.approx(0.001)  # Keras' Adam default


@pytest.mark.parametrize("batch_size, n_batches", [(None, 1), (0, 1), (1, 48), (32, 2)])
def test_full_mini_and_stochastic_batches(batch_size, n_batches):
    events = _run(_mlp(), _blobs(), task="binary", epochs=1, batch_size=batch_size)
    assert events[0].batches_per_epoch == n_batches
    assert sum(isinstance(e, BatchEnd) for e in events) == n_batches


def _losses(seed, shuffle=True, **config):
    data = _blobs()
    torch.manual_seed(seed)
    model = build_model(["Dense(8, relu)", "Dropout(0.2)", "Dense(1, sigmoid)"], (2,))
    return [e.loss for e in fit(model, data, TrainConfig(task="binary", epochs=3, batch_size=8,
                                                         shuffle=shuffle, seed=seed, **config))
            if isinstance(e, BatchEnd)]


def test_same_seed_gives_bit_identical_losses():
    assert _losses(3) == _losses(3)
    assert _losses(3) != _losses(4)
    assert _losses(3, optimizer="rmsprop") == _losses(3, optimizer="rmsprop")


@pytest.mark.parametrize("optimizer", ["sgd", "rmsprop", "adam"])
def test_each_optimizer_lowers_the_loss(optimizer):
    events = _run(_mlp(), _blobs(), task="binary", epochs=15, batch_size=8,
                  optimizer=optimizer, momentum=0.9 if optimizer == "sgd" else 0.0,
                  learning_rate=0.05 if optimizer == "sgd" else 0.01, clip_norm=1.0)
    history = events[-1].history
    assert history[-1]["loss"] < 0.7 * history[0]["loss"]


def test_nan_loss_fails_with_a_reason():
    data = SimpleNamespace(x_train=np.ones((8, 2), np.float32),
                           y_train=np.full((8, 1), 1e30, np.float32), x_val=None, y_val=None)
    torch.manual_seed(0)
    model = build_model(["Dense(1)"], (2,))
    events = _run(model, data, task="regression", epochs=5)
    assert isinstance(events[-1], Failed) and events[-1].reason == "nan_loss"
    assert events[-1].epoch == 1 and events[-1].batch == 1
    assert not any(isinstance(e, EpochEnd) for e in events)
    assert all(torch.isfinite(p).all() for p in model.parameters())  # no step was taken


@pytest.mark.parametrize("change, fragment", [
    ({"y_train": np.full(48, 2)}, "0 or 1"),
    ({"x_train": np.ones((48, 3), np.float32)}, "expects"),
    ({"y_train": np.zeros(10, np.int64)}, "samples"),
    ({"x_train": np.full((48, 2), np.nan, np.float32)}, "NaN"),
])
def test_bad_data_fails_cleanly(change, fragment):
    data = _blobs()
    for key, value in change.items():
        setattr(data, key, value)
    events = _run(_mlp(), data, task="binary", epochs=1)
    assert len(events) == 1 and events[0].reason == "bad_data" and fragment in events[0].detail


def test_early_stopping_restores_the_best_weights():
    data = _blobs(n=200)
    model = _mlp()
    events = _run(model, data, task="binary", epochs=200, batch_size=8, learning_rate=0.5,
                  optimizer="sgd", patience=2, monitor="val_loss")
    end = events[-1]
    assert end.stopped_early and end.epochs_run < 200
    best = min(h["val_loss"] for h in end.history)
    assert end.metrics["val_loss"] == best == end.history[end.best_epoch - 1]["val_loss"]
    with torch.no_grad():
        x = torch.from_numpy(data.x_val)
        y = torch.from_numpy(data.y_val).float().unsqueeze(1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y).item()
    assert loss == pytest.approx(best, rel=1e-5)


def test_time_budget_ends_the_run():
    events = _run(_mlp(), _blobs(), task="binary", epochs=100_000, batch_size=1,
                  max_seconds=0.3, lr_schedule="cosine")
    assert events[-1].out_of_time and events[-1].epochs_run < 100_000
    assert "val_loss" in events[-1].metrics


def test_multiclass_and_tagging_accuracy():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, size=(64, 5))
    tags = (x % 3).astype(np.int64)  # each token's tag is a function of the token
    tags[:, 0] = -100  # an ignored (padding) label
    data = SimpleNamespace(x_train=x, y_train=tags, x_val=x[:16], y_val=tags[:16])
    torch.manual_seed(0)
    model = build_model(["Embedding(6, 8)", "Bidirectional(GRU(8, return_sequences=True))",
                         "TimeDistributed(Dense(3, softmax))"])
    events = _run(model, data, task="tagging", epochs=40, batch_size=16, learning_rate=0.02)
    assert events[-1].metrics["val_accuracy"] == 1.0


class _SleepWatchingCondition(threading.Condition):
    """A condition that tells the test when a thread has gone to sleep on it, and with what
    timeout: a loop asleep on a condition without a timeout can only be woken by a notify."""

    def __init__(self):
        super().__init__()
        self.asleep = threading.Event()
        self.timeouts = []  # one entry per sleep

    def wait(self, timeout=None):
        self.timeouts.append(timeout)
        self.asleep.set()  # still holding the lock: no notify can come before the sleep
        try:
            return super().wait(timeout)
        finally:
            self.asleep.clear()


def _watched_control():
    control = TrainControl()
    control._condition = _SleepWatchingCondition()  # the loop pauses on this condition
    return control


class _Worker:
    """Runs fit in a thread and hands its events over a queue, as the UI worker does."""

    def __init__(self, control, epochs=100_000):
        torch.manual_seed(0)
        model = build_model(["Dense(8, tanh)", "Dense(1, sigmoid)"], (2,))
        self.events = queue.Queue()
        generator = fit(model, _blobs(), TrainConfig(task="binary", epochs=epochs,
                                                     batch_size=4), control)
        self.thread = threading.Thread(target=lambda: [self.events.put(e) for e in generator],
                                       daemon=True)
        self.thread.start()

    def next(self):
        return self.events.get(timeout=TIMEOUT)

    def until(self, kind):
        while True:
            event = self.next()
            if isinstance(event, kind):
                return event


def test_pause_step_resume_stop_from_another_thread():
    control = _watched_control()
    condition = control._condition
    control.pause()
    worker = _Worker(control)
    assert isinstance(worker.next(), Started)
    paused = worker.next()
    assert isinstance(paused, Paused) and (paused.epoch, paused.batch) == (1, 0)

    control.step()  # exactly one batch, then paused again
    batch = worker.next()
    assert isinstance(batch, BatchEnd) and batch.batch == 1
    assert worker.next() == Paused(1, 1)
    # Paused, the loop sleeps on the condition until notified (no timeout, so it never
    # wakes up by itself to poll) and has done nothing since its Paused event. A loop that
    # spun instead would never get here, and would fail after TIMEOUT.
    assert condition.asleep.wait(TIMEOUT)
    assert condition.timeouts == [None, None]  # the sleep before batch 1, and this one
    assert worker.events.empty()

    control.step()
    assert worker.next().batch == 2 and isinstance(worker.next(), Paused)

    control.resume()
    for _ in range(30):
        assert not isinstance(worker.next(), Paused)
    control.stop()
    end = worker.until(Finished)
    assert end.stopped_by_user and not end.stopped_early
    worker.thread.join(TIMEOUT)
    assert not worker.thread.is_alive()


def test_step_while_running_pauses_after_one_batch():
    control = TrainControl()
    worker = _Worker(control)
    worker.until(BatchEnd)
    control.step()
    worker.until(Paused)
    assert control.paused
    control.stop()
    assert worker.until(Finished).stopped_by_user


def test_stop_while_paused_wakes_the_sleeping_loop_and_ends_it():
    control = _watched_control()
    condition = control._condition
    worker = _Worker(control)
    worker.until(EpochEnd)
    control.pause()
    worker.until(Paused)
    assert condition.asleep.wait(TIMEOUT)
    control.stop()
    after_stop = [worker.next()]
    while not isinstance(after_stop[-1], Finished):
        after_stop.append(worker.next())
    # One sleep without a timeout: the stop's notify woke it, not a timer or a later poll,
    # and it ended without another batch.
    assert condition.timeouts == [None]
    assert len(after_stop) == 1
    end = after_stop[0]
    assert end.stopped_by_user and end.epochs_run >= 1
    worker.thread.join(TIMEOUT)
    assert not worker.thread.is_alive()


def test_language_model_carries_state_through_bptt_windows():
    # The stream 0 1 2 ... 9 0 1 2 ...: the next word is always predictable.
    ids = np.tile(np.arange(10), 300)
    data = SimpleNamespace(train_ids=ids[:2400], val_ids=ids[2400:])
    torch.manual_seed(0)
    model = build_model(["Embedding(10, 16)", "LSTM(16, return_sequences=True)",
                         "Dense(10, softmax)"])
    events = _run(model, data, task="language_model", epochs=3, batch_size=4, bptt=10,
                  learning_rate=0.01)
    start = events[0]
    assert start.batches_per_epoch == math.ceil((2400 // 4 - 1) / 10)
    batch = next(e for e in events if isinstance(e, BatchEnd))
    assert batch.samples_seen == 4 * 10  # tokens
    end = events[-1]
    assert end.metrics["val_perplexity"] < 1.5
    assert end.metrics["perplexity"] == pytest.approx(math.exp(end.metrics["loss"]))


def test_language_model_windows_start_from_zero_state_at_random_offsets():
    ids = np.random.default_rng(0).integers(0, 10, 1000)
    data = SimpleNamespace(train_ids=ids[:800], val_ids=ids[800:])
    torch.manual_seed(0)
    model = build_model(["Embedding(10, 8)", "GRU(8, return_sequences=True)",
                         "Dense(10, softmax)"])
    seen = []
    original = model.forward_stateful

    def spy(x, state=None):
        if model.training:
            seen.append((x.clone(), state))
        return original(x, state)

    model.forward_stateful = spy
    events = _run(model, data, task="language_model", epochs=2, batch_size=2, bptt=10,
                  steps_per_epoch=30)
    assert events[0].batches_per_epoch == 30
    assert sum(isinstance(e, BatchEnd) for e in events) == 60
    text = torch.as_tensor(ids[:800])
    starts = set()
    for x, state in seen:
        assert state is None  # every training window runs from a zero state
        for row in x:  # each row is 10 consecutive tokens of the training text
            matches = [s for s in range(791) if torch.equal(text[s:s + 10], row)]
            assert matches
            starts.add(matches[0])
    assert len(starts) > 30  # random offsets, not the same windows again
