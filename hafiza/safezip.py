"""Reading zip archives made by someone else: lesson packs, progress exports, datasets.

The one place that decides whether an archive may be read (no Qt, no torch: every layer may
import it). An archive is treated as hostile:
- every member's name must be a plain relative path: absolute paths, `..`, backslashes,
  colons (drive letters, Windows streams) and control characters are refused;
- symbolic links, other special files and encrypted members are refused;
- the number of members, each member's size and the total are capped twice: first from the
  sizes the archive declares (a cheap early refusal), then again while decompressing, since
  the declared sizes are written by whoever made the archive;
- nothing is ever extracted to disk here: callers get bytes and decide where they go.

`open_zip_checked` checks everything that can be checked before reading; `read_member` on the
archive it returns reads one member under the caps. Every refusal is an `UnsafeArchive`
(a `ValueError`); callers wrap it in their own error (`store.errors.TransferError`,
`lessonlib.packs.PackError`).
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_NAME_CHARS = 255
# The methods every zip tool writes by default; anything rarer is refused rather than handed
# to a less-used decompressor.
READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_READ_CHUNK = 1 << 20


class UnsafeArchive(ValueError):
    """An archive, or one of its members, that is refused; the message says why."""


class ArchiveTooLarge(UnsafeArchive):
    """Too many members, a member or the whole archive larger than its limit."""


class UnreadableArchive(UnsafeArchive):
    """Not a zip file, or a damaged one (a checksum or a compressed stream that is wrong)."""


@dataclass(frozen=True)
class Limits:
    """What one kind of archive may hold. `max_archive_bytes` bounds the file itself."""

    max_members: int = 10_000
    max_member_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_archive_bytes: int | None = None


DEFAULT_LIMITS = Limits()


def member_name_problem(name: str) -> str | None:
    """Why `name` is not a safe relative member name ("an absolute path", ...), or None."""
    if not name or len(name) > MAX_NAME_CHARS:
        return "an empty or overlong file name"
    if "\\" in name or ":" in name or _CONTROL.search(name):
        return "an unsafe file name"
    if PurePosixPath(name).is_absolute():
        return "an absolute path"
    if any(part in ("", ".", "..") for part in name.rstrip("/").split("/")):
        return "a path leaving its folder"
    return None


def is_safe_member_name(name: str) -> bool:
    """True for a relative POSIX path without `..`, drive letters, backslashes or control
    characters (zip and tar members alike)."""
    return member_name_problem(name) is None


def is_link_member(info: zipfile.ZipInfo) -> bool:
    """True when the member is a symbolic link (Unix mode bits in its external attributes)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    if is_link_member(info):
        return "a symbolic link"
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "a special file"
    problem = member_name_problem(info.filename)
    if problem:
        return problem
    if info.flag_bits & 0x1:
        return "an encrypted file"
    if info.compress_type not in READABLE_METHODS:
        return "a file compressed with an unsupported method"
    return None


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 and n % 2**20 == 0 else f"{n} bytes"


class CheckedZip:
    """A zip whose members were all checked; reads count towards its limits.

    Folder entries are checked like files, then left out: nothing is ever created from them.
    """

    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self._archive = archive
        self.limits = limits
        self.unpacked = 0  # bytes read so far, all members together
        self._files = {info.filename: info for info in archive.infolist() if not info.is_dir()}

    def namelist(self) -> list[str]:
        return list(self._files)

    def read_member(self, name: str, max_bytes: int | None = None) -> bytes:
        """One member's bytes, counted while decompressing: refused past `max_bytes` (and
        the archive's own limits) whatever the member's header claims."""
        info = self._files.get(name)
        if info is None:
            raise UnsafeArchive(f"the archive has no file {name!r}")
        cap = self.limits.max_member_bytes if max_bytes is None else \
            min(max_bytes, self.limits.max_member_bytes)
        chunks, size = [], 0
        try:
            with self._archive.open(info) as member:
                while chunk := member.read(_READ_CHUNK):
                    size += len(chunk)
                    self.unpacked += len(chunk)
                    if size > cap:
                        raise ArchiveTooLarge(f"{name!r} unpacks to more than {_size(cap)}")
                    if self.unpacked > self.limits.max_total_bytes:
                        raise ArchiveTooLarge("the archive unpacks to more than "
                                              f"{_size(self.limits.max_total_bytes)}")
                    chunks.append(chunk)
        except UnsafeArchive:
            raise
        except UnicodeDecodeError:
            # The member's own header is flagged UTF-8 but its name is not (zipfile checks
            # that name against the directory's while opening it).
            raise UnreadableArchive(f"the name of {name!r} in its own header is not "
                                    "valid UTF-8") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error,
                NotImplementedError, RuntimeError, ValueError) as error:
            raise UnreadableArchive(f"cannot read {name!r}: {error}") from None
        return b"".join(chunks)

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> CheckedZip:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_zip_checked(path: Path, limits: Limits = DEFAULT_LIMITS,
                     allowed: Callable[[str], bool] | None = None) -> CheckedZip:
    """Opens a zip and checks every member before anything is decompressed: the count, the
    declared sizes, names, links and special files, duplicates, and `allowed(name)` for
    each file when given. Raises UnsafeArchive (or one of its two kinds)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        archive = zipfile.ZipFile(path)
    except OSError as error:
        raise UnreadableArchive(f"cannot read the file: {error.strerror or error}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError) as error:
        raise UnreadableArchive(f"not a readable zip file: {error}") from None
    try:
        if limits.max_archive_bytes is not None and size > limits.max_archive_bytes:
            raise ArchiveTooLarge(f"the archive is larger than {_size(limits.max_archive_bytes)}")
        _check_members(archive.infolist(), limits, allowed)
    except UnsafeArchive:
        archive.close()
        raise
    return CheckedZip(archive, limits)


def _check_members(infos: list[zipfile.ZipInfo], limits: Limits,
                   allowed: Callable[[str], bool] | None) -> None:
    if len(infos) > limits.max_members:
        raise ArchiveTooLarge(f"the archive holds {len(infos)} files; at most "
                              f"{limits.max_members} are allowed")
    declared = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        problem = _member_problem(info)
        if problem:
            raise UnsafeArchive(f"the archive contains {problem} ({name!r}); refused")
        if name in seen:
            raise UnsafeArchive(f"{name!r} appears twice in the archive")
        seen.add(name)
        if info.is_dir():
            continue
        if allowed is not None and not allowed(name):
            raise UnsafeArchive(f"unexpected file {name!r} in the archive")
        if info.file_size > limits.max_member_bytes:
            raise ArchiveTooLarge(f"{name!r} is larger than {_size(limits.max_member_bytes)}")
        declared += info.file_size
    if declared > limits.max_total_bytes:
        raise ArchiveTooLarge(f"the archive unpacks to more than {_size(limits.max_total_bytes)}")
