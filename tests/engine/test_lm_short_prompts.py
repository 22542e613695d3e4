"""Training and prediction agree: a model trained on a text predicts the next word after a
prompt of two words, from the zero state the playground starts from."""

import numpy as np
import pytest
import torch

from hafiza.engine.data.lm import LanguageModelData, random_windows, windows_per_epoch
from hafiza.engine.events import Failed, Finished
from hafiza.engine.inspection import next_word_distribution
from hafiza.engine.models import build_model
from hafiza.engine.train import TrainConfig, fit

# 30 different words in a fixed order: every word has exactly one next word.
WORDS = [f"w{chr(97 + i // 10)}{chr(97 + i % 10)}" for i in range(30)]
CYCLE_TEXT = "\n".join(" ".join(WORDS) for _ in range(400))


def _train(text: str, unit: str = "word", epochs: int = 3):
    torch.manual_seed(0)
    data = LanguageModelData.from_text(text, val_fraction=0.1, unit=unit)
    model = build_model(["Embedding(vocab_size, 32)", "LSTM(64, return_sequences=True)",
                         "Dense(vocab_size, softmax)"], None, {"vocab_size": len(data.vocab)})
    config = TrainConfig(task="language_model", learning_rate=0.01, batch_size=16, bptt=20,
                         epochs=epochs, seed=0)
    events = list(fit(model, data, config))
    assert not any(isinstance(e, Failed) for e in events), events[-1]
    assert isinstance(events[-1], Finished)
    return model, data.vocab


def test_two_word_prompt_gets_a_peaked_right_guess():
    model, vocab = _train(CYCLE_TEXT)
    p = next_word_distribution(model, vocab.encode("wad wae"))
    uniform = 1 / len(p)
    assert int(np.argmax(p)) == vocab.word_index["waf"]
    assert p.max() > 10 * uniform


def test_one_word_prompt_is_peaked_too():
    model, vocab = _train(CYCLE_TEXT)
    p = next_word_distribution(model, vocab.encode("wbc"))
    assert vocab.decode([int(np.argmax(p))]) == ["wbd"]
    assert p.max() > 10 / len(p)


def test_random_windows_cover_the_text_from_random_offsets():
    stream = torch.arange(1000)
    generator = torch.Generator().manual_seed(3)
    batches = list(random_windows(stream, 4, 10, windows_per_epoch(1000, 4, 10), generator))
    assert len(batches) == 25  # about one pass over the text's tokens
    starts = {int(x[row, 0]) for x, _y in batches for row in range(4)}
    assert len(starts) > 50  # offsets vary, not one fixed grid
    for x, y in batches:
        assert x.shape == y.shape == (4, 10)
        assert torch.equal(y, x + 1)  # y is the next token of x, the text in order


def test_random_windows_are_shorter_on_a_short_text():
    (x, y), = random_windows(torch.arange(5), 2, 35, 1, torch.Generator().manual_seed(0))
    assert x.shape == (2, 4) and torch.equal(y, x + 1)


def test_same_seed_same_windows():
    def offsets(seed):
        gen = torch.Generator().manual_seed(seed)
        return [x[:, 0].tolist() for x, _ in random_windows(torch.arange(500), 3, 7, 5, gen)]
    assert offsets(1) == offsets(1) != offsets(2)


def test_a_tiny_char_model_learns_a_repeated_string():
    model, vocab = _train("\n".join(["hafiza writes"] * 60), unit="char", epochs=40)
    assert vocab.unit == "char" and " " in vocab.word_index
    p = next_word_distribution(model, vocab.encode("hafiza wri"))
    assert vocab.decode([int(np.argmax(p))]) == ["t"]
    assert p.max() > 0.5


@pytest.mark.parametrize("unit", ["word", "char"])
def test_unknown_unit_is_refused(unit):
    LanguageModelData.from_text("a b c d", unit=unit)
    with pytest.raises(ValueError, match="unit"):
        LanguageModelData.from_text("a b c d", unit="syllable")
