"""`python main.py lessons ...`: the instructors' tools, without Qt.

    lessons check PATH... [--strict]       validate lessons; file:line: message per problem
    lessons new ID [--varieties fa,arz] [--dir DIR]   a skeleton to fill in
    lessons export ID... -o FILE.hafiza     pack lessons (from the library or built in)
    lessons import FILE [--yes] [--replace]   add a pack's lessons to the lesson library
    lessons list                           every lesson, built in or in the library
    lessons remove ID                      remove a library lesson (a built-in one comes back)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hafiza.lessonlib import checker, library, packs, paths, skeleton
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
    imp.add_argument("--replace", action="store_true",
                     help="allow the pack to replace lessons you have (built in or in the "
                          "library); without it such a pack is refused")
    imp.add_argument("--library", type=Path, default=None, help=argparse.SUPPRESS)

    listing = commands.add_parser("list", help="list every lesson and where it comes from")
    listing.add_argument("--library", type=Path, default=None, help=argparse.SUPPRESS)

    remove = commands.add_parser("remove", help="remove a lesson from the lesson library")
    remove.add_argument("id", metavar="ID")
    remove.add_argument("--library", type=Path, default=None, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    commands = {"check": _check, "new": _new, "export": _export, "import": _import,
                "list": _list, "remove": _remove}
    return commands[args.command](args)


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
        print(_plan_line(lesson))
    if plan.replaced and not args.replace:
        ids = ", ".join(lesson.id for lesson in plan.replaced)
        print(f"lessons import: refused: the pack replaces lessons you have ({ids}); "
              "import it with --replace to replace them", file=sys.stderr)
        return 1
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


def _plan_line(lesson) -> str:
    line = f"{'replace' if lesson.replaces else 'add'}: {lesson.id} ({lesson.title('en')})"
    if lesson.shadows_builtin:
        return line + " - replaces the built-in lesson"
    if lesson.in_library:
        return line + " - replaces the lesson in your library"
    return line


def _list(args) -> int:
    for lesson in library.list_lessons(args.library or paths.library_dir()):
        where = "library, replaces the built-in lesson" if lesson.shadows_builtin else \
            lesson.where
        print(f"{lesson.id}\t{where}\t{lesson.title}")
    return 0


def _remove(args) -> int:
    folder = args.library or paths.library_dir()
    try:
        library.remove_lesson(folder, args.id)
    except library.LibraryError as error:
        builtin = (paths.BUILTIN_LESSONS_DIR / str(args.id) / "lesson.yaml").is_file()
        message = (f"{args.id!r} is a built-in lesson; only lessons in your library can be "
                   "removed") if builtin else str(error)
        print(f"lessons remove: {message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"lessons remove: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"removed: {args.id}")
    if (paths.BUILTIN_LESSONS_DIR / args.id / "lesson.yaml").is_file():
        print(f"the built-in lesson {args.id} is back")
    return 0
