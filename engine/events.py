"""What a training run reports, as plain immutable records.

The training generator yields these; the UI decides what to draw and translates ``Failed.reason``
into the learner's language, so nothing here is prose for the learner.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Started:
    epochs: int
    batches_per_epoch: int
    train_samples: int  # samples, or tokens for a language model
    val_samples: int
    parameters: int
    device: str


@dataclass(frozen=True, slots=True)
class BatchEnd:
    epoch: int  # 1-based
    batch: int  # 1-based within the epoch
    n_batches: int
    loss: float
    samples_seen: int  # since the start of the run


@dataclass(frozen=True, slots=True)
class Paused:
    """The loop is waiting for resume(), step() or stop() before the next batch."""

    epoch: int
    batch: int  # batches done in this epoch


@dataclass(frozen=True, slots=True)
class EpochEnd:
    epoch: int
    epochs: int
    metrics: dict[str, float]  # "loss", "accuracy", "perplexity", "val_loss", ...
    seconds: float  # this epoch's wall time, validation included
    learning_rate: float
    training_seconds: float = 0.0  # since the start, without pauses and validation


@dataclass(frozen=True, slots=True)
class Finished:
    metrics: dict[str, float]  # of the restored best epoch when early stopping restored it
    best_epoch: int  # 0 when no epoch completed
    epochs_run: int
    stopped_early: bool = False
    stopped_by_user: bool = False
    out_of_time: bool = False
    history: list[dict[str, float]] = field(default_factory=list)


# Machine-readable failure reasons.
NAN_LOSS = "nan_loss"
OUT_OF_MEMORY = "out_of_memory"
BAD_DATA = "bad_data"
ERROR = "error"


@dataclass(frozen=True, slots=True)
class Failed:
    reason: str  # one of NAN_LOSS, OUT_OF_MEMORY, BAD_DATA, ERROR
    detail: str  # for developers and logs
    epoch: int = 0
    batch: int = 0


@dataclass(frozen=True, slots=True)
class Tested:
    """A finished run scored once on its data's held-out test set (IMDB's 25,000 test
    reviews); comes after ``Finished`` (engine.exercises.PreparedRun.fit)."""

    accuracy: float
    count: int


@dataclass(frozen=True, slots=True)
class Baseline:
    """What counting alone reaches on a language model's held-out text: a Kneser-Ney trigram
    (engine.ngram) fitted on the same training text; comes after ``Finished``, so the learner
    sees whether the network beat it."""

    val_perplexity: float


@dataclass(frozen=True, slots=True)
class EntitiesFound:
    """A tagger's entity-level F1 on its data's held-out sentences beside a baseline that
    gives each word its most frequent training tag (engine.tagging); comes after
    ``Finished``, so the learner sees whether reading the context beat remembering words."""

    f1: float
    baseline_f1: float
    sentences: int


Event = (Started | BatchEnd | Paused | EpochEnd | Finished | Failed | Tested | Baseline
         | EntitiesFound)
