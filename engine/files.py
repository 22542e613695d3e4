"""Files the engine writes (checkpoints, the IMDB cache) are whole or absent.

Each is written under a temporary name beside its final one, flushed to the disk, then
renamed over it: a kill or a full disk leaves the old file or the new one, never half of
one. What an interrupted write leaves under its temporary name is swept at the next start.
Base of the engine (no torch, no Qt).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# The end of a file being written: "<name>.<pid>.partial".
PARTIAL_SUFFIX = ".partial"


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write(file)`` into ``<path>.<pid>.partial``, then renamed over ``path``."""
    path = Path(path)
    partial = path.with_name(f"{path.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        with partial.open("wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def sweep_partial(folder: Path, suffixes: tuple[str, ...] = (PARTIAL_SUFFIX,)) -> int:
    """Removes what interrupted writes left in ``folder``; returns how many files."""
    removed = 0
    try:
        leftovers = [path for path in Path(folder).iterdir() if path.name.endswith(suffixes)]
    except OSError:  # no folder yet: nothing was ever written there
        return 0
    for path in leftovers:
        try:
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed += 1
        except OSError:
            continue  # another copy of the app may be writing it; the next start sweeps
    return removed
