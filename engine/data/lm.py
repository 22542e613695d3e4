"""Word-level language-model data: one stream of token ids, cut into batches and BPTT windows,
the way PyTorch's word_language_model example feeds an RNN."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..text import EOS, Vocabulary, tokenize, usual_spellings
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
    ) -> LanguageModelData:
        """Tokenise ``text`` line by line (with ``<eos>`` closing each line that has words),
        keep the first part for training and the last ``val_fraction`` for validation.

        The vocabulary comes from the training part only, so validation words it never saw
        count as ``<oov>``, as they would for any new text.
        """
        if not 0 <= val_fraction < 1:
            raise ValueError(f"val_fraction must be in [0, 1), not {val_fraction}")
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
            raise CorpusError("the text has too few words to learn from")
        n_train = max(1, len(tokens) - round(len(tokens) * val_fraction))
        # Shown words are spelled as the text wrote them (ى, أ, ي rather than the canonical ی, ا).
        vocab = Vocabulary.build([tokens[:n_train]], num_words=num_words,
                                 punctuation=punctuation,
                                 spellings=usual_spellings(lines, punctuation))
        return cls(
            vocab=vocab,
            train_ids=np.array(vocab.encode(tokens[:n_train]), dtype=np.int64),
            val_ids=np.array(vocab.encode(tokens[n_train:]), dtype=np.int64),
        )


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
