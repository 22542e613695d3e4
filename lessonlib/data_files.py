"""The files in a lesson's `data/` folder: the instructor's own text that exercises train on.

They travel in the lesson's pack, so they obey the limits a learner's import enforces, and the
checker says so first: the author learns at check time what the learner's import would
refuse. A data file is text (`.txt`, `.md`, `.csv`, `.tsv`, `.json`), readable as
`engine.data.text_files` reads a learner's text, not empty, a `.json` that parses, at most
`MAX_DATA_BYTES`; all of `data/` together at most `MAX_LESSON_DATA_BYTES`. Anything else there
(a spreadsheet, a zip, a link) is an error: export refuses to drop it silently, and import
would refuse the pack.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from hafiza.lessonlib.model import Problem
from hafiza.words import _

DATA = "data"
DATA_SUFFIXES = (".txt", ".md", ".csv", ".tsv", ".json")
# One file: what a pack may hold per file (packs.MAX_FILE_BYTES). All of data/: half of what
# a whole pack may hold (packs.MAX_TOTAL_BYTES), leaving room for the text and figures.
MAX_DATA_BYTES = 8 * 1024 * 1024
MAX_LESSON_DATA_BYTES = 32 * 1024 * 1024


def megabytes(size: int) -> str:
    shown = size / (1024 * 1024)
    return f"{shown:.0f} MB" if shown >= 10 or shown == int(shown) else f"{shown:.1f} MB"


def data_file_problem(inner: str, data: bytes) -> tuple[int, str] | None:
    """(line, why) the data file `inner` (its bytes `data`) cannot be trained on, or None."""
    # Read as the engine reads a text_file; imported here, as engine.data brings numpy.
    from hafiza.engine.data.text_files import TextFileError, decode_text

    try:
        text = decode_text(data).text
    except TextFileError as error:
        if error.reason == "empty":
            return 1, _("the file is empty: an exercise would have nothing to train on")
        return 1, _("the file is not text ({error}); data/ holds text only: save it as UTF-8 "
                    "text (.txt, .csv, .tsv or .json)").format(error=error)
    if PurePosixPath(inner).suffix.lower() == ".json":
        try:
            json.loads(text)
        except ValueError as error:
            line = getattr(error, "lineno", 1)
            reason = getattr(error, "msg", str(error))
            return line, _("the file is not valid JSON: {reason}").format(reason=reason.lower())
        except RecursionError:
            return 1, _("the file is not valid JSON: it is nested too deeply")
    return None


def link_problem(path) -> Problem:
    """A link (symbolic or not) in figures/ or data/: never followed, whatever it names."""
    return Problem(path, 1, _("a link is not allowed in a lesson folder: copy the file itself"))


def data_folder_problems(source) -> list[Problem]:
    """Problems of every file under data/ of a lesson (a FolderSource or a MemorySource), each
    at the file itself (a JSON error at its line)."""
    problems: list[Problem] = []
    total = 0
    for inner in source.files_under(DATA):
        path = source.path(inner)
        if source.is_link(inner):
            problems.append(link_problem(path))
            continue
        suffix = PurePosixPath(inner).suffix.lower()
        if suffix not in DATA_SUFFIXES:
            if suffix:
                message = _("data/ holds only text files ({allowed}): a {suffix} file would not "
                            "travel with the lesson (export refuses it); save it as text or move "
                            "it out of the lesson folder")
            else:
                message = _("data/ holds only text files ({allowed}): a nameless file would "
                            "not travel with the lesson (export refuses it); save it as text or "
                            "move it out of the lesson folder")
            problems.append(Problem(path, 1, message.format(allowed=", ".join(DATA_SUFFIXES),
                                                            suffix=suffix)))
            continue
        size = source.size(inner)
        total += size
        if size > MAX_DATA_BYTES:
            problems.append(Problem(path, 1, _(
                "the file is {size}; a data file may be at most {limit} (a learner's import "
                "refuses larger ones): use a shorter extract").format(
                    size=megabytes(size), limit=megabytes(MAX_DATA_BYTES))))
            continue
        found = data_file_problem(inner, source.read(inner) or b"")
        if found:
            problems.append(Problem(path, *found))
    if total > MAX_LESSON_DATA_BYTES:
        problems.append(Problem(source.path(DATA), 1, _(
            "the files in data/ add up to {size}; a lesson may carry at most {limit} of data "
            "(a learner's import refuses more)").format(
                size=megabytes(total), limit=megabytes(MAX_LESSON_DATA_BYTES))))
    return problems
