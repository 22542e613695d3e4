"""IMDB end to end on the real archive: import, the lesson's LSTM, the best model in 120 s, and
Keras 3 (torch backend) on the same LSTM when keras is installed.

    .venv/bin/python bench/imdb.py [--archive PATH] [--threads 1] [--skip-keras]
                                   [--budget 120] [--keras-samples 6400]

Reads ../shared/data/imdb/aclImdb_v1.tar.gz (relative to the repo) unless --archive is given,
and imports it into a throwaway $HAFIZA_HOME, so the learner's own data is not touched.
Prints each figure as it is measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "data" / "imdb" / "aclImdb_v1.tar.gz"


# The best model found for 120 s of training on 2 cores (see the exploration in the report):
# NBSVM (Wang & Manning 2012, fast.ai's form; exercise "imdb_nbsvm") on word and hashed
# word-pair presence, whole vocabulary and whole reviews. Its naive-Bayes ratios are computed
# inside fit() and counted as training time. Settings chosen on a 20,000 / 5,000 split of the
# training reviews (validation 92.2-92.4% for 1.6M-3M buckets, 3-4 epochs; dropping features
# seen in one review only: +0.2%; trigrams, learned ratios, feature dropout, weight decay or
# an NB-scaled 16-dim bag: no better). Measured (1 thread, 2 cores shared with another
# benchmark): 91.66% on the full test set after 12.3-13.4 s of training (3 epochs).
# The previous best, EmbeddingBag(100000, 16, bigrams=True, buckets=1618034) + Dropout(0.5)
# + Dense(1, sigmoid), Adam 0.02, batch 512, 4 epochs: 90.37% after 66.7 s.
BEST = {
    "id": "imdb_best_120s",
    "task": "binary",
    "dataset": {"name": "imdb", "num_words": 100000, "maxlen": 1000, "padding": "post",
                "truncating": "post", "val_fraction": 0.0},
    "model": ["NBSVM(100000, ngrams=2, buckets=3000000, min_count=2)"],
    "loss": "binary_crossentropy",
    "hyperparameters": {"optimizer": "adam", "learning_rate": 0.05, "batch_size": 512,
                        "epochs": 3},
}


def say(text: str) -> None:
    print(text, flush=True)


def run_exercise(exercise: dict, overrides: dict, label: str):
    """Trains an exercise with the engine's own loop; returns (model, data, seconds, epochs,
    samples per second of training, history)."""
    from hafiza.engine.data import imdb
    from hafiza.engine.events import EpochEnd, Failed, Finished
    from hafiza.engine.exercises import apply_overrides, prepare

    run = prepare(apply_overrides(exercise, overrides))
    samples = 0
    training_seconds = 0.0
    finished = None
    for event in run.fit():
        if isinstance(event, EpochEnd):
            training_seconds = event.training_seconds
            samples = event.epoch * len(run.data.x_train)
            m = event.metrics
            say(f"  {label} epoch {event.epoch}: loss {m['loss']:.4f} acc {m['accuracy']:.4f} "
                f"val_acc {m.get('val_accuracy', float('nan')):.4f} "
                f"({training_seconds:.1f} s training)")
        elif isinstance(event, Failed):
            raise RuntimeError(f"{label}: {event}")
        elif isinstance(event, Finished):
            finished = event
    if finished and finished.out_of_time:
        # The last epoch stopped part way: count only the samples it trained on.
        done = finished.epochs_run
        samples = done * len(run.data.x_train)
    accuracy = imdb.test_accuracy(run.model, run.data)
    rate = samples / training_seconds if training_seconds else float("nan")
    return run, accuracy, training_seconds, rate


def keras_lstm_rate(x, y, batch_size: int, threads: int) -> float:
    """samples/s of Keras 3 ``model.fit`` (torch backend) on the lesson's LSTM, one epoch
    after a warm-up epoch on a few batches."""
    os.environ["KERAS_BACKEND"] = "torch"
    import keras  # noqa: F401 - only when installed
    import torch

    torch.set_num_threads(threads)
    model = keras.Sequential([
        keras.Input(shape=(x.shape[1],), dtype="int32"),
        keras.layers.Embedding(10000, 32),
        keras.layers.LSTM(64),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x[:batch_size * 2], y[:batch_size * 2], batch_size=batch_size, epochs=1,
              verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    return len(x) / (time.perf_counter() - start)


def ours_lstm_rate(x, y, batch_size: int) -> float:
    """samples/s of the engine's fit on the same LSTM and data (one epoch, after a warm-up)."""
    import torch

    from hafiza.engine.data import ArrayDataset
    from hafiza.engine.models import build_model
    from hafiza.engine.train import TrainConfig, fit

    torch.manual_seed(0)
    model = build_model(["Embedding(10000, 32)", "LSTM(64)", "Dense(1, sigmoid)"])
    small = ArrayDataset("w", "binary", x[:batch_size * 2], y[:batch_size * 2], x[:0], y[:0])
    for _ in fit(model, small, TrainConfig(task="binary", batch_size=batch_size, epochs=1)):
        pass
    data = ArrayDataset("k", "binary", x, y, x[:0], y[:0])
    start = time.perf_counter()
    for _ in fit(model, data, TrainConfig(task="binary", batch_size=batch_size, epochs=1)):
        pass
    return len(x) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--budget", type=float, default=120.0)
    parser.add_argument("--skip-keras", action="store_true")
    parser.add_argument("--skip-lstm", action="store_true")
    parser.add_argument("--keras-samples", type=int, default=6400)
    args = parser.parse_args()
    if not args.archive.is_file():
        say(f"no archive at {args.archive}: the shared data folder is absent, nothing to do")
        return 0
    home = Path(tempfile.mkdtemp(prefix="hafiza-bench-imdb-"))
    os.environ["HAFIZA_HOME"] = str(home)
    try:
        return measure(args)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def measure(args: argparse.Namespace) -> int:

    from hafiza.engine import runtime

    runtime.limit_malloc_arenas()
    import torch

    torch.set_num_threads(args.threads)
    from hafiza.engine.builtin_exercises import IMDB_EXERCISES
    from hafiza.engine.data import imdb

    say(f"archive: {args.archive} ({args.archive.stat().st_size:,} bytes); torch "
        f"{torch.__version__}, {args.threads} thread(s), {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}")
    start = time.perf_counter()
    report = imdb.import_imdb(args.archive)
    say(f"import (stream + tokenise + cache): {time.perf_counter() - start:.1f} s "
        f"({report.n_train:,} train / {report.n_test:,} test reviews, md5 {report.md5}, "
        f"official checksum: {report.official})")
    start = time.perf_counter()
    data = imdb.make_imdb()
    say(f"next start (cache -> padded arrays, num_words 10000, maxlen 200): "
        f"{time.perf_counter() - start:.2f} s")

    ours_rate = None
    if not args.skip_lstm:
        say("Embedding 32 + LSTM 64 (exercise 'imdb'), 3 epochs on all 25,000 training "
            "reviews, batch 128, Adam 1e-3:")
        _, accuracy, seconds, ours_rate = run_exercise(
            IMDB_EXERCISES["imdb"], {"dataset.val_fraction": 0.0, "epochs": 3}, "lstm")
        say(f"LSTM: test accuracy after 3 epochs {accuracy:.4f} (goal >= 0.87); "
            f"{ours_rate:.0f} samples/s in the engine's fit ({seconds:.1f} s training)")

    best = BEST
    say(f"best model in {args.budget:.0f} s of training: {best['model']} on "
        f"{best['dataset']}, {best['hyperparameters']}")
    overrides = {"max_seconds": args.budget}
    _, accuracy, seconds, rate = run_exercise(best, overrides, "best")
    say(f"best: test accuracy {accuracy:.4f} after {seconds:.1f} s of training "
        f"(goal >= 0.91 within {args.budget:.0f} s)")

    if args.skip_keras:
        say("keras: skipped")
        return 0
    try:
        import importlib.util

        if importlib.util.find_spec("keras") is None:
            raise ImportError
    except ImportError:
        say("keras not installed")
        return 0
    x = data.x_train[:args.keras_samples].astype("int32")
    y = data.y_train[:args.keras_samples].astype("float32")
    keras_rate = keras_lstm_rate(x, y, 128, args.threads)
    ours_same = ours_lstm_rate(x.astype("int64"), y.astype("int64"), 128)
    say(f"Keras 3 (torch backend) model.fit, same LSTM, same {len(x):,} reviews: "
        f"{keras_rate:.0f} samples/s; ours {ours_same:.0f} samples/s in the same run: "
        f"{ours_same / keras_rate:.1f}x (goal >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
