"""The likeliest next words of a character model, for the next-word playground.

A character model (``dataset.unit: char``) guesses one letter at a time; a list of next
letters tells a learner little. This spells whole words instead: a beam search over the
characters after the prompt, until a space, a mark or the end of the line closes the word.

- After a prompt that ends inside a word ("the ca") the word is completed ("cat", "can");
  after a space, or a mark and the space that may follow it, the next word is spelled.
- A word's probability is that of its letters times that of a character ending it (a space,
  a prose mark, a new line): the chance that the model, writing at this temperature, writes
  exactly this word next. A mark or the end of the line, right where a word could begin, is
  a guess of its own, as the word model's list shows "." and "(end of the line)".
- Characters the playground never writes (digits, code marks, the rare-character token) are
  never spelled; their share is left out, as the word model's list leaves non-words out.
- Deterministic and bounded: at most ``width`` spellings are kept at each of at most
  ``max_chars`` characters (one batched step of the model each), and the search ends as soon
  as no kept spelling can still beat the k-th word found (a longer word is never likelier
  than its beginning).

The same search runs over a network (``NetworkChars``) or a counting model of characters
(``CountingChars``, engine.ngram), so both lists of the playground are lists of words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import torch

from hafiza.engine.inspection import PROSE_MARKS, is_writable, on_device
from hafiza.engine.playgrounds.next_word import TOP_K, CountingBaseline, Guess
from hafiza.engine.text import EOS, Vocabulary

WIDTH = 16  # spellings kept at each character
MAX_CHARS = 24  # the longest word spelled, letters after the prompt
# Inside a word, between letters: the ZWNJ of Persian "می‌روم", the apostrophe of "don't".
JOINERS = frozenset({"\u200c", "'"})
# What closes a word: a space, a new line, a prose mark (but the apostrophe, a joiner).
WORD_ENDS = frozenset({" ", EOS}) | (PROSE_MARKS - JOINERS)


class CharSource(Protocol):
    """Next-character log-probabilities, one row per spelling, carrying each one's state."""

    def start(self, prompt_ids: Sequence[int]) -> tuple[np.ndarray, Any]:
        """(log P(next char | prompt) as a (1, V) array, the state after the prompt)."""

    def step(self, state: Any, parents: np.ndarray, chars: np.ndarray
             ) -> tuple[np.ndarray, Any]:
        """Row i continues row ``parents[i]`` of ``state`` with ``chars[i]``: (B, V) log
        probabilities of the character after it, and the new state."""


class NetworkChars:
    """A character network as a CharSource: the prompt is read once, then every kept
    spelling moves one character on in one batched step, each with its own hidden state."""

    def __init__(self, model: Any, device: str = "cpu") -> None:
        self.model = on_device(model, device).eval()
        self._device = next(model.parameters()).device

    @torch.no_grad()
    def start(self, prompt_ids: Sequence[int]) -> tuple[np.ndarray, Any]:
        x = torch.as_tensor([list(prompt_ids)], dtype=torch.long, device=self._device)
        scores, state = self.model.forward_stateful(x)
        return self._log_probabilities(scores), state

    @torch.no_grad()
    def step(self, state: Any, parents: np.ndarray, chars: np.ndarray
             ) -> tuple[np.ndarray, Any]:
        rows = torch.as_tensor(parents, dtype=torch.long, device=self._device)
        x = torch.as_tensor(chars, dtype=torch.long, device=self._device).reshape(-1, 1)
        scores, state = self.model.forward_stateful(x, [_rows(item, rows) for item in state])
        return self._log_probabilities(scores), state

    def _log_probabilities(self, scores: torch.Tensor) -> np.ndarray:
        last = scores[:, -1] if scores.dim() == 3 else scores
        return self.model.log_probabilities(last).double().cpu().numpy()


def _rows(item: Any, rows: torch.Tensor) -> Any:
    """A recurrent state (a tensor, an LSTM's (h, c), None) for the given batch rows; the
    batch is the second axis of PyTorch's states, (layers, batch, units)."""
    if item is None:
        return None
    if isinstance(item, tuple):
        return tuple(_rows(part, rows) for part in item)
    return item.index_select(1, rows)


class CountingChars:
    """A counting model of characters (engine.ngram.KneserNey) as a CharSource: the state of
    a spelling is the last ``order - 1`` characters, all the model looks at."""

    def __init__(self, counting: Any) -> None:
        self.counting = counting
        self._keep = counting.order - 1

    def _tail(self, ids: Sequence[int]) -> tuple[int, ...]:
        ids = tuple(int(i) for i in ids)
        return ids[len(ids) - self._keep:] if self._keep else ()

    def _log_probabilities(self, contexts: list[tuple[int, ...]]) -> np.ndarray:
        return np.log(np.stack([self.counting.distribution(c) for c in contexts]))

    def start(self, prompt_ids: Sequence[int]) -> tuple[np.ndarray, Any]:
        contexts = [self._tail(prompt_ids)]
        return self._log_probabilities(contexts), contexts

    def step(self, state: Any, parents: np.ndarray, chars: np.ndarray
             ) -> tuple[np.ndarray, Any]:
        contexts = [self._tail((*state[p], c)) for p, c in zip(parents, chars, strict=True)]
        return self._log_probabilities(contexts), contexts


class _Alphabet:
    """The character vocabulary's ids sorted by what they do to a word being spelled."""

    def __init__(self, vocab: Vocabulary) -> None:
        size = len(vocab)
        self.chars = [""] * size
        self.letters = np.zeros(size, dtype=bool)  # may begin or go on with a word
        self.joiners = np.zeros(size, dtype=bool)  # may go on with a word, never end it
        self.ends = np.zeros(size, dtype=bool)  # close a word
        self.space = vocab.word_index.get(" ")
        for token, i in vocab.word_index.items():
            self.chars[i] = token
            if not is_writable(token, "char"):
                continue
            if token in WORD_ENDS:
                self.ends[i] = True
            elif token in JOINERS:
                self.joiners[i] = True
            elif _is_letter(token):
                self.letters[i] = True
        # Right where a word could begin, these are guesses of their own: "." or a new line.
        self.alone = [i for i in np.flatnonzero(self.ends) if i != self.space]


def _is_letter(token: str) -> bool:
    """A letter, or a mark that sits on one (Arabic harakat, which a character model keeps)."""
    return len(token) == 1 and (token.isalpha() or unicodedata.category(token).startswith("M"))


def _tempered_log(log_probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """log softmax(log p / T) for each row: the distribution generation draws from at T."""
    z = log_probabilities / max(temperature, 1e-3)
    z -= z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _word_in_progress(tokens: list[str], alphabet: _Alphabet) -> tuple[str, bool]:
    """(the letters the prompt ends with, whether a space may still come before a new word):
    "the ca" -> ("ca", False); "the " -> ("", False); "well," -> ("", True)."""
    letters = []
    for token in reversed(tokens):
        if not (_is_letter(token) or (token in JOINERS and letters)):
            break
        letters.append(token)
    word = "".join(reversed(letters))
    space_may_come = not word and bool(tokens) and tokens[-1] not in (" ", EOS) \
        and alphabet.space is not None
    return word, space_may_come


def likeliest_words(source: CharSource, vocab: Vocabulary, prompt_ids: Sequence[int],
                    temperature: float = 1.0, k: int = TOP_K, width: int = WIDTH,
                    max_chars: int = MAX_CHARS) -> list[Guess]:
    """The k likeliest next words after ``prompt_ids`` (a character vocabulary's), each with
    its probability at ``temperature``, likeliest first (ties in the order of the words):
    see the module's docstring. A mark or the end of the line may be among them."""
    if not prompt_ids:
        raise ValueError("the context needs at least one character")
    alphabet = _Alphabet(vocab)
    word, space_may_come = _word_in_progress(vocab.decode(prompt_ids), alphabet)
    log_p, state = source.start(prompt_ids)
    log_p = _tempered_log(log_p, temperature)
    spellings, scores, may_space = [word], np.zeros(1), [space_may_come]
    found: dict[str, float] = {}
    for length in range(max_chars + 1):
        _collect_ended_words(found, spellings, scores, log_p, alphabet)
        if length == max_chars:
            break
        allowed = np.zeros(log_p.shape, dtype=bool)
        for row, spelling in enumerate(spellings):
            allowed[row] = alphabet.letters
            if spelling and not spelling.endswith(tuple(JOINERS)):
                allowed[row] |= alphabet.joiners
            elif not spelling and may_space[row]:
                allowed[row, alphabet.space] = True
        candidates = np.where(allowed, scores[:, None] + log_p, -np.inf)
        order = np.argsort(-candidates, axis=None, kind="stable")[:width]
        order = order[np.isfinite(candidates.flat[order])]
        if len(found) >= k:  # a spelling less likely than the k-th word found never beats it
            kth = np.log(sorted(found.values(), reverse=True)[k - 1])
            order = order[candidates.flat[order] > kth]
        if len(order) == 0:
            break
        parents, chars = np.divmod(order, log_p.shape[1])
        spellings = [spellings[p] + ("" if c == alphabet.space else alphabet.chars[c])
                     for p, c in zip(parents, chars, strict=True)]
        may_space = [False] * len(spellings)  # one space at most, before the first letter
        scores = candidates.flat[order]
        log_p, state = source.step(state, parents, chars)
        log_p = _tempered_log(log_p, temperature)
    best = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:k]
    return [Guess(None, w, w, p, False, w == EOS) for w, p in best]


def _collect_ended_words(found: dict[str, float], spellings: list[str], scores: np.ndarray,
                         log_p: np.ndarray, alphabet: _Alphabet) -> None:
    """Adds to ``found`` each spelling's chance to be the whole next word (its letters, then
    a character that closes it) and, where no letter is spelled yet, each mark's."""
    for row, spelling in enumerate(spellings):
        if spelling and not spelling.endswith(tuple(JOINERS)):
            ended = float(np.exp(scores[row] + log_p[row, alphabet.ends]).sum())
            found[spelling] = found.get(spelling, 0.0) + ended
        elif not spelling:
            for i in alphabet.alone:
                mark = alphabet.chars[i]
                found[mark] = found.get(mark, 0.0) + float(np.exp(scores[row] + log_p[row, i]))


def words_of_letters(chars: Sequence[str]) -> list[list[str]]:
    """A character model's written characters grouped into words, each group starting with
    the spaces or new lines before its word, so that the text appears a word at a time:
    ["a", "b", " ", "c", "."] -> [["a", "b"], [" ", "c", "."]]."""
    groups: list[list[str]] = []
    for char in chars:
        starts_word = not groups or (char in (" ", EOS) and groups[-1][-1] not in (" ", EOS))
        if starts_word:
            groups.append([char])
        else:
            groups[-1].append(char)
    return groups


def char_prompt_ids(vocab: Vocabulary, prompt: str) -> list[int]:
    """A prompt's character ids, with the space it ends with: a character vocabulary reads a
    text as lines and strips their ends, but a prompt's last space says that its last word
    is whole, and the next one is wanted ("the cat " -> "sat", "the cat" -> "cat", "cats")."""
    ids = vocab.encode(prompt)
    space = vocab.word_index.get(" ")
    if ids and space is not None and prompt[-1:].isspace() and ids[-1] != space:
        ids.append(space)
    return ids


def char_word_guesses(model: Any, baseline: CountingBaseline | None, vocab: Vocabulary,
                      prompt: str, temperature: float = 1.0, device: str = "cpu",
                      k: int = TOP_K) -> tuple[list[Guess], list[Guess] | None]:
    """The network's and counting's likeliest next words after ``prompt`` for a character
    model (counting's None without a text to count), in a worker thread: the first call may
    fit the counting model of the characters."""
    prompt_ids = char_prompt_ids(vocab, prompt)
    network = likeliest_words(NetworkChars(model, device), vocab, prompt_ids, temperature, k)
    counting_model = baseline.model() if baseline is not None else None
    if counting_model is None:
        return network, None
    counting = likeliest_words(CountingChars(counting_model), vocab, prompt_ids, temperature, k)
    return network, counting
