"""Keras' ``imdb.npz``: pickled object arrays, decoded as data only (no pickle module,
nothing is ever called); ``np.load`` only with ``allow_pickle=False``."""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from hafiza.engine.data.imdb.common import (
    CORRUPT,
    KERAS_WORD_INDEX,
    MAX_NPY_BYTES,
    MAX_REVIEWS,
    MAX_SOURCE_BYTES,
    MAX_TOTAL_BYTES,
    MAX_WORDS,
    NOT_IMDB,
    TOO_LARGE,
    UNSAFE,
    Cancelled,
    ImdbError,
    Progress,
    _check_cancel,
    _md5_of,
    _never,
    _quiet,
)
from hafiza.engine.data.imdb.corpus import (
    Corpus,
)
from hafiza.engine.data.imdb.sources import (
    _source_file_checked,
)
from hafiza.safezip import (
    ArchiveTooLarge,
    CheckedZip,
    Limits,
    UnreadableArchive,
    UnsafeArchive,
    open_zip_checked,
)

# An npy header is at most 64 KiB (numpy refuses longer ones without allow_pickle).
HEADER_PEEK = (64 << 10) + 16
_ALLOWED_GLOBALS = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray",
                    "_reconstruct"), ("numpy", "ndarray"), ("numpy", "dtype")}


class _Global:
    def __init__(self, module: str, name: str) -> None:
        if (module, name) not in _ALLOWED_GLOBALS:
            raise ImdbError(UNSAFE, f"the file asks to run {module}.{name}")
        self.name = name


class _Call:
    """A REDUCE recorded, never performed: (function, arguments) and the BUILD state."""

    def __init__(self, func: Any, args: Any) -> None:
        if not isinstance(func, _Global):
            raise ImdbError(UNSAFE, "the file calls something that is not numpy's")
        self.func, self.args, self.state = func, args, None


_MARK = object()


def _decode_object_array(data: bytes, where: str) -> list[list[int]]:
    """Reads the pickle stream numpy writes for an object array of lists of ints, with a
    tiny stack machine that knows only data opcodes and numpy's array reconstruction:
    anything else (a call to any other function, a class, ...) is refused."""
    stack: list[Any] = []
    marks: list[int] = []
    memo: dict[int, Any] = {}
    pos, end = 0, len(data)
    # Every opcode makes at most one thing (a number, a list, a memo entry): counting them
    # bounds the memory the arrays can take, whatever the stream repeats.
    steps, most_steps = 0, MAX_WORDS // 2 + 8 * MAX_REVIEWS
    containers, most_containers = 0, 4 * MAX_REVIEWS + 64
    u8, u16, u32, i32 = (struct.Struct(f) for f in ("<B", "<H", "<I", "<i"))

    def take(n: int) -> bytes:
        nonlocal pos
        if pos + n > end:
            raise ImdbError(CORRUPT, f"{where}: the data ends early")
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    def pop_mark() -> list:
        if not marks:
            raise ImdbError(CORRUPT, f"{where}: unbalanced data")
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    try:
        while True:
            op = take(1)
            steps += 1
            if op in b"](tl)\x85\x86\x87qr\x94":  # lists, tuples, marks, memo entries
                containers += 1
            if steps > most_steps or containers > most_containers:
                raise ImdbError(TOO_LARGE, f"{where}: more words than any IMDB array holds")
            if op == b"K":  # BININT1
                stack.append(data[pos])
                pos += 1
            elif op == b"M":  # BININT2
                stack.append(u16.unpack(take(2))[0])
            elif op == b"J":  # BININT
                stack.append(i32.unpack(take(4))[0])
            elif op == b"e":  # APPENDS
                items = pop_mark()
                stack[-1].extend(items)
            elif op == b"]":  # EMPTY_LIST
                stack.append([])
            elif op == b"(":  # MARK
                marks.append(len(stack))
            elif op == b"q":  # BINPUT
                memo[data[pos]] = stack[-1]
                pos += 1
            elif op == b"r":  # LONG_BINPUT
                memo[u32.unpack(take(4))[0]] = stack[-1]
            elif op == b"\x94":  # MEMOIZE
                memo[len(memo)] = stack[-1]
            elif op == b"a":  # APPEND
                item = stack.pop()
                stack[-1].append(item)
            elif op == b"h":  # BINGET
                stack.append(memo[data[pos]])
                pos += 1
            elif op == b"j":  # LONG_BINGET
                stack.append(memo[u32.unpack(take(4))[0]])
            elif op == b"\x80":  # PROTO
                take(1)
            elif op == b"\x95":  # FRAME
                take(8)
            elif op == b"\x8a":  # LONG1
                n = data[pos]
                pos += 1
                stack.append(int.from_bytes(take(n), "little", signed=True))
            elif op in (b"X", b"\x8c"):  # BINUNICODE, SHORT_BINUNICODE
                n = u32.unpack(take(4))[0] if op == b"X" else u8.unpack(take(1))[0]
                stack.append(take(n).decode("utf-8"))
            elif op in (b"C", b"B", b"U", b"T"):  # SHORT_BINBYTES, BINBYTES, (SHORT_)BINSTRING
                n = u32.unpack(take(4))[0] if op in (b"B", b"T") else u8.unpack(take(1))[0]
                stack.append(take(n))
            elif op == b"c":  # GLOBAL "module\nname\n"
                module = data[pos:data.index(b"\n", pos)].decode()
                pos += len(module) + 1
                name = data[pos:data.index(b"\n", pos)].decode()
                pos += len(name) + 1
                stack.append(_Global(module, name))
            elif op == b"\x93":  # STACK_GLOBAL
                name, module = stack.pop(), stack.pop()
                stack.append(_Global(module, name))
            elif op == b")":  # EMPTY_TUPLE
                stack.append(())
            elif op in (b"\x85", b"\x86", b"\x87"):  # TUPLE1..3
                n = op[0] - 0x84
                items = tuple(stack[-n:])
                del stack[-n:]
                stack.append(items)
            elif op == b"t":  # TUPLE
                stack.append(tuple(pop_mark()))
            elif op == b"l":  # LIST
                stack.append(pop_mark())
            elif op in (b"N", b"\x88", b"\x89"):  # NONE, NEWTRUE, NEWFALSE
                stack.append({b"N": None, b"\x88": True, b"\x89": False}[op])
            elif op == b"R":  # REDUCE: recorded, not called
                args = stack.pop()
                stack.append(_Call(stack.pop(), args))
            elif op == b"b":  # BUILD
                state = stack.pop()
                if not isinstance(stack[-1], _Call):
                    raise ImdbError(UNSAFE, f"{where}: unexpected object state")
                stack[-1].state = state
            elif op == b".":  # STOP
                break
            else:
                raise ImdbError(UNSAFE, f"{where}: unsupported pickle opcode {op!r}")
    except ImdbError:
        raise
    except (IndexError, KeyError, struct.error, AttributeError, TypeError,
            UnicodeDecodeError, ValueError) as error:
        raise ImdbError(CORRUPT, f"{where}: cannot read the arrays ({error!r})") from None
    if len(stack) != 1 or not isinstance(stack[0], _Call) or stack[0].func.name != "_reconstruct":
        raise ImdbError(NOT_IMDB, f"{where}: not a numpy array")
    state = stack[0].state
    if not isinstance(state, tuple) or len(state) != 5 or not isinstance(state[4], list):
        raise ImdbError(NOT_IMDB, f"{where}: not an array of reviews")
    reviews = state[4]
    for review in reviews:
        if not isinstance(review, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in review):
            raise ImdbError(NOT_IMDB, f"{where}: a review is not a list of word numbers")
    return reviews


def _npy_header(path: Path, name: str, where: str) -> tuple[tuple, np.dtype, int]:
    """(shape, dtype, header bytes) of one array, read from its first bytes only, so that
    the sizes are judged before the array is."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as member:
            head = member.read(HEADER_PEEK)
        stream = io.BytesIO(head)
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"npy format {version} is not supported")
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise ImdbError(CORRUPT, f"{where}: {name}: {error}") from None
    return shape, dtype, stream.tell()


def _read_npy_member(archive: CheckedZip, path: Path, key: str,
                     where: str) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """One array of an npz, its header checked first (shape, type, size: no array larger
    than an IMDB one is ever read): numbers through numpy (allow_pickle=False), an object
    array of reviews through the data-only decoder above, as (lengths, word numbers)."""
    shape, dtype, header = _npy_header(path, f"{key}.npy", where)
    reviews = shape[0] if shape else 0
    if reviews > MAX_REVIEWS or len(shape) > 2 or (key.startswith("y") and len(shape) != 1):
        raise ImdbError(TOO_LARGE if reviews > MAX_REVIEWS else NOT_IMDB,
                        f"{where}: {key} has the shape {shape}")
    if dtype.hasobject:
        if not key.startswith("x") or len(shape) != 1:
            raise ImdbError(NOT_IMDB, f"{where}: {key} holds objects")
        cap = MAX_NPY_BYTES
    else:
        count = math.prod(shape)
        if dtype.kind not in "iub" or count > MAX_WORDS // 2:
            raise ImdbError(NOT_IMDB if dtype.kind not in "iub" else TOO_LARGE,
                            f"{where}: {key} is {count:,} values of {dtype}")
        cap = header + count * dtype.itemsize
    try:
        raw = archive.read_member(f"{key}.npy", cap)
    except ArchiveTooLarge as error:
        raise ImdbError(TOO_LARGE, f"{where}: {error}") from None
    except UnsafeArchive as error:
        raise ImdbError(CORRUPT, f"{where}: {error}") from None
    if dtype.hasobject:
        lists = _decode_object_array(raw[header:], f"{where}: {key}")
        del raw
        if len(lists) != reviews:
            raise ImdbError(CORRUPT, f"{where}: {key} has the wrong number of reviews")
        lengths = np.fromiter((len(r) for r in lists), dtype=np.int64, count=len(lists))
        ranks = np.fromiter((i for r in lists for i in r), dtype=np.int64,
                            count=int(lengths.sum()))
        return lengths, ranks
    try:
        return np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    except ValueError as error:
        raise ImdbError(CORRUPT, f"{where}: {key}: {error}") from None


def read_keras_npz(path: Path, word_index_path: Path | None = None,
                   progress: Progress = _quiet, cancelled: Cancelled = _never,
                   info: dict | None = None) -> Corpus:
    """Keras' ``imdb.npz`` (x_train, y_train, x_test, y_test: word ranks, 1 = most frequent)
    and, when given or found beside it, ``imdb_word_index.json`` (word -> rank)."""
    path = Path(path)
    _source_file_checked(path)
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        archive = open_zip_checked(path, Limits(max_members=16, max_member_bytes=MAX_SOURCE_BYTES,
                                                max_total_bytes=MAX_TOTAL_BYTES),
                                   allowed=lambda name: name.endswith(".npy"))
    except UnreadableArchive as error:
        raise ImdbError(CORRUPT, str(error)) from None
    except UnsafeArchive as error:
        raise ImdbError(UNSAFE, str(error)) from None
    arrays: dict[str, Any] = {}
    with archive:
        names = set(archive.namelist())
        missing = [k for k in keys if f"{k}.npy" not in names]
        if missing:
            raise ImdbError(NOT_IMDB, f"{path.name} has no {', '.join(missing)}")
        for step, key in enumerate(keys):
            _check_cancel(cancelled)
            arrays[key] = _read_npy_member(archive, path, key, path.name)
            progress(0.2 * (step + 1), "read")
    corpus_arrays: dict[str, np.ndarray] = {}
    highest = 0
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], np.asarray(arrays[f"y_{split}"])
        if isinstance(x, np.ndarray) and x.ndim == 2:  # already padded: drop the zeros
            kept = x > 0
            x = kept.sum(axis=1).astype(np.int64), x[kept].astype(np.int64)
        if not isinstance(x, tuple) or y.ndim != 1 or len(x[0]) != len(y) or not len(y):
            raise ImdbError(NOT_IMDB, f"{path.name}: x_{split} and y_{split} do not match")
        if not np.isin(y, (0, 1)).all():
            raise ImdbError(NOT_IMDB, f"{path.name}: y_{split} is not 0/1 labels")
        lengths, ranks = x
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        if len(ranks) and (ranks.min() < 1 or ranks.max() > 10_000_000):
            raise ImdbError(NOT_IMDB, f"{path.name}: word numbers out of range")
        highest = max(highest, int(ranks.max()) if len(ranks) else 0)
        corpus_arrays[f"{split}_ranks"] = ranks.astype(np.int32)
        corpus_arrays[f"{split}_offsets"] = offsets
        corpus_arrays[f"{split}_labels"] = y.astype(np.int8)
    if word_index_path is None and (path.parent / KERAS_WORD_INDEX).is_file():
        word_index_path = path.parent / KERAS_WORD_INDEX
    words = [f"<#{rank}>" for rank in range(1, highest + 1)]
    if word_index_path is not None:
        if Path(word_index_path).stat().st_size > 64 << 20:
            raise ImdbError(TOO_LARGE, f"{Path(word_index_path).name} is too large")
        try:
            word_index = json.loads(Path(word_index_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ImdbError(CORRUPT, f"{Path(word_index_path).name}: {error}") from None
        if not isinstance(word_index, dict):
            raise ImdbError(NOT_IMDB, f"{Path(word_index_path).name} is not word -> number")
        for word, rank in word_index.items():
            if isinstance(rank, int) and 1 <= rank <= highest and isinstance(word, str):
                words[rank - 1] = word
        if info is not None:
            info["word_index"] = Path(word_index_path).name
    if info is not None:
        info["md5"] = _md5_of(path)
    progress(1.0, "read")
    return Corpus(words=words, manifest={}, **corpus_arrays)




