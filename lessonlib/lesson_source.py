"""A lesson's files as the checker reads them: a folder on disk, or a pack held in memory.

Both answer the same questions (read a file, does it exist, which files are there) with
paths inside the lesson written as POSIX text (`figures/cell.svg`), so one checker serves
`lessons check`, the app's *Check this lesson* and a pack being imported.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

# More files than a pack may hold is reason enough to stop listing (a folder of a million
# files must not keep the checker busy).
MAX_LISTED_FILES = 2000


class FolderSource:
    """A lesson folder on disk. Links are listed, never followed."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.name = self.folder.name

    def path(self, inner: str) -> Path:
        return self.folder / inner

    def read(self, inner: str) -> bytes | None:
        path = self.folder / inner
        if path.is_symlink() or not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def exists(self, inner: str) -> bool:
        return (self.folder / inner).is_file()

    def is_link(self, inner: str) -> bool:
        return (self.folder / inner).is_symlink()

    def size(self, inner: str) -> int:
        try:
            return (self.folder / inner).lstat().st_size
        except OSError:
            return 0

    def top_level(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if not p.name.startswith("."))

    def files_under(self, top: str) -> list[str]:
        """Every file and link below the folder `top` (`figures`, `data`), sorted."""
        found: list[str] = []
        base = self.folder / top
        if base.is_symlink():
            return [top]
        for root, dirs, names in os.walk(base, followlinks=False):
            relative = PurePosixPath(Path(root).relative_to(self.folder).as_posix())
            links = [name for name in dirs if (Path(root) / name).is_symlink()]
            found.extend(str(relative / name) for name in [*names, *links])
            if len(found) > MAX_LISTED_FILES:
                break
        return sorted(found)


class MemorySource:
    """A lesson held in memory (a pack being imported): inner path -> bytes."""

    def __init__(self, name: str, files: dict[str, bytes]) -> None:
        self.name = name
        self.files = files
        self.folder = None

    def path(self, inner: str) -> str:
        return f"{self.name}/{inner}"

    def read(self, inner: str) -> bytes | None:
        return self.files.get(inner)

    def exists(self, inner: str) -> bool:
        return inner in self.files

    def is_link(self, inner: str) -> bool:
        return False  # the archive reader refuses links

    def size(self, inner: str) -> int:
        return len(self.files.get(inner, b""))

    def top_level(self) -> list[str]:
        return sorted({inner.split("/")[0] for inner in self.files})

    def files_under(self, top: str) -> list[str]:
        return sorted(inner for inner in self.files if inner.startswith(f"{top}/"))

    def has_folder(self, inner: str) -> bool:
        return any(name.startswith(f"{inner.rstrip('/')}/") for name in self.files)
