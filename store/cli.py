"""`python main.py progress ...`: export, import and check the learner's progress.

    progress export FILE [--no-models] [--no-texts]
                                             write everything to one zip file (with the
                                             learner's own texts its runs trained on)
    progress import FILE [--replace]         validate FILE completely, then merge (default)
                                             or replace this computer's progress
    progress check                           integrity check and counts

Messages are in English: this is a tool for moving progress and for instructors; the app's
menus word the same errors in the learner's language (ui.store_errors).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hafiza.store import StoreError, open_store, paths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hafiza progress",
                                     description="Export, import or check learner progress.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write progress to one file")
    export.add_argument("file", type=Path)
    export.add_argument("--no-models", action="store_true", help="leave trained models out")
    export.add_argument("--no-texts", action="store_true",
                        help="leave out the learner's own texts the runs trained on")
    imp = commands.add_parser("import", help="read progress from an exported file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true",
                     help="replace this computer's progress instead of merging (a backup is kept)")
    commands.add_parser("check", help="check the database")
    return parser


def main(argv: list[str]) -> int:
    if argv and argv[0] == "progress":
        argv = argv[1:]
    args = _parser().parse_args(argv)
    from hafiza.store import transfer

    try:
        store = open_store()
    except StoreError as error:
        print(f"cannot open {paths.database_path()}: {error.reason} ({error.detail})",
              file=sys.stderr)
        return 1
    try:
        _report_opening(store)
        if store.db.holding and args.command == "import":
            print(f"import failed: {store.problem.reason}: {paths.database_path()} cannot be "
                  "written, so nothing was imported", file=sys.stderr)
            return 1
        if args.command == "export":
            summary = transfer.export_progress(store, args.file, not args.no_models,
                                               not args.no_texts)
            print(f"exported {summary.lessons} lessons, {summary.answers} quiz answers, "
                  f"{summary.runs} runs ({summary.models} models) to {args.file}")
            if summary.texts:  # the only way a learner's own text leaves the computer
                print(f"the file contains {summary.texts} of the learner's own texts "
                      "(whoever gets it can read them; --no-texts leaves them out)")
        elif args.command == "import":
            mode = "replace" if args.replace else "merge"
            summary = transfer.import_progress(store, args.file, mode)
            print(f"imported ({mode}) {summary.lessons} lessons, {summary.answers} quiz "
                  f"answers, {summary.runs} runs ({summary.models} models, "
                  f"{summary.texts} own texts); {summary.skipped_runs} runs were already here")
            if summary.backup:
                print(f"backup of the previous progress: {summary.backup}")
        else:
            result = store.db.integrity()
            counts = {table: store.db.query_one(f"SELECT COUNT(*) FROM {table}")[0]
                      for table in ("lessons", "quiz_answers", "runs", "run_points")}
            print(f"{store.db.path}: schema {store.db.schema_version}, integrity {result}")
            print(", ".join(f"{table}: {n}" for table, n in counts.items()))
            return 0 if result == "ok" else 1
    except StoreError as error:
        print(f"{args.command} failed: {error.reason}: {error.detail}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _report_opening(store) -> None:
    """What opening the database found, on stderr (stdout stays the command's own)."""
    db = store.db
    if db.recovered_from:
        recovery = db.recovery
        print(f"the database was damaged and moved to {db.recovered_from}", file=sys.stderr)
        if recovery is not None:
            source = f" from {recovery.backup}" if recovery.backup else ""
            print(f"recovered{source}: {recovery.lessons} lessons, {recovery.answers} quiz "
                  f"answers, {recovery.runs} runs", file=sys.stderr)
    report = db.schema_report
    if report is not None and report.dropped:
        print(f"removed from the database (Hafiza does not make them): "
              f"{', '.join(report.dropped)}", file=sys.stderr)
    if report is not None and report.created:
        print(f"created again (they were missing): {', '.join(report.created)}",
              file=sys.stderr)
    if db.holding:
        print(f"{db.path} cannot be written ({store.problem.reason}): read without changing it",
              file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
