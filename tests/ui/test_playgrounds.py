"""The playgrounds: each shows what the engine computes, in the reader's digits, without
freezing the window, and explains instead of crashing on empty or unknown text."""

import numpy as np
import pytest
import torch

from hafiza.engine.exercises import get_exercise, prepare
from hafiza.engine.tables import PLAYGROUNDS as ENGINE_PLAYGROUNDS
from hafiza.engine.text import Vocabulary, join_tokens
from hafiza.ui import i18n
from hafiza.ui.playgrounds import PLAYGROUNDS, create, names_for, playground_for

WORDS = ("the cat sat on the mat and the dog sat on the rug . "
         "the cat saw the dog and the dog saw the cat . ") * 8  # ~200 words


@pytest.fixture(autouse=True)
def english(qapp):
    i18n.apply_language(qapp, "en")
    yield
    i18n.apply_language(qapp, "en")


@pytest.fixture(scope="module")
def tiny_lm(tmp_path_factory):
    path = tmp_path_factory.mktemp("lm") / "tiny.txt"
    path.write_text(WORDS, encoding="utf-8")
    exercise = {
        "id": "lm_tiny", "task": "language_model",
        "dataset": {"name": "text_file", "path": path.name, "num_words": 1000,
                    "val_fraction": 0.1},
        "model": ["Embedding(vocab_size, 16)", "LSTM(16, return_sequences=True)",
                  "Dense(vocab_size, softmax)"],
        "loss": "categorical_crossentropy",
        "hyperparameters": {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 4,
                            "bptt": 8, "epochs": 2},
    }
    prepared = prepare(exercise, data_root=path.parent)  # the file is the lesson's own
    events = list(prepared.fit())
    # The run finishes, then says what counting alone reaches on the same text.
    assert [type(e).__name__ for e in events[-2:]] == ["Finished", "Baseline"]
    return exercise, prepared


def make(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


# --- registry ------------------------------------------------------------------------------

def test_playground_for_picks_by_exercise(qtbot, tiny_lm):
    exercise, prepared = tiny_lm
    chosen = playground_for(exercise, prepared)
    assert [name for name, _w in chosen] == ["next_word", "inside_cell"]
    for _name, widget in chosen:
        make(qtbot, widget)
    seq = prepare(get_exercise("seq003"))
    assert names_for(get_exercise("seq003"), seq) == ["regression"]
    assert names_for(get_exercise("mlp_xor"), prepare(get_exercise("mlp_xor"))) == []
    assert names_for(get_exercise("seq003"), None) == []
    assert set(PLAYGROUNDS) == set(ENGINE_PLAYGROUNDS)  # one list of names
    with pytest.raises(ValueError):
        create("next_word")
    for name in ("activations", "gradient_descent", "vanishing_gradients"):
        assert not ENGINE_PLAYGROUNDS[name]  # stands alone: no trained model needed
        make(qtbot, create(name))


# --- next word -----------------------------------------------------------------------------

def test_next_word_shows_the_engines_top_ten_and_temperature_reshapes_it(qtbot, tiny_lm):
    from hafiza.engine.inspection import top_k_next_words

    _exercise, prepared = tiny_lm
    widget = make(qtbot, create("next_word", prepared))
    widget.prompt.setText("the cat sat on")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        pass  # the live timer fires after the typing pauses
    expected = [(w, p) for w, p in top_k_next_words(prepared.model, prepared.vocab,
                                                    "the cat sat on", 11) if w != "<pad>"][:10]
    assert widget.table.rowCount() == 10
    shown = [(guess.word, guess.probability) for guess in widget.guesses]
    assert [w for w, _p in shown] == [w for w, _p in expected]
    assert np.allclose([p for _w, p in shown], [p for _w, p in expected], atol=1e-6)
    assert widget.table.item(0, 0).text() == expected[0][0]
    assert widget.table.cellWidget(0, 1).value() == round(1000 * expected[0][1])
    top_at_1 = shown[0][1]
    widget.set_temperature(0.3)  # colder: the favourite takes more
    assert widget.guesses[0].probability > top_at_1
    widget.set_temperature(2.0)  # hotter: flatter
    assert widget.guesses[0].probability < top_at_1
    entropy = [None, None]
    for index, t in enumerate((0.5, 1.5)):
        widget.set_temperature(t)
        p = np.array([g.probability for g in widget.guesses])
        entropy[index] = -(p * np.log(p)).sum()
    assert entropy[1] > entropy[0]


def test_next_word_generates_in_a_worker_and_explains_bad_input(qtbot, tiny_lm):
    from hafiza.engine.inspection import generate_text

    _exercise, prepared = tiny_lm
    widget = make(qtbot, create("next_word", prepared))
    widget.prompt.setText("the dog")
    widget.length.setValue(12)
    widget.set_temperature(0.8)
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.generate_button.click()
        assert not widget.generate_button.isEnabled()
    qtbot.waitUntil(widget.generate_button.isEnabled, timeout=30_000)
    # Among the 10 likeliest words, stopping at the end of a sentence: the playground's
    # defaults, handed to the engine as they are.
    assert widget.among.value() == 10 and widget.stop_at_end.isChecked()
    assert widget.generated == generate_text(prepared.model, prepared.vocab, "the dog", 12,
                                             0.8, seed=0, top_k=10,
                                             stop_at_sentence_end=True)
    assert "." not in widget.generated[:-1]  # a sentence's end, if any, comes last
    assert widget.output.toPlainText() == "the dog " + join_tokens(widget.generated)
    for text, fragment in (("", "Type a few words"), ("zebra quokka", "does not know any")):
        widget.prompt.setText(text)
        widget.update_guesses()
        assert fragment in widget.message.text() and widget.message.isVisible()
        assert widget.table.rowCount() == 0
    widget.prompt.setText("the zebra")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.update_guesses()
    assert "zebra" in widget.message.text() and widget.table.rowCount() == 10
    # A guess still computing when the prompt becomes empty is never shown.
    widget.prompt.setText("the cat")
    widget.update_guesses()
    widget.prompt.setText("")
    widget.update_guesses()
    qtbot.waitUntil(lambda: not widget.is_busy(), timeout=30_000)  # its result came, unshown
    assert widget.table.rowCount() == 0 and widget.guesses == []
    assert widget.shutdown(5000)


# --- sentiment -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_classifier():
    from hafiza.engine.models import build_model

    positive = ["good film", "great acting", "good great story", "wonderful good film",
                "great wonderful"]
    negative = ["bad film", "awful acting", "bad awful story", "boring bad film", "awful boring"]
    vocab = Vocabulary.build(positive + negative)
    torch.manual_seed(0)
    model = build_model([f"EmbeddingBag({len(vocab)}, 8)", "Dense(1, sigmoid)"])
    from hafiza.engine.text import pad_sequences

    x = torch.as_tensor(pad_sequences([vocab.encode(t) for t in positive + negative]))
    y = torch.tensor([1.0] * 5 + [0.0] * 5).unsqueeze(1)
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    for _step in range(150):
        optimizer.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()
        optimizer.step()
    return model, vocab


def test_sentiment_probability_and_occlusion_match_the_model(qtbot, tiny_classifier):
    from hafiza.engine.text import pad_sequences

    model, vocab = tiny_classifier
    exercise = {"id": "imdb_tiny", "task": "binary", "dataset": {"name": "imdb"}}
    run = type("Run", (), {"model": model, "vocab": vocab, "data": None})()
    assert names_for(exercise, run) == ["sentiment"]
    widget = make(qtbot, playground_for(exercise, run)[0][1])
    widget.review.setPlainText("A good film, but boring")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.analyse_button.click()

    def p(text):
        ids = torch.as_tensor(pad_sequences([vocab.encode(text)]))
        return float(model.predict(ids)[0, 0])

    assert widget.words == ["A", "good", "film", "but", "boring"]
    assert widget.probability == pytest.approx(p("a good film but boring"), abs=1e-6)
    changes = dict(zip(widget.words, widget.contributions, strict=True))
    assert changes["good"] == pytest.approx(widget.probability - p("a film but boring"),
                                            abs=1e-6)
    assert changes["good"] > 0 > changes["boring"]
    assert "good" in widget.chips.text() and widget.table.rowCount() == 5
    assert widget.table.item(0, 0).text() in ("good", "boring")  # strongest first
    assert i18n.number(widget.probability * 100, 1) in widget.result_label.text()
    widget.review.setPlainText("   ")
    widget.analyse()
    assert "Write a review" in widget.message.text() and widget.probability is None
    widget.review.setPlainText("xyzzy plugh")
    widget.analyse()
    assert "does not know any" in widget.message.text()
    assert widget.shutdown(5000)


# --- sequence regression -------------------------------------------------------------------

def test_regression_table_has_the_models_predictions(qtbot):
    exercise = get_exercise("seq003")
    exercise["hyperparameters"]["epochs"] = 30
    prepared = prepare(exercise)
    list(prepared.fit())
    (name, widget), = playground_for(exercise, prepared)
    assert name == "regression"
    make(qtbot, widget)
    assert widget.own_result.text() == "Computing…"  # the model runs in a worker
    qtbot.waitUntil(lambda: widget.results is not None and widget.own_prediction is not None,
                    timeout=30_000)
    x = torch.as_tensor(prepared.data.x_train)
    expected = prepared.model.predict(x).numpy().reshape(-1)
    assert widget.table.rowCount() == 4
    for row in range(4):
        assert widget.table.item(row, 0).text() == i18n.number(0.1 * row, 1)
        assert widget.table.item(row, 1).text() == i18n.number(0.1 * (row + 1), 1)
        assert widget.table.item(row, 2).text() == i18n.number(float(expected[row]), 4)
        error = float(expected[row]) - 0.1 * (row + 1)
        assert float(widget.table.item(row, 3).text()) == pytest.approx(error, abs=2e-4)
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.own_input.setValue(0.2)
    assert widget.own_result.text().endswith(i18n.number(float(expected[2]), 4))


# --- activations ---------------------------------------------------------------------------

def test_activation_table_matches_the_formulas(qtbot, qapp):
    widget = make(qtbot, create("activations"))
    for z in (-1.5, 0.0, 2.25):
        widget.set_z(z)
        assert widget.slider.value() == round(z * 100)
        s = 1 / (1 + np.exp(-z))
        expected = [(float(z >= 0), 0.0), (max(z, 0.0), float(z > 0)), (s, s * (1 - s)),
                    (np.tanh(z), 1 - np.tanh(z) ** 2), (z, 1.0)]
        for row, (f, df) in enumerate(expected):
            assert widget.table.item(row, 1).text() == i18n.number(f, 4)
            assert widget.table.item(row, 2).text() == i18n.number(df, 4)
    widget.slider.setValue(-300)
    assert widget.z == -3.0 and widget.markers[0].value() == -3.0
    i18n.apply_language(qapp, "fa")
    widget.retranslate()
    assert widget.table.item(2, 1).text() == i18n.number(1 / (1 + np.exp(3.0)), 4)
    assert "۰" in widget.table.item(2, 1).text()


# --- gradient descent ----------------------------------------------------------------------

def test_gradient_descent_animates_the_path(qtbot):
    widget = make(qtbot, create("gradient_descent"))
    widget.rate.setValue(1.3)
    widget.steps.setValue(20)
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.start_button.click()
        assert widget.timer.isActive()
    assert widget.descent.verdict == "diverges" and "diverges" in widget.status.text()
    xs, _ys = widget.path_item.getData()
    assert len(xs) == 21
    widget.rate.setValue(0.1)
    widget.set_batch("mini")
    widget.start()
    widget.finish()
    assert widget.shown == len(widget.descent.path) == 21
    assert widget.descent.verdict != "diverges"


# --- vanishing gradients -------------------------------------------------------------------

def test_vanishing_playground_computes_in_a_worker(qtbot):
    widget = make(qtbot, create("vanishing_gradients"))
    widget.length.setValue(30)
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.compute_button.click()
        assert not widget.compute_button.isEnabled()
    qtbot.waitUntil(widget.compute_button.isEnabled, timeout=30_000)
    for kind in ("SimpleRNN", "LSTM"):
        xs, ys = widget.curves[kind].getData()
        assert len(xs) == 30 and np.allclose(10 ** ys, widget.norms[kind], rtol=1e-4)
    assert widget.plot.getPlotItem().layoutDirection() == widget.plot.getPlotItem(
    ).layoutDirection().LeftToRight
    assert "RNN" in widget.summary.text()


# --- inside the cell -----------------------------------------------------------------------

def test_inside_the_cell_heat_map(qtbot, tiny_lm, qapp):
    from hafiza.engine.inspection import lstm_gates

    _exercise, prepared = tiny_lm
    widget = make(qtbot, create("inside_cell", prepared))
    widget.sentence.setText("the cat saw the dog")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.show_button.click()
    ids = prepared.vocab.encode("the cat saw the dog")
    gates = lstm_gates(prepared.model, np.asarray(ids))
    for view in ("input", "forget", "output"):
        widget.set_view(view)
        assert widget.table.columnCount() == 5 and widget.table.rowCount() == 16
        assert widget.table.horizontalHeaderItem(1).text() == "cat"
        assert np.all((widget.values >= 0) & (widget.values <= 1))
        assert np.allclose(widget.values, gates[view][0].T, atol=1e-6)
    widget.set_view("h")
    assert np.allclose(widget.values, gates["h"][0].T, atol=1e-6)
    assert widget.table.item(0, 2).text() == i18n.number(float(gates["h"][0, 2, 0]), 2)
    # Words of an Arabic-script sentence run right to left.
    widget.sentence.setText("گربه the")
    with qtbot.waitSignal(widget.computed, timeout=30_000):
        widget.inspect()
    assert widget.table.layoutDirection() == widget.table.layoutDirection().RightToLeft
    widget.sentence.setText("")
    widget.inspect()
    assert widget.table.columnCount() == 0 and "Type a few words" in widget.message.text()


def test_next_word_names_the_end_of_a_line_instead_of_showing_a_token(qtbot, tiny_lm):
    _exercise, prepared = tiny_lm
    widget = make(qtbot, create("next_word", prepared))
    widget.vocab = Vocabulary.build([["the", "cat", "<eos>", "the", "<eos>"]])
    probabilities = np.full(len(widget.vocab), 0.01)
    probabilities[widget.vocab.word_index["<eos>"]] = 1.0
    widget._on_distributions((probabilities / probabilities.sum(), None))
    assert widget.table.item(0, 0).text() == "(end of the line)"


def test_next_words_are_spelled_as_their_text_wrote_them(qtbot, tiny_lm):
    """The normaliser folds ى into ی and أ into ا; the playground shows حتى and الأولى."""
    from hafiza.engine.data.lm import LanguageModelData

    data = LanguageModelData.from_text("مشى حتى الليل الأولى\nحتى الصباح\n", val_fraction=0.0)
    widget = make(qtbot, create("next_word", tiny_lm[1]))
    widget.vocab = data.vocab
    probabilities = np.full(len(data.vocab), 0.01)
    probabilities[data.vocab.word_index["حتی"]] = 1.0
    probabilities[data.vocab.word_index["الاولی"]] = 0.5
    widget._on_distributions((probabilities / probabilities.sum(), None))
    assert [widget.table.item(row, 0).text() for row in (0, 1)] == ["حتى", "الأولى"]
    widget._show_generated(["حتی", "اللیل", "<eos>"])
    assert widget.output.toPlainText().endswith("حتى الليل\n")
