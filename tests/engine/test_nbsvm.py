"""NBSVM: n-gram presence features, naive-Bayes ratios from ``adapt`` (called by fit), the
spec, the summary, checkpoints, and learning a negation task that needs word pairs."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from hafiza.engine.checkpoints import load_checkpoint, save_checkpoint
from hafiza.engine.events import Failed, Finished
from hafiza.engine.layers import ModelSpecError, parse_layer
from hafiza.engine.models import NBSVMLayer, build_model, ngram_features
from hafiza.engine.summary import format_summary, summarize
from hafiza.engine.train import TrainConfig, adapt_model, fit

torch.set_num_threads(1)


def _rows(found):
    """Each row's features as a sorted list without the padding."""
    return [sorted(v for v in row.tolist() if v) for row in found]


def test_spec_defaults_and_shapes():
    assert parse_layer("NBSVM(100)") == {"type": "NBSVM", "input_dim": 100, "ngrams": 2,
                                        "buckets": None, "min_count": 1,
                                        "activation": "sigmoid"}
    assert parse_layer("nbsvm(vocab_size, 3, 50)", {"vocab_size": 9})["buckets"] == 50
    for ngrams in (1, 2, 3):
        model = build_model([f"NBSVM(40, ngrams={ngrams}, buckets=31)"])
        assert model.takes_token_ids and model.head == "sigmoid"
        assert model.input_shape == (None,) and model.output_shapes == [(1,)]
        x = torch.randint(0, 40, (5, 9))
        assert model(x).shape == (5, 1)
        probabilities = model.predict(x)
        assert torch.all((probabilities >= 0) & (probabilities <= 1))
    layer = build_model(["NBSVM(40, ngrams=1, buckets=31)"]).layers[0]
    assert layer.buckets == 0 and layer.n_features == 40  # words only: no buckets
    assert build_model(["NBSVM(40)"]).layers[0].buckets == 16 * 40  # the default
    assert build_model(["NBSVM(40, activation=linear)"]).head == "linear"


@pytest.mark.parametrize("text, fragment", [
    ("NBSVM()", "needs 'input_dim'"),
    ("NBSVM(0)", "whole number"),
    ("NBSVM(10, ngrams=4)", "must be 1 (words), 2"),
    ("NBSVM(10, ngrams=0)", "must be 1 (words), 2"),
    ("NBSVM(10, ngrams=True)", "must be 1 (words), 2"),
    ("NBSVM(10, ngrams=2.0)", "must be 1 (words), 2"),
    ("NBSVM(10, buckets=0)", "whole number"),
    ("NBSVM(10, buckets=20_000_000)", "whole number"),
    ("NBSVM(10, min_count=0)", "whole number"),
    ("NBSVM(10, activation=swish)", "activation must be one of"),
    ("NBSVM(10, bigrams=True)", "no argument 'bigrams'"),
])
def test_bad_arguments_are_refused(text, fragment):
    with pytest.raises(ModelSpecError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_layer(text)


def test_it_must_read_token_ids_as_the_first_layer():
    with pytest.raises(ModelSpecError, match="NBSVM must be the first layer"):
        build_model(["Dense(4)", "NBSVM(10)"], (3,))
    with pytest.raises(ModelSpecError, match="reads token ids"):
        build_model(["NBSVM(10)"], (5, 2))


def test_summary_counts_weights_and_bias_trainable_and_the_ratios_not():
    model = build_model(["NBSVM(100, ngrams=2, buckets=50)"])
    summary = summarize(model)
    assert [row.params for row in summary.rows] == [2 * (100 + 50) + 1]
    assert (summary.trainable, summary.non_trainable) == (151, 150)
    assert summary.rows[0].output_shape == (None, 1)
    text = format_summary(summary)
    assert "nbsvm (NBSVM)" in text and "Total params: 301" in text
    assert "Non-trainable params: 150" in text


def _pair(a, b, input_dim=10, buckets=1000):
    return (a * 1_000_000_007 + b) % (2**31 - 1) % buckets + input_dim  # engine.models' hash


def test_features_are_present_once_and_ignore_padding():
    ids = torch.tensor([[5, 5, 6, 5, 5, 0, 0], [0, 0, 7, 7, 7, 7, 0]])
    assert _rows(ngram_features(ids, 10, 1, 0)) == [[5, 6], [7]]
    pairs = {_pair(5, 5), _pair(5, 6), _pair(6, 5)}
    assert len(pairs) == 3  # no collision here, so each pair is its own feature
    assert _rows(ngram_features(ids, 10, 2, 1000)) == [sorted({5, 6} | pairs),
                                                       sorted([7, _pair(7, 7)])]
    triples = _rows(ngram_features(torch.tensor([[1, 2, 3, 1, 2, 3]]), 10, 3, 1000))[0]
    assert len(triples) == 3 + 3 + 3  # words 1 2 3; pairs 12 23 31; triples 123 231 312
    assert {_pair(1, 2), _pair(2, 3), _pair(3, 1)} < set(triples)
    assert all(10 <= f < 1010 for f in triples if f > 3)


def test_hashing_stays_in_range_for_the_largest_ids():
    ids = torch.tensor([[9_999_999, 9_999_998, 9_999_997, 1, 9_999_999]])
    for buckets in (7, 1_000_000, 10_000_000):
        found = ngram_features(ids, 10_000_000, 3, buckets)
        words = torch.isin(found, ids) | (found == 0)
        hashed = found[~words]
        assert hashed.min() >= 10_000_000 and hashed.max() < 10_000_000 + buckets
        if buckets > 7:  # 4 pairs and 3 triples, all different, none negative
            assert len(hashed) == 4 + 3


def test_adapt_computes_the_log_count_ratios():
    # Positive texts {1, 2} and {2, 4}; negative text {3}. Word 2 twice in a text counts once.
    x = torch.tensor([[1, 2, 2, 0], [3, 0, 0, 0], [2, 4, 0, 0]])
    y = torch.tensor([1, 0, 1])
    layer = NBSVMLayer(5, ngrams=1)
    layer.adapt(x, y)
    # p = 1 + [1, 2, 0, 1] = [2, 3, 1, 2] (sum 8), q = 1 + [0, 0, 1, 0] = [1, 1, 2, 1] (sum 5)
    expected = [0.0, math.log(2 / 8 / (1 / 5)), math.log(3 / 8 / (1 / 5)),
                math.log(1 / 8 / (2 / 5)), math.log(2 / 8 / (1 / 5))]
    assert layer.log_ratio.tolist() == pytest.approx(expected, abs=1e-6)
    # Labels as the training loop holds them (float, (n, 1)) and small chunks: the same.
    again = NBSVMLayer(5, ngrams=1)
    again.adapt(x, y.float().unsqueeze(1), chunk=2)
    assert torch.equal(again.log_ratio, layer.log_ratio)
    # min_count=2: features found in fewer than 2 texts (words 1, 3 and 4) are ignored.
    pruned = NBSVMLayer(5, ngrams=1, min_count=2)
    pruned.adapt(x, y)
    assert pruned.log_ratio.tolist() == pytest.approx([0, 0, expected[2], 0, 0], abs=1e-6)


def test_adapt_gives_unseen_features_no_weight_and_refuses_other_labels():
    layer = NBSVMLayer(6, ngrams=2, buckets=11)
    layer.adapt(torch.tensor([[1, 2, 0], [3, 0, 0]]), torch.tensor([1, 0]))
    seen = {1, 2, 3} | set(_rows(ngram_features(torch.tensor([[1, 2]]), 6, 2, 11))[0])
    nonzero = set(torch.nonzero(layer.log_ratio).reshape(-1).tolist())
    assert nonzero == seen
    with pytest.raises(ValueError, match="0 or 1"):
        layer.adapt(torch.tensor([[1, 2]]), torch.tensor([2]))
    with pytest.raises(ValueError, match="0 or 1"):
        layer.adapt(torch.tensor([[1, 2]]), torch.tensor([[0, 1]]))


def _negation_task(n, seed):
    """Texts of neutral filler with one sentiment word w and one "not" (id 3): right before
    w in a quarter of the texts, which flips w's polarity, elsewhere in the others. Words
    alone get about 75% right; word pairs can tell "not good" from "good"."""
    rng = np.random.default_rng(seed)
    positive, negative, filler = np.arange(4, 10), np.arange(10, 16), np.arange(16, 30)
    x = np.zeros((n, 14), dtype=np.int64)
    y = np.zeros(n, dtype=np.int64)
    for i in range(n):
        good, negated = rng.random() < 0.5, rng.random() < 0.25
        word = int(rng.choice(positive if good else negative))
        units = [[int(f)] for f in rng.choice(filler, size=rng.integers(4, 10))]
        units += [[3, word]] if negated else [[word], [3, int(rng.choice(filler))]]
        order = rng.permutation(len(units))
        text = [token for k in order for token in units[k]]
        x[i, :len(text)] = text
        y[i] = int(good != negated)
    return x, y


def _fit_negation(spec):
    x, y = _negation_task(1500, 0)
    data = SimpleNamespace(x_train=x[:1000], y_train=y[:1000], x_val=x[1000:], y_val=y[1000:])
    torch.manual_seed(0)
    model = build_model([spec])
    events = list(fit(model, data, TrainConfig(task="binary", learning_rate=0.05,
                                               batch_size=32, epochs=5)))
    assert isinstance(events[-1], Finished), events[-1]
    return model, events[-1].history[-1]


def test_word_pairs_learn_negation_and_words_alone_do_not():
    model, metrics = _fit_negation("NBSVM(30, ngrams=2, buckets=10007)")
    assert metrics["val_accuracy"] >= 0.95
    assert model.layers[0].log_ratio.abs().sum() > 0  # fit adapted it
    _, words_only = _fit_negation("NBSVM(30, ngrams=1)")
    assert words_only["val_accuracy"] <= 0.85


def test_fit_adapts_on_the_training_split_only(monkeypatch):
    calls = []
    original = NBSVMLayer.adapt
    steps = NBSVMLayer.adapt_steps

    def spy(self, x, y, chunk=1024):
        calls.append((x.clone(), y.clone()))
        yield from steps(self, x, y, chunk)

    monkeypatch.setattr(NBSVMLayer, "adapt_steps", spy)
    x, y = _negation_task(40, 1)
    data = SimpleNamespace(x_train=x[:30], y_train=y[:30], x_val=x[30:], y_val=y[30:])
    model = build_model(["NBSVM(60, buckets=97)"])
    events = list(fit(model, data, TrainConfig(task="binary", epochs=2, batch_size=8)))
    assert isinstance(events[-1], Finished)
    assert len(calls) == 1  # once, before the first epoch
    assert torch.equal(calls[0][0], torch.from_numpy(x[:30]))
    assert calls[0][1].reshape(-1).tolist() == y[:30].tolist()
    direct = NBSVMLayer(60, buckets=97)
    original(direct, torch.from_numpy(x[:30]), torch.from_numpy(y[:30]))
    assert torch.equal(model.layers[0].log_ratio, direct.log_ratio)


def test_adapt_model_reaches_nested_modules_and_reports_bad_labels_as_bad_data():
    seen = []

    class Recorder(torch.nn.Module):
        def adapt(self, x, y):
            seen.append(len(x))

    outer = torch.nn.Sequential(torch.nn.Sequential(Recorder()), Recorder())
    adapt_model(outer, torch.zeros(3, 2), torch.zeros(3))
    assert seen == [3, 3]
    model = build_model(["NBSVM(60, buckets=97)"])
    data = SimpleNamespace(x_train=np.ones((4, 3), dtype=np.int64), y_train=np.arange(4),
                           x_val=None, y_val=None)
    end = list(fit(model, data, TrainConfig(task="binary", loss="mse", epochs=1)))[-1]
    assert isinstance(end, Failed) and end.reason == "bad_data"
    too_big = SimpleNamespace(x_train=np.full((4, 3), 60), y_train=np.array([0, 1, 0, 1]),
                              x_val=None, y_val=None)
    end = list(fit(model, too_big, TrainConfig(task="binary", epochs=1)))[-1]
    assert isinstance(end, Failed) and "vocabulary 60" in end.detail


def test_checkpoint_round_trip_keeps_the_ratios(tmp_path):
    x, y = _negation_task(60, 2)
    torch.manual_seed(0)
    model = build_model(["NBSVM(60, ngrams=3, buckets=101, min_count=2)"])
    model.layers[0].adapt(torch.from_numpy(x), torch.from_numpy(y))
    with torch.no_grad():
        model.layers[0].feature_weight.normal_()
    save_checkpoint(tmp_path / "nb.pt", model)
    loaded = load_checkpoint(tmp_path / "nb.pt").model
    assert torch.equal(loaded.layers[0].log_ratio, model.layers[0].log_ratio)
    assert loaded.layers[0].log_ratio.abs().sum() > 0
    ids = torch.from_numpy(x[:8])
    assert torch.equal(loaded(ids), model.eval()(ids))
    assert loaded.spec == model.spec


def test_a_long_adapt_can_be_paused_and_stopped_between_chunks(monkeypatch):
    """NBSVM's adapt takes seconds on IMDB: the loop checks the controls between chunks."""
    from hafiza.engine.events import BatchEnd, Paused
    from hafiza.engine.train import TrainControl

    x, y = _negation_task(40, 1)
    data = SimpleNamespace(x_train=x, y_train=y, x_val=None, y_val=None)
    layer_chunks = []
    original = NBSVMLayer.adapt_steps

    def small_chunks(self, x, y, chunk=1024):
        for step in original(self, x, y, chunk=4):
            layer_chunks.append(step)
            yield step

    model = build_model(["NBSVM(60, buckets=97)"])
    control = TrainControl()
    control.pause()  # asked before the first chunk: the run pauses while adapting
    monkeypatch.setattr(NBSVMLayer, "adapt_steps", small_chunks)
    run = fit(model, data, TrainConfig(task="binary", epochs=3), control)
    events = [next(run), next(run)]
    assert isinstance(events[-1], Paused) and (events[-1].epoch, events[-1].batch) == (1, 0)
    assert layer_chunks == [None]  # one chunk counted, then the pause
    control.stop()
    events += list(run)
    end = events[-1]
    assert isinstance(end, Finished) and end.stopped_by_user and end.epochs_run == 0
    assert not any(isinstance(event, BatchEnd) for event in events)
    assert len(layer_chunks) == 1  # no chunk after the stop
