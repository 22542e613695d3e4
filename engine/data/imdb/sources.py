"""Reading reviews from the official archive (streamed), the extracted folder or Kaggle's
CSV; links, unsafe names, oversized or truncated archives are refused."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import re
import tarfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from hafiza.engine.data.imdb.common import (
    _REVIEW_RE,
    CORRUPT,
    EXPANSION_FLOOR,
    MAX_EXPANSION,
    MAX_MEMBERS,
    MAX_REVIEW_BYTES,
    MAX_REVIEWS,
    MAX_SOURCE_BYTES,
    MAX_TOTAL_BYTES,
    NOT_IMDB,
    NOT_IMPORTED,
    TOO_LARGE,
    UNSAFE,
    Cancelled,
    ImdbError,
    Progress,
    ReviewBudget,
    _check_cancel,
    _never,
    _quiet,
)
from hafiza.engine.data.imdb.corpus import (
    RawReviews,
)
from hafiza.safezip import is_safe_member_name


def detect_format(path: Path) -> str:
    """"archive", "folder", "csv" or "npz" from the path (and, for files, their first bytes)."""
    path = Path(path)
    if path.is_dir():
        return "folder"
    if not path.is_file():
        raise ImdbError(NOT_IMPORTED, f"{path} does not exist")
    with path.open("rb") as file:
        head = file.read(4)
    if head[:2] == b"\x1f\x8b" or path.name.endswith((".tar.gz", ".tgz", ".tar")):
        return "archive"
    if head == b"PK\x03\x04" or path.suffix.lower() == ".npz":
        return "npz"
    if path.suffix.lower() in (".csv", ".txt"):
        return "csv"
    raise ImdbError(NOT_IMDB, f"{path.name} is not an IMDB archive, folder, CSV or npz file")


class _CountingReader(io.RawIOBase):
    """A file read through: counts the bytes (progress) and hashes them (md5) on the way."""

    def __init__(self, file, progress: Callable[[int], None]) -> None:
        self._file = file
        self._progress = progress
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._file.readinto(buffer)
        if n:
            self.md5.update(memoryview(buffer)[:n])
            self.count += n
            self._progress(self.count)
        return n or 0

    def drain(self) -> None:
        """Reads the rest (the checksum covers the whole file)."""
        while self.read(1 << 20):
            pass


def _check_member(member: tarfile.TarInfo, where: str) -> None:
    """Refuses anything but plain files and folders with safe relative names, using tarfile's
    own "data" filter as a second opinion (it also refuses devices and absolute paths)."""
    name = member.name
    if not is_safe_member_name(name):
        raise ImdbError(UNSAFE, f"{where}: member {name!r} has an unsafe name")
    if member.issym() or member.islnk():
        raise ImdbError(UNSAFE, f"{where}: member {name!r} is a link")
    if not (member.isfile() or member.isdir()):
        raise ImdbError(UNSAFE, f"{where}: member {name!r} is not a plain file")
    try:
        tarfile.data_filter(member, "/nonexistent-hafiza-target")
    except tarfile.FilterError as error:
        raise ImdbError(UNSAFE, f"{where}: {error}") from None


def _source_file_checked(path: Path) -> int:
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise ImdbError(TOO_LARGE, f"{path.name} is {size} bytes")
    return size


def iter_archive_reviews(path: Path, progress: Progress = _quiet,
                         cancelled: Cancelled = _never,
                         info: dict | None = None) -> Iterator[tuple[str, int, int, str]]:
    """(split, label, id, text) for each review file of an archive, read as a stream.

    Every member is checked (name, type, size) even when it is not needed. ``info`` receives
    the archive's md5 once the stream is fully read."""
    path = Path(path)
    size = _source_file_checked(path)
    members = 0
    declared = 0
    budget = ReviewBudget(path.name)
    with path.open("rb", buffering=0) as raw:
        reader = _CountingReader(raw, lambda n: None)
        try:
            stream = _BoundedStream(_decompressed(reader), _unpacked_limit(size), path.name)
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    members += 1
                    declared += member.size
                    if members > MAX_MEMBERS or declared > MAX_TOTAL_BYTES:
                        raise ImdbError(TOO_LARGE, f"{path.name} holds too much")
                    _check_member(member, path.name)
                    if members % 500 == 0:
                        _check_cancel(cancelled)
                        progress(reader.count / max(size, 1), "read")
                    match = _REVIEW_RE.match(member.name)
                    if not match or not member.isfile():
                        continue
                    if member.size > MAX_REVIEW_BYTES:
                        raise ImdbError(TOO_LARGE, f"{member.name} is {member.size} bytes")
                    budget.add(member.size)
                    data = tar.extractfile(member).read(MAX_REVIEW_BYTES + 1)
                    if len(data) != member.size:
                        raise ImdbError(CORRUPT, f"{member.name} is cut short")
                    split, polarity, review_id, _ = match.groups()
                    yield (split, int(polarity == "pos"), int(review_id),
                           data.decode("utf-8", errors="replace"))
            # To the end of the gzip stream: its trailer (CRC, length) catches truncation.
            while stream.read(1 << 20):
                pass
            reader.drain()
        except ImdbError:
            raise
        except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError) as error:
            raise ImdbError(CORRUPT, f"{path.name}: {type(error).__name__}: {error}") from None
    if info is not None:
        info["md5"] = reader.md5.hexdigest()
        info["bytes"] = reader.count


def _unpacked_limit(archive_bytes: int) -> int:
    """How far an archive of this size may unpack: MAX_EXPANSION times itself (at least
    EXPANSION_FLOOR), never past MAX_TOTAL_BYTES."""
    return min(MAX_TOTAL_BYTES, max(EXPANSION_FLOOR, MAX_EXPANSION * archive_bytes))


class _BoundedStream:
    """The unpacked stream, counted as it is read: past ``limit`` bytes it stops (a bomb of
    zeros or of one word repeated is refused before it is held anywhere)."""

    def __init__(self, stream, limit: int, where: str) -> None:
        self._stream = stream
        self.limit = limit
        self.count = 0
        self._where = where

    def read(self, size: int = -1) -> bytes:
        room = self.limit + 1 - self.count
        data = self._stream.read(room if size is None or size < 0 else min(size, room))
        self.count += len(data)
        if self.count > self.limit:
            raise ImdbError(TOO_LARGE, f"{self._where} unpacks to more than "
                            f"{self.limit >> 20} MB")
        return data


def _decompressed(reader: _CountingReader) -> io.BufferedIOBase:
    """The tar stream inside a gzip (checked: CRC and length) or a plain tar file."""
    buffered = io.BufferedReader(reader, 1 << 20)
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    return buffered


def extract_archive(path: Path, destination: Path, progress: Progress = _quiet,
                    cancelled: Cancelled = _never) -> int:
    """Extracts only the review files (and README) of an archive into ``destination``, with
    tarfile's ``filter="data"`` and our own checks; returns the number of files written.
    (Importing does not need this: it streams. It is for a learner who wants the folder.)"""
    from hafiza.paths import is_inside

    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    size = _source_file_checked(Path(path))
    written = 0
    with Path(path).open("rb", buffering=0) as raw:
        reader = _CountingReader(raw, lambda n: None)
        try:
            stream = _BoundedStream(_decompressed(reader), _unpacked_limit(size),
                                    Path(path).name)
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for count, member in enumerate(tar, start=1):
                    _check_member(member, Path(path).name)
                    if count > MAX_MEMBERS:
                        raise ImdbError(TOO_LARGE, "too many members")
                    wanted = _REVIEW_RE.match(member.name) or member.name.endswith("README")
                    if not (member.isfile() and wanted):
                        continue
                    if member.size > MAX_REVIEW_BYTES:
                        raise ImdbError(TOO_LARGE, f"{member.name} is {member.size} bytes")
                    if not is_inside(destination, destination / member.name):
                        raise ImdbError(UNSAFE, f"{member.name} leaves the folder")
                    tar.extract(member, destination, filter="data")
                    written += 1
                    if written % 500 == 0:
                        _check_cancel(cancelled)
                        progress(reader.count / max(size, 1), "extract")
        except ImdbError:
            raise
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise ImdbError(CORRUPT, f"{Path(path).name}: {error}") from None
    progress(1.0, "extract")
    return written


def _folder_root(path: Path) -> Path:
    """The folder holding train/ and test/: the ``aclImdb`` folder itself or its parent."""
    for candidate in (path, path / "aclImdb"):
        if (candidate / "train").is_dir() and (candidate / "test").is_dir():
            return candidate
    raise ImdbError(NOT_IMDB, f"{path} has no train/ and test/ folders of reviews")


def _folder_files(root: Path) -> list[tuple[str, int, int, Path]]:
    files = []
    for split in ("train", "test"):
        for polarity in ("neg", "pos"):
            folder = root / split / polarity
            if folder.is_symlink():
                raise ImdbError(UNSAFE, f"{folder} is a link")
            if not folder.is_dir():
                continue
            with os.scandir(folder) as entries:
                for entry in entries:
                    match = re.fullmatch(r"(\d+)_(\d+)\.txt", entry.name)
                    if not match:
                        continue
                    if entry.is_symlink():
                        raise ImdbError(UNSAFE, f"{entry.path} is a link")
                    files.append((split, int(polarity == "pos"), int(match.group(1)),
                                  Path(entry.path)))
    if len(files) > MAX_REVIEWS:
        raise ImdbError(TOO_LARGE, f"{len(files)} review files")
    return files


def iter_folder_reviews(path: Path, progress: Progress = _quiet,
                        cancelled: Cancelled = _never) -> Iterator[tuple[str, int, int, str]]:
    files = _folder_files(_folder_root(Path(path)))
    budget = ReviewBudget(str(path))
    for count, (split, label, review_id, file) in enumerate(files, start=1):
        if count % 500 == 0:
            _check_cancel(cancelled)
            progress(count / len(files), "read")
        with file.open("rb") as handle:
            data = handle.read(MAX_REVIEW_BYTES + 1)
        if len(data) > MAX_REVIEW_BYTES:
            raise ImdbError(TOO_LARGE, f"{file} is larger than {MAX_REVIEW_BYTES} bytes")
        budget.add(len(data))
        yield split, label, review_id, data.decode("utf-8", errors="replace")


def _collect(reviews: Iterator[tuple[str, int, int, str]], where: str) -> RawReviews:
    """Sorts reviews by split, label (negative first) and id, so every source of the same
    reviews gives the same corpus."""
    rows = {"train": [], "test": []}
    for split, label, review_id, text in reviews:
        rows[split].append((label, review_id, text))
    raw = RawReviews()
    for split, items in rows.items():
        items.sort(key=lambda item: (item[0], item[1]))
        getattr(raw, f"{split}_texts").extend(text for _, _, text in items)
        getattr(raw, f"{split}_labels").extend(label for label, _, _ in items)
    if not raw.train_texts or not raw.test_texts:
        raise ImdbError(NOT_IMDB, f"{where} has no train/{{pos,neg}} and test/{{pos,neg}} "
                        "review files")
    return raw


def read_csv_reviews(path: Path, progress: Progress = _quiet,
                     cancelled: Cancelled = _never, info: dict | None = None) -> RawReviews:
    """Kaggle's 50,000-review CSV: columns review and sentiment (positive/negative). It has no
    train/test split: the first half of the rows trains and the second half tests."""
    path = Path(path)
    size = _source_file_checked(path)
    texts, labels = [], []
    budget = ReviewBudget(path.name)
    md5 = hashlib.md5(usedforsecurity=False)
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_REVIEW_BYTES)
    try:
        with path.open("rb") as binary:
            reader = _CountingReader(binary, lambda n: None)
            text = io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8-sig",
                                    errors="replace", newline="")
            rows = csv.reader(text)
            header = [name.strip().lower() for name in next(rows, [])]
            if "review" not in header or "sentiment" not in header:
                raise ImdbError(NOT_IMDB, f"{path.name} has no review and sentiment columns")
            review_col, sentiment_col = header.index("review"), header.index("sentiment")
            for line, row in enumerate(rows, start=2):
                if not row:
                    continue
                if len(row) <= max(review_col, sentiment_col):
                    raise ImdbError(CORRUPT, f"{path.name} line {line} has too few columns")
                sentiment = row[sentiment_col].strip().lower()
                if sentiment not in ("positive", "negative", "pos", "neg", "1", "0"):
                    raise ImdbError(NOT_IMDB, f"{path.name} line {line}: sentiment "
                                    f"{row[sentiment_col][:20]!r}")
                budget.add(len(row[review_col]))
                texts.append(row[review_col])
                labels.append(int(sentiment in ("positive", "pos", "1")))
                if line % 2000 == 0:
                    _check_cancel(cancelled)
                    progress(reader.count / max(size, 1), "read")
            md5 = reader.md5
    except csv.Error as error:
        raise ImdbError(CORRUPT, f"{path.name}: {error}") from None
    except UnicodeDecodeError as error:
        raise ImdbError(CORRUPT, f"{path.name}: {error}") from None
    finally:
        csv.field_size_limit(limit)
    if len(texts) < 2:
        raise ImdbError(NOT_IMDB, f"{path.name} has fewer than two reviews")
    if info is not None:
        info["md5"] = md5.hexdigest()
    half = len(texts) // 2
    return RawReviews(texts[:half], labels[:half], texts[half:], labels[half:])


