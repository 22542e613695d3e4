"""Does the tagger read the context? The lesson's bidirectional tagger beside the
most-frequent-tag-per-word baseline, on each variety's held-out tagged sentences.

For each variety it prints one line

    RESULT variety=<tag> f1=<x> baseline_f1=<y> seconds=<t>

- the tagger is the lesson's exercise (lessons/rnn-in-practice/lesson.yaml: ``tagger``; its
  layers, data set size and hyperparameters) reading the variety's sentences, as the app gives
  them to a learner of that variety, built and trained by the app's own code
  (engine.exercises.prepare(...).fit()); ``seconds`` is the whole run, building the data
  included;
- both are scored on the same held-out sentences (other templates, other names:
  engine.data.entities) with entity-level F1, exact spans as seqeval counts them
  (engine.tagging); the baseline gives each word the tag it had most often in training and an
  unknown word the most frequent tag of the unknown word.

    .venv/bin/python bench/tagging.py [--variety ary fa ...] [--seed 0] [--epochs N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from hafiza.engine.exercises import in_variety, prepare  # noqa: E402
from hafiza.engine.tagging import score_tagger  # noqa: E402
from hafiza.paths import BUILTIN_LESSONS_DIR  # noqa: E402
from hafiza.varieties import TAGS  # noqa: E402


def lesson_tagger() -> dict:
    lesson = yaml.safe_load((BUILTIN_LESSONS_DIR / "rnn-in-practice" / "lesson.yaml")
                            .read_text(encoding="utf-8"))
    return next(ex for ex in lesson["exercises"] if ex["id"] == "tagger")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variety", nargs="+", default=list(TAGS), choices=TAGS)
    parser.add_argument("--seed", type=int, default=0, help="the data set's seed")
    parser.add_argument("--epochs", type=int, help="instead of the lesson's")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)  # as the app trains beside its window (stack notes)
    for variety in args.variety:
        exercise = in_variety(lesson_tagger(), variety)
        exercise["dataset"]["seed"] = args.seed
        if args.epochs:
            exercise["hyperparameters"]["epochs"] = args.epochs
        start = time.perf_counter()
        run = prepare(exercise)
        for _event in run.fit():
            pass
        scores = score_tagger(run.model, run.data)
        print(f"RESULT variety={variety} f1={scores.model.f1:.3f} "
              f"baseline_f1={scores.baseline.f1:.3f} "
              f"seconds={time.perf_counter() - start:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
