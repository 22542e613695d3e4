"""`python main.py lessons ...`: the instructors' tools, without Qt.

    lessons check PATH... [--strict]       validate lessons; file:line: message per problem
    lessons new ID [--varieties fa,arz] [--dir DIR]   a skeleton to fill in
    lessons export ID... -o FILE.hafiza     pack lessons (from the library or built in)
    lessons import FILE [--yes] [--replace]   add a pack's lessons to the lesson library
    lessons list                           every lesson, built in or in the library
    lessons remove ID                      remove a library lesson (a built-in one comes back)
    lessons preview PATH [--lang fa]       a lesson folder anywhere in a window, live
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hafiza import words
from hafiza.lessonlib import checker, library, packs, paths, skeleton
from hafiza.lessonlib.model import VARIETY_TAGS
from hafiza.words import _, ngettext


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hafiza lessons",
                                     description="Check, create and share lessons.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate lesson folders")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a lesson folder, a file in one, or a folder of lessons")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (missing varieties, unused exercises, "
                            "differences between a lesson's varieties...)")
    check.add_argument("--no-engine", action="store_true",
                       help="don't check exercises with the training engine (faster)")
    check.add_argument("--lang", choices=VARIETY_TAGS, default=None,
                       help="the language of the messages (default: the app's, else en)")

    new = commands.add_parser("new", help="create a lesson skeleton")
    new.add_argument("id")
    new.add_argument("--varieties", default="en",
                     help=f"comma-separated, some of {','.join(VARIETY_TAGS)} (default: en)")
    new.add_argument("--dir", type=Path, default=None,
                     help="where to create it (default: the lesson library)")
    new.add_argument("--replace", action="store_true",
                     help="allow an id of a built-in lesson: yours is shown instead of it "
                          "until `lessons remove ID`")

    export = commands.add_parser("export", help="write lessons into a .hafiza pack")
    export.add_argument("ids", nargs="+", metavar="ID",
                        help="a lesson's id (library or built in) or its folder")
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

    preview = commands.add_parser("preview", help="show a lesson folder in a window, drawn "
                                  "again each time you save one of its files")
    preview.add_argument("path", type=Path, metavar="PATH",
                         help="a lesson folder anywhere (or a file in one)")
    preview.add_argument("--lang", choices=VARIETY_TAGS, default=None,
                         help="the language to show it in (default: the app's)")
    preview.add_argument("--no-engine", action="store_true",
                         help="don't check exercises with the training engine (faster)")
    return parser


def main(argv: list[str], open_preview=None) -> int:
    """`open_preview(folder, language, validate_exercises)`: the window of `lessons preview`,
    handed in by hafiza/__main__.py, since this layer never loads Qt."""
    args = _parser().parse_args(argv)
    if args.command == "preview":
        return _preview(args, open_preview)
    commands = {"check": _check, "new": _new, "export": _export, "import": _import,
                "list": _list, "remove": _remove}
    return commands[args.command](args)


def _check(args) -> int:
    if args.lang:
        words.set_language(args.lang)
    known = [p.name for base in (paths.BUILTIN_LESSONS_DIR, paths.library_dir())
             if base.is_dir() for p in base.iterdir()]
    problems = checker.check_paths(args.paths, known, validate_exercises=not args.no_engine)
    for problem in problems:
        print(problem)
    failing = problems if args.strict else checker.errors(problems)
    warnings = len(problems) - len(checker.errors(problems))
    errors = len(checker.errors(problems))
    print(words._("{errors}, {warnings}").format(
        errors=words.ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=words.ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)),
        file=sys.stderr)
    return 1 if failing else 0


def _new(args) -> int:
    varieties = [tag.strip() for tag in args.varieties.split(",") if tag.strip()]
    hides = _new_hides_builtin(args)
    if hides and not args.replace:
        print("lessons new: " + _(
            "refused: {id!r} is the id of a built-in lesson; a new lesson with it would "
            "replace that lesson in the app. Choose another id, or add --replace to write "
            "your own version of it (`lessons remove {id}` brings the built-in one back)"
        ).format(id=args.id), file=sys.stderr)
        return 1
    try:
        folder = skeleton.new_lesson(args.id, varieties, args.dir or paths.library_dir())
    except (skeleton.SkeletonError, OSError) as error:
        print(f"lessons new: {error}", file=sys.stderr)
        return 1
    print(folder)
    if hides:
        print(_("replaces the built-in lesson {id} (`lessons remove {id}` brings it back)"
                ).format(id=args.id))
    return 0


def _new_hides_builtin(args) -> bool:
    """The new lesson would go into the library under a built-in lesson's id."""
    library = paths.library_dir()
    into_library = args.dir is None or Path(args.dir).resolve() == library.resolve()
    return into_library and (paths.BUILTIN_LESSONS_DIR / args.id / "lesson.yaml").is_file()


def _export(args) -> int:
    folders = []
    for name in args.ids:
        # an id (the library first, then the built-in lessons), or a lesson folder's path
        folder = Path(name) if (Path(name) / "lesson.yaml").is_file() else \
            paths.find_lesson(name) if library.LESSON_ID.fullmatch(name) else None
        if folder is None:
            print("lessons export: " + _("no lesson {name!r} (give a lesson's id or its "
                                         "folder)").format(name=name), file=sys.stderr)
            return 1
        folders.append(folder)
    notes: list[str] = []
    try:
        out = packs.export_pack(folders, args.output, notes)
    except (packs.PackError, OSError) as error:
        print(f"lessons export: {error}", file=sys.stderr)
        return 1
    for note in notes:
        print(note)
    print(out)
    return 0


def _import(args) -> int:
    library = args.library or paths.library_dir()
    try:
        plan = packs.read_pack(args.pack, library)
    except packs.PackError as error:
        print("lessons import: " + _("refused: {reason}").format(reason=error),
              file=sys.stderr)
        return 1
    for lesson in plan.lessons:
        print(_plan_line(lesson))
    if plan.replaced and not args.replace:
        ids = ", ".join(lesson.id for lesson in plan.replaced)
        print("lessons import: " + _("refused: the pack replaces lessons you have ({ids}); "
                                     "import it with --replace to replace them"
                                     ).format(ids=ids), file=sys.stderr)
        return 1
    older = [lesson.id for lesson in plan.lessons if lesson.older]
    if not args.yes:
        question = _("Import into {library}?").format(library=library) if not older else _(
            "{ids}: older than the lesson you have. Import into {library} anyway?").format(
                ids=", ".join(older), library=library)
        try:
            answer = input(f"{question} [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print(_("nothing imported"))
            return 1
    try:
        installed = packs.install(plan)
    except (packs.PackError, OSError) as error:
        print(f"lessons import: {error}", file=sys.stderr)
        return 1
    print(ngettext("imported {n} lesson(s) into {library}",
                   "imported {n} lesson(s) into {library}", len(installed)).format(
        n=len(installed), library=library))
    if plan.replaced:
        print(_("`lessons remove ID` undoes a replacement: the lesson you had comes back"))
    return 0


def _plan_line(lesson) -> str:
    title = lesson.title(words.language())
    if lesson.in_library:
        line = _("replace: {id} ({title}) - replaces the lesson in your library")
    elif lesson.shadows_builtin:
        line = _("replace: {id} ({title}) - replaces the built-in lesson")
    else:
        line = _("add: {id} ({title})")
    line = line.format(id=lesson.id, title=title)
    change = lesson.version_change
    return f"{line}; {change}" if change else line


def _list(args) -> int:
    """One line per lesson: id, source, version, title (tab-separated)."""
    for lesson in library.list_lessons(args.library or paths.library_dir()):
        source = _("{source} (a backup of the one it replaced is kept)").format(
            source=lesson.source) if lesson.has_backup else lesson.source
        print(f"{lesson.id}\t{source}\t{lesson.version or '-'}\t{lesson.title}")
    return 0


def _remove(args) -> int:
    folder = args.library or paths.library_dir()
    try:
        restored = library.remove_lesson(folder, args.id)
    except library.LibraryError as error:
        builtin = (paths.BUILTIN_LESSONS_DIR / str(args.id) / "lesson.yaml").is_file()
        message = _("{id!r} is a built-in lesson; only lessons in your library can be "
                    "removed").format(id=args.id) if builtin else str(error)
        print(f"lessons remove: {message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"lessons remove: {error.strerror or error}", file=sys.stderr)
        return 1
    print(_("removed: {id}").format(id=args.id))
    if restored:
        from hafiza.lessonlib.versions import folder_version

        version = folder_version(folder / args.id)
        print(_("the lesson it replaced is back (version {version})").format(version=version)
              if version else _("the lesson it replaced is back"))
    elif (paths.BUILTIN_LESSONS_DIR / args.id / "lesson.yaml").is_file():
        print(_("the built-in lesson {id} is back").format(id=args.id))
    return 0


def preview_folder(path: Path) -> tuple[Path | None, str]:
    """The lesson folder `path` names (itself, or the folder of a file in it), or None and
    why not, in words."""
    folder = path.parent if path.is_file() else path
    if not folder.is_dir():
        return None, _("{path} does not exist").format(path=path)
    if not (folder / "lesson.yaml").is_file():
        return None, _("{folder} is not a lesson folder: it has no lesson.yaml (`hafiza "
                       "lessons new ID --dir FOLDER` makes one)").format(folder=folder)
    return folder.resolve(), ""


def _preview(args, open_preview) -> int:
    folder, why = preview_folder(args.path)
    if folder is None:
        print(f"lessons preview: {why}", file=sys.stderr)
        return 2
    if open_preview is None:  # called without the app (lessonlib alone has no windows)
        print("lessons preview: " + _("run it as `hafiza lessons preview PATH`"),
              file=sys.stderr)
        return 2
    return open_preview(folder, args.lang, not args.no_engine)
