"""The learner's lesson library on disk: putting lessons in place, taking them out, sweeping.

Every change is a rename inside the library folder, so a lesson is either all there or not
at all, whenever the app is killed:
- a pack is written into a staging folder `.hafiza-staging-<random>` first, then each lesson
  is renamed into place;
- a lesson being replaced is first renamed aside to `.hafiza-aside-<random>-<id>` and deleted
  only once the new one is in place;
- a lesson being removed is renamed to `.hafiza-removed-<random>` and then deleted.
`sweep_staging` (at start, before anything reads the library) deletes what an interrupted
install or removal left, and puts an aside lesson back where no new one took its place.

A pack's lesson that replaces a library lesson keeps the replaced one as its backup,
`.hafiza-backup-<id>` (one per id, the latest): a replacement is undone by `remove_lesson`,
which puts the backup back in place. The library shadows the built-in lessons: a library
lesson with a built-in lesson's id is shown instead of it; removing it (and any backup
behind it) brings the built-in one back.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, read_outline
from hafiza.lessonlib.versions import folder_version
from hafiza.words import _

STAGING_PREFIX = ".hafiza-staging-"
ASIDE_PREFIX = ".hafiza-aside-"
REMOVED_PREFIX = ".hafiza-removed-"
BACKUP_PREFIX = ".hafiza-backup-"
# What earlier versions left: `.incoming-<hex>` and `.old-<id>-<hex>`.
_LEGACY_STAGING = ".incoming-"
_LEGACY_ASIDE = re.compile(r"\.old-(?P<id>[a-z0-9][a-z0-9-]{0,63})-[0-9a-f]{32}")
_ASIDE = re.compile(re.escape(ASIDE_PREFIX) + r"[0-9a-f]{32}-(?P<id>[a-z0-9][a-z0-9-]{0,63})")
LESSON_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class LibraryError(Exception):
    """A change to the library that cannot be made; the message says why, for a person."""


def new_staging_folder(library: Path) -> Path:
    library.mkdir(parents=True, exist_ok=True)
    staging = library / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    staging.mkdir()
    return staging


def backup_folder(library: Path, lesson_id: str) -> Path:
    """Where the lesson a pack replaced is kept until `remove_lesson` brings it back."""
    return Path(library) / f"{BACKUP_PREFIX}{lesson_id}"


def put_in_place(library: Path, staged: Path, lesson_id: str,
                 keep_backup: bool = False) -> None:
    """Renames the complete lesson `staged` to `library/lesson_id`, replacing any lesson
    there only once the new one is complete; with `keep_backup`, the replaced lesson
    becomes the id's backup (the one before it is deleted) instead of being deleted."""
    target = library / lesson_id
    aside = None
    if target.is_symlink():
        target.unlink()
    elif target.exists():
        aside = library / f"{ASIDE_PREFIX}{uuid.uuid4().hex}-{lesson_id}"
        target.rename(aside)
    staged.rename(target)
    if aside is not None and keep_backup:
        backup = backup_folder(library, lesson_id)
        if backup.exists() or backup.is_symlink():
            doomed = library / f"{REMOVED_PREFIX}{uuid.uuid4().hex}"
            backup.rename(doomed)
            delete_leftover(doomed)
        aside.rename(backup)
    elif aside is not None:
        delete_leftover(aside)


def remove_lesson(library: Path, lesson_id: str) -> bool:
    """Removes the library lesson `lesson_id` and puts its backup (the lesson it replaced)
    back in its place; True when it did. Raises LibraryError."""
    if not isinstance(lesson_id, str) or not LESSON_ID.fullmatch(lesson_id):
        raise LibraryError(_("{id!r} is not a lesson id").format(id=lesson_id))
    target = Path(library) / lesson_id
    if target.is_symlink():
        target.unlink()
    elif not (target / "lesson.yaml").is_file():
        raise LibraryError(_("there is no lesson {id!r} in the lesson library ({library})"
                             ).format(id=lesson_id, library=library))
    else:
        doomed = Path(library) / f"{REMOVED_PREFIX}{uuid.uuid4().hex}"
        target.rename(doomed)
        delete_leftover(doomed)
    return _restore_backup(Path(library), lesson_id)


def _restore_backup(library: Path, lesson_id: str) -> bool:
    backup = backup_folder(library, lesson_id)
    if backup.is_symlink() or not (backup / "lesson.yaml").is_file() \
            or target_taken(library / lesson_id):
        return False
    backup.rename(library / lesson_id)
    return True


def target_taken(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def delete_leftover(path: Path) -> None:
    """Deletes a file, a link (never what it points to) or a folder with what it holds."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def sweep_staging(library: Path | None = None) -> int:
    """Cleans up after installs and removals that were interrupted; returns how many
    leftovers it deleted or put back. Call it before anything reads the library."""
    if library is None:
        from hafiza.lessonlib.paths import library_dir

        library = library_dir()
    library = Path(library)
    if not library.is_dir():
        return 0
    swept = 0
    for entry in sorted(library.iterdir()):
        name = entry.name
        aside = _ASIDE.fullmatch(name) or _LEGACY_ASIDE.fullmatch(name)
        target = library / aside.group("id") if aside else None
        try:
            if name.startswith(BACKUP_PREFIX):
                # A backup with no lesson in front of it: a removal or an install was cut
                # short between its two renames; the backup is the lesson to show.
                lesson_id = name[len(BACKUP_PREFIX):]
                if not LESSON_ID.fullmatch(lesson_id) or \
                        not _restore_backup(library, lesson_id):
                    continue
            elif target is not None and not target_taken(target) \
                    and not entry.is_symlink() and entry.is_dir():
                entry.rename(target)  # the new lesson never arrived: the old one returns
            elif aside or name.startswith((STAGING_PREFIX, REMOVED_PREFIX, _LEGACY_STAGING)):
                delete_leftover(entry)
            else:
                continue
        except OSError:
            continue  # a leftover that cannot go now is tried again at the next start
        swept += 1
    return swept


@dataclass(frozen=True)
class Listed:
    """One lesson as `lessons list` shows it."""

    id: str
    title: str
    where: str  # "built-in" or "library"
    shadows_builtin: bool = False  # a library lesson shown instead of a built-in one
    version: str | None = None  # lesson.yaml's `version`
    has_backup: bool = False  # `lessons remove` would bring back the lesson it replaced

    @property
    def source(self) -> str:
        """Where it comes from, as `lessons list` says it."""
        if self.where == "built-in":
            return _("built-in")
        return _("installed, replacing the built-in lesson") if self.shadows_builtin else \
            _("installed")


def list_lessons(library: Path, builtin_dir: Path = BUILTIN_LESSONS_DIR,
                 variety: str = "en") -> list[Listed]:
    """Every lesson the app shows, in course order, and where each comes from."""
    builtin_ids = {entry.id for entry in read_outline(builtin_dir, builtin_dir=builtin_dir)
                   .lessons}
    outline = read_outline(builtin_dir, library, builtin_dir=builtin_dir)
    library = Path(library)
    return [Listed(entry.id, entry.title(variety)[0],
                   "built-in" if entry.builtin else "library",
                   not entry.builtin and entry.id in builtin_ids,
                   folder_version((builtin_dir if entry.builtin else library) / entry.id),
                   not entry.builtin and backup_folder(library, entry.id).is_dir())
            for entry in outline.lessons]
