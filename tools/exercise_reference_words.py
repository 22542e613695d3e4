"""The words of docs/exercises.md: what each name of the engine's tables means to an author.

tools/exercise_reference.py takes the names, types, ranges and defaults from the engine and
only the explanations from here. Every name the engine knows needs its entry: a name without
one stops the generator (and tests/test_exercise_reference.py), so the reference can never
silently lack a data set, layer, loss, optimizer, metric, setting, playground or task.
"""

from __future__ import annotations

# The fields of an exercise in lesson.yaml (engine.exercises.EXERCISE_KEYS).
FIELDS = {
    "id": "the exercise's name, used by the ```` ```exercise ```` fence and `train ID`",
    "title": "its title in each variety (`{en: ..., fa: ...}`); without one the card says "
             "what it trains on what",
    "task": "what the model learns to do: one of the [tasks](#tasks)",
    "dataset": "`{name: ..., setting: value, ...}`: one of the [data sets](#data-sets) and "
               "its settings",
    "model": "the layers, in order, as a list of texts like `\"LSTM(16)\"` "
             "(see [layers](#layers))",
    "input_shape": "the shape of one example without the batch, e.g. `[20, 1]` (the "
                   "data set's \"one example\" below); required unless the first layer "
                   "reads word ids (`Embedding`, `EmbeddingBag`, `NBSVM`)",
    "loss": "what training minimises (see [losses](#losses)); optional: the usual loss of "
            "the task is used without it",
    "hyperparameters": "how it trains (see [hyperparameters](#hyperparameters)); each one "
                       "is optional",
    "controls": "what the learner may change in the exercise's form "
                "(see [controls](#controls))",
    "goal": "`{metric: ..., op: \">=\", value: 0.9}`: when the exercise counts as done "
            "(see [metrics](#metrics)); `op` is one of the comparisons below",
    "predict": "`true`: after training, `hafiza train` prints the model's prediction for "
               "every training example (useful for tiny sets such as `seq003`); default "
               "`false`",
}

TASKS = {
    "regression": "predict a number (or a few numbers) for each example",
    "binary": "answer yes or no (labels 0 and 1) for each example",
    "multiclass": "choose one of several classes for each example",
    "tagging": "one label for every time step of a sequence (many-to-many)",
    "language_model": "predict the next word (or character) of a text",
}

# The array data sets (engine.data.DATASETS) and the text corpora (TEXT_DATASETS).
DATASETS = {
    "linear": "two clouds of points on either side of a straight line: a perceptron always "
              "separates them",
    "xor": "points in the four quarters of the square; the class is 1 where x and y have "
           "opposite signs, so no single line separates them",
    "circles": "a ring of points (class 0) around a smaller ring (class 1) of radius "
               "`factor`",
    "spirals": "`n_arms` interleaved spiral arms winding `turns` times, one class each: "
               "binary with 2 arms, multiclass with more",
    "seq003": "the four-step number sequence of the Keras practical (seed 003): 4 examples, "
              "no settings",
    "long_dependency": "sequences whose class is their first step (+1 or -1) hidden under "
                       "noise: a SimpleRNN forgets it, an LSTM or GRU keeps it",
    "sine": "windows of a noisy sine wave of `period` steps; the target is the next value",
    "noisy_sum": "`window` numbers between 0 and 1; the target is their sum plus noise",
    "entities": "sentences in the learner's variety with their people, places (cities and "
                "countries) and organisations tagged, one BIO tag per word (`O`, `B-PER`, "
                "`I-PER`, `B-LOC`, `I-LOC`, `B-ORG`, `I-ORG`); the validation sentences use "
                "other templates and other names, so they measure what the tagger learned from "
                "the context",
    "imdb": "the IMDB movie reviews (25,000 to train, 25,000 to test), as word ids; the "
            "learner imports them once in the app before training",
    "hafez": "the poems of Hafez (Persian), shipped with Hafiza",
    "lessons": "the text of Hafiza's own lessons, in the learner's variety",
    "text_file": "a text file of your lesson (`path: data/corpus.txt`, inside the lesson "
                 "folder)",
}

# What each data-set setting means (engine.tables.DATASET_LIMITS, DATASET_CHOICES, the text
# corpora's TEXT_PARAMS).
DATASET_SETTINGS = {
    "n_samples": "how many examples are generated (training and validation together)",
    "noise": "how much random noise is added",
    "seq_len": "time steps per sequence",
    "window": "time steps per example (the model reads a window and predicts what follows)",
    "period": "time steps of one full sine wave",
    "turns": "how many times each spiral arm winds around the centre",
    "n_arms": "how many spiral arms, one class each",
    "maxlen": "words kept per review (shorter ones are padded, longer ones cut)",
    "num_words": "the vocabulary: the most frequent words kept, the others become one "
                 "unknown word",
    "min_count": "a token the training text has fewer times than this becomes the unknown "
                 "word, so the model learns how often an unknown word comes",
    "val_fraction": "the share of the examples held out for validation",
    "factor": "the inner ring's radius, as a share of the outer one's",
    "index_from": "the first id given to a real word (lower ids mark padding, start and "
                  "unknown)",
    "seed": "the random seed: the same seed gives the same data",
    "padding": "where short reviews get their padding: `pre` (before) or `post` (after)",
    "truncating": "where long reviews are cut: `pre` (their start) or `post` (their end)",
    "variety": "which variety's text to read: the lesson texts, or the tagged sentences "
               "(the app sets the learner's own)",
    "unit": "one token is a `word` or a `char` (character)",
    "punctuation": "`true`: every punctuation mark is a token of its own; `false`: they are "
                   "dropped",
    "path": "the text file, relative to the lesson folder (`data/corpus.txt`)",
    "lessons_dir": "a folder of lessons to read instead of the built-in ones, relative to "
                   "the lesson folder",
}
# The text corpora's defaults that are not values (the values are engine.exercises'
# TEXT_DEFAULTS). Texts with a space are words, not values.
TEXT_DEFAULTS = {"variety": "the learner's own", "path": "none: required",
                 "lessons_dir": "the built-in lessons"}
# Settings under which a data set has another task than at its defaults: the generator
# builds the set with them too and lists it under that task.
TASK_VARIANTS = {"spirals": ({"n_arms": 3},)}

# Layers (engine.layers.LAYER_TYPES): what each does, and the shape it reads -> gives.
# Shapes leave out the batch: (steps, features) is one sequence.
LAYERS = {
    "Dense": ("a fully connected layer; on a sequence it acts on every step; `tied=True` "
              "reuses the embedding's weights as an output layer",
              "(features) or (steps, features)", "(units) or (steps, units)"),
    "SimpleRNN": ("the plain recurrent layer (Elman); `activation` is tanh or relu",
                  "(steps, features)",
                  "(units), or (steps, units) with `return_sequences=True`"),
    "LSTM": ("long short-term memory: a recurrent layer with gates",
             "(steps, features)", "(units), or (steps, units) with `return_sequences=True`"),
    "GRU": ("gated recurrent unit: a recurrent layer with two gates",
            "(steps, features)", "(units), or (steps, units) with `return_sequences=True`"),
    "Bidirectional": ("runs a SimpleRNN, LSTM or GRU forwards and backwards and joins both",
                      "(steps, features)", "twice the wrapped layer's units, per step or not"),
    "TimeDistributed": ("the same Dense layer on every time step",
                        "(steps, features)", "(steps, units)"),
    "Embedding": ("a vector of `output_dim` numbers for each of `input_dim` word ids; "
                  "`input_dim` may be `vocab_size`",
                  "(steps) word ids", "(steps, output_dim)"),
    "EmbeddingBag": ("the mean of the word vectors of a text (fastText), with word pairs "
                     "hashed into `buckets` when `bigrams=True`",
                     "(steps) word ids", "(output_dim)"),
    "NBSVM": ("a whole linear classifier over word (and n-gram) presence, scaled by naive "
              "Bayes ratios (Wang & Manning 2012)",
              "(steps) word ids", "(1)"),
    "Dropout": ("sets a share `rate` of its inputs to zero while training",
                "any", "the same"),
    "GlobalMaxPool": ("the largest value of each feature over the time steps",
                      "(steps, features)", "(features)"),
    "GlobalMeanPool": ("the mean of each feature over the time steps",
                       "(steps, features)", "(features)"),
    "LastStep": ("the last time step of a sequence", "(steps, features)", "(features)"),
    "Perceptron": ("Rosenblatt's perceptron: `units` outputs with a step activation (a "
                   "Dense layer with `step`)", "(features)", "(units)"),
    "AdaptiveSoftmax": ("a softmax over a large vocabulary in frequency clusters cut at "
                        "`cutoffs` (Grave et al. 2017); last layer of a language model only",
                        "(steps, features)", "(steps, units) word scores"),
}
# The kinds of layer arguments (the second column of LAYER_TYPES).
ARGUMENT_KINDS = {
    "count": "a whole number from 1 to {max_size}",
    "count_or_none": "a whole number from 1 to {max_size}, or None",
    "activation": "one of {activations}",
    "rnn_activation": "tanh or relu",
    "bool": "True or False",
    "fraction": "a number from 0 up to (not including) 1",
    "ngrams": "1 (words), 2 (and word pairs) or 3 (and triples)",
    "cutoffs": "an increasing list of word counts like [2000]",
    "recurrent_layer": "a layer: one of {recurrent}",
    "dense_layer": "a layer: Dense(...)",
}

# Losses, by the name the engine computes (engine.tables.LOSS_ALIASES' values).
LOSSES = {
    "mse": "mean squared error: regression (or a 0/1 output read as a number)",
    "binary_crossentropy": "cross-entropy of one sigmoid output: binary",
    "categorical_crossentropy": "cross-entropy of a softmax over the classes (labels are "
                                "class numbers): multiclass, tagging, language models",
    "perceptron": "Rosenblatt's criterion, the perceptron learning rule: binary with a "
                  "`step` output",
}

# Metrics the training loop reports after each epoch (a goal's `metric`, early stopping's
# `monitor`): what each is. Which tasks report it is engine.tables.TASK_METRICS.
METRICS = {
    "loss": "the training loss, averaged over the epoch (lower is better)",
    "accuracy": "the share of right answers on the training data (higher is better; a "
                "language model with AdaptiveSoftmax does not report it)",
    "perplexity": "e to the power of the loss: how many words the model hesitates between "
                  "(lower is better)",
    "val_loss": "the loss on the validation data",
    "val_accuracy": "the accuracy on the validation data",
    "val_perplexity": "the perplexity on the validation data",
}

OPTIMIZERS = {
    "sgd": "stochastic gradient descent, with `momentum`",
    "rmsprop": "RMSprop as in Keras (rho 0.9)",
    "adam": "Adam as in Keras",
}
LR_SCHEDULES = {
    "constant": "the learning rate stays as set",
    "plateau": "halved after each epoch in which the monitored metric did not improve",
    "cosine": "falls along a cosine to zero over the epochs (or over `max_seconds`)",
}

HYPERPARAMETERS = {
    "learning_rate": "the size of each step (default: Keras' default for the optimizer)",
    "momentum": "SGD's momentum",
    "batch_size": "examples per step; `none`: the whole training set at once",
    "epochs": "passes over the training data",
    "clip_norm": "clip the gradient's overall size to this; `none`: no clipping",
    "bptt": "language models: time steps per chunk of truncated backpropagation",
    "steps_per_epoch": "language models: chunks per epoch; `none`: as many as the text has",
    "patience": "stop after this many epochs in a row without improvement (early stopping)",
    "max_seconds": "stop after this much training time; `none`: no limit",
    "weight_decay": "L2 penalty on the weights",
    "seed": "the random seed of the model's first weights and of the batches",
    "optimizer": "how the weights move (see [optimizers](#optimizers))",
    "shuffle": "shuffle the examples before each epoch",
    "monitor": "the metric early stopping and `plateau` watch (see [metrics](#metrics))",
    "restore_best": "with `patience`: end with the best epoch's weights",
    "lr_schedule": "how the learning rate changes (see below)",
}

# Playgrounds (engine.tables.PLAYGROUNDS): what each shows, and what it needs of the run.
PLAYGROUNDS = {
    "activations": "the activation functions and their slopes, drawn as the learner moves "
                   "a point",
    "gradient_descent": "gradient descent on a line y = w*x + b: the learner's learning "
                        "rate and batch type make the steps converge, oscillate or diverge",
    "vanishing_gradients": "how much of the gradient reaches each time step of untrained "
                           "recurrent models, a plain RNN beside an LSTM",
    "backprop": "one training step of a 2-2-1 network with the learner's numbers, node by "
                "node: weighted sums and activations forward, the loss, each gradient "
                "backward as the product of its chain-rule factors, the update of every "
                "weight",
    "next_word": "the trained language model's likeliest next words for a prompt, beside "
                 "those of counting alone, and a continuation it writes; needs a "
                 "`language_model` run (it has a vocabulary)",
    "sentiment": "the probability that a review the learner types is positive, and how "
                 "much each word changes it; needs a "
                 "`binary` run on word ids with a vocabulary (IMDB)",
    "regression": "a table of inputs, targets and the model's predictions, and a prediction "
                  "for the learner's own input; needs a `regression` run on sequences of "
                  "numbers (input shape (steps, features))",
    "inside_cell": "the gates and state of the recurrent cell, step by step, on a prompt; "
                   "needs a `language_model` run whose model has a recurrent layer",
    "tagging": "each word of the learner's own sentence with its tag and how sure the model "
               "is, in reading order; needs a `tagging` run on word ids of `entities`",
}

# Data sets that cannot be built without the learner's import: what building one would show.
IMPORTED_DATASETS = {"imdb": ("binary", "(maxlen) word ids", "(1)")}
