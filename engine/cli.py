"""Train or summarise an exercise without the window.

    python -m hafiza.engine.cli train seq003 --set epochs=50 --save run.pt
    python -m hafiza.engine.cli summary lm_hafez
    python -m hafiza.engine.cli list

EXERCISE is a built-in id, the id of an exercise of an installed lesson (the learner's lesson
library, then the built-in lessons; LESSON:ID where two lessons share it), or a YAML/JSON file
holding one exercise (or a lesson file whose ``exercises`` list it picks from with FILE:ID).
Exit codes: see EXIT_CODES (scripts and CI tell a model that trained but missed its goal from
one that could not train).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hafiza.engine.exercises import (
    BUILTIN_EXERCISES,
    DATASET_PATHS,
    ExerciseError,
    apply_overrides,
    get_exercise,
    goal_met,
    parse_assignments,
    validate_exercise,
)
from hafiza.engine.playgrounds import terminal_form
from hafiza.engine.runtime import DEVICE_CHOICES
from hafiza.paths import BUILTIN_LESSONS_DIR, data_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_GOAL_NOT_MET = 0, 1, 2, 3
EXIT_CODES = (f"exit codes: {EXIT_OK} trained (and met the exercise's goal, if it has one), "
              f"{EXIT_FAILED} the run failed, {EXIT_USAGE} a bad exercise, setting or command "
              f"line, {EXIT_GOAL_NOT_MET} trained but the goal was not met")


# A lesson file is a few kilobytes; this refuses a file meant to exhaust the parser.
MAX_EXERCISE_FILE_BYTES = 4 << 20


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits; main() returns a code instead
        raise ExerciseError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hafiza", description="Train Hafiza's exercises headless.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train an exercise and print its progress",
                                epilog=EXIT_CODES)
    summary = commands.add_parser("summary", help="print the model's layers and parameters")
    commands.add_parser("list", help="list the built-in exercises")
    for sub in (train, summary):
        sub.add_argument("exercise", help="built-in id, a lesson's exercise id (or LESSON:ID), "
                         "or FILE.yaml / FILE.yaml:ID")
        sub.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                         help="change a setting, e.g. epochs=50 or model.0='GRU(16)'")
    train.add_argument("--save", metavar="PATH", help="save the trained model here")
    train.add_argument("--quiet", action="store_true", help="print only the final result")
    train.add_argument("--device", choices=DEVICE_CHOICES, default="auto",
                       help="where to train: auto (the best present), cpu, cuda or mps")
    return parser


def exercise_folder(reference: str) -> Path | None:
    """The folder whose files an exercise FILE or FILE:ID may read (its lesson's folder);
    None for a built-in exercise, which names no files."""
    if reference in BUILTIN_EXERCISES:
        return None
    path = Path(reference if Path(reference).exists() else reference.rpartition(":")[0])
    return path.resolve().parent


def _lesson_files() -> list[Path]:
    """Each installed lesson's lesson.yaml: the library's, then the built-in lessons' that no
    library lesson replaces (a library lesson with a built-in lesson's id is shown instead)."""
    found: dict[str, Path] = {}
    for base in (BUILTIN_LESSONS_DIR, data_dir() / "lessons"):
        if base.is_dir():
            for path in sorted(base.glob("*/lesson.yaml")):
                if not path.parent.name.startswith("."):  # the library's staging leftovers
                    found[path.parent.name] = path
    return list(found.values())


def _exercise_ids(lesson_file: Path) -> list[str]:
    """The ids of a lesson's exercises; none when its lesson.yaml cannot be read (the
    checker says why, not `train`)."""
    import yaml

    try:
        if lesson_file.stat().st_size > MAX_EXERCISE_FILE_BYTES:
            return []
        content = yaml.safe_load(lesson_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError):
        return []
    exercises = content.get("exercises") if isinstance(content, dict) else None
    return [ex["id"] for ex in exercises or [] if isinstance(ex, dict)
            and isinstance(ex.get("id"), str)] if isinstance(exercises, list) else []


def lesson_reference(reference: str) -> str:
    """`reference` as FILE:ID when it names an exercise of an installed lesson: its id alone,
    or LESSON:ID; otherwise `reference` unchanged (a built-in exercise or a file)."""
    if reference in BUILTIN_EXERCISES or Path(reference).exists():
        return reference
    lesson_id, _, exercise_id = reference.rpartition(":")
    files = [path for path in _lesson_files() if not lesson_id or path.parent.name == lesson_id]
    matches = [path for path in files if exercise_id in _exercise_ids(path)]
    if len(matches) > 1:
        names = ", ".join(f"{path.parent.name}:{exercise_id}" for path in matches)
        raise ExerciseError(f"several lessons have an exercise {exercise_id!r}; name one: "
                            f"{names}")
    return f"{matches[0]}:{exercise_id}" if matches else reference


def typed_paths(exercise: dict, overrides: dict[str, str]) -> bool:
    """True when the file the exercise reads was typed by the learner on --set: that one
    is read wherever it is (a lesson's own file stays inside its folder)."""
    key = DATASET_PATHS.get(exercise.get("dataset", {}).get("name"))
    return "dataset.text_file" in overrides or (
        key is not None and f"dataset.{key}" in overrides)


def load_exercise(reference: str) -> dict[str, Any]:
    """A built-in id, or FILE (one exercise) or FILE:ID (from a lesson's exercises list)."""
    if reference in BUILTIN_EXERCISES:
        return get_exercise(reference)
    # rpartition: a Windows path has a colon of its own (C:\\lessons\\x\\lesson.yaml:ID)
    path_text, _, wanted = reference.rpartition(":") if not Path(reference).exists() \
        else (reference, "", "")
    path = Path(path_text)
    if path.suffix.lower() not in (".yaml", ".yml", ".json") or not path.is_file():
        raise ExerciseError(f"unknown exercise {reference!r}; built in: "
                            f"{', '.join(BUILTIN_EXERCISES)} (or an exercise of a lesson, "
                            "LESSON:ID, or a .yaml/.json file)")
    if path.stat().st_size > MAX_EXERCISE_FILE_BYTES:
        raise ExerciseError(f"{path} is too large for an exercise file")
    text = path.read_text(encoding="utf-8")
    import yaml

    try:
        if path.suffix.lower() == ".json":
            content = json.loads(text)
        else:
            content = yaml.safe_load(text)  # safe_load: a lesson file builds no objects
    except RecursionError:  # nesting past Python's stack
        raise ExerciseError(f"{path} is nested too deeply to be an exercise") from None
    except yaml.YAMLError as error:  # a tag that would build an object, broken syntax
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        raise ExerciseError(f"{path} cannot be read as an exercise: {first}") from None
    if isinstance(content, dict) and "exercises" in content:
        content = content["exercises"]
    if isinstance(content, list):
        matches = [ex for ex in content if isinstance(ex, dict)
                   and (ex.get("id") == wanted or (not wanted and len(content) == 1))]
        if len(matches) != 1:
            ids = [ex.get("id") for ex in content if isinstance(ex, dict)]
            raise ExerciseError(f"name one exercise of {path} as {path}:ID; ids: {ids}")
        content = matches[0]
    return validate_exercise(content)


def _format_metrics(metrics: dict[str, float]) -> str:
    return " - ".join(f"{name}: {value:.4f}" for name, value in metrics.items())


def _summary(exercise: dict, out, files: dict) -> int:
    from hafiza.engine.exercises import prepare
    from hafiza.engine.summary import format_summary, summarize

    run = prepare(exercise, **files)
    print(f'Model: "{exercise["id"]}"', file=out)
    print(format_summary(summarize(run.model)), file=out)
    return EXIT_OK


def _train(exercise: dict, save: str | None, quiet: bool, out, device: str = "auto",
           files: dict | None = None) -> int:
    from hafiza.engine.events import (
        Baseline,
        EntitiesFound,
        EpochEnd,
        Failed,
        Finished,
        Started,
        Tested,
    )
    from hafiza.engine.exercises import prepare
    from hafiza.engine.runtime import configure_for_app, limit_malloc_arenas, pick_device
    from hafiza.engine.train import predict

    limit_malloc_arenas()
    configure_for_app()
    run = prepare(exercise, device=pick_device(device), **(files or {}))
    code = EXIT_OK
    for event in run.fit():
        if isinstance(event, Started) and not quiet:
            print(f"Training {exercise['id']}: {event.train_samples} samples, "
                  f"{event.parameters:,} parameters, {event.device}", file=out)
        elif isinstance(event, EpochEnd) and not quiet:
            print(f"Epoch {event.epoch}/{event.epochs} - {event.seconds:.2f}s - "
                  f"{_format_metrics(event.metrics)}", file=out, flush=True)
        elif isinstance(event, Tested):
            print(f"Test accuracy: {event.accuracy:.4f} on {event.count:,} held-out samples",
                  file=out)
        elif isinstance(event, Baseline):
            print(f"Counting baseline (Kneser-Ney trigram): val_perplexity: "
                  f"{event.val_perplexity:.4f}", file=out)
        elif isinstance(event, EntitiesFound):
            print(f"Entity F1 on {event.sentences:,} held-out sentences: {event.f1:.4f} "
                  f"(most frequent tag per word: {event.baseline_f1:.4f})", file=out)
        elif isinstance(event, Failed):
            print(f"Training failed ({event.reason}): {event.detail}", file=sys.stderr)
            return EXIT_FAILED
        elif isinstance(event, Finished):
            how = " (stopped early)" if event.stopped_early else ""
            print(f"Finished after {event.epochs_run} epochs{how}; best epoch "
                  f"{event.best_epoch}: {_format_metrics(event.metrics)}", file=out)
            goal = exercise.get("goal")
            missed = bool(goal) and not goal_met(goal, event.metrics)
            if goal:
                verdict = "not met" if missed else "met"
                print(f"Goal {goal['metric']} {goal['op']} {goal['value']}: {verdict}",
                      file=out)
            if exercise.get("predict"):
                predictions = predict(run.model, run.data.x_train)
                print("Predictions:", file=out)
                for x, y in zip(run.data.x_train, predictions, strict=True):
                    inputs = ", ".join(f"{v:.4g}" for v in x.ravel())
                    outputs = ", ".join(f"{v:.4f}" for v in y.ravel())
                    print(f"  [{inputs}] -> [{outputs}]", file=out)
            if save:
                from hafiza.engine.checkpoints import save_checkpoint

                vocab = run.vocab.to_dict() if run.vocab is not None else None
                save_checkpoint(save, run.model, vocab, event.metrics,
                                {"exercise": exercise["id"]})
                print(f"Saved {save}", file=out)
            code = EXIT_GOAL_NOT_MET if missed else EXIT_OK  # a Tested line may follow
    return code


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
        if args.command == "list":
            for name, ex in BUILTIN_EXERCISES.items():
                print(f"{name:20} {ex['task']:15} {' + '.join(ex['model'])}", file=out)
            return EXIT_OK
        overrides = parse_assignments(args.set)
        reference = lesson_reference(args.exercise)
        loaded = load_exercise(reference)
        playground = terminal_form(loaded.get("playground"))
        if playground is not None and args.command == "train" and not overrides:
            playground(out)  # nothing to train, but a walk to print
            return EXIT_OK
        exercise = apply_overrides(loaded, overrides)
        files = {"data_root": exercise_folder(reference),
                 "trusted_paths": typed_paths(exercise, overrides)}
        if args.command == "summary":
            return _summary(exercise, out, files)
        return _train(exercise, args.save, args.quiet, out, args.device, files)
    except ExerciseError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as error:  # unreadable files, malformed YAML/JSON
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except RecursionError:  # an exercise nested deeper than any lesson writes one
        print("error: the exercise is nested too deeply to be read", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:  # past every estimate: said plainly, never as a traceback
        print("error: there is not enough memory for this run; make the model, the data "
              "or the batch smaller", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
