"""`python main.py lessons ...`: the instructors' tools, without Qt.

    lessons check PATH... [--strict]       validate lessons; file:line: message per problem
    lessons new ID [--varieties fa,arz] [--dir DIR]   a skeleton to fill in
    lessons export ID... -o FILE.hafiza     pack lessons (from the library or built in)
    lessons import FILE [--yes]            add a pack's lessons to the lesson library
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hafiza.lessonlib import checker, packs, paths, skeleton
from hafiza.lessonlib.model import VARIETY_TAGS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hafiza lessons",
                                     description="Check, create and share lessons.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate lesson folders")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a lesson folder, a file in one, or a folder of lessons")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (missing varieties, unused exercises...)")
    check.add_argument("--no-engine", action="store_true",
                       help="don't check exercises with the training engine (faster)")

    new = commands.add_parser("new", help="create a lesson skeleton")
    new.add_argument("id")
    new.add_argument("--varieties", default="en",
                     help=f"comma-separated, some of {','.join(VARIETY_TAGS)} (default: en)")
    new.add_argument("--dir", type=Path, default=None,
                     help="where to create it (default: the lesson library)")

    export = commands.add_parser("export", help="write lessons into a .hafiza pack")
    export.add_argument("ids", nargs="+", metavar="ID")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.hafiza")

    imp = commands.add_parser("import", help="add a .hafiza pack's lessons to the library")
    imp.add_argument("pack", type=Path, metavar="FILE.hafiza")
    imp.add_argument("--yes", "-y", action="store_true", help="don't ask")
    imp.add_argument("--library", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return {"check": _check, "new": _new, "export": _export, "import": _import}[args.command](
        args)


def _check(args) -> int:
    known = [p.name for base in (paths.BUILTIN_LESSONS_DIR, paths.library_dir())
             if base.is_dir() for p in base.iterdir()]
    problems = checker.check_paths(args.paths, known, validate_exercises=not args.no_engine)
    for problem in problems:
        print(problem)
    failing = problems if args.strict else checker.errors(problems)
    warnings = len(problems) - len(checker.errors(problems))
    print(f"{len(checker.errors(problems))} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if failing else 0


def _new(args) -> int:
    varieties = [tag.strip() for tag in args.varieties.split(",") if tag.strip()]
    try:
        folder = skeleton.new_lesson(args.id, varieties, args.dir or paths.library_dir())
    except (skeleton.SkeletonError, OSError) as error:
        print(f"lessons new: {error}", file=sys.stderr)
        return 1
    print(folder)
    return 0


def _export(args) -> int:
    folders = []
    for lesson_id in args.ids:
        folder = paths.find_lesson(lesson_id)
        if folder is None:
            print(f"lessons export: no lesson {lesson_id!r}", file=sys.stderr)
            return 1
        folders.append(folder)
    try:
        out = packs.export_pack(folders, args.output)
    except (packs.PackError, OSError) as error:
        print(f"lessons export: {error}", file=sys.stderr)
        return 1
    print(out)
    return 0


def _import(args) -> int:
    library = args.library or paths.library_dir()
    try:
        plan = packs.read_pack(args.pack, library)
    except packs.PackError as error:
        print(f"lessons import: refused: {error}", file=sys.stderr)
        return 1
    for lesson in plan.lessons:
        action = "replace" if lesson.replaces else "add"
        print(f"{action}: {lesson.id} ({lesson.title('en')})")
    if not args.yes:
        try:
            answer = input(f"Import into {library}? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing imported")
            return 1
    try:
        installed = packs.install(plan)
    except (packs.PackError, OSError) as error:
        print(f"lessons import: {error}", file=sys.stderr)
        return 1
    print(f"imported {len(installed)} lesson(s) into {library}")
    return 0
