"""Language-model data: one stream of token ids (words, or characters with ``unit="char"``),
and the windows a model trains on.

Training and prediction must see the same kind of context. The playground asks a model for
the next word after a prompt of one to three words, starting from a zero hidden state. A model
trained only by stateful truncated BPTT (consecutive windows, the state carried from one to
the next, as in PyTorch's word_language_model example) has almost never seen a zero state
after its first window, so after a short prompt its guesses were nearly uniform (measured on
the Persian lessons: the top word 1.4 times the uniform probability). So training draws its
windows of ``bptt`` tokens at random offsets and runs each from a zero state
(``random_windows``): every window teaches the first words after a fresh start as well as
the longer contexts up to ``bptt`` tokens, and gradients still flow back at most ``bptt``
steps (truncated backpropagation through time). ``batchify`` and ``bptt_windows`` cut the
consecutive windows that validation reads with its state carried along.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from hafiza.words import _

from ..text import EOS, CharVocabulary, Vocabulary, char_tokens, tokenize, usual_spellings
from .corpora import CorpusError


@dataclass
class LanguageModelData:
    vocab: Vocabulary
    train_ids: np.ndarray  # 1-D int64
    val_ids: np.ndarray  # 1-D int64, the text right after the training part

    # What the data offers (as ArrayDataset says it): words, and no held-out test set.
    task = "language_model"
    has_test_set = False
    test_set = None

    @property
    def vocabulary(self) -> Vocabulary:
        return self.vocab

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        num_words: int | None = 10000,
        val_fraction: float = 0.1,
        add_eos: bool = True,
        punctuation: bool = False,
        unit: str = "word",
        min_count: int = 1,
    ) -> LanguageModelData:
        """Tokenise ``text`` line by line (with ``<eos>`` closing each line that has words),
        keep the first part for training and the last ``val_fraction`` for validation.

        The vocabulary comes from the training part only, so validation words it never saw
        count as ``<oov>``, as they would for any new text, and so do tokens the training
        part has fewer than ``min_count`` times (see engine.text.MIN_COUNT). ``unit="char"``
        makes every character a token (engine.text.CharVocabulary); ``punctuation`` is then moot.
        """
        if not 0 <= val_fraction < 1:
            raise ValueError(f"val_fraction must be in [0, 1), not {val_fraction}")
        if unit == "char":
            return cls._characters(text, num_words=num_words, val_fraction=val_fraction,
                                   add_eos=add_eos, min_count=min_count)
        if unit != "word":
            raise ValueError(f'unit is "word" or "char", not {unit!r}')
        tokens: list[str] = []
        lines: list[tuple[str, list[str]]] = []  # each line with its words, for the spellings
        for line in text.splitlines():
            words = tokenize(line, punctuation=punctuation)
            if words:
                tokens.extend(words)
                lines.append((line, words))
                if add_eos:
                    tokens.append(EOS)
        if len(tokens) < 2:
            raise CorpusError(_("the text has too few words to learn from"))
        n_train = max(1, len(tokens) - round(len(tokens) * val_fraction))
        # Shown words are spelled as the text wrote them (ى, أ, ي rather than the canonical ی, ا).
        vocab = Vocabulary.build([tokens[:n_train]], num_words=num_words,
                                 punctuation=punctuation, min_count=min_count,
                                 spellings=usual_spellings(lines, punctuation))
        _refuse_empty(vocab, tokens[:n_train], min_count, _is_word)
        return cls(
            vocab=vocab,
            train_ids=np.array(vocab.encode(tokens[:n_train]), dtype=np.int64),
            val_ids=np.array(vocab.encode(tokens[n_train:]), dtype=np.int64),
        )

    @classmethod
    def _characters(cls, text: str, *, num_words: int | None, val_fraction: float,
                    add_eos: bool, min_count: int) -> LanguageModelData:
        tokens: list[str] = []
        for line in text.splitlines():
            chars = char_tokens(line)
            if chars:
                tokens.extend(chars)
                if add_eos:
                    tokens.append(EOS)  # the new line: a character model writes lines too
        if len(tokens) < 2:
            raise CorpusError(_("the text has too few characters to learn from"))
        n_train = max(1, len(tokens) - round(len(tokens) * val_fraction))
        vocab = CharVocabulary.build([tokens[:n_train]], num_words=num_words,
                                     min_count=min_count)
        _refuse_empty(vocab, tokens[:n_train], min_count, lambda token: True)
        return cls(
            vocab=vocab,
            train_ids=np.array(vocab.encode(tokens[:n_train]), dtype=np.int64),
            val_ids=np.array(vocab.encode(tokens[n_train:]), dtype=np.int64),
        )


def _is_word(token: str) -> bool:
    """A token that is a word, not a punctuation mark."""
    return bool(tokenize(token, normalize_text=False))


class NothingKept(CorpusError):
    """``min_count`` keeps no token of the training text (with words: punctuation marks alone
    do not count); ``most`` is the largest value that would keep one."""

    def __init__(self, min_count: int, most: int) -> None:
        message = _("nothing in the text occurs {count} times or more, so the model would "
                    "have nothing to learn: use a longer text, or a dataset.min_count of at "
                    "most {most}")
        super().__init__(message.format(count=min_count, most=most))
        self.min_count = min_count
        self.most = most


def _refuse_empty(vocab: Vocabulary, training: list[str], min_count: int,
                  counts: Callable[[str], bool]) -> None:
    """Refuse a vocabulary that kept no token that ``counts``: every word would be <oov>, the
    model's guess would nearly always be right, and training would report a tiny perplexity
    and "goal met" for a model that learned nothing."""
    if any(counts(token) for token in vocab.word_index if token not in (vocab.oov_token, EOS)):
        return
    frequencies = Counter(token for token in training if token != EOS and counts(token))
    if not frequencies:  # punctuation marks alone: no min_count would help
        raise CorpusError(_("the text has too few words to learn from"))
    raise NothingKept(min_count, max(frequencies.values()))


def windows_per_epoch(n_tokens: int, batch_size: int, bptt: int) -> int:
    """How many random windows make an epoch: about as many tokens as the text holds."""
    return max(1, -(-(n_tokens - 1) // (batch_size * bptt)))


def random_windows(stream: Any, batch_size: int, bptt: int, n_windows: int,
                   generator: Any) -> Iterator[tuple[Any, Any]]:
    """``n_windows`` batches of ``batch_size`` windows, each ``bptt`` tokens of the 1-D torch
    tensor ``stream`` from an offset drawn with ``generator`` (a CPU torch.Generator): (x, y)
    with y the next token of each x. Each window is meant to run from a zero hidden state
    (see this module's docstring). A text shorter than ``bptt`` gives windows of its length.
    """
    import torch  # the engine's data modules import without torch; training has it

    if bptt < 1:
        raise ValueError(f"bptt must be at least 1, not {bptt}")
    length = min(bptt, len(stream) - 1)
    if length < 1:
        raise ValueError("a text of fewer than 2 tokens has no window")
    steps = torch.arange(length + 1, device=stream.device)
    for _window in range(n_windows):
        starts = torch.randint(0, len(stream) - length, (batch_size, 1), generator=generator)
        chunk = stream[starts.to(stream.device) + steps]
        yield chunk[:, :-1], chunk[:, 1:]


def batchify(ids: np.ndarray, batch_size: int) -> np.ndarray:
    """Cut a 1-D id stream into ``batch_size`` rows of consecutive text, (batch_size, n_steps).

    Row b continues where row b - 1's text stopped; the remainder that does not fill a
    column is dropped. Successive BPTT windows of a row are then consecutive text, so the
    hidden state can be carried from one window to the next.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"expected a 1-D id stream, got shape {ids.shape}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    n_steps = len(ids) // batch_size
    if n_steps == 0:
        raise ValueError(f"{len(ids)} tokens cannot fill {batch_size} rows")
    return ids[: n_steps * batch_size].reshape(batch_size, n_steps)


def bptt_windows(batched: np.ndarray, bptt: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Successive (x, y) windows of at most ``bptt`` steps; y is x shifted one step ahead,
    the next word to predict. The last window is shorter when the steps run out.

    Works on a numpy array or a torch tensor alike, yielding views of it (no copies).
    """
    if bptt < 1:
        raise ValueError(f"bptt must be at least 1, not {bptt}")
    n_steps = batched.shape[1]
    for start in range(0, n_steps - 1, bptt):
        length = min(bptt, n_steps - 1 - start)
        yield batched[:, start : start + length], batched[:, start + 1 : start + 1 + length]
