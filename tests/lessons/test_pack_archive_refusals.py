"""Lesson packs go through hafiza.safezip: the archive refusals it adds reach the pack import
as a PackError with the reason, and nothing is written."""

import json
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from hafiza.lessonlib import packs

LESSON_YAML = "id: evil\norder: 1\ntitle:\n  en: Pack lesson\n"


def pack_with(path: Path, extra: dict | None = None) -> Path:
    """A valid one-lesson pack plus `extra` members (name or ZipInfo -> bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr(packs.MANIFEST, json.dumps({"format": 1, "lessons": ["evil"]}))
        pack.writestr("evil/lesson.yaml", LESSON_YAML)
        pack.writestr("evil/en.md", "# T\n\nText.\n")
        for name, data in (extra or {}).items():
            pack.writestr(name, data)
    return path


def refused(pack: Path, library: Path) -> str:
    with pytest.raises(packs.PackError) as error:
        packs.import_pack(pack, library)
    assert not library.exists() or not any(library.iterdir())  # nothing written
    return str(error.value)


def test_a_pipe_in_a_pack_is_refused(tmp_path):
    pipe = zipfile.ZipInfo("evil/figures/pipe.png")
    pipe.external_attr = (stat.S_IFIFO | 0o644) << 16
    message = refused(pack_with(tmp_path / "pipe.hafiza", {pipe: b""}), tmp_path / "library")
    assert "special file ('evil/figures/pipe.png')" in message


def test_a_figure_whose_header_lies_about_its_size_is_refused(tmp_path):
    pack = pack_with(tmp_path / "liar.hafiza", {"evil/figures/a.png": b"\0" * 200_000})
    raw = bytearray(pack.read_bytes())
    name = b"evil/figures/a.png"
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = raw.find(signature)
        while raw[start + name_at: start + name_at + len(name)] != name:
            start = raw.find(signature, start + 1)
        struct.pack_into("<I", raw, start + size_at, 100)
    pack.write_bytes(bytes(raw))
    message = refused(pack, tmp_path / "library")
    assert message.startswith("not a readable lesson pack: cannot read 'evil/figures/a.png'")


def test_a_pack_file_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(packs, "MAX_PACK_BYTES", 100)
    message = refused(pack_with(tmp_path / "big.hafiza"), tmp_path / "library")
    assert message == "the archive is larger than 100 bytes"


def test_a_missing_pack_says_it_cannot_be_read(tmp_path):
    message = refused(tmp_path / "absent.hafiza", tmp_path / "library")
    assert message.startswith("not a readable lesson pack: cannot read the file")


def test_folder_entries_in_a_pack_made_by_another_zip_tool_are_accepted(tmp_path):
    pack = pack_with(tmp_path / "folders.hafiza", {"evil/": b"", "evil/figures/": b""})
    assert packs.import_pack(pack, tmp_path / "library") == ["evil"]
    installed = tmp_path / "library" / "evil"
    assert sorted(p.name for p in installed.iterdir()) == ["en.md", "lesson.yaml"]
