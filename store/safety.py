"""Refusing hostile input: links, archive member names, archive sizes, paths.

Qt-free helpers for every part of the app that reads files made by someone else (lesson
packs, progress exports, datasets). The rules, enforced across the repo by
tests/store/test_hostile_input_audit.py:
- no code from a file is ever run: `yaml.safe_load` only, `torch.load(..., weights_only=True)`
  only, no pickle, no eval/exec;
- archives are read member by member through `extract_zip` (never `extractall`), with names
  checked, links refused and sizes capped while reading (not trusting the header);
- nothing is written outside the app's own folders (`store.paths.is_inside`);
- only http(s) links are opened (`is_safe_link`).
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from hafiza.store.errors import TOO_LARGE, UNSAFE_ARCHIVE, TransferError

SAFE_LINK_SCHEMES = ("http", "https")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def is_safe_link(url: str) -> bool:
    """True only for an http(s) URL with a host and no credentials: `file:`, `javascript:`,
    `data:`, custom schemes and relative links are refused."""
    if not isinstance(url, str) or not url or _CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return (parts.scheme.lower() in SAFE_LINK_SCHEMES and bool(host)
            and parts.username is None and parts.password is None)


def is_safe_member_name(name: str) -> bool:
    """A relative POSIX path without `..`, drive letters, backslashes or control chars."""
    if not name or len(name) > 255 or "\\" in name or _CONTROL.search(name.replace(" ", "")):
        return False
    path = PurePosixPath(name)
    if path.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return False
    return all(part not in ("", ".", "..") for part in name.rstrip("/").split("/"))


@dataclass(frozen=True)
class Limits:
    max_members: int = 10_000
    max_member_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def open_zip_checked(path: Path, allowed: Callable[[str], bool],
                     limits: Limits = Limits()) -> zipfile.ZipFile:
    """Opens a zip and checks every member's name before anything is read."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TransferError(UNSAFE_ARCHIVE, f"not a readable zip file: {error}", path) from None
    infos = archive.infolist()
    problem = None
    if len(infos) > limits.max_members:
        problem = (TOO_LARGE, f"{len(infos)} members")
    names = set()
    for info in infos:
        if problem:
            break
        name = info.filename
        if not is_safe_member_name(name) or _is_link(info) or info.is_dir():
            problem = (UNSAFE_ARCHIVE, f"member {name!r} is not a plain file with a safe name")
        elif name in names:
            problem = (UNSAFE_ARCHIVE, f"member {name!r} appears twice")
        elif info.flag_bits & 0x1:
            problem = (UNSAFE_ARCHIVE, f"member {name!r} is encrypted")
        elif not allowed(name):
            problem = (UNSAFE_ARCHIVE, f"unexpected member {name!r}")
        names.add(name)
    if problem:
        archive.close()
        raise TransferError(problem[0], problem[1], path)
    return archive


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """Reads one member, stopping past `max_bytes` whatever its header claims."""
    chunks, total = [], 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > max_bytes:
                    raise TransferError(TOO_LARGE, f"{name} is larger than {max_bytes} bytes")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise TransferError(UNSAFE_ARCHIVE, f"cannot read {name}: {error}") from None
    return b"".join(chunks)


def extract_zip(path: Path, destination: Path, allowed: Callable[[str], bool],
                limits: Limits = Limits()) -> list[Path]:
    """Extracts the allowed members of a zip into `destination`, safely: names checked,
    links refused, every written path checked to stay inside, sizes capped while reading."""
    destination.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = 0
    with open_zip_checked(path, allowed, limits) as archive:
        for info in archive.infolist():
            target = destination / info.filename
            if not _inside(destination, target):
                raise TransferError(UNSAFE_ARCHIVE, f"{info.filename} leaves the folder", path)
            data = read_member(archive, info.filename, limits.max_member_bytes)
            total += len(data)
            if total > limits.max_total_bytes:
                raise TransferError(TOO_LARGE, "the archive is too large once extracted", path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


def _inside(folder: Path, path: Path) -> bool:
    from hafiza.store.paths import is_inside

    return is_inside(folder, path)
