"""A counting baseline beside the network: an interpolated Kneser-Ney n-gram model.

The learner's LSTM is worth its training only if it beats counting. This model counts the
n-grams of the training ids (words or characters alike) and predicts the next id from them,
in numpy alone, in a fraction of a second for a few hundred thousand tokens.

Interpolated Kneser-Ney with one absolute discount per order, as Chen & Goodman (1998), "An
Empirical Study of Smoothing Techniques for Language Modeling", TR-10-98, eq. (26) and
section 3 write it. For a context h of k - 1 ids and h' its last k - 2::

    P_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h .)  +  D_k * N1+(h .) / c_k(h .) * P_{k-1}(w | h')
    P_0(w)     = 1 / V                          (so no id ever gets probability zero)

- c_k is the raw count at the top order (n, or fewer when the context is shorter: a
  one-word prompt is predicted from bigram counts); every order below it counts
  continuations, c_k(h w) = N1+(. h w), the number of distinct ids seen before "h w" (a
  word that follows only one other word, "Francisco" after "San", gets little unigram mass);
- N1+(h .) is the number of distinct ids seen after h, so the discounted mass goes to the
  lower order in proportion to how many different continuations h has;
- D_k = n1 / (n1 + 2 n2), n1 and n2 the numbers of k-grams counted once and twice at that
  order (Ney, Essen & Kneser 1994; Chen & Goodman eq. 20);
- a context never seen (c_k(h .) = 0) hands its whole mass to the lower order.

The distribution sums to 1 over the V ids at every order, because the discounted mass is
exactly what the interpolation weight gives back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# n-grams are packed into one int64 key, base V; V ** order must stay below this.
_KEY_LIMIT = 2**62


@dataclass(frozen=True)
class _Order:
    """The counts of one order k: the k-grams as sorted keys, and per context (the first
    k - 1 ids, key // V) the total count and the number of distinct next ids."""

    keys: np.ndarray  # sorted unique k-gram keys
    counts: np.ndarray  # raw or continuation counts, float64
    contexts: np.ndarray  # sorted unique context keys
    context_totals: np.ndarray  # c_k(h .)
    context_types: np.ndarray  # N1+(h .)
    discount: float


class KneserNey:
    """An interpolated Kneser-Ney model of a stream of ids (see the module's docstring).

    ``KneserNey.fit(train_ids, vocab_size)`` counts; ``distribution``, ``top_k``,
    ``log_prob`` and ``perplexity`` ask it. ``special_ids`` (padding, ``<oov>``) keep their
    probability mass but are never offered by ``top_k``, as the playground never offers them.
    """

    def __init__(self, raw: list[_Order], continued: list[_Order], vocab_size: int,
                 special_ids: tuple[int, ...]) -> None:
        self._raw = raw  # order k at index k - 1
        self._continued = continued  # order k < n at index k - 1
        self.vocab_size = vocab_size
        self.order = len(raw)
        self.special_ids = special_ids

    def _levels(self, top: int) -> list[_Order]:
        """Orders 1..top as they enter a prediction: continuation counts below the top, raw
        counts at the top, the order the context is long enough for. A one-word prompt is
        then predicted by the bigram counts themselves, as a bigram model would predict it,
        not by the continuation counts that only stand in for an unseen longer context."""
        return [*self._continued[:top - 1], self._raw[top - 1]]

    @classmethod
    def fit(cls, ids: Sequence[int], vocab_size: int, order: int = 3,
            special_ids: Iterable[int] = (0,)) -> KneserNey:
        """Count the n-grams of ``ids`` (each in [0, vocab_size)) up to ``order``."""
        if order < 1:
            raise ValueError(f"order must be at least 1, not {order}")
        if vocab_size < 1:
            raise ValueError(f"vocab_size must be at least 1, not {vocab_size}")
        if vocab_size ** order >= _KEY_LIMIT:
            raise ValueError(f"a vocabulary of {vocab_size} is too large for order {order}")
        stream = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(stream) and (stream.min() < 0 or stream.max() >= vocab_size):
            raise ValueError(f"ids must lie in [0, {vocab_size})")
        V = vocab_size
        raw, continued = [], []
        for k in range(1, order + 1):
            keys, counts = np.unique(_ngram_keys(stream, k, V), return_counts=True)
            raw.append(cls._count_order(keys, counts, V))
            if k > 1:  # N1+(. h w): how many distinct k-grams end in the (k-1)-gram "h w"
                continued.append(cls._count_order(*np.unique(keys % V**(k - 1),
                                                             return_counts=True), V))
        return cls(raw, continued, V, tuple(sorted({int(i) for i in special_ids})))

    @staticmethod
    def _count_order(keys: np.ndarray, counts: np.ndarray, V: int) -> _Order:
        counts = counts.astype(np.float64)
        contexts, first = np.unique(keys // V, return_index=True)
        totals = np.add.reduceat(counts, first) if len(keys) else np.zeros(0)
        types = np.diff(np.append(first, len(keys))).astype(np.float64)
        n1, n2 = int((counts == 1).sum()), int((counts == 2).sum())
        # No singletons to estimate from (a text read many times over): a middle discount.
        discount = n1 / (n1 + 2 * n2) if n1 else 0.5
        return _Order(keys, counts, contexts, totals, types, discount)

    # --- asking the model ------------------------------------------------------------------

    def _context_key(self, context: Sequence[int]) -> int:
        key = 0
        for i in context:
            key = key * self.vocab_size + int(i)
        return key

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """P(next id | context) over the whole vocabulary: sums to 1, never zero. Only the
        last ``order - 1`` ids of the context count."""
        V = self.vocab_size
        context = [int(i) for i in context][max(0, len(context) - (self.order - 1)):]
        probabilities = np.full(V, 1.0 / V)
        for k, level in enumerate(self._levels(len(context) + 1), start=1):
            history = self._context_key(context[len(context) - (k - 1):])
            start, stop = np.searchsorted(level.keys, [history * V, (history + 1) * V])
            if start == stop:  # context never seen at this order: keep the lower order
                continue
            counts = level.counts[start:stop]
            total = counts.sum()
            mixed = probabilities * (level.discount * (stop - start) / total)
            mixed[level.keys[start:stop] % V] += np.maximum(counts - level.discount, 0) / total
            probabilities = mixed
        return probabilities

    def top_k(self, context: Sequence[int], k: int,
              exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
        """The k likeliest next ids after ``context`` as (id, probability), likeliest first;
        never a special id (padding, ``<oov>``) nor one of ``exclude``."""
        from hafiza.engine.inspection import top_k  # the same ranking as the LSTM's guesses

        return top_k(self.distribution(context), k, (*self.special_ids, *exclude))

    def token_probabilities(self, ids: Sequence[int]) -> np.ndarray:
        """P(ids[t] | the ids before it, up to order - 1 of them) for every t >= 1: the
        first id has no context to be predicted from, as for a network from a zero state."""
        stream = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(stream) < 2:
            return np.zeros(0)
        full = max(1, self.order - 1)  # from here on every position has a full context
        short = [self._probabilities_at(stream, t) for t in range(1, min(full, len(stream)))]
        rest = self._probabilities_at(stream, np.arange(full, len(stream)))
        return np.concatenate([*short, rest])

    def _probabilities_at(self, stream: np.ndarray, positions) -> np.ndarray:
        """P(stream[t] | its up to order - 1 predecessors) for each t of ``positions``, all of
        which have the same number of predecessors (min(t, order - 1))."""
        positions = np.atleast_1d(positions)
        if len(positions) == 0:
            return np.zeros(0)
        V = self.vocab_size
        history_length = min(int(positions[0]), self.order - 1)
        targets = stream[positions]
        probabilities = np.full(len(positions), 1.0 / V)
        for k, level in enumerate(self._levels(history_length + 1), start=1):
            history = np.zeros(len(positions), dtype=np.int64)
            for back in range(k - 1, 0, -1):
                history = history * V + stream[positions - back]
            seen, where = _lookup(level.contexts, history)
            total = np.where(seen, level.context_totals[where], 1.0)
            types = np.where(seen, level.context_types[where], 0.0)
            found, at = _lookup(level.keys, history * V + targets)
            count = np.where(found, level.counts[at], 0.0)
            mixed = (np.maximum(count - level.discount, 0)
                     + level.discount * types * probabilities) / total
            probabilities = np.where(seen, mixed, probabilities)
        return probabilities

    def log_prob(self, ids: Sequence[int]) -> float:
        """The natural log of the probability of ``ids[1:]``, each given those before it."""
        return float(np.log(self.token_probabilities(ids)).sum())

    def perplexity(self, ids: Sequence[int]) -> float:
        """exp(mean negative log-likelihood) of ``ids[1:]`` on held-out ids: the same
        positions a network's validation perplexity scores from a zero state."""
        probabilities = self.token_probabilities(ids)
        if len(probabilities) == 0:
            raise ValueError("perplexity needs at least two ids")
        return math.exp(-float(np.log(probabilities).mean()))


def _ngram_keys(stream: np.ndarray, n: int, V: int) -> np.ndarray:
    """Every n-gram of the stream packed into one key, base V (none when it is shorter)."""
    count = len(stream) - n + 1
    keys = np.zeros(max(count, 0), dtype=np.int64)
    for offset in range(n if count > 0 else 0):
        keys = keys * V + stream[offset:offset + count]
    return keys


def _lookup(sorted_keys: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, index) for each query in sorted_keys; index is only meaningful where found."""
    if len(sorted_keys) == 0:
        return np.zeros(len(queries), dtype=bool), np.zeros(len(queries), dtype=np.int64)
    index = np.minimum(np.searchsorted(sorted_keys, queries), len(sorted_keys) - 1)
    return sorted_keys[index] == queries, index


def fit_baseline(data, order: int = 3, vocab=None) -> KneserNey:
    """The Kneser-Ney baseline of a language-model data set (engine.data.lm's
    LanguageModelData): fitted on its training ids, never suggesting padding or ``<oov>``.

    ``vocab`` is the model's own vocabulary when it may differ from the data's: a run read
    back from *Earlier runs* keeps the vocabulary it trained with, while its text is read
    again (and cleaned by today's rules, which may number the words otherwise). The training
    ids are then carried over word by word into the model's ids, so that both models guess
    in the same numbers; a word the model has no id for counts as its ``<oov>``."""
    vocab = data.vocab if vocab is None else vocab
    oov = vocab.oov_index
    ids = np.asarray(data.train_ids, dtype=np.int64)
    if vocab is not data.vocab and vocab.word_index != data.vocab.word_index:
        own_ids = np.full(len(data.vocab), 0 if oov is None else oov, dtype=np.int64)
        for word, i in data.vocab.word_index.items():
            own_ids[i] = vocab.word_index.get(word, own_ids[i])
        ids = own_ids[ids]
    special = [0] + ([oov] if oov is not None else [])
    return KneserNey.fit(ids, len(vocab), order, special_ids=special)
