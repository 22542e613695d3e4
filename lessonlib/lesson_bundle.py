"""What of a lesson folder goes into a pack, and what would be left behind.

A pack carries `lesson.yaml`, `<variety>.md`, images under `figures/` and text under `data/`
(`FOLDER_SUFFIXES`). Export must never drop a file the instructor meant to travel without a
word: `bundle_lesson` lists every other file (`left_out`: export refuses the lesson) apart
from hidden ones (`.git`, `.DS_Store`: named, never packed).

A built-in lesson's `[[terms]]` are defined in the course glossary (`lessons/glossary.yaml`),
which stays behind: in a learner's library the lesson would have none. So the course entries
the lesson uses are written into the packed `lesson.yaml`'s own `glossary:`, in the text the
page shows for them (`glossary.entry_text`); the lesson's own entries keep precedence.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from hafiza.lessonlib.data_files import DATA, DATA_SUFFIXES
from hafiza.lessonlib.glossary import course_glossary
from hafiza.lessonlib.markdown_inline import IMAGE_SUFFIXES
from hafiza.lessonlib.model import VARIETY_TAGS
from hafiza.lessonlib.schema import read_yaml

FIGURES = "figures"
LESSON_FILES = {"lesson.yaml", *(f"{tag}.md" for tag in VARIETY_TAGS)}
# What may sit in a lesson's sub-folders besides its text: images, and the data files its
# exercises train on.
FOLDER_SUFFIXES = {FIGURES: IMAGE_SUFFIXES, DATA: DATA_SUFFIXES}
_TERM = re.compile(r"\[\[(.+?)\]\]")


@dataclass
class Bundle:
    """A lesson as it goes into a pack."""

    files: dict[str, bytes] = field(default_factory=dict)  # inner path -> bytes
    left_out: list[str] = field(default_factory=list)  # files that would be dropped
    hidden: list[str] = field(default_factory=list)  # hidden files, never packed
    glossary_terms: list[str] = field(default_factory=list)  # added from the course glossary


def packable(inner: str) -> bool:
    """Whether the file at `inner` (a POSIX path inside a lesson) belongs in a pack."""
    parts = PurePosixPath(inner).parts
    if inner in LESSON_FILES:
        return True
    suffixes = FOLDER_SUFFIXES.get(parts[0]) if len(parts) >= 2 else None
    return bool(suffixes) and PurePosixPath(inner).suffix.lower() in suffixes


def _walk(folder: Path) -> list[tuple[str, Path]]:
    """(inner path, path) of every file and link in `folder`; links are never followed."""
    found = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        links = [name for name in dirs if (Path(root) / name).is_symlink()]
        for name in [*names, *links]:
            path = Path(root) / name
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def bundle_lesson(folder: Path) -> Bundle:
    """The files of the lesson in `folder` as a pack holds them, and what stays behind."""
    bundle = Bundle()
    for inner, path in _walk(Path(folder)):
        if any(part.startswith(".") for part in PurePosixPath(inner).parts):
            bundle.hidden.append(inner)
        elif path.is_symlink() or not path.is_file() or not packable(inner):
            bundle.left_out.append(inner)
        else:
            bundle.files[inner] = path.read_bytes()
    glossary = course_glossary(Path(folder).parent)
    if glossary and "lesson.yaml" in bundle.files:
        _add_course_glossary(bundle, glossary)
    return bundle


def terms_used(texts: list[str]) -> set[str]:
    """The glossary terms the Markdown `texts` mark as [[term]] or [[term|shown]]."""
    return {match.partition("|")[0].rstrip("\\").strip()
            for text in texts for match in _TERM.findall(text)}


def _add_course_glossary(bundle: Bundle, glossary: dict[str, dict[str, str]]) -> None:
    raw = bundle.files["lesson.yaml"].decode("utf-8")
    data, _node = read_yaml(raw)  # the lesson passed the checker: this does not raise
    own = data.get("glossary") if isinstance(data.get("glossary"), dict) else {}
    texts = [bundle.files[f"{tag}.md"].decode("utf-8", "replace") for tag in VARIETY_TAGS
             if f"{tag}.md" in bundle.files]
    missing = sorted(term for term in terms_used(texts) if term in glossary and term not in own)
    if not missing:
        return
    entries = {term: dict(glossary[term]) for term in missing}
    note = ("# The course glossary's entries this lesson uses, added by `hafiza lessons "
            "export`\n# so that its [[terms]] keep their definitions wherever it is imported.\n")
    if "glossary" not in data:  # appended: the instructor's file is otherwise unchanged
        added = _dump({"glossary": entries})
        raw = raw.rstrip("\n") + "\n" + note + added
    else:  # merged into the lesson's own glossary: the file is written anew
        data["glossary"] = {**entries, **own}
        raw = note + _dump(data)
    bundle.files["lesson.yaml"] = raw.encode("utf-8")
    bundle.glossary_terms = missing


class _PlainDumper(yaml.SafeDumper):
    """Writes every value in full: the checker refuses YAML anchors and aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                     width=100)
