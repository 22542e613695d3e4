"""The engine's vocabulary: each fact one table, at the bottom of the engine's layers.

Tasks, losses, optimizers, learning-rate schedules, playgrounds and the limits of every
setting live here, so the training loop, the exercise validator, the lesson checker and the
UI's controls read the same rows (a spin box's range is the validator's range). No torch,
no numpy: anything may import it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

# What a model learns to do; "tagging" is one label per time step (many-to-many).
TASKS = ("regression", "binary", "multiclass", "tagging", "language_model")
# The tasks an array data set (engine.data.ArrayDataset) can carry: language models read text.
ARRAY_TASKS = ("binary", "multiclass", "regression", "tagging")
OPTIMIZERS = ("sgd", "rmsprop", "adam")
# Keras' default learning rates, so a lesson that names only the optimizer behaves as in Keras.
DEFAULT_LEARNING_RATE = {"sgd": 0.01, "rmsprop": 0.001, "adam": 0.001}
LR_SCHEDULES = ("constant", "plateau", "cosine")
# Every name a lesson may give a loss -> the loss the engine computes.
LOSS_ALIASES = {
    "mse": "mse", "mean_squared_error": "mse",
    "binary_crossentropy": "binary_crossentropy", "bce": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "categorical_crossentropy",
    "crossentropy": "categorical_crossentropy",
    "perceptron": "perceptron",
}
# Playgrounds a lesson may open instead of a training run, each with whether it looks into
# a trained model (True) or stands alone (False). The UI draws them (ui/playgrounds/), one
# widget per row; a test keeps the two lists equal.
PLAYGROUNDS: dict[str, bool] = {
    "activations": False,
    "gradient_descent": False,
    "vanishing_gradients": False,
    "backprop": False,
    "next_word": True,
    "sentiment": True,
    "regression": True,
    "inside_cell": True,
    "tagging": True,
}
# Language-model corpora; other dataset names are array data sets (engine.data.DATASETS).
TEXT_DATASETS = ("hafez", "lessons", "text_file")
# The data sets written in every variety (the lesson texts, the tagged sentences): the app
# reads them in the learner's language (engine.exercises.in_variety).
PER_VARIETY_DATASETS = ("lessons", "entities")
# What one token of a language model is (dataset.unit): a word, or a character as in
# Karpathy's char-rnn, which learns from the few pages a learner has. The first is the default.
TEXT_UNITS = ("word", "char")


class Limit(NamedTuple):
    """The range a numeric setting accepts: the validator enforces it, the UI's controls
    take their ranges from it."""

    minimum: float = -math.inf
    maximum: float = math.inf
    whole: bool = False  # a whole number
    optional: bool = False  # None ("none", "null", "") is allowed and means "off"
    open_minimum: bool = False  # the minimum itself is not allowed (learning rate > 0)

    def lowest(self, step: float = 1.0) -> float:
        """The smallest value a control may show: the minimum, or one step above it when
        the minimum itself is not allowed."""
        return self.minimum + step if self.open_minimum else self.minimum


# The numeric hyperparameters and their limits; the choices (optimizer, lr_schedule) and
# switches (shuffle, restore_best) are in the tables above or plain booleans.
SETTING_LIMITS: dict[str, Limit] = {
    "learning_rate": Limit(0, 10, open_minimum=True),
    "momentum": Limit(0, 0.999),
    # None ("none" in a lesson, "whole set" in the form): the whole training set at once;
    # 0 itself is refused, as a batch of nothing.
    "batch_size": Limit(0, 1_000_000, whole=True, optional=True, open_minimum=True),
    "epochs": Limit(1, 100_000, whole=True),
    "clip_norm": Limit(0, 1e6, optional=True, open_minimum=True),
    "bptt": Limit(1, 10_000, whole=True),
    "steps_per_epoch": Limit(1, 10_000_000, whole=True, optional=True),
    "patience": Limit(0, 10_000, whole=True, optional=True),
    "max_seconds": Limit(0, 1e7, optional=True, open_minimum=True),
    "weight_decay": Limit(0, 1),
    "seed": Limit(0, 2**31 - 1, whole=True, optional=True),
}
# Settings of the array data sets (engine.data) that an exercise's controls may expose as
# dataset.<name>; the generators check them against these rows (engine.data.base.check_setting)
# and the form's controls take their ranges from them. A data set may ask for a higher
# minimum of its own (a classification set needs at least a sample per class).
DATASET_LIMITS: dict[str, Limit] = {
    "n_samples": Limit(2, 1_000_000, whole=True),
    "noise": Limit(0.0, 10.0),
    "seq_len": Limit(1, 10_000, whole=True),
    "window": Limit(1, 10_000, whole=True),
    "period": Limit(2.0, 1_000_000.0),
    "turns": Limit(0.1, 100),
    "n_arms": Limit(2, 100, whole=True),
    "maxlen": Limit(1, 5_000, whole=True),
    "num_words": Limit(4, 1_000_000, whole=True),
    "min_count": Limit(1, 1_000_000, whole=True),
    "val_fraction": Limit(0, 0.95),
    "factor": Limit(0, 0.99),
    "index_from": Limit(3, 1_000, whole=True),
    "seed": Limit(0, 2**31 - 1, whole=True),
}


# The metrics a finished run reports for each task (engine.train.fit, engine.batches): the
# validation ones only when the data set keeps validation data, which engine.dry_run checks.
# docs/exercises.md lists them from here (tools/exercise_reference.py).
_CLASSIFIED = ("loss", "accuracy", "val_loss", "val_accuracy")
TASK_METRICS: dict[str, tuple[str, ...]] = {
    "regression": ("loss", "val_loss"),
    "binary": _CLASSIFIED,
    "multiclass": _CLASSIFIED,
    "tagging": _CLASSIFIED,
    "language_model": ("loss", "accuracy", "perplexity", "val_loss", "val_accuracy",
                       "val_perplexity"),
}
