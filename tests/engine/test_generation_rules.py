"""What generation may write: words and prose marks only, the k likeliest, and a stop at the
end of a sentence when asked. The model's scores are set by hand, so each rule is seen alone."""

import torch

from hafiza.engine.data.lm import LanguageModelData
from hafiza.engine.inspection import generate_text, is_writable, unwritable_ids
from hafiza.engine.models import build_model

TEXT = "سلام دنیا ، خوب 49 + = ( است .\nhello world ? end ! آیا ؟\n"


def _model_favouring(vocab, scores: dict[str, float]):
    """A model whose every next-token score is fixed: ``scores`` by token, -5 elsewhere."""
    torch.manual_seed(0)
    model = build_model(["Embedding(vocab_size, 4)", "LSTM(4, return_sequences=True)",
                         "Dense(vocab_size)"], None, {"vocab_size": len(vocab)})
    dense = model.layers[-1]
    with torch.no_grad():
        for parameter in dense.parameters():
            parameter.zero_()
        bias = list(dense.parameters())[-1]
        bias.fill_(-5.0)
        for token, score in scores.items():
            bias[vocab.word_index[token]] = score
    return model


def _vocab(unit="word"):
    return LanguageModelData.from_text(TEXT, punctuation=True, val_fraction=0.0, unit=unit).vocab


def test_never_special_tokens_or_non_words():
    vocab = _vocab()
    model = _model_favouring(vocab, {"<oov>": 9, "<eos>": 9, "49": 9, "+": 9, "=": 9, "(": 9,
                                     "دنیا": 1})
    words = generate_text(model, vocab, "سلام", 30, temperature=1.0, seed=1)
    assert len(words) == 30
    assert not {"<oov>", "<eos>", "<pad>", "49", "+", "=", "("} & set(words)
    assert words.count("دنیا") > 10  # the likeliest word that may be written


def test_writable_tokens():
    assert is_writable("دنیا") and is_writable("،") and is_writable("؟")
    for token in ("<eos>", "<oov>", "<pad>", "49", "+", "=", "(", "0.5"):
        assert not is_writable(token), token
    assert is_writable("<eos>", "char") and is_writable(" ", "char")
    assert not is_writable("4", "char") and not is_writable("<oov>", "char")
    vocab = _vocab()
    banned = set(vocab.decode(unwritable_ids(vocab)))
    assert {"<pad>", "<oov>", "<eos>", "49", "+", "=", "("} <= banned
    assert not {"سلام", "،", ".", "؟", "?", "!"} & banned


def test_top_k_draws_only_among_the_k_likeliest():
    vocab = _vocab()
    model = _model_favouring(vocab, {"سلام": 3.0, "دنیا": 2.9, "خوب": 2.8, "است": 2.7})
    words = generate_text(model, vocab, "سلام", 200, temperature=5.0, seed=0, top_k=2)
    assert set(words) == {"سلام", "دنیا"}
    wide = generate_text(model, vocab, "سلام", 200, temperature=5.0, seed=0)
    assert len(set(wide)) > 2  # without top-k the hot draw spreads further


def test_stops_after_the_end_of_a_sentence_when_asked():
    vocab = _vocab()
    model = _model_favouring(vocab, {"خوب": 2.0, ".": 1.5, "؟": 1.5})
    words = generate_text(model, vocab, "سلام", 200, seed=0, stop_at_sentence_end=True)
    assert words[-1] in (".", "؟", "?", "!") and len(words) < 200
    assert not {".", "؟", "?", "!"} & set(words[:-1])
    assert len(generate_text(model, vocab, "سلام", 200, seed=0)) == 200  # not asked: no stop


def test_char_unit_joins_characters_and_stops_at_a_new_line():
    vocab = _vocab("char")
    model = _model_favouring(vocab, {"ل": 2.0, " ": 1.0, "<eos>": 1.0, "4": 9.0})
    chars = generate_text(model, vocab, "سلا", 100, seed=0, stop_at_sentence_end=True)
    assert chars[-1] in ("<eos>", ".", "؟", "?", "!") and "4" not in chars
    text = vocab.join(chars)
    assert "<eos>" not in text and set(text) <= {"ل", " ", "\n"}
    assert vocab.join(["ا", "ب", " ", "پ", "<eos>"]) == "اب پ\n"


def test_the_guess_list_shows_words_never_numbers_or_marks_of_code():
    """The playground's list of next words: a number or a stray mark is no guess a learner
    learns from; the unknown word and the end of a sentence are, and stay."""
    import numpy as np

    from hafiza.engine.playgrounds.next_word import next_word_guesses
    from hafiza.engine.text import EOS, Vocabulary

    vocab = Vocabulary.build(["the cat sat 49 = on the mat"])
    probabilities = np.full(len(vocab), 0.01)
    for token, p in (("49", 0.5), ("=", 0.3), ("cat", 0.1), (EOS, 0.05)):
        if token in vocab.word_index:
            probabilities[vocab.word_index[token]] = p
    probabilities /= probabilities.sum()
    words = [guess.word for guess in next_word_guesses(probabilities, vocab, k=5)]
    assert "49" not in words and "=" not in words
    assert words[0] == "cat"
