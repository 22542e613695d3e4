"""Lesson packs (`.hafiza` files): export lessons into a zip, import one safely, offline.

A pack is a zip holding `hafiza-pack.json` (`{"format": 1, "lessons": [ids]}`) and one
folder per lesson (`<id>/lesson.yaml`, `<id>/<variety>.md`, `<id>/figures/...`,
`<id>/data/...`). Export takes what `lesson_bundle` says travels, and refuses a lesson that
would leave a file behind; a built-in lesson takes the course glossary's entries it uses.

Import treats the pack as hostile:
- it is read into memory through `hafiza.safezip`, under limits (pack size, number of files,
  size of each file and of all files, counted while decompressing, not taken from the zip's
  own headers); absolute paths, `..`, backslashes, drive letters, symlinks and other file
  types are refused there;
- every name must then be `hafiza-pack.json` or `<id>/...` of an allowed kind;
- every lesson is checked in memory with the full checker (schema, YAML without aliases,
  Markdown without raw HTML, only http(s) and mailto links, figures that are what their names
  say and within their size, SVG that `svg_safety` accepts, data paths inside the lesson);
  nothing is written unless every lesson of the pack passes;
- the lessons are then written to a staging folder inside the library and renamed into
  place (`lessonlib.library`: an interrupted install leaves nothing that `sweep_staging`
  does not clear at the next start);
- a lesson that would replace one already there (a library lesson, or a built-in lesson
  it would hide) is said to replace it, with the versions compared ("updates 1.2 to 1.3"):
  the app asks explicitly, the CLI needs --replace; a replaced library lesson is kept as a
  backup that `lessons remove` brings back (`library.put_in_place`);
- nothing in a pack is ever executed; YAML is read with the safe loader only.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hafiza.lessonlib import versions
from hafiza.lessonlib.checker import check_lesson, check_lesson_files, errors
from hafiza.lessonlib.lesson_bundle import FOLDER_SUFFIXES, LESSON_FILES, bundle_lesson
from hafiza.lessonlib.library import (
    delete_leftover,
    new_staging_folder,
    put_in_place,
    sweep_staging,
)
from hafiza.lessonlib.model import LessonError
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR
from hafiza.lessonlib.schema import read_yaml
from hafiza.lessonlib.svg_safety import clean_svg
from hafiza.safezip import Limits, UnreadableArchive, UnsafeArchive, open_zip_checked
from hafiza.words import _, ngettext

MANIFEST = "hafiza-pack.json"
PACK_SUFFIX = ".hafiza"
FORMAT = 1
MAX_PACK_BYTES = 64 * 1024 * 1024
MAX_FILES = 500
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_LESSONS = 100

__all__ = ["ImportPlan", "PackError", "PackLesson", "export_pack", "import_pack", "install",
           "read_pack", "sweep_staging"]


class PackError(Exception):
    """A pack that cannot be exported or imported; the message says why, for a person."""


@dataclass
class PackLesson:
    id: str
    titles: dict[str, str]
    files: dict[str, bytes]  # path inside the lesson folder -> content
    in_library: bool = False  # a lesson with this id is already in the library
    shadows_builtin: bool = False  # a built-in lesson has this id: this one would hide it
    version: str | None = None  # lesson.yaml's `version`, as written
    installed_version: str | None = None  # that of the lesson it replaces

    @property
    def older(self) -> bool:
        """It is an older version than the lesson it would replace."""
        return self.replaces and versions.compare(self.version, self.installed_version) < 0

    @property
    def version_change(self) -> str | None:
        """'updates 1.2 to 1.3', 'older (1.2) than the installed 1.3'... or None."""
        return versions.change_words(self.version, self.installed_version) \
            if self.replaces else None

    @property
    def replaces(self) -> bool:
        """Installing it takes the place of a lesson the learner has now."""
        return self.in_library or self.shadows_builtin

    def title(self, variety: str) -> str:
        from hafiza.lessonlib.model import fallback_chain

        for tag in fallback_chain(variety):
            if self.titles.get(tag):
                return self.titles[tag]
        return next(iter(self.titles.values()), self.id)


@dataclass
class ImportPlan:
    """What importing a pack will do, for the learner to confirm."""

    pack: Path
    library: Path
    lessons: list[PackLesson] = field(default_factory=list)

    @property
    def added(self) -> list[PackLesson]:
        return [lesson for lesson in self.lessons if not lesson.replaces]

    @property
    def replaced(self) -> list[PackLesson]:
        return [lesson for lesson in self.lessons if lesson.replaces]

    @property
    def replaced_builtin(self) -> list[PackLesson]:
        """The lessons that would hide a built-in lesson (the learner must say yes to each)."""
        return [lesson for lesson in self.lessons if lesson.shadows_builtin]


# --- export -------------------------------------------------------------------------------

def export_pack(folders: list[Path], out: Path, notes: list[str] | None = None) -> Path:
    """Writes the lessons in `folders` into the pack `out`; refuses a lesson with errors, or
    one that would leave a file behind (a hidden file is never packed: see `bundle_lesson`).
    `notes` receives a line for each thing worth saying: hidden files left out, course
    glossary entries written into a lesson."""
    if not folders:
        raise PackError(_("no lessons to export"))
    bundles = {}
    for folder in map(Path, folders):
        if folder.name in bundles:
            raise PackError(_("the same lesson is named twice"))
        problems = errors(check_lesson(folder, validate_exercises=False))
        if problems:
            raise PackError(_("lesson {id} has problems; fix them first:").format(
                id=folder.name) + "\n" + "\n".join(map(str, problems[:20])))
        bundle = bundle_lesson(folder)
        if bundle.left_out:
            shown = ", ".join(bundle.left_out[:10]) + (" ..." if len(bundle.left_out) > 10
                                                       else "")
            raise PackError(_(
                "lesson {id}: these files would not travel in the pack: {files}. A pack holds "
                "lesson.yaml, <variety>.md, images in figures/ and text files in data/ only; "
                "move the others out of the lesson folder (or save them as text in data/) and "
                "export again").format(id=folder.name, files=shown))
        bundles[folder.name] = bundle
        if notes is not None:
            notes.extend(_bundle_notes(folder.name, bundle))
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as pack:
            pack.writestr(MANIFEST, json.dumps({"format": FORMAT, "lessons": list(bundles)},
                                               indent=1))
            for lesson_id, bundle in bundles.items():
                for inner, data in sorted(bundle.files.items()):
                    pack.writestr(f"{lesson_id}/{inner}", data)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _bundle_notes(lesson_id: str, bundle) -> list[str]:
    said = [_("{id}: left out hidden file {file}").format(id=lesson_id, file=inner)
            for inner in bundle.hidden[:20]]
    if bundle.glossary_terms:
        count = len(bundle.glossary_terms)
        said.append(ngettext(
            "{id}: {n} course glossary term(s) written into its lesson.yaml so that they "
            "travel: {terms}",
            "{id}: {n} course glossary term(s) written into its lesson.yaml so that they "
            "travel: {terms}", count).format(id=lesson_id, n=count,
                                             terms=", ".join(bundle.glossary_terms)))
    return said


# --- import -------------------------------------------------------------------------------

def _lesson_path(name: str) -> tuple[str, str]:
    """(lesson id, path inside the lesson) of a file the archive checks let through: only
    the manifest, lesson files, images under figures/ and text under data/ belong in a
    pack."""
    if name == MANIFEST:
        return "", MANIFEST
    parts = PurePosixPath(name).parts
    if len(parts) < 2:
        raise PackError(_("unexpected file {name!r} at the top of the pack").format(name=name))
    inner = "/".join(parts[1:])
    if inner in LESSON_FILES:
        return parts[0], inner
    suffixes = FOLDER_SUFFIXES.get(parts[1])
    if suffixes and len(parts) >= 3 and PurePosixPath(name).suffix.lower() in suffixes:
        return parts[0], inner
    raise PackError(_("the pack contains a file lessons may not have ({name!r}); only "
                      "lesson.yaml, <variety>.md, images under figures/ and text files under "
                      "data/ are allowed").format(name=name))


def _pack_limits() -> Limits:
    # Built at each import, from the module's constants, so a test can lower them.
    return Limits(max_members=MAX_FILES, max_member_bytes=MAX_FILE_BYTES,
                  max_total_bytes=MAX_TOTAL_BYTES, max_archive_bytes=MAX_PACK_BYTES)


def _read_members(pack_path: Path) -> tuple[bytes | None, dict[str, dict[str, bytes]]]:
    """The manifest's bytes and {lesson id: {path inside the lesson: bytes}}; raises."""
    lessons: dict[str, dict[str, bytes]] = {}
    manifest = None
    try:
        with open_zip_checked(pack_path, _pack_limits()) as pack:
            where = {name: _lesson_path(name) for name in pack.namelist()}
            for name, (lesson_id, inner) in where.items():
                data = pack.read_member(name)
                if inner == MANIFEST:
                    manifest = data
                else:
                    lessons.setdefault(lesson_id, {})[inner] = data
    except UnreadableArchive as error:
        raise PackError(_("not a readable lesson pack: {error}").format(error=error)) from None
    except UnsafeArchive as error:
        raise PackError(str(error)) from None
    return manifest, lessons


def read_pack(pack_path: Path, library: Path,
              builtin_dir: Path = BUILTIN_LESSONS_DIR) -> ImportPlan:
    """Reads and checks a pack completely; writes nothing. Raises PackError."""
    pack_path = Path(pack_path)
    manifest, lessons = _read_members(pack_path)
    if manifest is None:
        raise PackError(_("not a lesson pack: {manifest} is missing").format(manifest=MANIFEST))
    try:
        info = json.loads(manifest.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackError(_("{manifest} is not valid JSON").format(manifest=MANIFEST)) from None
    if not isinstance(info, dict) or info.get("format") != FORMAT or \
            not isinstance(info.get("lessons"), list):
        raise PackError(_("{manifest} is not a format-{format} lesson pack manifest").format(
            manifest=MANIFEST, format=FORMAT))
    if sorted(map(str, info["lessons"])) != sorted(lessons):
        raise PackError(_("the manifest and the pack's folders name different lessons"))
    if not lessons or len(lessons) > MAX_LESSONS:
        raise PackError(_("a pack holds 1 to {most} lessons").format(most=MAX_LESSONS))
    plan = ImportPlan(pack_path, Path(library))
    for lesson_id, files in sorted(lessons.items()):
        if "lesson.yaml" not in files:
            raise PackError(_("lesson {id!r} has no lesson.yaml").format(id=lesson_id))
        try:
            data, node = read_yaml(files["lesson.yaml"].decode("utf-8"),
                                    f"{lesson_id}/lesson.yaml")
        except UnicodeDecodeError:
            raise PackError(_("{id}/lesson.yaml is not UTF-8 text").format(
                id=lesson_id)) from None
        except LessonError as error:
            raise PackError(_("lesson {id!r} is broken: {error}").format(
                id=lesson_id, error=error)) from None
        if not isinstance(data, dict) or data.get("id") != lesson_id:
            raise PackError(_("{id}/lesson.yaml must say id: {id}").format(id=lesson_id))
        titles = data.get("title") if isinstance(data.get("title"), dict) else {}
        in_library = (Path(library) / lesson_id).exists()
        builtin = Path(builtin_dir) / lesson_id
        plan.lessons.append(PackLesson(
            lesson_id, {str(k): str(v) for k, v in titles.items()}, files,
            in_library=in_library, shadows_builtin=(builtin / "lesson.yaml").is_file(),
            version=versions.version_of(data, node),
            installed_version=versions.folder_version(
                Path(library) / lesson_id if in_library else builtin)))
    _check_staged(plan)
    return plan


def _write_lesson(folder: Path, lesson: PackLesson) -> None:
    for inner, data in lesson.files.items():
        target = folder.joinpath(*PurePosixPath(inner).parts)
        # belt and braces: the names were checked, but never write outside `folder`
        if not target.resolve().is_relative_to(folder.resolve()):
            raise PackError(_("{file!r} would be written outside the lesson").format(
                file=inner))
        if target.suffix.lower() == ".svg":
            # What is installed is what is drawn: scripts, handlers and outside references
            # are gone from the file itself (the checker refused what cannot be cleaned).
            data = clean_svg(data)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as file:  # never follows or overwrites an existing file
            file.write(data)


def _check_staged(plan: ImportPlan) -> None:
    """Runs the full checker on each lesson in memory: nothing is written before."""
    for lesson in plan.lessons:
        problems = errors(check_lesson_files(lesson.id, lesson.files))
        if problems:
            shown = "\n".join(map(str, problems[:20]))
            raise PackError(_("lesson {id!r} in the pack has problems, so the pack was not "
                              "imported:").format(id=lesson.id) + "\n" + shown)


def install(plan: ImportPlan) -> list[str]:
    """Writes the planned lessons into the library; returns their ids.

    All of them are written to one staging folder inside the library first; then each is
    renamed into place, replacing the old one only once the new one is complete."""
    library = Path(plan.library)
    staging = new_staging_folder(library)
    installed = []
    try:
        for lesson in plan.lessons:
            _write_lesson(staging / lesson.id, lesson)
        for lesson in plan.lessons:
            put_in_place(library, staging / lesson.id, lesson.id, keep_backup=True)
            installed.append(lesson.id)
    finally:
        delete_leftover(staging)  # what an error left unplaced; empty after a success
    return installed


def import_pack(pack_path: Path, library: Path) -> list[str]:
    """read_pack + install, without asking (the CLI's --yes and tests)."""
    return install(read_pack(pack_path, library))
