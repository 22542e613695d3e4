"""Bag-of-words layers: the mean of word (and hashed word-pair) embeddings, and NBSVM.

They read a review as a set of words and word pairs rather than a sequence, which is why
they train in seconds on IMDB; ``engine.models`` builds them from a spec like any layer.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch import nn

from hafiza.engine.activations import activation_function
from hafiza.engine.layers import MAX_SIZE


class EmbeddingBagLayer(nn.Module):
    """Mean of the token embeddings (fastText style), with optional hashed bigrams.

    Id 0 is padding and ignored. A bigram (a, b) of two real tokens is hashed into one of
    ``buckets`` extra rows of the table, so "not good" gets a vector of its own.
    """

    def __init__(self, input_dim: int, output_dim: int, bigrams: bool, buckets: int | None):
        super().__init__()
        self.input_dim = input_dim
        self.bigrams = bigrams
        self.buckets = (buckets or 4 * input_dim) if bigrams else 0
        self.bag = nn.EmbeddingBag(input_dim + self.buckets, output_dim, mode="mean",
                                   padding_idx=0)
        nn.init.uniform_(self.bag.weight, -0.05, 0.05)  # Keras Embedding default
        with torch.no_grad():
            self.bag.weight[0].zero_()

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        ids = ids.long()
        if self.bigrams and ids.shape[1] > 1:
            left, right = ids[:, :-1], ids[:, 1:]
            hashed = (left * 1_000_003 + right) % self.buckets + self.input_dim
            hashed = torch.where((left > 0) & (right > 0), hashed, torch.zeros_like(hashed))
            ids = torch.cat([ids, hashed], dim=1)
        return self.bag(ids)


# Hashing of n-grams for NBSVMLayer: a polynomial hash modulo the prime 2**31 - 1, then
# modulo the bucket count. Every product stays below 2**63 (ids are below MAX_SIZE < 2**24),
# and a large multiplier spreads consecutive ids, so any bucket count works (EmbeddingBag's
# (a * 1_000_003 + b) % buckets needs a bucket count chosen to suit its multiplier).
_HASH_PRIME = 2_147_483_647
_HASH_MULTIPLIERS = (1_000_000_007, 1_234_567_891)


def ngram_features(ids: torch.Tensor, input_dim: int, ngrams: int,
                   buckets: int) -> torch.Tensor:
    """(batch, steps) token ids -> (batch, k) feature ids, each feature present in a row
    once and the rest of the row 0 (padding). Features are the ids themselves and, for
    ``ngrams`` 2 or 3, the pairs (triples) of consecutive non-zero ids hashed to
    input_dim .. input_dim + buckets - 1."""
    ids = ids.long()
    parts = [ids]
    prime, (m1, m2) = _HASH_PRIME, _HASH_MULTIPLIERS
    if ngrams >= 2 and ids.shape[1] > 1:
        a, b = ids[:, :-1], ids[:, 1:]
        pair = (a * m1 + b) % prime
        parts.append(torch.where((a > 0) & (b > 0), pair % buckets + input_dim, 0))
        if ngrams >= 3 and ids.shape[1] > 2:
            c = ids[:, 2:]
            triple = (pair[:, :-1] * m2 + c) % prime
            real = (a[:, :-1] > 0) & (b[:, :-1] > 0) & (c > 0)
            parts.append(torch.where(real, triple % buckets + input_dim, 0))
    found = torch.cat(parts, dim=1).sort(dim=1).values
    repeated = torch.zeros_like(found, dtype=torch.bool)
    repeated[:, 1:] = found[:, 1:] == found[:, :-1]
    return found.masked_fill(repeated, 0)


class NBSVMLayer(nn.Module):
    """NBSVM (Wang & Manning 2012) as one layer: a linear classifier over the presence of
    words and word n-grams, each feature scaled by its naive-Bayes log-count ratio.

    Features: the word ids (0 pads and is ignored) and, with ``ngrams`` 2 or 3, the hashed
    pairs (and triples) of consecutive real tokens in ``buckets`` more slots, each counted
    once per text (presence, not frequency). The log-count ratio of feature f is
    r_f = log((p_f / |p|_1) / (q_f / |q|_1)), with p_f, q_f = 1 + the number of positive,
    negative training texts that contain f; a feature found in fewer than ``min_count``
    training texts gets r = 0, so it is ignored (by default only features never seen in
    training, which in Wang & Manning's setting are no features at all). ``adapt`` computes
    r from the training set into the ``log_ratio`` buffer (``engine.train.fit`` runs it, as
    ``adapt_steps``, before the first epoch): saved in checkpoints, never learned.

    The score is fast.ai's "DotProdNB" form of NBSVM: sum over the present features of
    (w_f + W_ADJ) * r_f / R_ADJ, plus a bias. w starts at 0, so training starts from the naive
    Bayes classifier itself and learns corrections to it (weight decay pulls back towards
    naive Bayes, like Wang & Manning's interpolation between NB and the SVM). The output is
    one score; the activation (sigmoid by default) is the model's output activation, as in
    Dense(1, sigmoid).
    """

    W_ADJ = 0.4
    R_ADJ = 10.0
    non_trainable_buffers = ("log_ratio",)  # engine.summary counts them, as Keras would

    def __init__(self, input_dim: int, ngrams: int = 2, buckets: int | None = None,
                 min_count: int = 1, activation: str = "sigmoid"):
        super().__init__()
        self.input_dim = input_dim
        self.ngrams = ngrams
        self.min_count = min_count
        self.buckets = (buckets or min(16 * input_dim, MAX_SIZE)) if ngrams > 1 else 0
        self.n_features = input_dim + self.buckets
        self.feature_weight = nn.Parameter(torch.zeros(self.n_features))
        self.bias = nn.Parameter(torch.zeros(1))
        self.register_buffer("log_ratio", torch.zeros(self.n_features))
        self.activation = activation
        self.apply_activation = True  # False for the output layer: see HEAD_ACTIVATIONS
        self._fn = activation_function(activation)

    def features(self, ids: torch.Tensor) -> torch.Tensor:
        return ngram_features(ids, self.input_dim, self.ngrams, self.buckets)

    def adapt(self, x: torch.Tensor, y: torch.Tensor, chunk: int = 1024) -> None:
        """Naive-Bayes log-count ratios from training texts ``x`` (token ids) and labels
        ``y`` (0 or 1, shaped (n,) or (n, 1))."""
        for _ in self.adapt_steps(x, y, chunk):
            pass

    @torch.no_grad()  # fit() calls this one, not adapt
    def adapt_steps(self, x: torch.Tensor, y: torch.Tensor,
                    chunk: int = 1024) -> Iterator[None]:
        """``adapt``, yielding after each chunk of texts: on IMDB it takes 2-5 s, during which
        the training loop can pause or stop between chunks."""
        y = torch.as_tensor(y).reshape(len(y), -1)
        if len(x) != len(y) or y.shape[1] != 1 or ((y != 0) & (y != 1)).any():
            raise ValueError("NBSVM learns from one label per text, 0 or 1 (a binary task)")
        x = torch.as_tensor(x)
        positive = y[:, 0].to(x.device) > 0
        counts = torch.zeros(2, self.n_features, dtype=torch.float64, device=x.device)
        for start in range(0, len(x), chunk):
            found = self.features(x[start:start + chunk])
            label = positive[start:start + chunk]
            for row, rows in ((1, label), (0, ~label)):
                counts[row] += torch.bincount(found[rows].reshape(-1),
                                              minlength=self.n_features)
            yield
        p, q = 1 + counts[1, 1:], 1 + counts[0, 1:]  # id 0 (padding) is no feature
        ratio = torch.zeros(self.n_features, dtype=torch.float64, device=x.device)
        ratio[1:] = torch.log(p / p.sum()) - torch.log(q / q.sum())
        ratio[1:][counts[:, 1:].sum(dim=0) < self.min_count] = 0.0
        self.log_ratio.copy_(ratio.to(self.log_ratio))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        found = self.features(ids)
        weights = self.feature_weight[found] + self.W_ADJ
        score = (weights * self.log_ratio[found]).sum(dim=1, keepdim=True) / self.R_ADJ
        score = score + self.bias
        return self._fn(score) if self.apply_activation else score
