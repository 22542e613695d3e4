"""Hafiza's entry point: parse the command line and hand over.

    python main.py [--lang fa] [--lesson ID]          the app
    python main.py --screenshot out.png --lang fa [--lesson ID] [--size 1200x800]
    python main.py train EXERCISE [--set key=value ...]   headless training (engine.cli)
    python main.py summary EXERCISE                        the model table (engine.cli)
    python main.py progress export|import FILE             a learner's progress (store.cli)
    python main.py lessons check|new|export|import ...     lesson tools (lessonlib.cli)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hafiza import varieties
from hafiza.engine.runtime import DEVICE_CHOICES

ENGINE_COMMANDS = {"train", "summary"}


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return width, height


def parse_app_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hafiza", description="Learn deep learning offline.")
    parser.add_argument("--lang", choices=varieties.TAGS, help="interface and lesson language")
    parser.add_argument("--lesson", help="open this lesson (its id)")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="render the window offscreen into a PNG and exit")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size")
    parser.add_argument("--device", choices=DEVICE_CHOICES,
                        help="where exercises train: auto (the best present, the default), "
                             "cpu, cuda or mps; this session only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ENGINE_COMMANDS:
        from hafiza.engine import cli

        return cli.main(argv)
    if argv and argv[0] == "lessons":
        from hafiza.lessonlib import cli as lessons_cli

        return lessons_cli.main(argv[1:])
    if argv and argv[0] == "progress":
        from hafiza.store import cli as progress_cli

        return progress_cli.main(argv[1:])
    args = parse_app_arguments(argv)
    if args.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from hafiza.ui.app import run

    return run(language=args.lang, screenshot=args.screenshot, lesson=args.lesson, size=args.size,
               device=args.device)


if __name__ == "__main__":
    sys.exit(main())
