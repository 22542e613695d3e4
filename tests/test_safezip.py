"""hafiza.safezip: every refusal of a hostile archive, and what a good archive gives back."""

import stat
import struct
import zipfile
from pathlib import Path

import pytest

from hafiza.safezip import (
    ArchiveTooLarge,
    Limits,
    UnreadableArchive,
    UnsafeArchive,
    is_link_member,
    is_safe_member_name,
    member_name_problem,
    open_zip_checked,
)


def make_zip(path: Path, members: dict, method=zipfile.ZIP_DEFLATED) -> Path:
    """A zip of `members`: name -> bytes, or a prepared ZipInfo -> bytes."""
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def with_mode(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


def refusal(path: Path, limits: Limits | None = None, allowed=None) -> UnsafeArchive:
    with pytest.raises(UnsafeArchive) as refused:
        open_zip_checked(path, limits or Limits(), allowed)
    return refused.value


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, problem", [
    ("/etc/passwd", "an absolute path"),
    ("../outside.txt", "a path leaving its folder"),
    ("lesson/../../outside.txt", "a path leaving its folder"),
    ("./here.txt", "a path leaving its folder"),
    ("a//b.txt", "a path leaving its folder"),
    ("a\\..\\..\\b.txt", "an unsafe file name"),
    ("C:/Windows/evil.dll", "an unsafe file name"),
    ("notes.txt:stream", "an unsafe file name"),
    ("bell\x07.txt", "an unsafe file name"),
    ("", "an empty or overlong file name"),
    ("x" * 256, "an empty or overlong file name"),
])
def test_unsafe_member_names_say_why(name, problem):
    assert member_name_problem(name) == problem
    assert not is_safe_member_name(name)


@pytest.mark.parametrize("name", ["manifest.json", "models/0123.pt", "figures/a b.png",
                                  "lesson/figures/خلية.png", "x" * 255])
def test_plain_relative_names_are_safe(name):
    assert member_name_problem(name) is None
    assert is_safe_member_name(name)


@pytest.mark.parametrize("name, words", [
    ("/tmp/hafiza-abs.txt", "an absolute path"),
    ("../../escaped.txt", "a path leaving its folder"),
    ("evil\\..\\x.txt", "an unsafe file name"),
    ("D:/x.txt", "an unsafe file name"),
])
def test_an_archive_with_an_unsafe_name_is_refused_when_opened(tmp_path, name, words):
    path = make_zip(tmp_path / "names.zip", {"good.txt": b"ok", name: b"x"})
    error = refusal(path)
    assert type(error) is UnsafeArchive
    assert words in str(error) and repr(name) in str(error)


# --- links, special files, encryption, methods, duplicates -----------------------------------

def test_a_symbolic_link_member_is_refused(tmp_path):
    link = with_mode("figures/link.png", stat.S_IFLNK | 0o777)
    path = make_zip(tmp_path / "link.zip", {link: b"/etc/passwd"})
    with zipfile.ZipFile(path) as archive:
        assert is_link_member(archive.getinfo("figures/link.png"))
    assert "a symbolic link ('figures/link.png')" in str(refusal(path))


def test_a_regular_member_is_not_a_link(tmp_path):
    path = make_zip(tmp_path / "plain.zip", {with_mode("a.txt", stat.S_IFREG | 0o644): b"a"})
    with zipfile.ZipFile(path) as archive:
        assert not is_link_member(archive.getinfo("a.txt"))


def test_a_device_or_pipe_member_is_refused(tmp_path):
    path = make_zip(tmp_path / "fifo.zip", {with_mode("pipe", stat.S_IFIFO | 0o644): b""})
    assert "a special file ('pipe')" in str(refusal(path))


def test_an_encrypted_member_is_refused(tmp_path):
    path = make_zip(tmp_path / "encrypted.zip", {"secret.txt": b"not really encrypted"})
    raw = bytearray(path.read_bytes())  # zipfile cannot write encrypted members: flag one
    central = raw.index(b"PK\x01\x02")
    raw[central + 8] |= 0x1
    path.write_bytes(bytes(raw))
    assert "an encrypted file ('secret.txt')" in str(refusal(path))


def test_a_rare_compression_method_is_refused(tmp_path):
    path = make_zip(tmp_path / "bzip2.zip", {"a.txt": b"a" * 100}, zipfile.ZIP_BZIP2)
    assert "unsupported method" in str(refusal(path))


def test_a_name_that_appears_twice_is_refused(tmp_path):
    path = tmp_path / "twice.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        make_zip(path, {"a.txt": b"1", zipfile.ZipInfo("a.txt"): b"2"})
    assert "'a.txt' appears twice" in str(refusal(path))


def test_files_the_caller_does_not_expect_are_refused(tmp_path):
    path = make_zip(tmp_path / "extra.zip", {"x.npy": b"1", "run.py": b"print(1)"})
    error = refusal(path, allowed=lambda name: name.endswith(".npy"))
    assert "unexpected file 'run.py'" in str(error)


# --- sizes -----------------------------------------------------------------------------------

def test_too_many_members_are_refused_before_any_name_is_read(tmp_path):
    path = make_zip(tmp_path / "many.zip", {f"{i}.txt": b"" for i in range(12)})
    error = refusal(path, Limits(max_members=10))
    assert isinstance(error, ArchiveTooLarge)
    assert "holds 12 files; at most 10" in str(error)


def test_a_member_declared_larger_than_its_limit_is_refused_before_reading(tmp_path):
    path = make_zip(tmp_path / "big.zip", {"big.bin": b"\0" * 5000})
    error = refusal(path, Limits(max_member_bytes=4096))
    assert isinstance(error, ArchiveTooLarge)
    assert "'big.bin' is larger than 4096 bytes" in str(error)


def test_members_declared_larger_than_the_total_are_refused_before_reading(tmp_path):
    path = make_zip(tmp_path / "total.zip", {f"{i}.bin": b"\0" * 3000 for i in range(3)})
    error = refusal(path, Limits(max_member_bytes=4096, max_total_bytes=8000))
    assert isinstance(error, ArchiveTooLarge)
    assert "unpacks to more than 8000 bytes" in str(error)


def test_an_archive_file_larger_than_its_limit_is_refused(tmp_path):
    path = make_zip(tmp_path / "file.zip", {"a.bin": bytes(range(256)) * 40},
                    zipfile.ZIP_STORED)
    error = refusal(path, Limits(max_archive_bytes=4096))
    assert isinstance(error, ArchiveTooLarge)
    assert "the archive is larger than 4096 bytes" in str(error)


def _lie_about_size(path: Path, name: bytes, size: int) -> None:
    """Rewrites the uncompressed size of member `name` in both the local header and the
    central directory (what `zipfile` believes) to `size`."""
    raw = bytearray(path.read_bytes())
    local = raw.index(b"PK\x03\x04")
    assert raw[local + 30: local + 30 + len(name)] == name
    struct.pack_into("<I", raw, local + 22, size)
    central = raw.index(b"PK\x01\x02")
    assert raw[central + 46: central + 46 + len(name)] == name
    struct.pack_into("<I", raw, central + 24, size)
    path.write_bytes(bytes(raw))


def test_a_member_that_expands_past_the_cap_while_its_header_lies_is_refused(tmp_path):
    path = make_zip(tmp_path / "liar.zip", {"bomb.bin": b"\0" * (4 * 1024 * 1024)})
    assert path.stat().st_size < 20_000  # 4 MB of zeros deflate to a few KB
    _lie_about_size(path, b"bomb.bin", 1000)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("bomb.bin").file_size == 1000
    limits = Limits(max_member_bytes=4096, max_total_bytes=4096)
    with open_zip_checked(path, limits) as archive:  # the declared 1000 bytes pass the caps
        with pytest.raises(UnsafeArchive) as refused:
            archive.read_member("bomb.bin")
        assert archive.unpacked <= 4096  # never more than the cap was decompressed
    assert "'bomb.bin'" in str(refused.value)


def test_a_member_is_capped_while_decompressing_below_its_declared_size(tmp_path):
    path = make_zip(tmp_path / "json.zip", {"manifest.json": b"{" * (3 * 1024 * 1024)})
    with open_zip_checked(path) as archive:
        with pytest.raises(ArchiveTooLarge, match="'manifest.json' unpacks to more than 1 MB"):
            archive.read_member("manifest.json", max_bytes=1024 * 1024)


def test_the_total_is_counted_across_reads(tmp_path):
    path = make_zip(tmp_path / "two.zip", {"a.bin": b"a" * 3000, "b.bin": b"b" * 3000})
    # declared 6000 bytes pass; reading the same member twice does not get round the total
    with open_zip_checked(path, Limits(max_total_bytes=6000)) as archive:
        assert archive.read_member("a.bin") == b"a" * 3000
        assert archive.read_member("b.bin") == b"b" * 3000
        with pytest.raises(ArchiveTooLarge, match="the archive unpacks to more than 6000"):
            archive.read_member("a.bin")


# --- unreadable and good archives -----------------------------------------------------------

def test_a_file_that_is_not_a_zip_is_unreadable(tmp_path):
    path = tmp_path / "junk.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert isinstance(refusal(path), UnreadableArchive)
    assert "cannot read the file" in str(refusal(tmp_path / "absent.zip"))


def test_a_good_archive_gives_back_its_files_and_leaves_folders_out(tmp_path):
    path = make_zip(tmp_path / "good.zip", {"lesson/": b"", "lesson/en.md": "# سلام\n".encode(),
                                            "manifest.json": b"{}"})
    with open_zip_checked(path, Limits(max_members=3)) as archive:
        assert archive.namelist() == ["lesson/en.md", "manifest.json"]
        assert archive.read_member("lesson/en.md").decode() == "# سلام\n"
        assert archive.unpacked == len("# سلام\n".encode())
        with pytest.raises(UnsafeArchive, match="no file 'lesson/'"):
            archive.read_member("lesson/")
