"""The declarative spec: safe parsing, clear errors, shapes, and Keras' parameter counts."""

import pytest
import torch

from hafiza.engine.layers import ModelSpecError, parse_layer, parse_spec
from hafiza.engine.models import build_model
from hafiza.engine.summary import format_summary, summarize

torch.set_num_threads(1)


def test_strings_and_dicts_give_the_same_layer():
    assert parse_layer("LSTM(64)") == parse_layer({"type": "LSTM", "units": 64})
    assert parse_layer("Dense(1, sigmoid)") == {"type": "Dense", "units": 1,
                                                "activation": "sigmoid", "tied": False}
    assert parse_layer("dense(3, activation='softmax')")["activation"] == "softmax"
    assert parse_layer("Perceptron") == {"type": "Dense", "units": 1, "activation": "step",
                                         "tied": False}
    assert parse_layer("GlobalMaxPooling1D") == {"type": "GlobalMaxPool"}
    nested = parse_layer("Bidirectional(GRU(32, return_sequences=True))")
    assert nested["layer"] == {"type": "GRU", "units": 32, "return_sequences": True}
    assert parse_layer("Embedding(vocab_size, 8)", {"vocab_size": 123})["input_dim"] == 123


@pytest.mark.parametrize("text, fragment", [
    ("__import__('os').system('echo hacked')", "Name or Name(arguments)"),
    ("LSTM(__import__('os'))", "whole number"),
    ("LSTM(units=(lambda: 1)())", "unsupported value"),
    ("LSTM(64", "cannot read"),
    ("Conv2D(3)", "unknown layer type"),
    ("LSTM()", "needs 'units'"),
    ("LSTM(0)", "whole number"),
    ("LSTM(2.5)", "whole number"),
    ("LSTM(4, returns=True)", "no argument 'returns'"),
    ("Dense(1, swish)", "activation must be one of"),
    ("Dropout(1.5)", "from 0 up to"),
    ("Bidirectional(Dense(3))", "wraps one of"),
    ("TimeDistributed(LSTM(3))", "wraps one of"),
    ("LSTM(4, return_sequences=1)", "True or False"),
])
def test_bad_layers_are_refused_without_evaluating(text, fragment, capfd):
    with pytest.raises(ModelSpecError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_layer(text)
    assert "hacked" not in capfd.readouterr().out


def test_spec_errors_name_the_layer():
    with pytest.raises(ModelSpecError, match=r"layer 2 \('LSTM\(\)'\)"):
        parse_spec(["Dense(4)", "LSTM()"])
    with pytest.raises(ModelSpecError, match="list of layers"):
        parse_spec("LSTM(4)")
    assert issubclass(ModelSpecError, ValueError)


@pytest.mark.parametrize("spec, input_shape, x_shape, out_shape", [
    (["LSTM(10)", "Dense(1, linear)"], (1, 1), (4, 1, 1), (4, 1)),
    (["SimpleRNN(8, return_sequences=True)", "GRU(6)", "Dense(2, softmax)"], (7, 3),
     (5, 7, 3), (5, 2)),
    (["LSTM(8, return_sequences=True)", "LSTM(8, return_sequences=True)", "LSTM(4)"],
     (None, 2), (3, 11, 2), (3, 4)),
    (["Bidirectional(LSTM(5))", "Dense(1, sigmoid)"], (6, 3), (2, 6, 3), (2, 1)),
    (["Bidirectional(GRU(5, return_sequences=True))", "TimeDistributed(Dense(4, softmax))"],
     (6, 3), (2, 6, 3), (2, 6, 4)),
    (["Embedding(50, 8)", "LSTM(6, return_sequences=True)", "GlobalMaxPool", "Dense(1)"],
     None, (3, 9), (3, 1)),
    (["Embedding(50, 8)", "SimpleRNN(6, return_sequences=True)", "GlobalMeanPool",
      "Dropout(0.5)", "Dense(3, softmax)"], None, (3, 9), (3, 3)),
    (["EmbeddingBag(50, 16, bigrams=True)", "Dense(1, sigmoid)"], None, (4, 12), (4, 1)),
    (["Dense(16, relu)", "Dense(16, tanh)", "Dense(1, step)"], (2,), (10, 2), (10, 1)),
    (["Embedding(40, 16)", "LSTM(16, return_sequences=True)", "Dense(40, softmax, tied=True)"],
     None, (2, 5), (2, 5, 40)),
])
def test_output_shapes(spec, input_shape, x_shape, out_shape):
    model = build_model(spec, input_shape)
    x = torch.randint(0, 40, x_shape) if model.takes_token_ids else torch.randn(x_shape)
    assert tuple(model(x).shape) == out_shape
    declared = model.output_shapes[-1]
    assert all(d is None or d == s for d, s in zip(declared, out_shape[1:], strict=True))


def test_layers_that_do_not_fit_are_refused():
    with pytest.raises(ModelSpecError, match="return_sequences"):
        build_model(["LSTM(4)", "LSTM(4)"], (5, 1))
    with pytest.raises(ModelSpecError, match="sequence"):
        build_model(["Dense(4)", "GlobalMaxPool"], (3,))
    with pytest.raises(ModelSpecError, match="input_shape is needed"):
        build_model(["LSTM(4)"])
    with pytest.raises(ModelSpecError, match="first layer"):
        build_model(["Dense(4)", "Embedding(10, 2)"], (3,))
    with pytest.raises(ModelSpecError, match="tied=True needs units"):
        build_model(["Embedding(40, 16)", "LSTM(8, return_sequences=True)",
                     "Dense(40, softmax, tied=True)"])


def _counts(spec, input_shape=None):
    return [row.params for row in summarize(build_model(spec, input_shape)).rows]


def test_parameter_counts_match_keras():
    # Seed 003: Keras prints 480 and 11, total 491.
    summary = summarize(build_model(["LSTM(10)", "Dense(1, linear)"], (1, 1)))
    assert [row.params for row in summary.rows] == [480, 11]
    assert (summary.total, summary.trainable, summary.non_trainable) == (491, 491, 0)
    assert _counts(["SimpleRNN(8)"], (None, 3)) == [8 * (3 + 8 + 1)]
    assert _counts(["GRU(4)"], (None, 3)) == [3 * 4 * (3 + 4 + 2)]  # Keras reset_after=True
    assert _counts(["Bidirectional(LSTM(5))"], (None, 3)) == [2 * 4 * 5 * (3 + 5 + 1)]
    assert _counts(["Embedding(100, 8)", "LSTM(4, return_sequences=True)",
                    "TimeDistributed(Dense(5, softmax))"]) == [800, 4 * 4 * (8 + 4 + 1), 25]
    assert _counts(["EmbeddingBag(100, 16)", "Dense(1)"]) == [1600, 17]
    assert _counts(["EmbeddingBag(100, 16, bigrams=True, buckets=50)"]) == [150 * 16]
    # A tied output layer reuses the embedding table: only its bias is new.
    assert _counts(["Embedding(40, 16)", "LSTM(16, return_sequences=True)",
                    "Dense(40, softmax, tied=True)"]) == [640, 4 * 16 * 33, 40]


def test_summary_table_reads_like_keras():
    text = format_summary(summarize(build_model(["LSTM(10)", "LSTM(10)"][:1] + ["Dense(1)"],
                                                (1, 1))))
    assert "lstm (LSTM)" in text and "(None, 10)" in text and "dense (Dense)" in text
    assert "Total params: 491" in text and "Non-trainable params: 0" in text
    names = summarize(build_model(["Dense(4)", "Dense(4)", "Dense(1)"], (2,))).rows
    assert [row.name for row in names] == ["dense", "dense_1", "dense_2"]


def test_keras_initialisation():
    model = build_model(["LSTM(8)", "Dense(1)"], (None, 3))
    rnn = model.layers[0].rnn
    bias = rnn.bias_ih_l0.detach()
    assert torch.all(bias[8:16] == 1) and torch.all(bias[:8] == 0) and torch.all(bias[16:] == 0)
    assert torch.all(rnn.bias_hh_l0 == 0)
    w_hh = rnn.weight_hh_l0.detach()  # (4u, u) with orthonormal columns
    assert torch.allclose(w_hh.T @ w_hh, torch.eye(8), atol=1e-5)
    limit = (6 / (3 + 32)) ** 0.5  # Glorot-uniform over the whole (3, 4*8) kernel
    assert rnn.weight_ih_l0.abs().max() <= limit
    assert torch.all(model.layers[1].linear.bias == 0)


def test_adaptive_softmax_output_layer():
    torch.manual_seed(0)
    model = build_model(["Embedding(50, 8)", "LSTM(8, return_sequences=True)",
                         "AdaptiveSoftmax(50, cutoffs=[10, 30])"])
    assert model.head == "adaptive_softmax" and model.output_shapes[-1] == (None, 50)
    x = torch.randint(0, 50, (2, 5))
    probabilities = model.predict(x)
    assert probabilities.shape == (2, 5, 50)
    assert torch.allclose(probabilities.sum(-1), torch.ones(2, 5), atol=1e-5)
    with pytest.raises(ModelSpecError, match="increasing list"):
        parse_layer("AdaptiveSoftmax(50, cutoffs=[30, 10])")
    with pytest.raises(ModelSpecError, match="below units"):
        build_model(["Embedding(50, 8)", "AdaptiveSoftmax(50, cutoffs=[60])"])


def test_last_step_is_what_a_recurrent_layer_without_sequences_returns():
    import torch

    from hafiza.engine.models import build_model

    torch.manual_seed(0)
    pooled = build_model(["LSTM(8, return_sequences=True)", "LastStep", "Dense(1, sigmoid)"],
                         (None, 3))
    torch.manual_seed(0)
    plain = build_model(["LSTM(8)", "Dense(1, sigmoid)"], (None, 3))
    x = torch.randn(4, 7, 3)
    assert torch.allclose(pooled(x), plain(x))


# --- the number a learner may change (engine.layer_edit) -----------------------------------

@pytest.mark.parametrize("text, kind, value, changed", [
    ("Dense(8, tanh)", "Dense", 8, "Dense(3, tanh)"),
    ("SimpleRNN(16)", "SimpleRNN", 16, "SimpleRNN(3)"),
    ("LSTM(64, return_sequences=True)", "LSTM", 64, "LSTM(3, return_sequences=True)"),
    ("GRU(32)", "GRU", 32, "GRU(3)"),
    ("  GRU( 32 )", "GRU", 32, "GRU(3 )"),  # spaces before the number are dropped
])
def test_the_units_of_dense_and_recurrent_layers_are_editable(text, kind, value, changed):
    from hafiza.engine.layer_edit import editable_layer

    layer = editable_layer(text)
    assert (layer.kind, layer.value, layer.is_vector_size) == (kind, value, False)
    assert layer.text(value=3) == changed
    assert parse_layer(layer.text()) == parse_layer(text)  # unchanged, it reads back the same
    if " " not in text.split(",")[0]:
        assert layer.text() == text  # and as the lesson wrote it, letter for letter
    assert parse_layer(layer.text(value=3))["units"] == 3


def test_a_recurrent_cell_may_become_another_inside_bidirectional_too():
    from hafiza.engine.layer_edit import editable_layer
    from hafiza.engine.layers import RECURRENT_TYPES

    lstm = editable_layer("LSTM(64, return_sequences=True)")
    assert lstm.kinds == RECURRENT_TYPES == ("SimpleRNN", "LSTM", "GRU")
    assert lstm.text("GRU", 8) == "GRU(8, return_sequences=True)"
    both_ways = editable_layer("Bidirectional(GRU(32, return_sequences=True), merge='sum')")
    assert (both_ways.wrapper, both_ways.kind, both_ways.value) == ("Bidirectional(", "GRU", 32)
    assert both_ways.text("LSTM", 16) == (
        "Bidirectional(LSTM(16, return_sequences=True), merge='sum')")
    nested = parse_layer(editable_layer("Bidirectional(GRU(32))").text("SimpleRNN", 4))
    assert nested["layer"] == {"type": "SimpleRNN", "units": 4, "return_sequences": False,
                               "activation": "tanh"}
    dense = editable_layer("Dense(1, sigmoid)")
    assert dense.kinds == ("Dense",)
    with pytest.raises(ValueError):
        dense.text("LSTM")  # a Dense layer never becomes a recurrent one


def test_an_embeddings_editable_number_is_its_vector_size_never_the_vocabulary():
    from hafiza.engine.layer_edit import editable_layer

    bag = editable_layer("EmbeddingBag(10000, 16, bigrams=True)")
    assert (bag.kind, bag.value, bag.is_vector_size) == ("EmbeddingBag", 16, True)
    assert bag.text(value=32) == "EmbeddingBag(10000, 32, bigrams=True)"
    embedding = editable_layer("Embedding(vocab_size, 32)")
    assert embedding.kinds == ("Embedding",) and embedding.is_vector_size
    assert embedding.text(value=8) == "Embedding(vocab_size, 8)"
    assert parse_layer(embedding.text(value=8), {"vocab_size": 50}) == {
        "type": "Embedding", "input_dim": 50, "output_dim": 8}


def test_layers_without_a_number_to_edit_and_poolings():
    from hafiza.engine.layer_edit import SIZE_LIMIT, editable_layer, is_pooling
    from hafiza.engine.layers import MAX_SIZE

    for text in ("Dropout(0.5)", "Flatten()", "GlobalMaxPool", "NBSVM(vocab_size)"):
        assert editable_layer(text) is None
    assert [is_pooling(t) for t in ("LastStep", " GlobalMeanPool ", "GlobalMaxPool",
                                    "Dense(1)")] == [True, True, True, False]
    assert (SIZE_LIMIT.lowest(), SIZE_LIMIT.maximum, SIZE_LIMIT.whole) == (1, MAX_SIZE, True)
