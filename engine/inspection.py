"""Looking inside models for the playgrounds: next-word guesses, sampling, gradients through
time, hidden states and LSTM gates. Results are numpy arrays and plain lists, ready to plot.

Every function that runs a model takes ``device`` ("cpu", "cuda", ...): the model is moved
there (in place, as ``nn.Module.to`` does) and its inputs are made there, so a caller chooses
where the work runs in one argument. The activation functions live in
engine.playgrounds.activations (numpy only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from hafiza.engine.models import Embedding, EmbeddingBagLayer, RecurrentLayer, SequentialModel


def on_device(model: SequentialModel, device: str = "cpu") -> SequentialModel:
    """``model`` with its weights on ``device``, moved in place when they are elsewhere.
    Left untouched when they are there already, so that playground tasks that read one model
    side by side (eval mode, no gradients) never write to it."""
    target, current = torch.device(device), _model_device(model)
    if target.type != current.type or target.index not in (None, current.index):
        model.to(target)
    return model


def _model_device(model: SequentialModel) -> torch.device:
    return next(model.parameters()).device


# --- language models --------------------------------------------------------------------------

def _ids_tensor(ids: Sequence[int], model: SequentialModel) -> torch.Tensor:
    if len(ids) == 0:
        raise ValueError("the context needs at least one word")
    return torch.as_tensor(list(ids), dtype=torch.long,
                           device=_model_device(model)).unsqueeze(0)


def _last_step(scores: torch.Tensor) -> torch.Tensor:
    return scores[0, -1] if scores.dim() == 3 else scores[0]


@torch.no_grad()
def next_word_distribution(model: SequentialModel, context_ids: Sequence[int],
                           device: str = "cpu") -> np.ndarray:
    """P(next word | context) over the whole vocabulary."""
    on_device(model, device).eval()
    scores = _last_step(model(_ids_tensor(context_ids, model)))
    return model.log_probabilities(scores).exp().cpu().numpy()


def top_k(probabilities: Any, k: int, exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
    """The k largest entries of a distribution as (id, probability), largest first; equal
    probabilities in id order. ``exclude``d ids (padding, say) are never among them."""
    probabilities = np.asarray(probabilities)
    scores = probabilities.astype(np.float64)
    excluded = sorted(set(exclude))
    scores[excluded] = -np.inf
    k = max(0, min(k, len(scores) - len(excluded)))
    best = np.argsort(-scores, kind="stable")[:k]
    return [(int(i), float(probabilities[i])) for i in best]


def top_k_next(model: SequentialModel, context_ids: Sequence[int],
               k: int = 5, device: str = "cpu") -> list[tuple[int, float]]:
    """The k likeliest next word ids with their probabilities, likeliest first."""
    return top_k(next_word_distribution(model, context_ids, device), max(1, k))


def top_k_next_words(model: SequentialModel, vocab: Any, text: str,
                     k: int = 5, device: str = "cpu") -> list[tuple[str, float]]:
    """Like top_k_next, with text in and words out (vocab: engine.text.Vocabulary)."""
    guesses = top_k_next(model, vocab.encode(text), k, device)
    words = vocab.decode([i for i, _ in guesses])
    return [(word, p) for word, (_, p) in zip(words, guesses, strict=True)]


# Marks that end a sentence; with ``stop_at_sentence_end`` generation stops after one.
SENTENCE_ENDS = frozenset(".!?؟۔…")
# Marks a generated sentence may hold besides words; any other token without a letter ("49",
# "+", "=", "(") is not language and is never drawn.
PROSE_MARKS = SENTENCE_ENDS | frozenset(",،;؛:«»\"'-")


def is_writable(token: str, unit: str = "word") -> bool:
    """Whether generation may emit ``token``: a word with a letter, a prose mark, and for the
    char unit also a space, a ZWNJ or a new line (``<eos>``); never a special token."""
    if unit == "char":
        return token in ("<eos>", " ", "\u200c") or token.isalpha() or token in PROSE_MARKS
    if token.startswith("<") and token.endswith(">"):
        return False  # <oov>, <eos>, <pad>
    return any(c.isalpha() for c in token) or token in PROSE_MARKS


def unwritable_ids(vocab: Any) -> list[int]:
    """The ids generation never draws: padding, the OOV token and every non-word."""
    unit = getattr(vocab, "unit", "word")
    return [0] + sorted(i for w, i in vocab.word_index.items()
                        if i != 0 and (i == vocab.oov_index or not is_writable(w, unit)))


def stop_ids(vocab: Any) -> list[int]:
    """The ids that end a sentence: its closing marks, and a new line for the char unit."""
    ends = set(SENTENCE_ENDS) | ({"<eos>"} if getattr(vocab, "unit", "word") == "char" else set())
    return sorted(vocab.word_index[w] for w in ends if w in vocab.word_index)


@torch.no_grad()
def sample(model: SequentialModel, prompt_ids: Sequence[int], n: int,
           temperature: float = 1.0, seed: int | None = 0,
           banned: Iterable[int] = (), device: str = "cpu", top_k: int | None = None,
           stop: Iterable[int] = ()) -> list[int]:
    """Generate up to n ids after the prompt, carrying the hidden state.

    Probabilities are softmax(scores / temperature): below 1 the likeliest words win more
    often, above 1 the choice flattens; temperature -> 0 is greedy (always the likeliest).
    ``top_k`` draws only among the k likeliest ids (None: all). ``banned`` ids (e.g. <oov>,
    padding) are never drawn. Drawing an id of ``stop`` (a full stop, say) ends the text
    after it. Same seed, same text: the draw itself happens on the CPU, whose generator gives
    the same words on every device.
    """
    on_device(model, device).eval()
    generator = torch.Generator(device="cpu")
    if seed is not None:
        generator.manual_seed(seed)
    banned, stop = list(banned), set(stop)
    scores, state = model.forward_stateful(_ids_tensor(prompt_ids, model))
    out = []
    for _ in range(n):
        logits = model.log_probabilities(_last_step(scores)).float().cpu()
        if banned:
            logits[banned] = -torch.inf
        if top_k is not None and 0 < top_k < len(logits):
            kth = torch.topk(logits, top_k).values[-1]
            logits[logits < kth] = -torch.inf
        if temperature < 1e-6:
            choice = int(torch.argmax(logits))
        else:
            probabilities = torch.softmax(logits / temperature, -1)
            choice = int(torch.multinomial(probabilities, 1, generator=generator))
        out.append(choice)
        if choice in stop:
            break
        scores, state = model.forward_stateful(_ids_tensor([choice], model), state)
    return out


def generate_text(model: SequentialModel, vocab: Any, prompt: str, n_words: int,
                  temperature: float = 1.0, seed: int | None = 0,
                  device: str = "cpu", top_k: int | None = None,
                  stop_at_sentence_end: bool = False) -> list[str]:
    """Up to ``n_words`` sampled tokens following ``prompt``: words (or characters, for a
    character vocabulary), never <oov>, <eos>, padding or a token without a letter (numbers,
    code marks) but the prose marks; a character model's new lines come as ``<eos>``, which
    ``vocab.join`` writes as a line break. ``stop_at_sentence_end`` stops after ". ! ? ؟ ۔"
    (and a new line for characters)."""
    stop = stop_ids(vocab) if stop_at_sentence_end else ()
    ids = sample(model, vocab.encode(prompt), n_words, temperature, seed,
                 unwritable_ids(vocab), device, top_k, stop)
    return vocab.decode(ids)


# --- recurrent internals ----------------------------------------------------------------------

def _as_input(model: SequentialModel, x: Any) -> torch.Tensor:
    device = _model_device(model)
    tensor = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    tensor = tensor.long() if model.takes_token_ids else tensor.float()
    if tensor.dim() == len(model.input_shape):  # one sample: add the batch axis
        tensor = tensor.unsqueeze(0)
    return tensor.to(device)


def _recurrent_index(model: SequentialModel, kind: str | None = None,
                     index: int | None = None) -> int:
    if index is not None:
        layer = model.layers[index]
        if not isinstance(layer, RecurrentLayer) or (kind and layer.kind != kind):
            raise ValueError(f"layer {index} is not a {kind or 'recurrent'} layer")
        return index
    for position, layer in enumerate(model.layers):
        if isinstance(layer, RecurrentLayer) and (kind is None or layer.kind == kind):
            return position
    raise ValueError(f"the model has no {kind or 'recurrent'} layer")


def _run(layers: Iterable[torch.nn.Module], x: torch.Tensor) -> torch.Tensor:
    for layer in layers:
        x = layer(x)[0] if isinstance(layer, RecurrentLayer) else layer(x)
    return x


def gradient_norms_through_time(model: SequentialModel, x: Any,
                                target: Any = None, device: str = "cpu") -> np.ndarray:
    """||dL/dx_t|| for each time step t of the input of the first recurrent layer.

    L is the model's output (summed) or, with ``target``, the squared error to it. Early
    steps of a plain RNN get gradients orders of magnitude smaller than late ones (vanishing
    gradient); an LSTM's cell state keeps them larger. Averaged over the batch: shape (T,).
    """
    on_device(model, device).eval()
    first = _recurrent_index(model)
    with torch.no_grad():
        inputs = _run(model.layers[:first], _as_input(model, x))
    inputs = inputs.detach().requires_grad_(True)
    output = model.activate(_run(model.layers[first:], inputs))
    if target is None:
        loss = output.sum()
    else:
        target = torch.as_tensor(np.asarray(target), dtype=output.dtype, device=output.device)
        loss = ((output - target.reshape(output.shape)) ** 2).sum()
    (gradient,) = torch.autograd.grad(loss, inputs)
    return gradient.norm(dim=-1).mean(dim=0).cpu().numpy()


@torch.no_grad()
def hidden_states(model: SequentialModel, x: Any, device: str = "cpu") -> dict[str, np.ndarray]:
    """Every recurrent layer's output at every step, (batch, T, units), by layer name."""
    on_device(model, device).eval()
    h = _as_input(model, x)
    states = {}
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        if isinstance(layer, RecurrentLayer):
            sequence, _ = layer.rnn(h)
            states[name] = sequence.cpu().numpy()
            h = sequence if layer.return_sequences else layer(h)[0]
        else:
            h = layer(h)
    return states


@torch.no_grad()
def lstm_gates(model: SequentialModel, x: Any, layer_index: int | None = None,
               device: str = "cpu") -> dict[str, np.ndarray]:
    """An LSTM layer's gates over a sequence, recomputed step by step from its fused weights.

    Returns (batch, T, units) arrays: "input", "forget", "output" gates (in [0, 1]), the
    candidate "cell" values g (in [-1, 1]), the cell state "c" and the hidden state "h"
    (identical to the fused layer's output). Forward direction only when bidirectional.
    """
    on_device(model, device).eval()
    index = _recurrent_index(model, "LSTM", layer_index)
    inputs = _run(model.layers[:index], _as_input(model, x))
    rnn = model.layers[index].rnn
    w_ih, w_hh = rnn.weight_ih_l0, rnn.weight_hh_l0
    bias = rnn.bias_ih_l0 + rnn.bias_hh_l0
    batch, steps, _ = inputs.shape
    units = rnn.hidden_size
    h = inputs.new_zeros(batch, units)
    c = inputs.new_zeros(batch, units)
    names = ("input", "forget", "cell", "output", "c", "h")
    trace = {name: [] for name in names}
    projected = inputs @ w_ih.T + bias  # all steps' input contributions at once
    for t in range(steps):
        z = projected[:, t] + h @ w_hh.T
        i, f, g, o = z.chunk(4, dim=-1)  # PyTorch's gate order
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        for name, value in zip(names, (i, f, g, o, c, h), strict=True):
            trace[name].append(value)
    return {name: torch.stack(values, dim=1).cpu().numpy() for name, values in trace.items()}


def embedding_matrix(model: SequentialModel) -> np.ndarray:
    """The word vectors of the model's first layer, (vocabulary, dimensions)."""
    first = model.layers[0]
    if isinstance(first, Embedding):
        return first.weight.detach().cpu().numpy()
    if isinstance(first, EmbeddingBagLayer):
        return first.bag.weight[: first.input_dim].detach().cpu().numpy()
    raise ValueError("the model does not start with an embedding")

