"""Fetching the official archive over HTTP with progress, cancel and resume."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from hafiza.engine.data.imdb.common import (
    ARCHIVE_NAME,
    DOWNLOAD,
    MAX_SOURCE_BYTES,
    OFFICIAL_URL,
    TOO_LARGE,
    Cancelled,
    ImdbCancelled,
    ImdbError,
    _md5_of,
    _never,
)
from hafiza.safelinks import is_safe_link


def download_archive(destination: Path, url: str = OFFICIAL_URL, *,
                     progress: Callable[[int, int | None], None] | None = None,
                     cancelled: Cancelled = _never, expected_md5: str | None = None,
                     timeout: float = 30.0, chunk_size: int = 1 << 16) -> Path:
    """Downloads ``url`` to ``destination`` through ``destination.part``, resuming a partial
    ``.part`` with an HTTP Range request (a server that ignores it sends everything again).

    ``progress(bytes_done, total_or_None)``; ``cancelled()`` is polled between chunks and
    raises ImdbCancelled, keeping the ``.part`` for next time. A wrong ``expected_md5``
    deletes the download and raises ImdbError("download")."""
    if not is_safe_link(url):
        raise ImdbError(DOWNLOAD, f"not an http(s) address: {url!r}")
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    part = destination.with_name(destination.name + ".part")
    done = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": "Hafiza (offline deep learning course)"}
    if done:
        headers["Range"] = f"bytes={done}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - http(s) only
    except urllib.error.HTTPError as error:
        if error.code == 416 and done:  # nothing after what we have: start again
            part.unlink()
            return download_archive(destination, url, progress=progress, cancelled=cancelled,
                                    expected_md5=expected_md5, timeout=timeout,
                                    chunk_size=chunk_size)
        raise ImdbError(DOWNLOAD, f"the server answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ImdbError(DOWNLOAD, f"cannot reach the server: {error}") from None
    with response:
        total = None
        content_range = response.headers.get("Content-Range", "")
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", content_range.strip())
        if response.status == 206 and match and int(match.group(1)) == done:
            mode = "ab"
            if match.group(3) != "*":
                total = int(match.group(3))
        elif response.status == 206:  # another part than the one asked for: start afresh
            part.unlink(missing_ok=True)
            raise ImdbError(DOWNLOAD, f"the server sent {content_range!r}; try again")
        else:  # a fresh, complete answer
            mode, done = "wb", 0
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
        if total is not None and total > MAX_SOURCE_BYTES:
            raise ImdbError(TOO_LARGE, f"the file is {total} bytes")
        if progress:
            progress(done, total)
        try:
            with part.open(mode) as file:
                while True:
                    if cancelled():
                        raise ImdbCancelled
                    block = response.read(chunk_size)
                    if not block:
                        break
                    file.write(block)
                    done += len(block)
                    if done > MAX_SOURCE_BYTES:
                        raise ImdbError(TOO_LARGE, "the download is too large")
                    if progress:
                        progress(done, total)
        except (OSError, urllib.error.URLError) as error:
            raise ImdbError(DOWNLOAD, f"the download stopped: {error}") from None
    if total is not None and done != total:
        raise ImdbError(DOWNLOAD, f"the download stopped at {done} of {total} bytes")
    if expected_md5 is not None and _md5_of(part) != expected_md5:
        part.unlink()
        raise ImdbError(DOWNLOAD, "the downloaded file is damaged (wrong checksum)")
    os.replace(part, destination)
    return destination


def partial_download(destination: Path) -> int:
    """Bytes already downloaded (the ``.part`` file), 0 when none."""
    part = Path(destination).with_name(Path(destination).name + ".part")
    return part.stat().st_size if part.exists() else 0


def default_download_path() -> Path:
    from hafiza.paths import data_dir

    return data_dir() / "downloads" / ARCHIVE_NAME


