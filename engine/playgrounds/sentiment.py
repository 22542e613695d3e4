"""Sentiment by occlusion: the probability that a review is positive, and how much it changes
when each word is left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from hafiza.engine.inspection import on_device
from hafiza.engine.models import SequentialModel
from hafiza.engine.text import pad_sequences


@dataclass
class Occlusion:
    probability: float  # P(positive | all words)
    changes: np.ndarray  # per word: probability - P(positive | all words but this one)


def review_length(model: SequentialModel) -> int | None:
    """How many ids the model reads (its input's time steps), or None when any length does."""
    return model.input_shape[0] if model.input_shape else None


@torch.no_grad()
def positive_probabilities(model: SequentialModel, sequences: Sequence[Sequence[int]],
                           maxlen: int | None = None, device: str = "cpu") -> np.ndarray:
    """P(positive) of each id sequence: the model's last output, padded at the start to
    ``maxlen`` (Keras' "pre" padding, as in training; by default the model's own length or
    the longest sequence)."""
    on_device(model, device).eval()  # for good: tasks may read the model side by side
    length = maxlen or review_length(model) or max(1, max(len(s) for s in sequences))
    batch = torch.as_tensor(pad_sequences(sequences, length), dtype=torch.long,
                            device=torch.device(device))
    outputs = model.predict(batch).reshape(len(sequences), -1)
    return outputs[:, -1].double().cpu().numpy()  # the positive class's output


def occlusion_scores(model: SequentialModel, word_ids: Sequence[Sequence[int]],
                     maxlen: int | None = None, device: str = "cpu") -> Occlusion:
    """P(positive) of the review whose words have these ids (a word may have several), and
    for each word the change p - p_without_it: positive when the word pushed the review
    towards positive. All in one batch: the review, then the review without each word."""
    full = [i for ids in word_ids for i in ids]
    sequences = [full]
    for skip in range(len(word_ids)):
        # A one-word review left without its word is read as padding alone.
        sequences.append([i for k, ids in enumerate(word_ids) if k != skip for i in ids]
                         or [0])
    probabilities = positive_probabilities(model, sequences, maxlen, device)
    return Occlusion(float(probabilities[0]), probabilities[0] - probabilities[1:])
