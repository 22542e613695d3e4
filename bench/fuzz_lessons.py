"""Fuzz the lesson parser, the checker and (optionally) the lesson page with mutations of the
built-in lessons. Outside CI; the goal is 0 unhandled exceptions.

    python bench/fuzz_lessons.py [--mutations 10000] [--type-mutations 1000] [--seed 0]
                                 [--render]

- Markdown mutations: each takes one built-in lesson's text in one variety and applies 1-4
  of: flip a byte, insert a token of the syntax ([[, ]], |, $, $$, :::, ```, ![, <, >, &
  and more), delete a span, duplicate a span, truncate; then parses it (lessonlib.parser)
  and checks the whole lesson with it (lessonlib.checker).
- Type mutations of lesson.yaml: every key path of a built-in lesson.yaml in turn gets a
  value of another type (none, bool, int, huge int, nan, text, list, mapping, nested), and
  the lesson is checked.
- `--render` also draws every mutated lesson offscreen (ui.lesson_page): slower.

The parser may raise only LessonError and the checker nothing at all; anything else is
counted by place (file:line of the frame that raised) and the first example of each place
is printed with its traceback, so the fix can start from it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Hafiza from this checkout, and the tests' own mutation helpers (tests/yaml_mutations.py).
for folder in (ROOT, ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import yaml  # noqa: E402
from yaml_mutations import key_paths, replaced  # noqa: E402

from hafiza.lessonlib import checker  # noqa: E402
from hafiza.lessonlib.model import VARIETY_TAGS, LessonError  # noqa: E402
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR  # noqa: E402
from hafiza.lessonlib.parser import parse_markdown  # noqa: E402

TOKENS = ["[[", "]]", "|", "$", "$$", ":::", "::: note", "::: warning", "```", "```quiz",
          "```exercise", "![", "](", "<", ">", "&", "#", "\n", "\n\n", "- ", "> ", "`",
          "\\", "*", "_", "{", "}", "<script>", "javascript:", "figures/", "\x00", "\u200f",
          "id:", "options:", "correct: true", "type: numeric", "answer: x"]
TYPE_VALUES = [None, True, 0, -1, 10**30, float("nan"), float("inf"), "", "text", "x" * 5000,
               [], [1, "a", None], {}, {"a": {"b": [1]}}, [[[[[]]]]], {"en": ["list"]}, 3.5]


def builtin_lessons() -> dict[str, dict[str, bytes]]:
    """{lesson id: {file name: bytes}} of the built-in lessons (lesson.yaml and texts)."""
    lessons = {}
    for folder in sorted(BUILTIN_LESSONS_DIR.iterdir()):
        if (folder / "lesson.yaml").is_file():
            lessons[folder.name] = {path.name: path.read_bytes() for path in folder.iterdir()
                                    if path.is_file()}
    return lessons


# --- mutations ------------------------------------------------------------------------------

def mutate_text(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        if not data:
            data += rng.choice(TOKENS).encode()
            continue
        at = rng.randrange(len(data))
        span = rng.randint(1, min(len(data) - at, 400))
        kind = rng.randrange(5)
        if kind == 0:  # byte flip
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1:  # token insertion, sometimes many
            data[at:at] = (rng.choice(TOKENS) * rng.choice((1, 1, 2, 50))).encode()
        elif kind == 2:  # deletion
            del data[at:at + span]
        elif kind == 3:  # duplication
            data[at:at] = data[at:at + span] * rng.randint(1, 5)
        else:  # truncation
            del data[at:]
    return bytes(data)


# --- running --------------------------------------------------------------------------------

class Tally:
    def __init__(self) -> None:
        self.runs = Counter()
        self.crashes = Counter()  # place -> count
        self.examples: dict[str, str] = {}

    def crash(self, what: str, error: BaseException, example: str) -> None:
        frames = traceback.extract_tb(error.__traceback__)
        last = frames[-1] if frames else None
        place = f"{Path(last.filename).resolve().relative_to(ROOT)}:{last.lineno}" \
            if last and Path(last.filename).resolve().is_relative_to(ROOT) else \
            (f"{last.filename}:{last.lineno}" if last else "?")
        place = f"{what}: {place} {type(error).__name__}"
        self.crashes[place] += 1
        if place not in self.examples:
            self.examples[place] = example + "\n" + "".join(
                traceback.format_exception(error)[-6:])


def run_parser(text_bytes: bytes, folder: Path, tag: str, tally: Tally, label: str) -> None:
    tally.runs["parser"] += 1
    try:
        from hafiza.lessonlib.parser import decode_text

        parse_markdown(decode_text(text_bytes, f"{label}"), f"{label}", folder, None, tag)
    except LessonError:
        pass
    except Exception as error:
        tally.crash("parser", error, label)


def run_checker(lesson_id: str, files: dict[str, bytes], tally: Tally, label: str) -> None:
    tally.runs["checker"] += 1
    try:
        checker.check_lesson_files(lesson_id, files)
    except Exception as error:
        tally.crash("checker", error, label)


class Renderer:
    """Draws a lesson folder offscreen with the app's lesson page."""

    def __init__(self) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from hafiza.ui import i18n

        self.app = QApplication.instance() or QApplication(["fuzz"])
        i18n.apply_language(self.app, "en")
        self.slot_errors: list[BaseException] = []
        sys.excepthook = lambda kind, error, tb: self.slot_errors.append(error)

    def draw(self, folder: Path, tally: Tally, label: str) -> None:
        from hafiza.lessonlib.outline import read_outline
        from hafiza.ui.lesson_page import LessonPage

        tally.runs["renderer"] += 1
        try:
            outline = read_outline(folder.parent)
            entry = outline.find(folder.name)
            if entry is None:
                return
            page = LessonPage()
            page.show_lesson(outline, entry)
            deadline = time.monotonic() + 30
            while getattr(page, "loading", None) is not None and time.monotonic() < deadline:
                self.app.processEvents()
            self.app.processEvents()
            page.close()
            page.deleteLater()
        except Exception as error:
            tally.crash("renderer", error, label)
        for error in self.slot_errors:
            tally.crash("renderer (in a slot)", error, label)
        self.slot_errors.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=10_000)
    parser.add_argument("--type-mutations", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--render", action="store_true", help="draw each mutated lesson too")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    # Formulas are drawn with ziamath to check them; the same formula gives the same answer,
    # so it is drawn once (the mutations would otherwise spend their time there).
    lessons = builtin_lessons()
    renderer = Renderer() if args.render else None
    tally = Tally()
    start = time.monotonic()
    texts = [(lesson_id, name) for lesson_id, files in lessons.items() for name in files
             if name.endswith(".md") and name[:-3] in VARIETY_TAGS]
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(args.mutations):
            lesson_id, name = rng.choice(texts)
            files = dict(lessons[lesson_id])
            files[name] = mutate_text(files[name], rng)
            label = f"mutation {i}: {lesson_id}/{name} (seed {args.seed})"
            run_parser(files[name], BUILTIN_LESSONS_DIR / lesson_id, name[:-3], tally, label)
            run_checker(lesson_id, {name: files[name], "lesson.yaml": files["lesson.yaml"]},
                        tally, label)
            if renderer:
                renderer.draw(_write(Path(scratch) / f"m{i}", lesson_id, files), tally, label)
            if (i + 1) % 1000 == 0:
                print(f"  {i + 1} text mutations, {sum(tally.crashes.values())} crashes, "
                      f"{time.monotonic() - start:.0f} s", flush=True)
        documents = {lesson_id: yaml.safe_load(files["lesson.yaml"])
                     for lesson_id, files in lessons.items()}
        paths = [(lesson_id, path) for lesson_id, document in documents.items()
                 for path in key_paths(document)]
        rng.shuffle(paths)  # every key of every lesson, in an order the seed decides
        for i in range(args.type_mutations):
            lesson_id, path = paths[i % len(paths)]
            value = rng.choice(TYPE_VALUES)
            try:
                text = yaml.safe_dump(replaced(documents[lesson_id], path, value),
                                      allow_unicode=True)
            except yaml.YAMLError:
                continue
            files = {**lessons[lesson_id], "lesson.yaml": text.encode("utf-8")}
            label = f"type mutation {i}: {lesson_id}/lesson.yaml {list(path)} = {value!r:.40}"
            run_checker(lesson_id, files, tally, label)
            if renderer:
                renderer.draw(_write(Path(scratch) / f"t{i}", lesson_id, files), tally, label)
    report(tally, time.monotonic() - start)
    return 1 if tally.crashes else 0


def _write(parent: Path, lesson_id: str, files: dict[str, bytes]) -> Path:
    folder = parent / lesson_id
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    figures = BUILTIN_LESSONS_DIR / lesson_id / "figures"
    if figures.is_dir():
        (folder / "figures").symlink_to(figures)
    return folder


def report(tally: Tally, seconds: float) -> None:
    print("\nruns: " + ", ".join(f"{what} {n}" for what, n in tally.runs.items()) +
          f" in {seconds:.0f} s")
    total = sum(tally.crashes.values())
    print(f"unhandled exceptions: {total} (goal: 0)")
    for place, count in tally.crashes.most_common():
        print(f"  {count:6}  {place}")
    for place, example in tally.examples.items():
        print(f"\n--- first example of {place}:\n{example}")


if __name__ == "__main__":
    sys.exit(main())
