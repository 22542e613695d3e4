"""Hafiza's entry point: parse the command line and hand over.

    python main.py [--lang fa] [--lesson ID]          the app
    python main.py --lesson FOLDER                     the preview of a lesson folder anywhere
    python main.py --screenshot out.png --lang fa [--lesson ID] [--size 1200x800] [--theme dark]
    python main.py --version
    python main.py train EXERCISE [--set key=value ...]   headless training (engine.cli)
    python main.py summary EXERCISE                        the model table (engine.cli)
    python main.py progress export|import FILE             a learner's progress (store.cli)
    python main.py lessons check|new|list|export|import|remove|preview ...  (lessonlib.cli)

Only the app loads Qt, and nothing here loads torch: `--version`, `--help` and a mistyped
command answer at once.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from hafiza import __version__, varieties
from hafiza.engine.runtime import DEVICE_CHOICES

EXIT_USAGE = 2
# ui.settings.THEMES, named here so that `--help` loads no Qt.
THEME_CHOICES = ("system", "light", "dark")

# The subcommands, each with the one line `hafiza --help` shows for it.
COMMANDS = {
    "train": "train an exercise headless: train EXERCISE [--set KEY=VALUE ...]",
    "summary": "print an exercise's model, layer by layer: summary EXERCISE",
    "lessons": "instructors' tools: lessons check|new|list|export|import|remove|preview ...",
    "progress": "a learner's progress as one file: progress export|import FILE",
}
ENGINE_COMMANDS = {"train", "summary"}
# lessonlib.skeleton.ID_PATTERN: `--lesson` with anything else names a folder.
LESSON_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return width, height


def commands_text() -> str:
    lines = [f"  {name:10} {line}" for name, line in COMMANDS.items()]
    return "commands (`hafiza COMMAND --help` for each):\n" + "\n".join(lines)


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hafiza", description="Learn deep learning offline. Without a command, opens the "
        "window.", epilog=commands_text(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"hafiza {__version__}")
    parser.add_argument("--lang", choices=varieties.TAGS, help="interface and lesson language")
    parser.add_argument("--lesson", metavar="ID|FOLDER",
                        help="open this lesson: its id, or a lesson folder anywhere (shown in "
                             "the preview, drawn again each time a file of it is saved)")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="render the window offscreen into a PNG and exit")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size")
    parser.add_argument("--theme", choices=THEME_CHOICES,
                        help="light, dark or system (follow the system's); this session only")
    parser.add_argument("--device", choices=DEVICE_CHOICES,
                        help="where exercises train: auto (the best present, the default), "
                             "cpu, cuda or mps; this session only")
    return parser


def parse_app_arguments(argv: list[str]) -> argparse.Namespace:
    return app_parser().parse_args(argv)


def _unknown_command(word: str) -> int:
    # Said here rather than by argparse ("unrecognized arguments"), which would not name the
    # commands; and never by opening the window for a mistyped command.
    if sys.stderr is not None:  # hafizaw on Windows has no stderr
        print(f"hafiza: unknown command {word!r}\n{commands_text()}", file=sys.stderr)
    return EXIT_USAGE


def _usage_error(line: str) -> int:
    if sys.stderr is not None:  # hafizaw on Windows has no stderr
        print(line, file=sys.stderr)
    return EXIT_USAGE


def _names_a_folder(text: str) -> bool:
    """Whether `--lesson TEXT` names a folder rather than a lesson id: it cannot be an id, or
    it is a folder and no lesson has that id."""
    if not LESSON_ID.fullmatch(text):
        return True
    from hafiza.lessonlib.paths import find_lesson

    return Path(text).is_dir() and find_lesson(text) is None


def _open_preview(folder: Path, language: str | None, validate_exercises: bool = True,
                  **window) -> int:
    """The preview window (ui.lesson_preview) on a lesson folder; `window`: screenshot, size,
    theme."""
    from hafiza.ui.lesson_preview import run_preview

    return run_preview(folder, language, window.get("screenshot"), window.get("size"),
                       window.get("theme"), validate_exercises)


def _speak_the_apps_language() -> None:
    """The instructors' tools speak the language chosen in the app (its saved setting, read
    without opening the store), English when none is saved; `--lang` overrides it."""
    from hafiza import words
    from hafiza.store.paths import database_path
    from hafiza.store.preferences import peek_setting

    saved = peek_setting(database_path(), "language")
    if saved:
        words.set_language(saved)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv and not argv[0].startswith("-") else None
    if command in ENGINE_COMMANDS:
        from hafiza.engine import cli

        return cli.main(argv)
    if command == "lessons":
        from hafiza.lessonlib import cli as lessons_cli

        _speak_the_apps_language()
        return lessons_cli.main(argv[1:], open_preview=_open_preview)
    if command == "progress":
        from hafiza.store import cli as progress_cli

        return progress_cli.main(argv[1:])
    if command is not None:
        return _unknown_command(command)
    args = parse_app_arguments(argv)
    if args.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.lesson and _names_a_folder(args.lesson):
        from hafiza.lessonlib.cli import preview_folder

        folder, why = preview_folder(Path(args.lesson).expanduser())
        if folder is None:
            return _usage_error(f"hafiza: --lesson {args.lesson}: {why}")
        return _open_preview(folder, args.lang, screenshot=args.screenshot, size=args.size,
                             theme=args.theme)
    from hafiza.ui.app import run

    return run(language=args.lang, screenshot=args.screenshot, lesson=args.lesson, size=args.size,
               device=args.device, theme=args.theme)


if __name__ == "__main__":
    sys.exit(main())
