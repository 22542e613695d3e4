"""Hostile IMDB sources (through `import_imdb`) and exercise settings (through
`hafiza train EXERCISE --set KEY=VALUE`)."""

from __future__ import annotations

import gzip
import os
import struct
import zipfile
from pathlib import Path

from hostile_harness import Action


def _tar_header(name: str, size: int, kind: bytes = b"0", link: str = "") -> bytes:
    """A ustar header built by hand (fast enough for hundreds of thousands of members)."""
    header = bytearray(512)
    header[0:len(name)] = name.encode()
    header[100:108] = b"0000644\0"
    header[108:116] = header[116:124] = b"0000000\0"
    header[124:136] = f"{size:011o}\0".encode()
    header[136:148] = b"00000000000\0"
    header[148:156] = b" " * 8
    header[156:157] = kind
    header[157:157 + len(link)] = link.encode()
    header[257:265] = b"ustar\x0000"
    header[148:156] = f"{sum(header):06o}\0 ".encode()
    return bytes(header)


def write_tar_gz(path: Path, members, level: int = 1) -> Path:
    """members: iterable of (name, bytes) or (name, bytes, kind, link)."""
    with gzip.open(path, "wb", compresslevel=level) as out:
        for member in members:
            name, data, kind, link = (*member, b"0", "")[:4] if len(member) == 2 else member
            out.write(_tar_header(name, len(data), kind, link))
            out.write(data)
            if len(data) % 512:
                out.write(b"\0" * (512 - len(data) % 512))
        out.write(b"\0" * 1024)
    return path


def _reviews(count: int, text: bytes = b"a fine film") -> list[tuple[str, bytes]]:
    splits = [("train", "pos"), ("train", "neg"), ("test", "pos"), ("test", "neg")]
    return [(f"aclImdb/{s}/{p}/{i}_7.txt", text) for i, (s, p) in
            ((i, splits[i % 4]) for i in range(count))]


def _npy(header: dict, body: bytes) -> bytes:
    text = repr(header).encode()
    text += b" " * (63 - (10 + len(text)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + body


def _npz(path: Path, arrays: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in arrays.items():
            archive.writestr(f"{name}.npy", data)
    return path


def _small_arrays() -> dict[str, bytes]:
    labels = _npy({"descr": "<i8", "fortran_order": False, "shape": (2,)},
                  struct.pack("<2q", 0, 1))
    return {"y_train": labels, "y_test": labels}


def _object_npy(pickle_body: bytes, count: int = 2) -> bytes:
    return _npy({"descr": "|O", "fortran_order": False, "shape": (count,)}, pickle_body)


def _zero_bomb_npz(path: Path, size: int) -> Path:
    """An npz whose x_train.npy inflates to `size` bytes of zeros, streamed (the parent
    never holds it whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("x_train.npy", "w", force_zip64=True) as member:
            member.write(_npy({"descr": "<i8", "fortran_order": False,
                               "shape": (size // 8,)}, b""))
            chunk = b"\0" * (1 << 24)
            for _ in range(size // len(chunk)):
                member.write(chunk)
        for name, data in {**_small_arrays(), "x_test": _small_arrays()["y_test"]}.items():
            archive.writestr(f"{name}.npy", data)
    return path


def imdb_cases() -> list[tuple]:
    from hafiza.engine.data import imdb

    cases: list[tuple] = []

    def case(case_id: str, make, expect: str = "refused", name: str | None = None):
        def build(root: Path) -> Action:
            path = root / "input" / (name or f"{case_id}.tar.gz")
            make(path)
            return Action("api", name="imdb_import", args=(str(path),))
        cases.append((case_id, build, expect, None))

    case("imdb-control-tiny-archive", lambda p: write_tar_gz(p, _reviews(8)), expect="accepted")
    case("imdb-review-over-limit", lambda p: write_tar_gz(
        p, [*_reviews(4), ("aclImdb/train/pos/99_9.txt", b"a " * (imdb.MAX_REVIEW_BYTES // 2 +
                                                                   1))]))
    # ~1 MB each of one repeated word: a few MB packed, gigabytes once tokenised
    big = b"word " * (imdb.MAX_REVIEW_BYTES // 5 - 1)
    case("imdb-huge-expansion", lambda p: write_tar_gz(p, _reviews(600, big), level=6))
    case("imdb-many-tiny-reviews", lambda p: write_tar_gz(
        p, _reviews(imdb.MAX_REVIEWS + 1, b"a")))
    case("imdb-csv-too-many-rows", lambda p: p.write_bytes(
        b"review,sentiment\n" + b"a,positive\n" * (imdb.MAX_REVIEWS + 1)), name="many.csv")
    case("imdb-csv-huge-field", lambda p: p.write_bytes(
        b'review,sentiment\n"' + b"a" * (imdb.MAX_REVIEW_BYTES + 10) + b'",positive\n'),
        name="big.csv")
    case("imdb-csv-not-utf8", lambda p: p.write_bytes(b"review,sentiment\n\xff\xfe,1\n" * 3),
         expect="either", name="bad.csv")
    case("imdb-tar-symlink", lambda p: write_tar_gz(
        p, [*_reviews(4), ("aclImdb/train/pos/5_7.txt", b"", b"2", "/etc/passwd")]))
    case("imdb-tar-hardlink", lambda p: write_tar_gz(
        p, [*_reviews(4), ("aclImdb/train/pos/5_7.txt", b"", b"1", "/etc/passwd")]))
    case("imdb-tar-dotdot", lambda p: write_tar_gz(
        p, [*_reviews(4), ("aclImdb/../../canary/pwned.txt", b"x")]))
    case("imdb-tar-absolute", lambda p: write_tar_gz(
        p, [*_reviews(4), ("/tmp/hafiza-hostile-pwned.txt", b"x")]))
    case("imdb-tar-device", lambda p: write_tar_gz(
        p, [*_reviews(4), ("aclImdb/train/pos/6_7.txt", b"", b"3", "")]))
    case("imdb-tar-truncated", lambda p: p.write_bytes(
        write_tar_gz(p, _reviews(40)).read_bytes()[:-30]))
    case("imdb-gzip-garbage", lambda p: p.write_bytes(b"\x1f\x8b" + os.urandom(2000)))
    case("imdb-tar-size-lies", lambda p: p.write_bytes(gzip.compress(
        _tar_header("aclImdb/train/pos/1_7.txt", 10**11) + b"x" * 512)))
    # Keras npz
    evil = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03."
    case("npz-pickle-calls-system", lambda p: _npz(p, {
        **_small_arrays(), "x_train": _object_npy(evil), "x_test": _object_npy(evil)}),
        name="imdb.npz")
    builtins_eval = b"\x80\x02cbuiltins\neval\nq\x00X\x01\x00\x00\x001q\x01\x85q\x02R."
    case("npz-pickle-calls-eval", lambda p: _npz(p, {
        **_small_arrays(), "x_train": _object_npy(builtins_eval),
        "x_test": _object_npy(builtins_eval)}), name="imdb.npz")
    case("npz-huge-header-shape", lambda p: _npz(p, {
        **_small_arrays(), "x_test": _small_arrays()["y_test"],
        "x_train": _npy({"descr": "<i4", "fortran_order": False, "shape": (10**9,)}, b"")}),
        name="imdb.npz")
    case("npz-huge-2d-shape", lambda p: _npz(p, {
        **_small_arrays(), "x_test": _small_arrays()["y_test"],
        "x_train": _npy({"descr": "<i8", "fortran_order": False, "shape": (10**6, 10**6)},
                        b"")}), name="imdb.npz")
    case("npz-huge-object-count", lambda p: _npz(p, {
        **_small_arrays(), "x_test": _small_arrays()["y_test"],
        "x_train": _object_npy(b"\x80\x02cnumpy.core.multiarray\n_reconstruct\n)R(]" +
                               b"(" + b"]" * 2_000_000 + b"e" + b"tb.", 10**12)}),
        name="imdb.npz")
    case("npz-member-bomb", lambda p: _zero_bomb_npz(p, 1 << 30), name="imdb.npz")
    case("npz-header-garbage", lambda p: _npz(p, {
        **_small_arrays(), "x_test": b"\x93NUMPY\x01\x00\xff\xff" + b"{" * 200,
        "x_train": b"\x93NUMPY\x09\x09"}), name="imdb.npz")
    case("npz-not-a-zip", lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 100),
         name="imdb.npz")

    def folder_with_link(path: Path) -> None:
        for split in ("train", "test"):
            for polarity in ("pos", "neg"):
                (path / split / polarity).mkdir(parents=True)
                (path / split / polarity / "1_7.txt").write_text("fine")
        (path / "train" / "pos" / "2_7.txt").symlink_to(path.parent.parent / "canary" /
                                                        "secret.txt")
    case("imdb-folder-symlinked-review", folder_with_link, name="aclImdb")
    return cases


def settings_cases() -> list[tuple]:
    cases: list[tuple] = []

    def case(case_id: str, exercise: str, *sets: str, expect: str = "refused",
             command: str = "train"):
        argv = [command, exercise] + [f"--set={s}" for s in sets]
        if command == "train":
            argv += ["--quiet", "--device=cpu"]
            if not any(s.startswith("epochs=") for s in sets):
                argv.append("--set=epochs=1")
        cases.append((case_id, lambda root, argv=argv: Action("cli", list(argv)), expect, None))

    case("settings-control-valid", "mlp_xor", expect="accepted")
    for value in ("0", "-1", "nan", "abc", "1e10", "inf", "2.5"):
        case(f"settings-batch-size-{value}", "mlp_xor", f"batch_size={value}")
    case("settings-epochs-0", "mlp_xor", "epochs=0")
    case("settings-learning-rate-inf", "mlp_xor", "learning_rate=inf")
    case("settings-units-1e7", "mlp_xor", "model.0=Dense(10000000, tanh)")
    case("settings-units-1e8-summary", "mlp_xor", "model.0=Dense(100000000, tanh)",
         command="summary")
    case("settings-lstm-units-1e5", "sine_forecast", "model.0=LSTM(100000)")
    case("settings-n-samples-1e10", "mlp_spirals", "dataset.n_samples=10000000000")
    case("settings-n-samples-text", "mlp_spirals", "dataset.n_samples=abc")
    case("settings-n-samples-nan", "mlp_spirals", "dataset.n_samples=nan")
    case("settings-seq-len-1e9", "rnn_vs_lstm_long", "dataset.seq_len=1000000000")
    case("settings-window-1e9", "sine_forecast", "dataset.window=1000000000")
    case("settings-noise-nan", "mlp_xor", "dataset.noise=nan")
    case("settings-noise-text", "mlp_xor", "dataset.noise=abc")
    case("settings-unknown-dataset-param", "mlp_xor", "dataset.evil=1")
    case("settings-num-words-1e9", "lm_lessons", "dataset.num_words=1000000000")
    case("settings-embedding-1e9", "lm_lessons", "model.0=Embedding(1000000000, 64)")
    case("settings-val-fraction-nan", "lm_lessons", "dataset.val_fraction=nan")

    def yaml_file(case_id: str, text: str | bytes, suffix: str = ".yaml"):
        def build(root: Path) -> Action:
            path = root / "input" / f"{case_id}{suffix}"
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
            return Action("cli", ["train", str(path), "--set=epochs=1", "--quiet"])
        cases.append((case_id, build, "refused", None))
    yaml_file("exercise-file-python-tag", "!!python/object/apply:os.system ['touch pwned']\n")
    yaml_file("exercise-file-anchor-bomb", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)))
    yaml_file("exercise-file-json-nan", '{"id": "x", "task": NaN}', ".json")
    yaml_file("exercise-file-deep-json", "[" * 100_000 + "]" * 100_000, ".json")
    yaml_file("exercise-file-not-utf8", b"id: \xff\xfe\n")
    return cases
